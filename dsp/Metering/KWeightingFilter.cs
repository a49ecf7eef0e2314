using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Metering;

/// <summary>
/// The K-weighting of ITU-R BS.1770-4 Annex 1 for one channel: a high-shelf pre-filter (stage 1,
/// the acoustic effect of the head) followed by the RLB high-pass (stage 2), both biquads with
/// state in double precision.
/// </summary>
/// <remarks>
/// BS.1770 tabulates the coefficients for 48 kHz only. They are derived here for the actual rate
/// from the analogue prototype parameters (centre/corner frequency, gain, Q) fitted to the 48 kHz
/// table, by the bilinear transform with pre-warping, the method libebur128 (MIT) uses; at 48 kHz
/// this reproduces the published coefficients to about 1e-8. Stage 2's numerator stays
/// (1, −2, 1) unnormalised as in the standard. Not thread-safe; allocation-free after construction.
/// </remarks>
internal sealed class KWeightingFilter
{
    // Analogue prototype of stage 1 (high shelf) fitted to BS.1770-4 Table 1.
    internal const double ShelfFrequencyHz = 1681.974450955533;
    internal const double ShelfGainDb = 3.999843853973347;
    internal const double ShelfQ = 0.7071752369554196;

    // Analogue prototype of stage 2 (RLB high-pass) fitted to BS.1770-4 Table 2.
    internal const double HighPassFrequencyHz = 38.13547087602444;
    internal const double HighPassQ = 0.5003270373238773;

    // Below this magnitude filter state is flushed to zero so silence never leaves subnormals.
    private const double FlushThreshold = 1e-30;

    private readonly double _b0;
    private readonly double _b1;
    private readonly double _b2;
    private readonly double _a1;
    private readonly double _a2;
    private readonly double _c1;
    private readonly double _c2;

    // Transposed direct form II state: stage 1 (_s1, _s2), stage 2 (_t1, _t2).
    private double _s1;
    private double _s2;
    private double _t1;
    private double _t2;

    /// <summary>Derives both stages for <paramref name="sampleRateHz"/>.</summary>
    public KWeightingFilter(int sampleRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        double k = Math.Tan(Math.PI * ShelfFrequencyHz / sampleRateHz);
        double vh = Math.Pow(10.0, ShelfGainDb / 20.0);
        double vb = Math.Pow(vh, 0.4996667741545416);
        double a0 = 1.0 + (k / ShelfQ) + (k * k);
        _b0 = (vh + (vb * k / ShelfQ) + (k * k)) / a0;
        _b1 = 2.0 * ((k * k) - vh) / a0;
        _b2 = (vh - (vb * k / ShelfQ) + (k * k)) / a0;
        _a1 = 2.0 * ((k * k) - 1.0) / a0;
        _a2 = (1.0 - (k / ShelfQ) + (k * k)) / a0;

        k = Math.Tan(Math.PI * HighPassFrequencyHz / sampleRateHz);
        double d0 = 1.0 + (k / HighPassQ) + (k * k);
        _c1 = 2.0 * ((k * k) - 1.0) / d0;
        _c2 = (1.0 - (k / HighPassQ) + (k * k)) / d0;
    }

    /// <summary>Stage 1 coefficients (b0, b1, b2, a1, a2), normalised by a0.</summary>
    internal (double B0, double B1, double B2, double A1, double A2) Stage1 => (_b0, _b1, _b2, _a1, _a2);

    /// <summary>Stage 2 denominator (a1, a2); the numerator is (1, −2, 1).</summary>
    internal (double A1, double A2) Stage2 => (_c1, _c2);

    /// <summary>Filters <paramref name="x"/> and returns the sum of the squared K-weighted samples.</summary>
    /// <param name="x">Input samples.</param>
    /// <param name="sanitize">When true, non-finite samples are replaced by 0 (the caller found some in the block).</param>
    public double SumOfSquares(ReadOnlySpan<float> x, bool sanitize)
    {
        double sum = 0.0;
        Accumulate(x, sanitize, ref sum);
        return sum;
    }

    /// <summary>
    /// Filters <paramref name="x"/> and adds the squared K-weighted samples to <paramref name="sum"/>
    /// one by one, so the result does not depend on how a stream is cut into blocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accumulate(ReadOnlySpan<float> x, bool sanitize, ref double sum)
    {
        // Legend: b*/a* stage 1, c* stage 2 denominator, s*/t* state, u stage-1 output, y stage-2 output.
        double b0 = _b0, b1 = _b1, b2 = _b2, a1 = _a1, a2 = _a2, c1 = _c1, c2 = _c2;
        double s1 = _s1, s2 = _s2, t1 = _t1, t2 = _t2;
        double acc = sum;
        for (int n = 0; n < x.Length; n++)
        {
            double v = x[n];
            if (sanitize && !double.IsFinite(v))
            {
                v = 0.0;
            }

            double u = (b0 * v) + s1;
            s1 = (b1 * v) - (a1 * u) + s2;
            s2 = (b2 * v) - (a2 * u);
            double y = u + t1;
            t1 = (-2.0 * u) - (c1 * y) + t2;
            t2 = u - (c2 * y);
            acc += y * y;
        }

        sum = acc;

        _s1 = Flush(s1);
        _s2 = Flush(s2);
        _t1 = Flush(t1);
        _t2 = Flush(t2);
    }

