using HardwareMaster.Hal.Display;

namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// Renders a <see cref="MonoFrameBuffer"/> as text with Unicode half blocks (▀ ▄ █): one
/// character cell per 1×2 pixels, so 128×64 becomes 128 columns × 32 lines. For the live
/// simulator in a terminal.
/// </summary>
public static class TerminalRenderer
{
    /// <summary>Characters needed by <see cref="Render(MonoFrameBuffer, Span{char})"/> (one newline per line).</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>The character count.</returns>
    public static int RequiredLength(MonoFrameBuffer frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return (frame.Width + 1) * ((frame.Height + 1) / 2);
    }

    /// <summary>Renders into <paramref name="destination"/> without allocating.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="destination">At least <see cref="RequiredLength"/> characters.</param>
    /// <returns>Characters written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static int Render(MonoFrameBuffer frame, Span<char> destination)
    {
        int length = RequiredLength(frame);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The destination needs {length} characters.", nameof(destination));
        }

        int index = 0;
        for (int y = 0; y < frame.Height; y += 2)
        {
            for (int x = 0; x < frame.Width; x++)
            {
                bool top = frame.GetPixel(x, y);
                bool bottom = frame.GetPixel(x, y + 1);
                destination[index++] = (top, bottom) switch
                {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    _ => ' ',
                };
            }

            destination[index++] = '\n';
        }

        return index;
    }

    /// <summary>Renders to a new string (convenience; allocates).</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>The text.</returns>
    public static string Render(MonoFrameBuffer frame)
    {
        var buffer = new char[RequiredLength(frame)];
        int written = Render(frame, buffer);
        return new string(buffer, 0, written);
    }
}
