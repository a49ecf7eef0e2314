namespace HardwareMaster.Dsp.Metering;

/// <summary>
/// The long-term average spectrum of a whole programme, of its mid (M = (l+r)/2) and side (S = (l−r)/2) signals:
/// Welch's method, Hann-windowed segments of <see cref="FftSize"/> samples with 50 % overlap, power averaged over
/// every segment. What the assistant (<c>check</c>'s balance, <c>match</c>'s EQ fit) and the report's plots compare.
/// </summary>
/// <remarks>
/// <para>Scale: the power of bin k is a share of the signal's mean power (mean of x²), one-sided, so the powers of all
/// bins add up to the mean power of the signal (Parseval, Hann window compensated). A full-scale sine reads −3.01 dB
/// in the band that holds it (<see cref="BandLevelDb"/>), a full-scale square 0 dB over all bands. Levels are
/// 10·log10(power); an empty band or silence reads <see cref="double.NegativeInfinity"/>.</para>
/// <para>Mid and side share one complex FFT per segment (mid in the real part, side in the imaginary part, separated by
/// the transform's symmetry). Mono input: mid is the channel, side is silent. A partial last segment is dropped
/// (at most <see cref="FftSize"/>/2 samples are not counted).</para>
/// <para>Threading: not thread-safe. <see cref="Process"/> is allocation-free; every buffer is allocated by the constructor.</para>
/// </remarks>
public sealed class LongTermSpectrum
{
    private readonly int _size;
    private readonly int _hop;
    private readonly float[] _midRing;
    private readonly float[] _sideRing;
    private readonly double[] _window;
    private readonly double[] _re;
    private readonly double[] _im;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly int[] _bitReverse;
    private readonly double[] _midPower;
    private readonly double[] _sidePower;
    private readonly double _scale;
    private int _write;
    private int _sinceLast;
    private long _filled;

