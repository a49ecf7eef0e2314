namespace HardwareMaster.Dsp.Filters;

/// <summary>
/// Designs digital sections whose magnitude matches an analogue prototype, including close to Nyquist,
/// without the high-frequency cramping of the bilinear transform.
/// </summary>
/// <remarks>
/// Method: Martin Vicanek, "Matched Second Order Digital Filters" (2016) and "Matched One-Pole Digital
/// Shelving Filters" (2019). Poles are placed by impulse invariance (z = e^{sT}); the numerator is then
/// chosen so that the squared magnitude equals the analogue one at DC, at Nyquist and at one more
/// frequency (the band's centre/corner). The squared magnitude of a second-order polynomial is written as
/// B0·φ0 + B1·φ1 + B2·φ2 with φ1 = sin²(ω/2), φ0 = 1 − φ1, φ2 = 4·φ0·φ1, which makes the match linear.
/// The analogue prototypes are those of R. Bristow-Johnson's "Audio EQ Cookbook" (public domain).
/// Shelves are always designed in the orientation whose poles are the lower-frequency pair and inverted
/// when needed (a shelf of gain −G is exactly the reciprocal of the shelf of gain +G), so no pole is ever
/// placed above Nyquist. All design runs in double on the control thread.
/// </remarks>
public static class MatchedBiquadDesign
{
    /// <summary>Highest corner frequency accepted, as a fraction of the sample rate.</summary>
    public const double MaxFrequencyFraction = 0.49;

    /// <summary>Peaking (bell) section: <paramref name="gainDb"/> at <paramref name="frequencyHz"/>, bandwidth set by <paramref name="q"/>.</summary>
    public static BiquadCoefficients Bell(double frequencyHz, double gainDb, double q, double sampleRateHz)
    {
        double w0 = Omega(frequencyHz, sampleRateHz);
        double a = Math.Pow(10, Math.Abs(gainDb) / 40);
        // Boost: H(s) = (s² + s·A/Q + 1)/(s² + s/(A·Q) + 1), s normalised to w0. A cut of −G is its exact
        // reciprocal; designing the boost (narrow, high-Q poles, where impulse invariance is most accurate)
        // and inverting keeps cuts as accurate as boosts. The third match point is the centre, so the gain
        // at the centre frequency is exact.
        var boost = Match(1, w0 * a / q, w0 * w0, w0 / (a * q), w0 * w0, w0, keepCentre: true);
        return gainDb >= 0 ? boost : boost.Inverse();
    }

    /// <summary>Second-order low shelf: <paramref name="gainDb"/> below <paramref name="frequencyHz"/>, half the gain (in dB) at the corner.</summary>
    public static BiquadCoefficients LowShelf(double frequencyHz, double gainDb, double q, double sampleRateHz)
    {
        double w0 = Omega(frequencyHz, sampleRateHz);
        double a = Math.Pow(10, Math.Abs(gainDb) / 40);
        // Boost: H(s) = A·(s² + s·√A/Q + A)/(A·s² + s·√A/Q + 1); poles at w0/√A (the lower pair).
        var h = MatchShelf(lowShelf: true, w0, a, q, sampleRateHz);
        return gainDb >= 0 ? h : h.Inverse();
    }

    /// <summary>Second-order high shelf: <paramref name="gainDb"/> above <paramref name="frequencyHz"/>, half the gain (in dB) at the corner.</summary>
    public static BiquadCoefficients HighShelf(double frequencyHz, double gainDb, double q, double sampleRateHz)
    {
        double w0 = Omega(frequencyHz, sampleRateHz);
        double a = Math.Pow(10, Math.Abs(gainDb) / 40);
        var h = MatchShelf(lowShelf: false, w0, a, q, sampleRateHz);
        return gainDb >= 0 ? h.Inverse() : h;
    }

    /// <summary>Second-order low-pass with resonance <paramref name="q"/> (0.7071 = Butterworth).</summary>
    public static BiquadCoefficients LowPass(double frequencyHz, double q, double sampleRateHz)
    {
        double w0 = Omega(frequencyHz, sampleRateHz);
        return Match(0, 0, w0 * w0, w0 / q, w0 * w0, w0);
    }

    /// <summary>Second-order high-pass with resonance <paramref name="q"/> (0.7071 = Butterworth).</summary>
    public static BiquadCoefficients HighPass(double frequencyHz, double q, double sampleRateHz)
    {
        double w0 = Omega(frequencyHz, sampleRateHz);
        return Match(1, 0, 0, w0 / q, w0 * w0, w0);
    }

    /// <summary>First-order low-pass (6 dB/octave), as a section with B2 = A2 = 0.</summary>
    public static BiquadCoefficients FirstOrderLowPass(double frequencyHz, double sampleRateHz)
    {
        double w0 = Omega(frequencyHz, sampleRateHz);
        // H(s) = w0/(s + w0): |H|² = w0²/(w² + w0²).
        return MatchFirstOrder(w0, 1, Math.Sqrt(w0 * w0 / (Math.PI * Math.PI + w0 * w0)));
    }