    /// <summary>
    /// Filters a stereo pair (finite samples only) with <paramref name="left"/> and <paramref name="right"/>,
    /// the two channels in the lanes of a <see cref="Vector128{T}"/> of doubles. The arithmetic per lane
    /// is exactly that of <see cref="Accumulate"/> (no fused multiply-adds), so the results are identical.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateStereo(KWeightingFilter left, KWeightingFilter right, ReadOnlySpan<float> leftSamples, ReadOnlySpan<float> rightSamples, ref double leftSum, ref double rightSum)
    {
        // Legend as in Accumulate; every variable holds (left, right).
        Vector128<double> b0 = Vector128.Create(left._b0), b1 = Vector128.Create(left._b1), b2 = Vector128.Create(left._b2);
        Vector128<double> a1 = Vector128.Create(left._a1), a2 = Vector128.Create(left._a2);
        Vector128<double> c1 = Vector128.Create(left._c1), c2 = Vector128.Create(left._c2), minusTwo = Vector128.Create(-2.0);
        Vector128<double> s1 = Vector128.Create(left._s1, right._s1), s2 = Vector128.Create(left._s2, right._s2);
        Vector128<double> t1 = Vector128.Create(left._t1, right._t1), t2 = Vector128.Create(left._t2, right._t2);
        Vector128<double> acc = Vector128.Create(leftSum, rightSum);
        int frames = Math.Min(leftSamples.Length, rightSamples.Length);
        int n = 0;
        for (; n + 1 < frames; n += 2)
        {
            // Two frames per iteration, loaded in pairs (Filters.StereoFrames); each frame exactly the loop below.
            StereoFrames.LoadTwoFrames(leftSamples, rightSamples, n, out Vector128<double> v, out Vector128<double> next);
            Vector128<double> u = (b0 * v) + s1;
            s1 = (b1 * v) - (a1 * u) + s2;
            s2 = (b2 * v) - (a2 * u);
            Vector128<double> y = u + t1;
            t1 = (minusTwo * u) - (c1 * y) + t2;
            t2 = u - (c2 * y);
            acc += y * y;
            u = (b0 * next) + s1;
            s1 = (b1 * next) - (a1 * u) + s2;
            s2 = (b2 * next) - (a2 * u);
            y = u + t1;
            t1 = (minusTwo * u) - (c1 * y) + t2;
            t2 = u - (c2 * y);
            acc += y * y;
        }

        for (; n < frames; n++)
        {
            Vector128<double> v = Vector128.Create((double)leftSamples[n], rightSamples[n]);
            Vector128<double> u = (b0 * v) + s1;
            s1 = (b1 * v) - (a1 * u) + s2;
            s2 = (b2 * v) - (a2 * u);
            Vector128<double> y = u + t1;
            t1 = (minusTwo * u) - (c1 * y) + t2;
            t2 = u - (c2 * y);
            acc += y * y;
        }

        leftSum = acc.GetElement(0);
        rightSum = acc.GetElement(1);
        left._s1 = Flush(s1.GetElement(0));
        left._s2 = Flush(s2.GetElement(0));
        left._t1 = Flush(t1.GetElement(0));
        left._t2 = Flush(t2.GetElement(0));
        right._s1 = Flush(s1.GetElement(1));
        right._s2 = Flush(s2.GetElement(1));
        right._t1 = Flush(t1.GetElement(1));
        right._t2 = Flush(t2.GetElement(1));
    }