    /// <summary>Creates an analyser.</summary>
    /// <param name="sampleRateHz">Sample rate of the programme.</param>
    /// <param name="fftSize">Segment length, a power of two from 256 to 65536 (8192: 5.9 Hz bins at 48 kHz).</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive or the size is not a power of two in range.</exception>
    public LongTermSpectrum(double sampleRateHz, int fftSize = 8192)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRateHz);
        if (fftSize < 256 || fftSize > 65536 || (fftSize & (fftSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fftSize), fftSize, "must be a power of two from 256 to 65536");
        }

        SampleRateHz = sampleRateHz;
        _size = fftSize;
        _hop = fftSize / 2;
        _midRing = new float[fftSize];
        _sideRing = new float[fftSize];
        _window = new double[fftSize];
        _re = new double[fftSize];
        _im = new double[fftSize];
        _cos = new double[fftSize / 2];
        _sin = new double[fftSize / 2];
        _bitReverse = new int[fftSize];
        _midPower = new double[(fftSize / 2) + 1];
        _sidePower = new double[(fftSize / 2) + 1];
        double windowEnergy = 0;
        for (int n = 0; n < fftSize; n++)
        {
            _window[n] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / fftSize));
            windowEnergy += _window[n] * _window[n];
        }

        for (int k = 0; k < fftSize / 2; k++)
        {
            _cos[k] = Math.Cos(2 * Math.PI * k / fftSize);
            _sin[k] = -Math.Sin(2 * Math.PI * k / fftSize);
        }

        int bits = System.Numerics.BitOperations.Log2((uint)fftSize);
        for (int i = 0; i < fftSize; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReverse[i] = r;
        }

        // Parseval: Σ|X_k|² = N·Σ(x·w)², and E[Σ(x·w)²] = P·Σw², so P = Σ|X_k|² / (N·Σw²).
        _scale = 1.0 / (fftSize * windowEnergy);
    }

    /// <summary>Sample rate the analyser was made for.</summary>
    public double SampleRateHz { get; }

    /// <summary>Segment (FFT) length in samples.</summary>
    public int FftSize => _size;

    /// <summary>Width of one bin, Hz.</summary>
    public double BinHz => SampleRateHz / _size;

    /// <summary>Number of one-sided bins (DC to Nyquist): <see cref="FftSize"/>/2 + 1.</summary>
    public int BinCount => _midPower.Length;

    /// <summary>Segments averaged so far.</summary>
    public long Segments { get; private set; }

    /// <summary>
    /// Nominal third-octave centre frequencies, 25 Hz to 20 kHz (IEC 61260-1 base-10 series, nominal values), for
    /// band plots and balance checks. Band k spans centre·10^(±1/20).
    /// </summary>
    public static IReadOnlyList<double> ThirdOctaveCentersHz { get; } =
    [
        25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500,
        3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000,
    ];

    /// <summary>Adds samples. <paramref name="right"/> empty means mono.</summary>
    /// <param name="left">Left (or only) channel.</param>
    /// <param name="right">Right channel, the same length, or empty.</param>
    public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        bool stereo = right.Length > 0;
        for (int i = 0; i < left.Length; i++)
        {
            float l = left[i];
            float r = stereo ? right[i] : l;
            float mid = 0.5f * (l + r);
            float side = 0.5f * (l - r);
            _midRing[_write] = float.IsFinite(mid) ? mid : 0f;
            _sideRing[_write] = float.IsFinite(side) ? side : 0f;
            _write = (_write + 1) & (_size - 1);
            _filled++;
            if (++_sinceLast >= _hop && _filled >= _size)
            {
                _sinceLast = 0;
                AnalyseSegment();
            }
        }
    }

    /// <summary>Forgets everything measured.</summary>
    public void Reset()
    {
        Array.Clear(_midRing);
        Array.Clear(_sideRing);
        Array.Clear(_midPower);
        Array.Clear(_sidePower);
        _write = 0;
        _sinceLast = 0;
        _filled = 0;
        Segments = 0;
    }

    /// <summary>Centre frequency of bin <paramref name="bin"/>, Hz.</summary>
    /// <param name="bin">0 … <see cref="BinCount"/> − 1.</param>
    public double FrequencyOf(int bin) => bin * BinHz;

    /// <summary>Mean power of one bin of the mid signal (share of mean x²; 0 before the first segment).</summary>
    /// <param name="bin">0 … <see cref="BinCount"/> − 1.</param>
    public double MidPower(int bin) => Segments == 0 ? 0 : _midPower[bin] / Segments;

    /// <summary>Mean power of one bin of the side signal.</summary>
    /// <param name="bin">0 … <see cref="BinCount"/> − 1.</param>
    public double SidePower(int bin) => Segments == 0 ? 0 : _sidePower[bin] / Segments;

    /// <summary>
    /// Power of the bins whose centre lies in [<paramref name="lowHz"/>, <paramref name="highHz"/>), in dB (the band's
    /// share of the signal's mean power; <see cref="double.NegativeInfinity"/> when the band is empty or silent).
    /// </summary>
    /// <param name="lowHz">Lower edge, Hz.</param>
    /// <param name="highHz">Upper edge, Hz.</param>
    /// <param name="side">True for the side signal, false for mid.</param>
    public double BandLevelDb(double lowHz, double highHz, bool side = false) => ToDb(BandPower(lowHz, highHz, side));

    /// <summary>
    /// Fractional-octave smoothed level at <paramref name="hz"/>: the mean power per bin over
    /// [hz·2^(−fraction/2), hz·2^(fraction/2)] (at least the nearest bin), in dB per bin. Smoothing with 1/3 or 1/6
    /// octave is what spectra of music are compared with (one bin of a long-term spectrum is noisy).
    /// </summary>
    /// <param name="hz">Frequency, Hz (0 &lt; hz ≤ Nyquist).</param>
    /// <param name="octaveFraction">Width of the smoothing window in octaves (e.g. 1/3).</param>
    /// <param name="side">True for the side signal, false for mid.</param>
    public double SmoothedLevelDb(double hz, double octaveFraction, bool side = false)
    {
        double half = Math.Pow(2, octaveFraction / 2);
        int lo = Math.Max(1, (int)Math.Ceiling(hz / half / BinHz));
        int hi = Math.Min(BinCount - 1, (int)Math.Floor(hz * half / BinHz));
        if (hi < lo)
        {
            lo = hi = Math.Clamp((int)Math.Round(hz / BinHz), 1, BinCount - 1);
        }

        double sum = 0;
        for (int k = lo; k <= hi; k++)
        {
            sum += side ? SidePower(k) : MidPower(k);
        }

        return ToDb(sum / (hi - lo + 1));
    }

    /// <summary>Third-octave band levels (dB) at <see cref="ThirdOctaveCentersHz"/> into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="ThirdOctaveCentersHz"/>.Count values.</param>
    /// <param name="side">True for the side signal, false for mid.</param>
    public void ThirdOctaveLevelsDb(Span<double> destination, bool side = false)
    {
        IReadOnlyList<double> centres = ThirdOctaveCentersHz;
        double edge = Math.Pow(10, 1.0 / 20);
        for (int i = 0; i < centres.Count; i++)
        {
            destination[i] = BandLevelDb(centres[i] / edge, centres[i] * edge, side);
        }
    }

    private static double ToDb(double power) => power > 0 ? 10 * Math.Log10(power) : double.NegativeInfinity;

    private double BandPower(double lowHz, double highHz, bool side)
    {
        int lo = Math.Max(0, (int)Math.Ceiling(lowHz / BinHz));
        int hi = Math.Min(BinCount - 1, (int)Math.Ceiling(highHz / BinHz) - 1);
        double sum = 0;
        for (int k = lo; k <= hi; k++)
        {
            sum += side ? SidePower(k) : MidPower(k);
        }

        return sum;
    }

    private void AnalyseSegment()
    {
        // The oldest sample sits at _write (the ring is full): unroll it in time order, windowed, bit-reversed.
        for (int n = 0; n < _size; n++)
        {
            int source = (_write + n) & (_size - 1);
            int target = _bitReverse[n];
            _re[target] = _midRing[source] * _window[n];
            _im[target] = _sideRing[source] * _window[n];
        }

        for (int length = 2; length <= _size; length <<= 1)
        {
            int half = length >> 1;
            int stride = _size / length;
            for (int start = 0; start < _size; start += length)
            {
                for (int k = 0; k < half; k++)
                {
                    double wr = _cos[k * stride], wi = _sin[k * stride];
                    int a = start + k, b = a + half;
                    double tr = (_re[b] * wr) - (_im[b] * wi);
                    double ti = (_re[b] * wi) + (_im[b] * wr);
                    _re[b] = _re[a] - tr;
                    _im[b] = _im[a] - ti;
                    _re[a] += tr;
                    _im[a] += ti;
                }
            }
        }

        // Z = M + iS with M, S real: M_k = (Z_k + conj Z_{N−k}) / 2, S_k = (Z_k − conj Z_{N−k}) / 2i.
        int nyquist = _size / 2;
        for (int k = 0; k <= nyquist; k++)
        {
            int m = (_size - k) & (_size - 1);
            double mr = 0.5 * (_re[k] + _re[m]), mi = 0.5 * (_im[k] - _im[m]);
            double sr = 0.5 * (_im[k] + _im[m]), si = -0.5 * (_re[k] - _re[m]);
            double weight = k == 0 || k == nyquist ? _scale : 2 * _scale;
            _midPower[k] += ((mr * mr) + (mi * mi)) * weight;
            _sidePower[k] += ((sr * sr) + (si * si)) * weight;
        }

        Segments++;
    }
}
