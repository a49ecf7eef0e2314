namespace HardwareMaster.Dsp.Filters;

/// <summary>
/// One second-order section, normalised by a0:
/// H(z) = (B0 + B1·z⁻¹ + B2·z⁻²) / (1 + A1·z⁻¹ + A2·z⁻²).
/// A first-order section has <see cref="B2"/> = <see cref="A2"/> = 0.
/// </summary>
/// <param name="B0">Feed-forward coefficient for x[n].</param>
/// <param name="B1">Feed-forward coefficient for x[n−1].</param>
/// <param name="B2">Feed-forward coefficient for x[n−2].</param>
/// <param name="A1">Feedback coefficient for y[n−1] (sign as in the denominator above).</param>
/// <param name="A2">Feedback coefficient for y[n−2].</param>
public readonly record struct BiquadCoefficients(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>The pass-through section (H = 1).</summary>
    public static BiquadCoefficients Identity => new(1, 0, 0, 0, 0);

    /// <summary>Magnitude of the digital response at <paramref name="frequencyHz"/>, in dB.</summary>
    public double MagnitudeDb(double frequencyHz, double sampleRateHz)
    {
        double w = 2 * Math.PI * frequencyHz / sampleRateHz;
        double c1 = Math.Cos(w), s1 = Math.Sin(w), c2 = Math.Cos(2 * w), s2 = Math.Sin(2 * w);
        double nr = B0 + B1 * c1 + B2 * c2, ni = -(B1 * s1 + B2 * s2);
        double dr = 1 + A1 * c1 + A2 * c2, di = -(A1 * s1 + A2 * s2);
        return 10 * Math.Log10((nr * nr + ni * ni) / (dr * dr + di * di));
    }

    /// <summary>True when both poles lie strictly inside the unit circle (the Jury conditions for a second-order denominator).</summary>
    public bool IsStable => Math.Abs(A2) < 1 && Math.Abs(A1) < 1 + A2;

    /// <summary>The reciprocal section 1/H(z); valid (stable) when the numerator is minimum phase.</summary>
    public BiquadCoefficients Inverse() => new(1 / B0, A1 / B0, A2 / B0, B1 / B0, B2 / B0);
}
