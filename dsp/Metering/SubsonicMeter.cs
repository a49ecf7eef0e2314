using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Metering;

/// <summary>
/// How much of a programme's energy lies below the audible range: the mid signal (M = (l+r)/2) through an 8th-order
/// Butterworth low-pass at <see cref="CornerHz"/> (48 dB/octave: a 40 Hz tone is 48 dB down), its AC energy (variance: a DC offset is reported by
/// <see cref="SignalHealth"/>, not here) over the AC energy of the whole mid signal. Rumble, wind, a turntable's
/// arm resonance or an offset that drifts read high; music that ends at a 30 Hz kick reads −25 dB or lower.
/// </summary>
/// <remarks>
/// The filter starts in the steady state of the first sample (as if the programme had always been at that value),
/// so an offset present from the start adds no step response. Threading: not thread-safe. <see cref="Process"/> is
/// allocation-free; state is in double precision.
/// </remarks>
public sealed class SubsonicMeter
{
    /// <summary>Upper edge of the subsonic band, Hz.</summary>
    public const double CornerHz = 20;

    private readonly BiquadCoefficients[] _sections;
    private readonly double[] _state;
    private double _sumY, _sumYy, _sumX, _sumXx;
    private long _frames;

    /// <summary>Creates a meter for <paramref name="sampleRateHz"/>.</summary>
    /// <param name="sampleRateHz">Sample rate, Hz.</param>
    public SubsonicMeter(double sampleRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRateHz);
        _sections = ButterworthDesign.LowPass(CornerHz, 48, sampleRateHz);
        _state = new double[2 * _sections.Length];
    }

    /// <summary>Adds samples (<paramref name="right"/> empty for mono).</summary>
    /// <param name="left">Left (or only) channel.</param>
    /// <param name="right">Right channel of the same length, or empty.</param>
    public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        BiquadCoefficients[] sections = _sections;
        double[] state = _state;
        double sumY = 0, sumYy = 0, sumX = 0, sumXx = 0;
        bool stereo = right.Length > 0;
        for (int i = 0; i < left.Length; i++)
        {
            float l = left[i], r = stereo ? right[i] : l;
            double x = float.IsFinite(l) && float.IsFinite(r) ? 0.5 * (l + r) : 0;
            if (_frames == 0 && i == 0)
            {
                StartAt(x);
            }

            // Transposed direct form II.
            double y = x;
            for (int k = 0; k < sections.Length; k++)
            {
                BiquadCoefficients c = sections[k];
                double input = y;
                y = (c.B0 * input) + state[2 * k];
                state[2 * k] = (c.B1 * input) - (c.A1 * y) + state[(2 * k) + 1];
                state[(2 * k) + 1] = (c.B2 * input) - (c.A2 * y);
            }

            sumY += y;
            sumYy += y * y;
            sumX += x;
            sumXx += x * x;
        }

        _sumY += sumY;
        _sumYy += sumYy;
        _sumX += sumX;
        _sumXx += sumXx;
        _frames += left.Length;
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

    /// <summary>
    /// Subsonic AC energy over the whole AC energy, dB (≤ 0); <see cref="double.NegativeInfinity"/> for silence or
    /// nothing measured.
    /// </summary>
    public double SubsonicToTotalDb
    {
        get
        {
            if (_frames == 0)
            {
                return double.NegativeInfinity;
            }

            double low = Math.Max(0, (_sumYy / _frames) - Math.Pow(_sumY / _frames, 2));
            double total = Math.Max(0, (_sumXx / _frames) - Math.Pow(_sumX / _frames, 2));
            return total > 0 && low > 0 ? Math.Min(0, 10 * Math.Log10(low / total)) : double.NegativeInfinity;
        }
    }
}
