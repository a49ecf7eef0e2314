namespace HardwareMaster.Dsp.Chain;

/// <summary>Input trim settings. Immutable.</summary>
public sealed record TrimSettings
{
    /// <summary>Lowest trim, dB.</summary>
    public const double MinGainDb = -24;

    /// <summary>Highest trim, dB.</summary>
    public const double MaxGainDb = 24;

    /// <summary>Trim gain, dB (−24..+24), smoothed per sample (20 ms).</summary>
    public double GainDb { get; init; }
}
