namespace HardwareMaster.Dsp.Processors;

/// <summary>Stereo width settings. A value (no allocation per knob detent); <c>new()</c> gives the defaults.</summary>
public readonly record struct WidthSettings
{
    /// <summary>Narrowest setting, % (mono).</summary>
    public const double MinWidthPercent = 0;

    /// <summary>Widest setting, %.</summary>
    public const double MaxWidthPercent = 200;

    /// <summary>Lowest mono-below corner when it is on, Hz (0 = off is also accepted).</summary>
    public const double MinMonoBelowHz = 20;

    /// <summary>Highest mono-below corner, Hz.</summary>
    public const double MaxMonoBelowHz = 500;

    /// <summary>The defaults: 100 % (unchanged), mono-below off.</summary>
    public WidthSettings()
    {
    }

    /// <summary>Side level relative to mid, % (0 = mono, 100 = unchanged, 200 = side doubled).</summary>
    public double WidthPercent { get; init; } = 100;

    /// <summary>Below this frequency the side signal is removed (12 dB/octave high-pass on S), Hz; 0 = off, else 20–500.</summary>
    public double MonoBelowHz { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (!(WidthPercent >= MinWidthPercent && WidthPercent <= MaxWidthPercent))
        {
            throw new ArgumentOutOfRangeException(nameof(WidthPercent), WidthPercent, $"Width must be {MinWidthPercent}..{MaxWidthPercent} %.");
        }

        if (MonoBelowHz != 0 && !(MonoBelowHz >= MinMonoBelowHz && MonoBelowHz <= MaxMonoBelowHz))
        {
            throw new ArgumentOutOfRangeException(nameof(MonoBelowHz), MonoBelowHz, $"Mono-below frequency must be 0 (off) or {MinMonoBelowHz}..{MaxMonoBelowHz} Hz.");
        }
    }
}
