namespace HardwareMaster.Dsp.Processors;

/// <summary>True-peak limiter settings. An immutable value (no allocation per knob detent); <c>new()</c> gives the defaults.</summary>
public readonly record struct LimiterSettings
{
    /// <summary>Lowest ceiling, dBTP.</summary>
    public const double MinCeilingDbtp = -10;

    /// <summary>Highest ceiling, dBTP.</summary>
    public const double MaxCeilingDbtp = 0;

    /// <summary>Look-ahead range, ms.</summary>
    public const double MinLookaheadMs = 0.5, MaxLookaheadMs = 5;

    /// <summary>Release range, ms.</summary>
    public const double MinReleaseMs = 1, MaxReleaseMs = 1000;

    /// <summary>The defaults: −1 dBTP ceiling, 1 ms look-ahead, 50 ms release, auto release on.</summary>
    public LimiterSettings()
    {
    }

    /// <summary>Output ceiling, dBTP (−10..0). The output's true peak never exceeds it.</summary>
    public double CeilingDbtp { get; init; } = -1.0;

    /// <summary>Look-ahead, ms (0.5–5). Sets the latency; takes effect at the next Prepare.</summary>
    public double LookaheadMs { get; init; } = 1.0;

    /// <summary>Release time constant, ms (1–1000), after the program-dependent hold (up to <see cref="TruePeakLimiter.PeriodHoldMs"/> while limiting keeps running). With <see cref="AutoRelease"/>, the release after sustained limiting.</summary>
    public double ReleaseMs { get; init; } = 50;

    /// <summary>Program-dependent release: ¼ of <see cref="ReleaseMs"/> after short hits (a run of limiting shorter than the hold), <see cref="ReleaseMs"/> once limiting is sustained, and never faster than a 2·ReleaseMs average of the required gain.</summary>
    public bool AutoRelease { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (!(CeilingDbtp >= MinCeilingDbtp && CeilingDbtp <= MaxCeilingDbtp))
        {
            throw new ArgumentOutOfRangeException(nameof(CeilingDbtp), CeilingDbtp, $"Limiter ceiling must be {MinCeilingDbtp}..{MaxCeilingDbtp} dBTP.");
        }

        if (!(LookaheadMs >= MinLookaheadMs && LookaheadMs <= MaxLookaheadMs))
        {
            throw new ArgumentOutOfRangeException(nameof(LookaheadMs), LookaheadMs, $"Limiter look-ahead must be {MinLookaheadMs}..{MaxLookaheadMs} ms.");
        }

        if (!(ReleaseMs >= MinReleaseMs && ReleaseMs <= MaxReleaseMs))
        {
            throw new ArgumentOutOfRangeException(nameof(ReleaseMs), ReleaseMs, $"Limiter release must be {MinReleaseMs}..{MaxReleaseMs} ms.");
        }
    }
}
