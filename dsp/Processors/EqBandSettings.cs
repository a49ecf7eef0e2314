namespace HardwareMaster.Dsp.Processors;

/// <summary>The shape of one EQ band.</summary>
public enum EqBandType
{
    /// <summary>Butterworth high-pass; uses <see cref="EqBandSettings.SlopeDbPerOctave"/> (and Q at 12 dB/octave).</summary>
    HighPass,

    /// <summary>Second-order low shelf; uses gain and Q.</summary>
    LowShelf,

    /// <summary>Peaking bell; uses gain and Q.</summary>
    Bell,

    /// <summary>Second-order high shelf; uses gain and Q.</summary>
    HighShelf,

    /// <summary>Butterworth low-pass; uses <see cref="EqBandSettings.SlopeDbPerOctave"/> (and Q at 12 dB/octave).</summary>
    LowPass,
}

/// <summary>Settings of one parametric EQ band. An immutable value (no allocation per knob detent); <c>new()</c> gives a flat 1 kHz bell.</summary>
public readonly record struct EqBandSettings
{
    /// <summary>Lowest band frequency, Hz.</summary>
    public const double MinFrequencyHz = 10;

    /// <summary>Highest band frequency, Hz (also limited to 0.49·fs when designed).</summary>
    public const double MaxFrequencyHz = 24000;

    /// <summary>Largest boost or cut, dB.</summary>
    public const double MaxAbsGainDb = 24;

    /// <summary>Lowest Q.</summary>
    public const double MinQ = 0.1;

    /// <summary>Highest Q.</summary>
    public const double MaxQ = 18;

    /// <summary>The defaults: an enabled 1 kHz bell at 0 dB, Q 0.7071, 12 dB/octave slope.</summary>
    public EqBandSettings()
    {
    }

    /// <summary>Band shape.</summary>
    public EqBandType Type { get; init; } = EqBandType.Bell;

    /// <summary>Centre (bell), corner (shelf: half-gain point) or −3 dB (HP/LP) frequency, Hz.</summary>
    public double FrequencyHz { get; init; } = 1000;

    /// <summary>Gain of bells and shelves, dB (±24). Ignored by HP/LP.</summary>
    public double GainDb { get; init; }

    /// <summary>Q of bells and shelves (0.7071 gives a shelf with no overshoot); resonance of a 12 dB/octave HP/LP.</summary>
    public double Q { get; init; } = 0.7071;

    /// <summary>HP/LP slope, dB/octave: 6, 12, 18, 24, 36 or 48.</summary>
    public int SlopeDbPerOctave { get; init; } = 12;

    /// <summary>False removes the band from the signal path.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Type))
        {
            throw new ArgumentOutOfRangeException(nameof(Type), Type, "Unknown EQ band type.");
        }

        if (!(FrequencyHz >= MinFrequencyHz && FrequencyHz <= MaxFrequencyHz))
        {
            throw new ArgumentOutOfRangeException(nameof(FrequencyHz), FrequencyHz, $"EQ frequency must be {MinFrequencyHz}..{MaxFrequencyHz} Hz.");
        }

        if (!(Math.Abs(GainDb) <= MaxAbsGainDb))
        {
            throw new ArgumentOutOfRangeException(nameof(GainDb), GainDb, $"EQ gain must be ±{MaxAbsGainDb} dB.");
        }

        if (!(Q >= MinQ && Q <= MaxQ))
        {
            throw new ArgumentOutOfRangeException(nameof(Q), Q, $"EQ Q must be {MinQ}..{MaxQ}.");
        }

        if (!Filters.ButterworthDesign.IsSupportedSlope(SlopeDbPerOctave))
        {
            throw new ArgumentOutOfRangeException(nameof(SlopeDbPerOctave), SlopeDbPerOctave, "EQ slope must be 6, 12, 18, 24, 36 or 48 dB/octave.");
        }
    }
}
