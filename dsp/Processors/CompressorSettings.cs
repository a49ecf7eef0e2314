namespace HardwareMaster.Dsp.Processors;

/// <summary>How the compressor's detector measures level.</summary>
public enum DetectorMode
{
    /// <summary>Instantaneous absolute value (the attack/release smoothing does the rest).</summary>
    Peak,

    /// <summary>Mean square over a 10 ms one-pole window.</summary>
    Rms,
}

/// <summary>Glue compressor settings. An immutable value (no allocation per knob detent); <c>new()</c> gives the defaults from the craft: 2:1, 30 ms, 100 ms.</summary>
public readonly record struct CompressorSettings
{
    /// <summary>The defaults: −18 dB threshold, 2:1, 6 dB knee, 30 ms attack, 100 ms release (auto off), RMS, fully linked, side-chain high-pass off, no makeup, 100 % wet.</summary>
    public CompressorSettings()
    {
    }

    /// <summary>Lowest threshold, dBFS.</summary>
    public const double MinThresholdDb = -60;

    /// <summary>Highest threshold, dBFS.</summary>
    public const double MaxThresholdDb = 0;

    /// <summary>Lowest ratio (n:1; 1 = no compression).</summary>
    public const double MinRatio = 1;

    /// <summary>Highest ratio (n:1).</summary>
    public const double MaxRatio = 10;

    /// <summary>Narrowest knee, dB (0 = hard knee).</summary>
    public const double MinKneeDb = 0;

    /// <summary>Widest knee, dB.</summary>
    public const double MaxKneeDb = 24;

    /// <summary>Attack range, ms.</summary>
    public const double MinAttackMs = 0.1, MaxAttackMs = 100;

    /// <summary>Release range, ms.</summary>
    public const double MinReleaseMs = 10, MaxReleaseMs = 2000;

    /// <summary>Stereo link range, %.</summary>
    public const double MinStereoLinkPercent = 0, MaxStereoLinkPercent = 100;

    /// <summary>Lowest side-chain high-pass corner when it is on, Hz (0 = off is also accepted).</summary>
    public const double MinSidechainHighPassHz = 20;

    /// <summary>Highest side-chain high-pass corner, Hz (0 = off).</summary>
    public const double MaxSidechainHighPassHz = 500;

    /// <summary>Makeup gain range, dB.</summary>
    public const double MinMakeupDb = 0, MaxMakeupDb = 24;

    /// <summary>Dry/wet mix range, %.</summary>
    public const double MinMixPercent = 0, MaxMixPercent = 100;

    /// <summary>Threshold, dB (−60..0): dBFS for a programme at <see cref="GlueCompressor.ReferenceLoudnessLufs"/> (or of unknown loudness); with a measured <see cref="GlueCompressor.ProgrammeLoudnessLufs"/> it moves with the programme, so the reduction does not depend on the input level.</summary>
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
        Check(ThresholdDb, MinThresholdDb, MaxThresholdDb, nameof(ThresholdDb), "dB");
        Check(Ratio, MinRatio, MaxRatio, nameof(Ratio), ":1");
        Check(KneeDb, MinKneeDb, MaxKneeDb, nameof(KneeDb), "dB");
        Check(AttackMs, MinAttackMs, MaxAttackMs, nameof(AttackMs), "ms");
        Check(ReleaseMs, MinReleaseMs, MaxReleaseMs, nameof(ReleaseMs), "ms");
        Check(StereoLinkPercent, MinStereoLinkPercent, MaxStereoLinkPercent, nameof(StereoLinkPercent), "%");
        if (SidechainHighPassHz != 0)
        {
            Check(SidechainHighPassHz, MinSidechainHighPassHz, MaxSidechainHighPassHz, nameof(SidechainHighPassHz), "Hz (or 0 = off)");
        }

        Check(MakeupDb, MinMakeupDb, MaxMakeupDb, nameof(MakeupDb), "dB");
        Check(MixPercent, MinMixPercent, MaxMixPercent, nameof(MixPercent), "%");
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
