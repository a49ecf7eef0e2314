using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Metering;

/// <summary>
/// How much of a programme's energy lies below the audible range: the mid signal (M = (l+r)/2) through an 8th-order
/// Butterworth low-pass at <see cref="CornerHz"/> (48 dB/octave: a 40 Hz tone is 48 dB down), its AC energy
/// (variance: a DC offset is reported by <see cref="SignalHealth"/>, not here) over the AC energy of the whole mid
/// signal. Rumble, wind, a turntable's arm resonance or an offset that drifts read high; music whose lowest note is a
/// 40 Hz bass reads −30 dB or lower; white noise reads its true share (20 Hz of 24 kHz, −31 dB).
/// </summary>
/// <remarks>
/// The low band is measured at about 1.5 kHz: the mid signal is averaged over <see cref="DecimationFactor"/> samples
/// (a boxcar: 20 Hz passes at −0.003 dB, and what folds onto the low band lies within 20 Hz of a null, ≥ 37 dB down)
/// and the low-pass runs on those averages, so the meter costs about one add per sample. The filter starts in the
/// steady state of the mean of the first <see cref="LeadIn"/> averages (≈ 43 ms), so an offset present from the
/// start adds no step response and a noisy first sample no transient. Threading: not thread-safe.
/// <see cref="Process"/> is allocation-free; state is in double precision.
/// </remarks>
public sealed class SubsonicMeter
{
    /// <summary>Upper edge of the subsonic band, Hz.</summary>
    public const double CornerHz = 20;

    /// <summary>Averages kept before the filter starts (their mean sets its initial state).</summary>
    public const int LeadIn = 64;

    private readonly BiquadCoefficients[] _sections;
    private readonly double[] _state;
    private readonly double[] _leadIn = new double[LeadIn];
    private readonly int _factor;
    private double _sumY, _sumYy, _sumX, _sumXx;
    private double _pending;
    private int _pendingCount;
    private long _frames;
    private long _decimated;

    /// <summary>Creates a meter for <paramref name="sampleRateHz"/>.</summary>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    public SubsonicMeter(double sampleRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRateHz);
        _factor = Math.Max(1, (int)Math.Round(sampleRateHz / 1500));
        _sections = ButterworthDesign.LowPass(CornerHz, 48, sampleRateHz / _factor);
        _state = new double[2 * _sections.Length];
    }

    /// <summary>Samples averaged into one value of the low band (about 1.5 kHz: 32 at 48 kHz).</summary>
    public int DecimationFactor => _factor;

    /// <summary>
    /// Subsonic AC energy over the whole AC energy, dB (≤ 0); <see cref="double.NegativeInfinity"/> for silence or
    /// less than the lead-in measured.
    /// </summary>
    public double SubsonicToTotalDb
    {
        get
        {
            if (_frames == 0 || _decimated < LeadIn)
            {
                return double.NegativeInfinity;
            }

            double low = Math.Max(0, (_sumYy / _decimated) - Math.Pow(_sumY / _decimated, 2));
            double total = Math.Max(0, (_sumXx / _frames) - Math.Pow(_sumX / _frames, 2));
            return total > 0 && low > 0 ? Math.Min(0, 10 * Math.Log10(low / total)) : double.NegativeInfinity;
        }
    }

    /// <summary>Adds samples (<paramref name="right"/> empty for mono).</summary>
    /// <param name="left">Left (or only) channel.</param>
    /// <param name="right">Right channel of the same length, or empty.</param>
    public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        bool stereo = right.Length > 0;
        double sumX = 0, sumXx = 0, pending = _pending, scale = 1.0 / _factor;
        int count = _pendingCount, factor = _factor;
        int i = 0;
        if (stereo && factor % 2 == 0)
        {
            // Whole averaging groups of finite samples, two frames per vector (the sums in two lanes, added at the
            // group's end); a group with a non-finite sample, or one in progress, takes the frame-by-frame loop below.
            Vector128<double> half = Vector128.Create(0.5);
            Vector128<double> accX = Vector128<double>.Zero, accXx = Vector128<double>.Zero;
            while (count == 0 && i + factor <= left.Length)
            {
                ReadOnlySpan<float> l = left.Slice(i, factor), r = right.Slice(i, factor);
                if (!float.IsFinite(TensorPrimitives.Sum(l)) || !float.IsFinite(TensorPrimitives.Sum(r)))
                {
                    break;
                }

                Vector128<double> group = Vector128<double>.Zero;
                for (int k = 0; k < factor; k += 2)
                {
                    Vector128<double> x = (StereoFrames.LoadPair(l, k) + StereoFrames.LoadPair(r, k)) * half;
                    group += x;
                    accXx += x * x;
                }

                accX += group;
                Add((group.ToScalar() + group.GetElement(1)) * scale);
                i += factor;
            }

            sumX = accX.ToScalar() + accX.GetElement(1);
            sumXx = accXx.ToScalar() + accXx.GetElement(1);
        }

        for (; i < left.Length; i++)
        {
            float l = left[i], r = stereo ? right[i] : l;
            double x = float.IsFinite(l) && float.IsFinite(r) ? 0.5 * (l + r) : 0;
            sumX += x;
            sumXx += x * x;
            pending += x;
            if (++count < factor)
            {
                continue;
            }

            Add(pending * scale);
            pending = 0;
            count = 0;
        }

        _pending = pending;
        _pendingCount = count;
        _sumX += sumX;
        _sumXx += sumXx;
        _frames += left.Length;
    }

    // One average of the low band: kept while the lead-in fills, then filtered.
    private void Add(double average)
    {
        if (_decimated < LeadIn)
        {
            _leadIn[_decimated++] = average;
            if (_decimated == LeadIn)
            {
                double mean = 0;
                foreach (double value in _leadIn)
                {
                    mean += value;
                }

                StartAt(mean / LeadIn);
                foreach (double value in _leadIn)
                {
                    Filter(value);
                }
            }

            return;
        }

        _decimated++;
        Filter(average);
    }

    // Transposed direct form II through every section; accumulates the output's sums.
    private void Filter(double x)
    {
        double y = x;
        for (int k = 0; k < _sections.Length; k++)
        {
            BiquadCoefficients c = _sections[k];
            double input = y;
            y = (c.B0 * input) + _state[2 * k];
            _state[2 * k] = (c.B1 * input) - (c.A1 * y) + _state[(2 * k) + 1];
            _state[(2 * k) + 1] = (c.B2 * input) - (c.A2 * y);
        }

        _sumY += y;
        _sumYy += y * y;
    }

    // The states of a filter that has seen x0 forever: each section's output is its DC gain times its input.
    private void StartAt(double x0)
    {
        double input = x0;
        for (int k = 0; k < _sections.Length; k++)
        {
            BiquadCoefficients c = _sections[k];
            double output = input * (c.B0 + c.B1 + c.B2) / (1 + c.A1 + c.A2);
            _state[(2 * k) + 1] = (c.B2 * input) - (c.A2 * output);
            _state[2 * k] = output - (c.B0 * input);
            input = output;
        }
    }
}