    /// <summary>First-order high-pass (6 dB/octave), as a section with B2 = A2 = 0.</summary>
    public static BiquadCoefficients FirstOrderHighPass(double frequencyHz, double sampleRateHz)
    {
        double w0 = Omega(frequencyHz, sampleRateHz);
        // H(s) = s/(s + w0): |H|² = w²/(w² + w0²).
        return MatchFirstOrder(w0, 0, Math.Sqrt(Math.PI * Math.PI / (Math.PI * Math.PI + w0 * w0)));
    }

    private static double Omega(double frequencyHz, double sampleRateHz)
    {
        double f = Math.Clamp(frequencyHz, 1e-3, MaxFrequencyFraction * sampleRateHz);
        return 2 * Math.PI * f / sampleRateHz;
    }

    private static BiquadCoefficients MatchFirstOrder(double w0, double dcMagnitude, double nyquistMagnitude)
    {
        double p = Math.Exp(-w0);               // impulse-invariant pole
        double sum = dcMagnitude * (1 - p);      // b0 + b1 = |H(0)|·|1 − p|
        double diff = nyquistMagnitude * (1 + p); // b0 − b1 = |H(π)|·|1 + p|
        return new BiquadCoefficients((sum + diff) / 2, (sum - diff) / 2, 0, -p, 0);
    }

    private static BiquadCoefficients MatchShelf(bool lowShelf, double w0, double a, double q, double sampleRateHz)
    {
        // The orientation with the lower pole pair: low-shelf boost, high-shelf cut (both with a = 10^(|G|/40) ≥ 1).
        double sa = Math.Sqrt(a);
        if (lowShelf)
        {
            // RBJ boost A·(s² + s√A/Q + A)/(A·s² + s√A/Q + 1), s → s/w0, made monic:
            // (s² + s·√A·w0/Q + A·w0²)/(s² + s·w0/(√A·Q) + w0²/A).
            return Match(1, w0 * sa / q, a * w0 * w0, w0 / (sa * q), w0 * w0 / a, w0);
        }

        // High-shelf cut = reciprocal of the RBJ boost A·(A·s² + s√A/Q + 1)/(s² + s√A/Q + A), s → s/w0, made monic:
        // (1/A²)·(s² + s·√A·w0/Q + A·w0²)/(s² + s·w0/(√A·Q) + w0²/A).
        double a2 = a * a;
        return Match(1 / a2, w0 * sa / (q * a2), a * w0 * w0 / a2, w0 / (sa * q), w0 * w0 / a, w0);
    }

    /// <summary>
    /// Matches H(s) = (n2·s² + n1·s + n0)/(s² + d1·s + d0), s in rad/sample. Starts from Vicanek's design
    /// (impulse-invariant poles, numerator matched at DC, Nyquist and the centre) and then refines the pole
    /// frequency, the pole damping and the third match frequency by a small coordinate search that minimises
    /// the largest deviation from the analogue magnitude on a log grid up to 0.95·Nyquist (levels below
    /// −60 dB are not compared). With <paramref name="keepCentre"/> the third match point stays at the centre,
    /// so the gain there is exact. About a thousand magnitude evaluations: control thread only.
    /// </summary>
    private static BiquadCoefficients Match(double n2, double n1, double n0, double d1, double d0, double centreOmega, bool keepCentre = false)
    {
        double wc = Math.Min(centreOmega, 0.95 * Math.PI);
        Span<double> p = [0, 0, 0]; // log scale of pole frequency, log scale of damping, log scale of match point

        // The error grid does not depend on the candidate: its analogue levels and the digital response's cosines and
        // sines are computed once here (the same expressions MaxErrorDb used to evaluate per candidate, so the result
        // is bit-identical and the search costs a fraction of what it did).
        Span<double> grid = stackalloc double[GridPoints * GridStride];
        FillGrid(grid, n2, n1, n0, d1, d0);
        var best = Candidate(n2, n1, n0, d1, d0, wc, p);
        double bestError = MaxErrorDb(best, grid);
        double step = 0.25;
        int dims = keepCentre ? 2 : 3;
        for (int iteration = 0; iteration < 60 && step > 0.002; iteration++)
        {
            bool improved = false;
            for (int d = 0; d < dims; d++)
            {
                for (int sign = -1; sign <= 1; sign += 2)
                {
                    p[d] += sign * step;
                    var candidate = Candidate(n2, n1, n0, d1, d0, wc, p);
                    double error = candidate.IsStable ? MaxErrorDb(candidate, grid) : double.MaxValue;
                    if (error < bestError - 1e-9)
                    {
                        best = candidate;
                        bestError = error;
                        improved = true;
                        break;
                    }

                    p[d] -= sign * step;
                }
            }

            if (!improved)
            {
                step /= 2;
            }
        }

        return best;
    }

