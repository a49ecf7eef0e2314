namespace HardwareMaster.Dsp.Processors;

/// <summary>Error-feedback noise-shaping curves for <see cref="TpdfDither"/>.</summary>
public enum NoiseShaping
{
    /// <summary>Flat (white) TPDF dither.</summary>
    None,

    /// <summary>First-order error feedback, NTF = 1 − z⁻¹ (+6 dB/octave; noise moved away from low frequencies).</summary>
    FirstOrder,

    /// <summary>
    /// Five-tap "minimally audible" E-weighted curve of Lipshitz, Vanderkooy and Wannamaker (AES 1991),
    /// coefficients 2.033, −2.165, 1.959, −1.590, 0.6149; designed for 44.1 kHz (usable at 48 kHz).
    /// </summary>
    Lipshitz5,
}

/// <summary>Dither settings. Immutable; publish a new instance to change.</summary>
public sealed record DitherSettings
{
    /// <summary>Target word length: 0 (off: float output), 16 or 24 bits. Use 0 whenever the output file is float.</summary>
    public int Bits { get; init; }

    /// <summary>Noise-shaping curve.</summary>
    public NoiseShaping NoiseShaping { get; init; } = NoiseShaping.None;

    /// <summary>Random seed (any value, 0 included). Same seed, same output.</summary>
    public uint Seed { get; init; } = 0x9E3779B9;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (Bits is not (0 or 16 or 24))
        {
            throw new ArgumentOutOfRangeException(nameof(Bits), Bits, "Dither bits must be 0 (off), 16 or 24.");
        }

        if (!Enum.IsDefined(NoiseShaping))
        {
            throw new ArgumentOutOfRangeException(nameof(NoiseShaping), NoiseShaping, "Unknown noise-shaping curve.");
        }
    }
}