    /// <summary>
    /// <see cref="AccumulateStereo"/> for two stereo pairs at once (for example a chain's input and output
    /// meters): the two pairs' recursions are independent and interleave in one loop, so each hides the
    /// other's latency. Per lane the arithmetic is exactly that of <see cref="Accumulate"/>, so the results are
    /// identical to two <see cref="AccumulateStereo"/> calls. All four spans must have the same length and
    /// every filter the same coefficients (same sample rate).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AccumulateTwoStereo(
        KWeightingFilter[] filters,
        ReadOnlySpan<float> firstLeft,
        ReadOnlySpan<float> firstRight,
        ReadOnlySpan<float> secondLeft,
        ReadOnlySpan<float> secondRight,
        Span<double> sums)
    {
        // Legend as in Accumulate; p* variables hold the first pair (left, right), q* the second.
        KWeightingFilter fl = filters[0], fr = filters[1], sl = filters[2], sr = filters[3];
        Vector128<double> b0 = Vector128.Create(fl._b0), b1 = Vector128.Create(fl._b1), b2 = Vector128.Create(fl._b2);
        Vector128<double> a1 = Vector128.Create(fl._a1), a2 = Vector128.Create(fl._a2);
        Vector128<double> c1 = Vector128.Create(fl._c1), c2 = Vector128.Create(fl._c2), minusTwo = Vector128.Create(-2.0);
        Vector128<double> ps1 = Vector128.Create(fl._s1, fr._s1), ps2 = Vector128.Create(fl._s2, fr._s2);
        Vector128<double> pt1 = Vector128.Create(fl._t1, fr._t1), pt2 = Vector128.Create(fl._t2, fr._t2);
        Vector128<double> qs1 = Vector128.Create(sl._s1, sr._s1), qs2 = Vector128.Create(sl._s2, sr._s2);
        Vector128<double> qt1 = Vector128.Create(sl._t1, sr._t1), qt2 = Vector128.Create(sl._t2, sr._t2);
        Vector128<double> pAcc = Vector128.Create(sums[0], sums[1]), qAcc = Vector128.Create(sums[2], sums[3]);
        int frames = firstLeft.Length;
        firstRight = firstRight[..frames];
        secondLeft = secondLeft[..frames];
        secondRight = secondRight[..frames];
        int n = 0;
        for (; n + 1 < frames; n += 2)
        {
            // Two frames per iteration, loaded in pairs (Filters.StereoFrames); each frame exactly the loop below.
            StereoFrames.LoadTwoFrames(firstLeft, firstRight, n, out Vector128<double> pv, out Vector128<double> pNext);
            StereoFrames.LoadTwoFrames(secondLeft, secondRight, n, out Vector128<double> qv, out Vector128<double> qNext);
            for (int k = 0; k < 2; k++)
            {
                Vector128<double> pu = (b0 * pv) + ps1;
                Vector128<double> qu = (b0 * qv) + qs1;
                ps1 = (b1 * pv) - (a1 * pu) + ps2;
                qs1 = (b1 * qv) - (a1 * qu) + qs2;
                ps2 = (b2 * pv) - (a2 * pu);
                qs2 = (b2 * qv) - (a2 * qu);
                Vector128<double> py = pu + pt1;
                Vector128<double> qy = qu + qt1;
                pt1 = (minusTwo * pu) - (c1 * py) + pt2;
                qt1 = (minusTwo * qu) - (c1 * qy) + qt2;
                pt2 = pu - (c2 * py);
                qt2 = qu - (c2 * qy);
                pAcc += py * py;
                qAcc += qy * qy;
                pv = pNext;
                qv = qNext;
            }
        }

        for (; n < frames; n++)
        {
            Vector128<double> pv = Vector128.Create((double)firstLeft[n], firstRight[n]);
            Vector128<double> qv = Vector128.Create((double)secondLeft[n], secondRight[n]);
            Vector128<double> pu = (b0 * pv) + ps1;
            Vector128<double> qu = (b0 * qv) + qs1;
            ps1 = (b1 * pv) - (a1 * pu) + ps2;
            qs1 = (b1 * qv) - (a1 * qu) + qs2;
            ps2 = (b2 * pv) - (a2 * pu);
            qs2 = (b2 * qv) - (a2 * qu);
            Vector128<double> py = pu + pt1;
            Vector128<double> qy = qu + qt1;
            pt1 = (minusTwo * pu) - (c1 * py) + pt2;
            qt1 = (minusTwo * qu) - (c1 * qy) + qt2;
            pt2 = pu - (c2 * py);
            qt2 = qu - (c2 * qy);
            pAcc += py * py;
            qAcc += qy * qy;
        }

        sums[0] = pAcc.GetElement(0);
        sums[1] = pAcc.GetElement(1);
        sums[2] = qAcc.GetElement(0);
        sums[3] = qAcc.GetElement(1);
        fl.StoreState(ps1.GetElement(0), ps2.GetElement(0), pt1.GetElement(0), pt2.GetElement(0));
        fr.StoreState(ps1.GetElement(1), ps2.GetElement(1), pt1.GetElement(1), pt2.GetElement(1));
        sl.StoreState(qs1.GetElement(0), qs2.GetElement(0), qt1.GetElement(0), qt2.GetElement(0));
        sr.StoreState(qs1.GetElement(1), qs2.GetElement(1), qt1.GetElement(1), qt2.GetElement(1));
    }

    /// <summary>Takes <paramref name="other"/>'s filter state (same rate): this filter continues where that one stopped.</summary>
    internal void CopyStateFrom(KWeightingFilter other)
    {
        _s1 = other._s1;
        _s2 = other._s2;
        _t1 = other._t1;
        _t2 = other._t2;
    }

    /// <summary>Clears the filter state.</summary>
    public void Reset()
    {
        _s1 = 0.0;
        _s2 = 0.0;
        _t1 = 0.0;
        _t2 = 0.0;
    }

    private void StoreState(double s1, double s2, double t1, double t2)
    {
        _s1 = Flush(s1);
        _s2 = Flush(s2);
        _t1 = Flush(t1);
        _t2 = Flush(t2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Flush(double value) => Math.Abs(value) < FlushThreshold ? 0.0 : value;
}
