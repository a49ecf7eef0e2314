using System.Numerics.Tensors;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// An 8× true-peak detector for the limiter, built from the project's <see cref="TruePeakDetector"/> (4× below
/// 96 kHz, 2× above): extra detectors are fed copies of the signal delayed by fractions of a sample (1/8 at 4×;
/// 1/8, 2/8, 3/8 at 2×), which fills in the points between the detector's own grid. Audio thread; one per channel.
/// </summary>
/// <remarks>
/// Why: a 4× grid can under-read a near-Nyquist peak by up to 1 − cos(π·f/(4·fs)) (0.55 dB at 0.45·fs), a 2×
/// grid at 96 kHz by far more; an 8× grid leaves at most 0.14 dB at 0.45·fs, which the limiter's safety margin
/// covers, so the output holds the ceiling against an independent 8× measurement too.
/// The fractional delays are 32-tap Kaiser-windowed sincs (β = 6) centred at 15 + j/8 samples; the direct path is
/// delayed by 15 samples to line up. Output for input n covers points between n − <see cref="LatencyFrames"/> and
/// n − <see cref="LatencyFrames"/> + 1.
/// </remarks>
internal sealed class OversampledPeakDetector
{
    private const int Taps = 32;
    private const int IntegerDelay = (Taps / 2) - 1;

    private readonly TruePeakDetector _direct;
    private readonly TruePeakDetector[] _fractional;
    private readonly float[][] _kernels;
    private readonly float[] _history = new float[2 * Taps];
    private int _position;

    public OversampledPeakDetector(int sampleRateHz)
    {
        _direct = new TruePeakDetector(sampleRateHz);
        int extra = (8 / _direct.OversamplingFactor) - 1;
        _fractional = new TruePeakDetector[extra];
        _kernels = new float[extra][];
        for (int j = 0; j < extra; j++)
        {
            _fractional[j] = new TruePeakDetector(sampleRateHz);
            _kernels[j] = DesignFractionalDelay(IntegerDelay + ((j + 1) / 8.0));
        }
    }

    public int LatencyFrames => _direct.LatencyFrames + IntegerDelay;

    public void Reset()
    {
        _direct.Reset();
        foreach (var d in _fractional)
        {
            d.Reset();
        }

        Array.Clear(_history);
        _position = 0;
    }

    /// <summary>Feeds one sample; returns the largest |interpolated| value among the 8 points it completes.</summary>
    public float ProcessSample(float x)
    {
        // Doubled ring: the last `Taps` samples are always contiguous at _history[_position.._position+Taps).
        _history[_position] = x;
        _history[_position + Taps] = x;
        _position = (_position + 1) & (Taps - 1);
        var window = new ReadOnlySpan<float>(_history, _position, Taps); // oldest first

        float peak = _direct.ProcessSample(window[Taps - 1 - IntegerDelay]);
        for (int j = 0; j < _fractional.Length; j++)
        {
            float delayed = TensorPrimitives.Dot(window, _kernels[j]);
            peak = Math.Max(peak, _fractional[j].ProcessSample(delayed));
        }

        return peak;
    }

    private static float[] DesignFractionalDelay(double delay)
    {
        // Taps ordered oldest first: tap i multiplies x[n − (Taps − 1 − i)].
        const double Beta = 6;
        var kernel = new float[Taps];
        double sum = 0;
        var raw = new double[Taps];
        for (int i = 0; i < Taps; i++)
        {
            double age = Taps - 1 - i;
            double t = age - delay;
            double sinc = Math.Abs(t) < 1e-12 ? 1 : Math.Sin(Math.PI * t) / (Math.PI * t);
            double r = (age - ((Taps - 1) / 2.0)) / (Taps / 2.0);
            double window = BesselI0(Beta * Math.Sqrt(Math.Max(0, 1 - (r * r)))) / BesselI0(Beta);
            raw[i] = sinc * window;
            sum += raw[i];
        }

        for (int i = 0; i < Taps; i++)
        {
            kernel[i] = (float)(raw[i] / sum); // unity DC gain
        }

        return kernel;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (int k = 1; k < 40; k++)
        {
            term *= x * x / (4.0 * k * k);
            sum += term;
        }

        return sum;
    }
}
