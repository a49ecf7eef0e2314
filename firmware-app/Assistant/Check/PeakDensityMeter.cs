namespace HardwareMaster.App.Assistant.Check;

/// <summary>
/// Sample peak, RMS and the peaks of consecutive 100 ms windows, kept as a histogram in 0.1 dB steps so the share of
/// windows that reach (within <see cref="NearPeakDb"/>) the programme's largest peak can be read at the end without
/// storing the windows: a limited mix hits its ceiling in almost every window, an unlimited one rarely.
/// </summary>
/// <remarks>Threading: not thread-safe. <see cref="Process"/> is allocation-free (the histogram is allocated by the constructor).</remarks>
internal sealed class PeakDensityMeter
{
    /// <summary>Windows whose peak is at or below this, dBFS, are silence and not counted.</summary>
    public const double SilentDbfs = -70.0;

    /// <summary>A window peaking within this many dB of the largest window peak counts as a near-full-scale peak.</summary>
    public const double NearPeakDb = 1.0;

    private const double BinDb = 0.1;
    private const double LowestDbfs = -70.0;
    private const double HighestDbfs = 50.0;

    private readonly long[] _histogram = new long[(int)((HighestDbfs - LowestDbfs) / BinDb) + 1];
    private readonly int _windowFrames;
    private int _inWindow;
    private float _windowPeak;
    private float _peak;
    private double _sumSquares;
    private long _samples;

    /// <summary>Creates a meter.</summary>
    /// <param name="sampleRateHz">Sample rate (sets the 100 ms window).</param>
    public PeakDensityMeter(int sampleRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRateHz);
        _windowFrames = Math.Max(1, (sampleRateHz + 5) / 10);
    }

    /// <summary>Adds one planar block (<paramref name="right"/> empty for mono).</summary>
    /// <param name="left">Left (or only) channel.</param>
    /// <param name="right">Right channel, the same length, or empty.</param>
    public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        bool stereo = right.Length > 0;
        double sum = 0;
        for (int i = 0; i < left.Length; i++)
        {
            float l = Finite(left[i]);
            float magnitude = Math.Abs(l);
            sum += (double)l * l;
            if (stereo)
            {
                float r = Finite(right[i]);
                magnitude = Math.Max(magnitude, Math.Abs(r));
                sum += (double)r * r;
            }

            _windowPeak = Math.Max(_windowPeak, magnitude);
            if (++_inWindow == _windowFrames)
            {
                CloseWindow();
            }
        }

        _sumSquares += sum;
        _samples += stereo ? 2L * left.Length : left.Length;
    }

    /// <summary>The statistics so far (a partial window at the end counts).</summary>
    public PeakStatistics GetStatistics()
    {
        long windows = 0;
        int top = -1;
        float peak = Math.Max(_peak, _windowPeak);
        int partial = _inWindow > 0 ? Bin(_windowPeak) : -1;
        for (int b = 0; b < _histogram.Length; b++)
        {
            long count = _histogram[b] + (b == partial ? 1 : 0);
            if (count > 0)
            {
                windows += count;
                top = b;
            }
        }

        long near = 0;
        if (top >= 0)
        {
            int from = Math.Max(0, top - (int)Math.Round(NearPeakDb / BinDb));
            for (int b = from; b <= top; b++)
            {
                near += _histogram[b] + (b == partial ? 1 : 0);
            }
        }

        double rms = _samples > 0 ? Math.Sqrt(_sumSquares / _samples) : 0;
        return new PeakStatistics(ToDb(peak), ToDb(rms), windows, near);
    }

    private static float Finite(float x) => float.IsFinite(x) ? x : 0f;

    private static double ToDb(double linear) => linear > 0 ? 20 * Math.Log10(linear) : double.NegativeInfinity;

    // Histogram bin of a window peak; −1 for a silent window.
    private int Bin(float windowPeak)
    {
        double db = ToDb(windowPeak);
        if (db <= SilentDbfs)
        {
            return -1;
        }

        return Math.Clamp((int)((db - LowestDbfs) / BinDb), 0, _histogram.Length - 1);
    }

    private void CloseWindow()
    {
        int bin = Bin(_windowPeak);
        if (bin >= 0)
        {
            _histogram[bin]++;
        }

        _peak = Math.Max(_peak, _windowPeak);
        _windowPeak = 0;
        _inWindow = 0;
    }
}
