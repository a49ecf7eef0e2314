using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.App.Assistant.Check;

/// <summary>
/// Mono compatibility of the low end: both channels band-passed to <see cref="LowHz"/>–<see cref="HighHz"/>
/// (Butterworth, 12 dB/octave high-pass against DC and rumble, 24 dB/octave low-pass, from <see cref="ButterworthDesign"/>),
/// then their correlation and the level a mono fold-down keeps. Bass that is out of phase between the channels
/// vanishes on a mono club system, a phone speaker or a vinyl cut; mastering can only narrow it, not fix it.
/// </summary>
/// <remarks>Threading: not thread-safe. <see cref="Process"/> is allocation-free (double-precision TDF-II state).</remarks>
internal sealed class LowEndMonoMeter
{
    /// <summary>Lower edge of the band, Hz (keeps DC offset and subsonic rumble out of the correlation).</summary>
    public const double LowHz = 20.0;

    /// <summary>Upper edge of the band, Hz: the range mastering engineers mono ("mono bass" below 100–150 Hz).</summary>
    public const double HighHz = 120.0;

    private readonly BiquadCoefficients[] _sections;
    private readonly double[] _state;
    private readonly bool _stereo;
    private double _sumLl;
    private double _sumRr;
    private double _sumLr;
    private double _sumFull;

    /// <summary>Creates a meter.</summary>
    /// <param name="sampleRateHz">Sample rate of the programme.</param>
    /// <param name="channels">1 or 2.</param>
    public LowEndMonoMeter(int sampleRateHz, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 2);
        _stereo = channels == 2;
        _sections = [.. ButterworthDesign.HighPass(LowHz, 12, sampleRateHz), .. ButterworthDesign.LowPass(HighHz, 24, sampleRateHz)];
        _state = new double[_sections.Length * 4];
    }

    /// <summary>Adds one planar block (<paramref name="right"/> empty for mono).</summary>
    /// <param name="left">Left (or only) channel.</param>
    /// <param name="right">Right channel, the same length, or empty.</param>
    public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        if (!_stereo)
        {
            return;
        }

        BiquadCoefficients[] sections = _sections;
        double[] state = _state;
        double sumLl = 0, sumRr = 0, sumLr = 0, sumFull = 0;
        for (int i = 0; i < left.Length; i++)
        {
            double l = float.IsFinite(left[i]) ? left[i] : 0;
            double r = float.IsFinite(right[i]) ? right[i] : 0;
            sumFull += (l * l) + (r * r);
            for (int k = 0; k < sections.Length; k++)
            {
                // Transposed direct form II; state [s1, s2] per channel per section.
                BiquadCoefficients c = sections[k];
                int s = k * 4;
                double yl = (c.B0 * l) + state[s];
                state[s] = (c.B1 * l) - (c.A1 * yl) + state[s + 1];
                state[s + 1] = (c.B2 * l) - (c.A2 * yl);
                double yr = (c.B0 * r) + state[s + 2];
                state[s + 2] = (c.B1 * r) - (c.A1 * yr) + state[s + 3];
                state[s + 3] = (c.B2 * r) - (c.A2 * yr);
                l = yl;
                r = yr;
            }

            sumLl += l * l;
            sumRr += r * r;
            sumLr += l * r;
        }

        for (int s = 0; s < state.Length; s++)
        {
            if (Math.Abs(state[s]) < 1e-200)
            {
                state[s] = 0;
            }
        }

        _sumLl += sumLl;
        _sumRr += sumRr;
        _sumLr += sumLr;
        _sumFull += sumFull;
    }

    /// <summary>The result so far.</summary>
    public LowEndReport GetReport()
    {
        if (!_stereo)
        {
            return new LowEndReport(1, double.NaN, 0, double.NaN, LowHz, HighHz);
        }

        double band = _sumLl + _sumRr;
        double share = band > 0 && _sumFull > 0 ? 10 * Math.Log10(band / _sumFull) : double.NegativeInfinity;
        if (_sumLl <= 0 || _sumRr <= 0)
        {
            return new LowEndReport(2, double.NaN, double.NaN, share, LowHz, HighHz);
        }

        double correlation = Math.Clamp(_sumLr / Math.Sqrt(_sumLl * _sumRr), -1, 1);
        double mono = (_sumLl + (2 * _sumLr) + _sumRr) / 4;
        double fold = mono > 0 ? 10 * Math.Log10(mono / (band / 2)) : double.NegativeInfinity;
        return new LowEndReport(2, correlation, fold, share, LowHz, HighHz);
    }
}
