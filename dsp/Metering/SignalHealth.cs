using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HardwareMaster.Dsp.Metering;

/// <summary>
/// Per-sample health of a whole programme, as <see cref="SignalHealth"/> measured it: DC offset, samples at and over
/// full scale, runs of clipped samples, and whole-programme stereo correlation / side-to-mid balance.
/// </summary>
/// <param name="Frames">Frames measured.</param>
/// <param name="Channels">1 or 2.</param>
/// <param name="DcLeft">Mean of the left (or only) channel, linear (−1…+1 for a normal file).</param>
/// <param name="DcRight">Mean of the right channel, linear; 0 for mono.</param>
/// <param name="FullScaleSamples">Samples with |x| ≥ <see cref="SignalHealth.FullScale"/> (at or over 0 dBFS), both channels counted.</param>
/// <param name="OverSamples">Samples with |x| &gt; 1 (over 0 dBFS: only a float file can hold them).</param>
/// <param name="ZeroDbfsSamples">Samples with |x| ≥ 1 (at or over 0 dBFS exactly: a PCM word clamps them; used for a render's output, which is float before the word conversion).</param>
/// <param name="ClippedRuns">Runs of at least <see cref="SignalHealth.ClippedRunSamples"/> consecutive full-scale samples on one channel.</param>
/// <param name="LongestClippedRun">Longest run of consecutive full-scale samples on one channel.</param>
/// <param name="Correlation">Σlr / √(Σl²·Σr²) over the whole programme (−1…+1); NaN for mono or when a channel is silent.</param>
/// <param name="SideToMidDb">Side energy over mid energy, dB (M = (l+r)/2, S = (l−r)/2); NaN for mono or silence.</param>
/// <param name="SubsonicToTotalDb">Energy below 20 Hz over the whole (<see cref="SubsonicMeter"/>), dB; NaN when the analyser was made without a sample rate.</param>
public readonly record struct SignalHealthReport(
    long Frames,
    int Channels,
    double DcLeft,
    double DcRight,
    long FullScaleSamples,
    long OverSamples,
    long ZeroDbfsSamples,
    long ClippedRuns,
    long LongestClippedRun,
    double Correlation,
    double SideToMidDb,
    double SubsonicToTotalDb = double.NaN)
{
    /// <summary>The larger DC offset of the channels, dBFS (−∞ when there is none).</summary>
    public double DcOffsetDbfs => 20 * Math.Log10(Math.Max(Math.Abs(DcLeft), Math.Abs(DcRight)));
}

/// <summary>
/// Whole-programme per-sample statistics the loudness meters do not give: the DC offset of each channel, how many
/// samples sit at or over full scale (and in how many runs: a run is clipping, a lone sample is a hot peak), and the
/// stereo correlation and side-to-mid balance that tell a mono fold-down loses level.
/// </summary>
/// <remarks>
/// Sums are kept in double precision. Non-finite samples are counted as 0 (the loudness meters report them).
/// Threading: not thread-safe; <see cref="Process"/> is allocation-free (owner thread).
/// </remarks>
public sealed class SignalHealth
{
    /// <summary>
    /// |x| at or above this counts as full scale: 32767/32768, the largest positive 16-bit sample (a 24-bit file's
    /// largest positive sample, 1 − 2⁻²³, is above it, so a file clipped at either word length counts).
    /// </summary>
    public const float FullScale = 32767f / 32768f;

    /// <summary>Consecutive full-scale samples on one channel that make a clipped run (3, the usual clip-detector rule).</summary>
    public const int ClippedRunSamples = 3;

    private readonly int _channels;
    private readonly SubsonicMeter? _subsonic;
    private readonly long[] _run = new long[2];
    private long _frames;
    private double _sumL;
    private double _sumR;
    private double _sumLl;
    private double _sumRr;
    private double _sumLr;
    private long _fullScale;
    private long _over;
    private long _zeroDbfs;
    private long _runs;
    private long _longest;

