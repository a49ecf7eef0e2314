namespace HardwareMaster.Dsp.Processors;

/// <summary>Settings of the DC blocker / high-pass stage. A value (no allocation per knob detent); <c>new()</c> gives the defaults.</summary>
public readonly record struct HighPassSettings
{
    /// <summary>Lowest corner, Hz.</summary>
    public const double MinFrequencyHz = 2;

    /// <summary>Highest corner, Hz.</summary>
    public const double MaxFrequencyHz = 300;

    /// <summary>The defaults: 20 Hz, 12 dB/octave, enabled.</summary>
    public HighPassSettings()
    {
    }

    /// <summary>False passes the signal unfiltered.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>−3 dB corner, Hz (2–300). 5 Hz at 6 dB/octave is a plain DC blocker.</summary>
    public double FrequencyHz { get; init; } = 20;

    /// <summary>Slope in dB/octave: 6, 12, 18, 24, 36 or 48 (Butterworth).</summary>
    public int SlopeDbPerOctave { get; init; } = 12;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (!(FrequencyHz >= MinFrequencyHz && FrequencyHz <= MaxFrequencyHz))
        {
            throw new ArgumentOutOfRangeException(nameof(FrequencyHz), FrequencyHz, $"High-pass frequency must be {MinFrequencyHz}..{MaxFrequencyHz} Hz.");
        }

        if (!Filters.ButterworthDesign.IsSupportedSlope(SlopeDbPerOctave))
        {
            throw new ArgumentOutOfRangeException(nameof(SlopeDbPerOctave), SlopeDbPerOctave, "High-pass slope must be 6, 12, 18, 24, 36 or 48 dB/octave.");
        }
    }
}
