using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Host;

/// <summary>
/// The OLED as the UI loop sees it: opens the display (through a factory, so a panel missing at boot is retried), shows
/// frames, and turns every failure into a count and a back-off — never an exception for the loop. After a failure the
/// next attempt waits 1 frame, then 2, 4 … up to <see cref="MaxBackoffFrames"/>; the first success resets it (the
/// driver then rewrites what it lost, so the screen repairs itself).
/// </summary>
/// <remarks>UI thread only; nothing allocates on the success path.</remarks>
public sealed class DisplayLink : IDisposable
{
    /// <summary>Longest back-off, frames (about 2.5 s at 25 fps).</summary>
    public const int MaxBackoffFrames = 64;

    private readonly Func<IMonoDisplay>? _open;
    private IMonoDisplay? _display;
    private int _backoff;
    private int _wait;

    /// <summary>Creates the link.</summary>
    /// <param name="open">Opens the display (throws when it is not there); null for a box without a display.</param>
    public DisplayLink(Func<IMonoDisplay>? open) => _open = open;

    /// <summary>Presents that failed (bus errors, a missing panel, an open that failed).</summary>
    public long Failures { get; private set; }

    /// <summary>Bytes sent to an OLED or character LCD over I²C (control bytes included), over every frame shown.</summary>
    public long Bytes { get; private set; }

    /// <summary>Frames the display showed.</summary>
    public long Presented { get; private set; }

    /// <summary>The last failure's message, or null.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>Whether the display is open.</summary>
    public bool IsOpen => _display is not null;

    /// <summary>Called once per failure with its exception (logging); it must not throw, and if it does it is ignored.</summary>
    public Action<Exception, long>? OnFailure { get; set; }

    /// <summary>Shows <paramref name="frame"/> unless backing off; never throws.</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>Whether the display took the frame.</returns>
    public bool Present(MonoFrameBuffer frame)
    {
        if (_open is null)
        {
            return false;
        }

        if (_wait > 0)
        {
            _wait--;
            return false;
        }

        try
        {
            _display ??= _open();
            _display.Present(frame);
            if (_display is OledDisplay oled)
            {
                Bytes += oled.LastPresentBytes;
            }
            else if (_display is CharacterLcdDisplay lcd)
            {
                Bytes += lcd.LastPresentBytes;
            }

            _backoff = 0;
            Presented++;
            return true;
        }
        catch (Exception ex)
        {
            Failures++;
            LastFailure = ex.Message;
            _backoff = _backoff == 0 ? 1 : Math.Min(MaxBackoffFrames, _backoff * 2);
            _wait = _backoff;
            try
            {
                OnFailure?.Invoke(ex, Failures);
            }
            catch (Exception)
            {
                // A failing logger must not stop the screen either.
            }

            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            _display?.Dispose();
        }
        catch (Exception)
        {
            // Switching a gone panel off cannot fail the shutdown.
        }

        _display = null;
    }
}
