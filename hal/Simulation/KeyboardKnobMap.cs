using HardwareMaster.Hal.Input;

namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// Maps keys to knob and button events for the desktop simulator.
/// Encoder n turns counter-clockwise / clockwise with the left / middle key of its row and
/// pushes with the right key: Q W E (encoder 0), A S D (1), Z X C (2), U I O (3);
/// arrows Left/Right also turn encoder 0 and Enter pushes it. Digits 1–8 are buttons 0–7.
/// Holding Shift turns 5 detents at once, or makes a push a long press.
/// </summary>
/// <remarks>A terminal has no key-up events, so a push yields Press then Release (or Press, LongPress, Release).</remarks>
public sealed class KeyboardKnobMap
{
    private static ReadOnlySpan<char> Rows => "qweasdzxcuio";

    /// <summary>Detents per key press with Shift.</summary>
    public int FastDelta { get; init; } = 5;

    /// <summary>Maps one key into up to three events.</summary>
    /// <param name="key">The key.</param>
    /// <param name="timestampTicks">Timestamp to stamp on the events.</param>
    /// <param name="destination">At least 3 slots.</param>
    /// <returns>Number of events written (0 when the key is not mapped).</returns>
    public int Map(ConsoleKeyInfo key, long timestampTicks, Span<InputEvent> destination)
    {
        if (destination.Length < 3)
        {
            throw new ArgumentException("The destination needs 3 slots.", nameof(destination));
        }

        bool shift = (key.Modifiers & ConsoleModifiers.Shift) != 0;
        int detents = shift ? FastDelta : 1;
        switch (key.Key)
        {
            case ConsoleKey.LeftArrow:
                destination[0] = new InputEvent(InputSource.Encoder(0), InputAction.Rotate, -detents, timestampTicks);
                return 1;
            case ConsoleKey.RightArrow:
                destination[0] = new InputEvent(InputSource.Encoder(0), InputAction.Rotate, detents, timestampTicks);
                return 1;
            case ConsoleKey.Enter:
                return Push(InputSource.EncoderSwitch(0), shift, timestampTicks, destination);
        }

        char character = char.ToLowerInvariant(key.KeyChar);
        if (character is >= '1' and <= '8')
        {
            return Push(InputSource.Button(character - '1'), shift, timestampTicks, destination);
        }

        if (key.Key is >= ConsoleKey.D1 and <= ConsoleKey.D8)
        {
            return Push(InputSource.Button(key.Key - ConsoleKey.D1), shift, timestampTicks, destination);
        }

        int position = Rows.IndexOf(character);
        if (position < 0 && key.Key is >= ConsoleKey.A and <= ConsoleKey.Z)
        {
            position = Rows.IndexOf((char)('a' + (key.Key - ConsoleKey.A)));
        }

        if (position < 0)
        {
            return 0;
        }

        int encoder = position / 3;
        switch (position % 3)
        {
            case 0:
                destination[0] = new InputEvent(InputSource.Encoder(encoder), InputAction.Rotate, -detents, timestampTicks);
                return 1;
            case 1:
                destination[0] = new InputEvent(InputSource.Encoder(encoder), InputAction.Rotate, detents, timestampTicks);
                return 1;
            default:
                return Push(InputSource.EncoderSwitch(encoder), shift, timestampTicks, destination);
        }
    }

    private static int Push(InputSource source, bool longPress, long timestampTicks, Span<InputEvent> destination)
    {
        int count = 0;
        destination[count++] = new InputEvent(source, InputAction.Press, 0, timestampTicks);
        if (longPress)
        {
            destination[count++] = new InputEvent(source, InputAction.LongPress, 0, timestampTicks);
        }

        destination[count++] = new InputEvent(source, InputAction.Release, 0, timestampTicks);
        return count;
    }
}
