using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Monitor;

/// <summary>Filter types of a monitor correction EQ (the ones a Room EQ Wizard filter-settings export uses).</summary>
public enum MonitorEqType
{
    /// <summary>Peaking (bell): frequency, gain, Q.</summary>
    Peak,

    /// <summary>Low shelf: frequency, gain, Q (0.707 when REW gives none).</summary>
    LowShelf,

    /// <summary>High shelf: frequency, gain, Q.</summary>
    HighShelf,

    /// <summary>Second-order low-pass: frequency, Q (0.707 = Butterworth).</summary>
    LowPass,

    /// <summary>Second-order high-pass: frequency, Q.</summary>
    HighPass,

    /// <summary>First-order low-pass: frequency.</summary>
    LowPassFirstOrder,

    /// <summary>First-order high-pass: frequency.</summary>
    HighPassFirstOrder,

    /// <summary>First-order (6 dB/octave) low shelf: frequency (where the gain is half, in dB), gain.</summary>
    LowShelfFirstOrder,

    /// <summary>First-order (6 dB/octave) high shelf: frequency (half gain), gain.</summary>
    HighShelfFirstOrder,

    /// <summary>Notch (band reject): centre frequency, Q; the gain at the centre is zero.</summary>
    Notch,

    /// <summary>Second-order all-pass: centre frequency (90° … 180° of phase there), Q; magnitude 1 everywhere.</summary>
    AllPass,

    /// <summary>Second-order band-pass, 0 dB at the centre: centre frequency, Q.</summary>
    BandPass,
}

/// <summary>One correction filter.</summary>
/// <param name="Type">The type.</param>
/// <param name="FrequencyHz">Centre / corner frequency, Hz.</param>
/// <param name="GainDb">Gain, dB (peak and shelves; 0 for the passes).</param>
/// <param name="Q">Quality factor.</param>
public readonly record struct MonitorEqFilter(MonitorEqType Type, double FrequencyHz, double GainDb, double Q)
{
    /// <summary>The most sections a correction EQ may hold (REW's generic equaliser offers 20).</summary>
    public const int MaxFilters = 24;

    /// <summary>The biquad for <paramref name="sampleRateHz"/> (matched design; the corner clamped below Nyquist).</summary>
    public BiquadCoefficients Design(double sampleRateHz)
    {
        double f = Math.Clamp(FrequencyHz, 1, sampleRateHz * MatchedBiquadDesign.MaxFrequencyFraction);
        double q = Q > 0 ? Q : 0.7071;
        return Type switch
        {
            MonitorEqType.Peak => MatchedBiquadDesign.Bell(f, GainDb, q, sampleRateHz),
            MonitorEqType.LowShelf => MatchedBiquadDesign.LowShelf(f, GainDb, q, sampleRateHz),
            MonitorEqType.HighShelf => MatchedBiquadDesign.HighShelf(f, GainDb, q, sampleRateHz),
            MonitorEqType.LowPass => MatchedBiquadDesign.LowPass(f, q, sampleRateHz),
            MonitorEqType.HighPass => MatchedBiquadDesign.HighPass(f, q, sampleRateHz),
            MonitorEqType.LowPassFirstOrder => MatchedBiquadDesign.FirstOrderLowPass(f, sampleRateHz),
            MonitorEqType.LowShelfFirstOrder => FirstOrderShelf(f, GainDb, sampleRateHz, high: false),
            MonitorEqType.HighShelfFirstOrder => FirstOrderShelf(f, GainDb, sampleRateHz, high: true),
            MonitorEqType.Notch => Bilinear(f, q, sampleRateHz, MonitorEqType.Notch),
            MonitorEqType.AllPass => Bilinear(f, q, sampleRateHz, MonitorEqType.AllPass),
            MonitorEqType.BandPass => Bilinear(f, q, sampleRateHz, MonitorEqType.BandPass),
            _ => MatchedBiquadDesign.FirstOrderHighPass(f, sampleRateHz),
        };
    }

    /// <summary>
    /// The Q of a second-order shelf of <paramref name="gainDb"/> whose slope is <paramref name="slopeDbPerOctave"/>
    /// (the RBJ cookbook's shelf slope S = slope / 12 dB per octave: 1/Q = √((A + 1/A)(1/S − 1) + 2), A = 10^(gain/40)).
    /// </summary>
    /// <param name="gainDb">The shelf gain, dB.</param>
    /// <param name="slopeDbPerOctave">The slope, dB/octave (above 0, at most 12 so the shelf stays monotonic).</param>
    public static double ShelfQForSlope(double gainDb, double slopeDbPerOctave)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slopeDbPerOctave);
        double a = Math.Pow(10, gainDb / 40);
        double s = slopeDbPerOctave / 12;
        double inverseQSquared = ((a + (1 / a)) * ((1 / s) - 1)) + 2;
        return 1 / Math.Sqrt(Math.Max(inverseQSquared, 1e-12));
    }

    // RBJ cookbook notch, all-pass and band-pass (bilinear, pre-warped at f, so the centre lands exactly on f).
    // Notch: H(s) = (s² + 1)/(s² + s/Q + 1); all-pass: (s² − s/Q + 1)/(s² + s/Q + 1); band-pass: (s/Q)/(s² + s/Q + 1).
    private static BiquadCoefficients Bilinear(double frequencyHz, double q, double sampleRateHz, MonitorEqType type)
    {
        double w0 = 2 * Math.PI * frequencyHz / sampleRateHz;
        double cos = Math.Cos(w0);
        double alpha = Math.Sin(w0) / (2 * q);
        double a0 = 1 + alpha;
        (double b0, double b1, double b2) = type switch
        {
            MonitorEqType.Notch => (1.0, -2 * cos, 1.0),
            MonitorEqType.AllPass => (1 - alpha, -2 * cos, 1 + alpha),
            _ => (alpha, 0.0, -alpha),
        };
        return new BiquadCoefficients(b0 / a0, b1 / a0, b2 / a0, -2 * cos / a0, (1 - alpha) / a0);
    }

    // Bilinear (pre-warped at f) first-order shelf. Low: H(s) = (s + √G)/(s + 1/√G); high: H(s) = (√G·s + 1)/(s/√G + 1),
    // s normalised to the corner: the far gain is G, and at f the gain is √G (half the dB).
    private static BiquadCoefficients FirstOrderShelf(double frequencyHz, double gainDb, double sampleRateHz, bool high)
    {
        double k = Math.Tan(Math.PI * frequencyHz / sampleRateHz);
        double root = Math.Pow(10, gainDb / 40);
        double n0, n1, d0, d1;
        if (high)
        {
            n0 = root + k;
            n1 = k - root;
            d0 = (1 / root) + k;
            d1 = k - (1 / root);
        }
        else
        {
            n0 = 1 + (root * k);
            n1 = (root * k) - 1;
            d0 = 1 + (k / root);
            d1 = (k / root) - 1;
        }

        return new BiquadCoefficients(n0 / d0, n1 / d0, 0, d1 / d0, 0);
    }
}