    /// <summary>Creates an analyser.</summary>
    /// <param name="channels">1 or 2.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is not 1 or 2.</exception>
    /// <param name="sampleRateHz">Sample rate, to also measure the energy below 20 Hz (<see cref="SubsonicMeter"/>); 0 = do not.</param>
    public SignalHealth(int channels, double sampleRateHz = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 2);
        _channels = channels;
        _subsonic = sampleRateHz > 0 ? new SubsonicMeter(sampleRateHz) : null;
    }

    /// <summary>Adds one block (planar; <paramref name="right"/> empty for mono, else the same length as <paramref name="left"/>).</summary>
    /// <param name="left">Left (or only) channel.</param>
    /// <param name="right">Right channel, or empty.</param>
    /// <exception cref="ArgumentException">A stereo analyser was given channels of different lengths.</exception>
    public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        bool stereo = _channels == 2;
        if (stereo && right.Length != left.Length)
        {
            throw new ArgumentException("the channels must have the same length", nameof(right));
        }

        double sumL = 0, sumR = 0, sumLl = 0, sumRr = 0, sumLr = 0;
        int frames = left.Length;
        int i = 0;

        // Fast path, four frames at a time: when every sample of the group is finite and below full scale, the counters
        // only end any open run (what Count does for the first of them; the others find no run), and the sums go into
        // two-lane double accumulators (widened exactly from float; their lanes are added at the end, so the last bits of
        // a sum depend on how the frames were grouped, as they already did on the block size).
        Vector128<float> fullScale = Vector128.Create(FullScale);
        Vector128<double> accL = Vector128<double>.Zero, accR = Vector128<double>.Zero;
        Vector128<double> accLl = Vector128<double>.Zero, accRr = Vector128<double>.Zero, accLr = Vector128<double>.Zero;
        ref float leftStart = ref MemoryMarshal.GetReference(left);
        ref float rightStart = ref MemoryMarshal.GetReference(right);
        for (; i + 4 <= frames; i += 4)
        {
            Vector128<float> l4 = Vector128.LoadUnsafe(ref leftStart, (nuint)i);
            Vector128<float> r4 = stereo ? Vector128.LoadUnsafe(ref rightStart, (nuint)i) : Vector128<float>.Zero;
            if (!Vector128.LessThanAll(Vector128.Abs(l4), fullScale) || !Vector128.LessThanAll(Vector128.Abs(r4), fullScale)) // NaN/∞ fail too
            {
                Accumulate(left.Slice(i, 4), stereo ? right.Slice(i, 4) : ReadOnlySpan<float>.Empty, stereo, ref sumL, ref sumR, ref sumLl, ref sumRr, ref sumLr);
                continue;
            }

            EndRun(0);
            Vector128<double> l01 = Vector128.WidenLower(l4), l23 = Vector128.WidenUpper(l4);
            accL += l01 + l23;
            accLl += (l01 * l01) + (l23 * l23);
            if (stereo)
            {
                EndRun(1);
                Vector128<double> r01 = Vector128.WidenLower(r4), r23 = Vector128.WidenUpper(r4);
                accR += r01 + r23;
                accRr += (r01 * r01) + (r23 * r23);
                accLr += (l01 * r01) + (l23 * r23);
            }
        }

        sumL += accL.ToScalar() + accL.GetElement(1);
        sumLl += accLl.ToScalar() + accLl.GetElement(1);
        sumR += accR.ToScalar() + accR.GetElement(1);
        sumRr += accRr.ToScalar() + accRr.GetElement(1);
        sumLr += accLr.ToScalar() + accLr.GetElement(1);

        Accumulate(left[i..], stereo ? right[i..] : ReadOnlySpan<float>.Empty, stereo, ref sumL, ref sumR, ref sumLl, ref sumRr, ref sumLr);
        _sumL += sumL;
        _sumR += sumR;
        _sumLl += sumLl;
        _sumRr += sumRr;
        _sumLr += sumLr;
        _frames += frames;
        _subsonic?.Process(left, stereo ? right : ReadOnlySpan<float>.Empty);
    }

    // The per-sample path (any sample: non-finite ones count as 0, full-scale ones are counted).
    private void Accumulate(ReadOnlySpan<float> left, ReadOnlySpan<float> right, bool stereo, ref double sumL, ref double sumR, ref double sumLl, ref double sumRr, ref double sumLr)
    {
        for (int i = 0; i < left.Length; i++)
        {
            float l = Finite(left[i]);
            Count(l, 0);
            sumL += l;
            sumLl += (double)l * l;
            if (stereo)
            {
                float r = Finite(right[i]);
                Count(r, 1);
                sumR += r;
                sumRr += (double)r * r;
                sumLr += (double)l * r;
            }
        }
    }

    // A sample below full scale on `channel`: an open run of full-scale samples ends (Count's first branch).
    private void EndRun(int channel)
    {
        if (_run[channel] >= ClippedRunSamples)
        {
            _runs++;
        }

        _run[channel] = 0;
    }

    /// <summary>The statistics so far (a run still open at the end counts).</summary>
    public SignalHealthReport GetReport()
    {
        long runs = _runs;
        for (int c = 0; c < _channels; c++)
        {
            if (_run[c] >= ClippedRunSamples)
            {
                runs++;
            }
        }

        double correlation = double.NaN, sideToMid = double.NaN;
        if (_channels == 2 && _sumLl > 0 && _sumRr > 0)
        {
            correlation = Math.Clamp(_sumLr / Math.Sqrt(_sumLl * _sumRr), -1, 1);
            double mid = (_sumLl + (2 * _sumLr) + _sumRr) / 4;
            double side = (_sumLl - (2 * _sumLr) + _sumRr) / 4;
            sideToMid = 10 * Math.Log10(Math.Max(side, 0) / Math.Max(mid, 0));
        }

        return new SignalHealthReport(
            _frames,
            _channels,
            _frames > 0 ? _sumL / _frames : 0,
            _frames > 0 && _channels == 2 ? _sumR / _frames : 0,
            _fullScale,
            _over,
            _zeroDbfs,
            runs,
            _longest,
            correlation,
            sideToMid,
            _subsonic?.SubsonicToTotalDb ?? double.NaN);
    }

    private static float Finite(float x) => float.IsFinite(x) ? x : 0f;

    private void Count(float x, int channel)
    {
        float magnitude = Math.Abs(x);
        if (magnitude < FullScale)
        {
            if (_run[channel] >= ClippedRunSamples)
            {
                _runs++;
            }

            _run[channel] = 0;
            return;
        }

        _fullScale++;
        if (magnitude >= 1f)
        {
            _zeroDbfs++;
            if (magnitude > 1f)
            {
                _over++;
            }
        }

        long run = ++_run[channel];
        _longest = Math.Max(_longest, run);
    }
}
