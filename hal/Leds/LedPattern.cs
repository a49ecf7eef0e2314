namespace HardwareMaster.Hal.Leds;

/// <summary>
/// A repeating LED pattern: <see cref="FlashCount"/> flashes of <see cref="OnMs"/> on and
/// <see cref="OffMs"/> off, then <see cref="PauseMs"/> dark, over and over.
/// <c>FlashCount = 0</c> means a plain blink without the pause.
/// </summary>
/// <param name="OnMs">Lit time of one flash; 0 = always off.</param>
/// <param name="OffMs">Dark time after each flash; 0 = always on.</param>
/// <param name="FlashCount">Flashes per group (0 = endless blink).</param>
/// <param name="PauseMs">Extra dark time after each group.</param>
public readonly record struct LedPattern(int OnMs, int OffMs, int FlashCount = 0, int PauseMs = 0)
{
    /// <summary>Always off.</summary>
    public static LedPattern Off => new(0, 1);

    /// <summary>Always on.</summary>
    public static LedPattern On => new(1, 0);

    /// <summary>1 Hz, 50 % duty (e.g. "armed").</summary>
    public static LedPattern BlinkSlow => new(500, 500);

    /// <summary>5 Hz (e.g. "attention").</summary>
    public static LedPattern BlinkFast => new(100, 100);

    /// <summary>A short heartbeat flash once a second.</summary>
    public static LedPattern Heartbeat => new(50, 950);

    /// <summary>Whether the LED is lit <paramref name="elapsedMs"/> after the pattern started.</summary>
    /// <param name="elapsedMs">Milliseconds since the pattern was set (negative counts as 0).</param>
    /// <returns><c>true</c> when lit.</returns>
    public bool IsLitAt(long elapsedMs)
    {
        if (OnMs <= 0)
        {
            return false;
        }

        if (OffMs <= 0 && (FlashCount <= 0 || PauseMs <= 0))
        {
            return true;
        }

        long flashPeriod = (long)OnMs + Math.Max(0, OffMs);
        long period = FlashCount > 0 ? (flashPeriod * FlashCount) + Math.Max(0, PauseMs) : flashPeriod;
        long phase = Math.Max(0, elapsedMs) % period;
        if (FlashCount > 0 && phase >= flashPeriod * FlashCount)
        {
            return false;
        }

        return phase % flashPeriod < OnMs;
    }
}
