namespace HardwareMaster.Dsp.Processors;

/// <summary>How the compressor's detector measures level.</summary>
public enum DetectorMode
{
    /// <summary>Instantaneous absolute value (the attack/release smoothing does the rest).</summary>
    Peak,

    /// <summary>Mean square over a 10 ms one-pole window.</summary>
    Rms,
}

/// <summary>Glue compressor settings. Immutable; publish a new instance to change. Defaults from the craft: 2:1, 30 ms, 100 ms.</summary>
public sealed record CompressorSettings
{
    /// <summary>Lowest threshold, dBFS.</summary>
    public const double MinThresholdDb = -60;

    /// <summary>Highest ratio (n:1).</summary>
    public const double MaxRatio = 10;

    /// <summary>Widest knee, dB.</summary>
    public const double MaxKneeDb = 24;

    /// <summary>Attack range, ms.</summary>
    public const double MinAttackMs = 0.1, MaxAttackMs = 100;

    /// <summary>Release range, ms.</summary>
    public const double MinReleaseMs = 10, MaxReleaseMs = 2000;

    /// <summary>Highest side-chain high-pass corner, Hz (0 = off).</summary>
    public const double MaxSidechainHighPassHz = 500;

    /// <summary>Largest makeup gain, dB.</summary>
    public const double MaxMakeupDb = 24;

    /// <summary>Threshold, dBFS (−60..0).</summary>
    public double ThresholdDb { get; init; } = -18;

    /// <summary>Ratio n:1 (1–10).</summary>
    public double Ratio { get; init; } = 2;

    /// <summary>Soft-knee width, dB (0 = hard knee, up to 24).</summary>
    public double KneeDb { get; init; } = 6;

    /// <summary>Attack time constant, ms (0.1–100).</summary>
    public double AttackMs { get; init; } = 30;

    /// <summary>Release time constant, ms (10–2000). With <see cref="AutoRelease"/> this is the release after sustained reduction.</summary>
    public double ReleaseMs { get; init; } = 100;

    /// <summary>Program-dependent release: fast (¼ of <see cref="ReleaseMs"/>) after transients, <see cref="ReleaseMs"/>·2 after sustained reduction.</summary>
    public bool AutoRelease { get; init; }

    /// <summary>Peak or RMS detection.</summary>
    public DetectorMode Detector { get; init; } = DetectorMode.Rms;

    /// <summary>Stereo link, % (0 = independent channels, 100 = both channels follow the louder).</summary>
    public double StereoLinkPercent { get; init; } = 100;

    /// <summary>Side-chain high-pass corner, Hz (0 = off, else 20–500; 12 dB/octave) so bass does not pump the mix.</summary>
    public double SidechainHighPassHz { get; init; }

    /// <summary>Makeup gain, dB (0–24).</summary>
    public double MakeupDb { get; init; }

    /// <summary>Dry/wet mix, % (100 = fully compressed; lower values give parallel compression).</summary>
    public double MixPercent { get; init; } = 100;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        Check(ThresholdDb, MinThresholdDb, 0, nameof(ThresholdDb), "dB");
        Check(Ratio, 1, MaxRatio, nameof(Ratio), ":1");
        Check(KneeDb, 0, MaxKneeDb, nameof(KneeDb), "dB");
        Check(AttackMs, MinAttackMs, MaxAttackMs, nameof(AttackMs), "ms");
        Check(ReleaseMs, MinReleaseMs, MaxReleaseMs, nameof(ReleaseMs), "ms");
        Check(StereoLinkPercent, 0, 100, nameof(StereoLinkPercent), "%");
        if (SidechainHighPassHz != 0)
        {
            Check(SidechainHighPassHz, 20, MaxSidechainHighPassHz, nameof(SidechainHighPassHz), "Hz (or 0 = off)");
        }

        Check(MakeupDb, 0, MaxMakeupDb, nameof(MakeupDb), "dB");
        Check(MixPercent, 0, 100, nameof(MixPercent), "%");
        if (!Enum.IsDefined(Detector))
        {
            throw new ArgumentOutOfRangeException(nameof(Detector), Detector, "Unknown detector mode.");
        }
    }

    private static void Check(double value, double min, double max, string name, string unit)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Compressor {name} must be {min}..{max} {unit}.");
        }
    }
}