    private static BiquadCoefficients Candidate(double n2, double n1, double n0, double d1, double d0, double wc, ReadOnlySpan<double> p)
    {
        double frequencyScale = Math.Exp(p[0]);
        double poleD0 = d0 * frequencyScale * frequencyScale;
        if (poleD0 > 0.95 * Math.PI * 0.95 * Math.PI)
        {
            poleD0 = 0.95 * Math.PI * 0.95 * Math.PI;
        }

        double poleD1 = d1 * frequencyScale * Math.Exp(p[1]);
        double wm = Math.Clamp(wc * Math.Exp(p[2]), 1e-4, 0.97 * Math.PI);
        var (a1, a2) = ImpulseInvariantPoles(poleD1, poleD0);
        return MatchAt(n2, n1, n0, d1, d0, a1, a2, wm);
    }

    private static (double A1, double A2) ImpulseInvariantPoles(double d1, double d0)
    {
        double half = d1 / 2;
        double disc = half * half - d0;
        double r = Math.Exp(-half);
        double a1 = disc < 0 ? -2 * r * Math.Cos(Math.Sqrt(-disc)) : -2 * r * Math.Cosh(Math.Sqrt(disc));
        return (a1, Math.Exp(-d1));
    }

    private static BiquadCoefficients MatchAt(double n2, double n1, double n0, double d1, double d0, double a1, double a2, double wm)
    {
        double bigA0 = (1 + a1 + a2) * (1 + a1 + a2);
        double bigA1 = (1 - a1 + a2) * (1 - a1 + a2);
        double bigA2 = -4 * a2;

        double g0 = AnalogMagnitudeSquared(n2, n1, n0, d1, d0, 0);
        double gPi = AnalogMagnitudeSquared(n2, n1, n0, d1, d0, Math.PI);
        double gm = AnalogMagnitudeSquared(n2, n1, n0, d1, d0, wm);

        double phi1 = Math.Sin(wm / 2) * Math.Sin(wm / 2);
        double phi0 = 1 - phi1;
        double phi2 = 4 * phi0 * phi1;

        double bigB0 = bigA0 * g0;
        double bigB1 = bigA1 * gPi;
        double bigB2 = (gm * (bigA0 * phi0 + bigA1 * phi1 + bigA2 * phi2) - bigB0 * phi0 - bigB1 * phi1) / phi2;

        double sqrtB0 = Math.Sqrt(bigB0);
        double sqrtB1 = Math.Sqrt(bigB1);
        double w = (sqrtB0 + sqrtB1) / 2;
        double b0 = (w + Math.Sqrt(Math.Max(0, w * w + bigB2))) / 2;
        double b1 = (sqrtB0 - sqrtB1) / 2;
        double b2 = b0 > 0 ? -bigB2 / (4 * b0) : 0;
        return new BiquadCoefficients(b0, b1, b2, a1, a2);
    }

    // 48 log-spaced points from 0.002 rad/sample (≈15 Hz at 48 kHz) to 0.95·π; per point: analogue level (dB, floored),
    // cos ω, sin ω, cos 2ω, sin 2ω of the digital response (ω as BiquadCoefficients.MagnitudeDb computes it at fs = 2π).
    private const int GridPoints = 48;
    private const int GridStride = 5;
    private const double FloorDb = -60;

    private static void FillGrid(Span<double> grid, double n2, double n1, double n0, double d1, double d0)
    {
        double lo = Math.Log(0.002), hi = Math.Log(0.95 * Math.PI);
        for (int i = 0; i < GridPoints; i++)
        {
            double w = Math.Exp(lo + (hi - lo) * i / 47);
            double digitalW = 2 * Math.PI * w / (2 * Math.PI);
            Span<double> point = grid.Slice(i * GridStride, GridStride);
            point[0] = Math.Max(FloorDb, 10 * Math.Log10(AnalogMagnitudeSquared(n2, n1, n0, d1, d0, w)));
            point[1] = Math.Cos(digitalW);
            point[2] = Math.Sin(digitalW);
            point[3] = Math.Cos(2 * digitalW);
            point[4] = Math.Sin(2 * digitalW);
        }
    }

    private static double MaxErrorDb(in BiquadCoefficients c, ReadOnlySpan<double> grid)
    {
        double max = 0;
        for (int i = 0; i < GridPoints; i++)
        {
            ReadOnlySpan<double> point = grid.Slice(i * GridStride, GridStride);
            double c1 = point[1], s1 = point[2], c2 = point[3], s2 = point[4];
            double nr = c.B0 + c.B1 * c1 + c.B2 * c2, ni = -(c.B1 * s1 + c.B2 * s2);
            double dr = 1 + c.A1 * c1 + c.A2 * c2, di = -(c.A1 * s1 + c.A2 * s2);
            double digital = Math.Max(FloorDb, 10 * Math.Log10((nr * nr + ni * ni) / (dr * dr + di * di)));
            max = Math.Max(max, Math.Abs(point[0] - digital));
        }

        return max;
    }

    private static double AnalogMagnitudeSquared(double n2, double n1, double n0, double d1, double d0, double w)
    {
        double w2 = w * w;
        double nr = n0 - n2 * w2, ni = n1 * w;
        double dr = d0 - w2, di = d1 * w;
        return (nr * nr + ni * ni) / (dr * dr + di * di);
    }
}
