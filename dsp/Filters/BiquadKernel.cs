using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HardwareMaster.Dsp.Filters;

/// <summary>
/// Transposed direct form II kernels with double-precision state (audio thread).
/// </summary>
/// <remarks>
/// Legend: x input, y output, s1/s2 the two state registers of TDF-II:
/// y = B0·x + s1; s1 = B1·x − A1·y + s2; s2 = B2·x − A2·y.
/// State stays in double for every section: this keeps low-frequency sections (a few Hz at 96 kHz)
/// accurate and costs nothing extra on arm64/x64 scalar units.
/// Denormals: state magnitudes below 1e-200 are flushed at block end. That is far above the double
/// subnormal range and far below anything that can reach a float output, so flushing never changes
/// an output bit (which keeps results independent of block size).
/// </remarks>
internal static class BiquadKernel
{
    private const double FlushThreshold = 1e-200;

    /// <summary>Runs <paramref name="design"/> over one channel in place, via a double scratch buffer.</summary>
    public static void ProcessChannel(CascadeDesign design, Span<float> samples, Span<double> state, Span<double> scratch)
    {
        var sections = design.Sections;
        if (sections.Length == 0)
        {
            return;
        }

        // Chunked by the scratch length, so any block length works (the result does not depend on chunking).
        var slots = design.Slots;
        for (int start = 0; start < samples.Length; start += scratch.Length)
        {
            var chunk = samples.Slice(start, Math.Min(scratch.Length, samples.Length - start));
            var work = scratch[..chunk.Length];
            for (int i = 0; i < chunk.Length; i++)
            {
                work[i] = chunk[i];
            }

            for (int k = 0; k < sections.Length; k++)
            {
                int slot = slots[k] * 2;
                RunSection(work, sections[k], ref state[slot], ref state[slot + 1]);
            }

            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = ToFloat(work[i]);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="design"/> over a stereo pair in place: left and right are the two lanes of a
    /// <see cref="Vector128{T}"/> of double (NEON and SSE2 alike), with exactly the scalar arithmetic (separate
    /// multiply and add, no fusion), so each channel's output is bit-identical to <see cref="ProcessChannel"/>.
    /// <paramref name="scratch"/> holds interleaved frames (two doubles each).
    /// </summary>
    public static void ProcessStereo(CascadeDesign design, Span<float> left, Span<float> right, Span<double> stateLeft, Span<double> stateRight, Span<double> scratch)
    {
        var sections = design.Sections;
        if (sections.Length == 0)
        {
            return;
        }

        var slots = design.Slots;
        int chunkFrames = scratch.Length / 2;
        for (int start = 0; start < left.Length; start += chunkFrames)
        {
            int n = Math.Min(chunkFrames, left.Length - start);
            var chunkLeft = left.Slice(start, n);
            var chunkRight = right.Slice(start, n);
            var work = scratch[..(2 * n)];
            int i = 0;
            for (; i + 1 < n; i += 2)
            {
                StereoFrames.LoadTwoFrames(chunkLeft, chunkRight, i, out Vector128<double> first, out Vector128<double> second);
                first.StoreUnsafe(ref MemoryMarshal.GetReference(work), (nuint)(2 * i));
                second.StoreUnsafe(ref MemoryMarshal.GetReference(work), (nuint)((2 * i) + 2));
            }

            for (; i < n; i++)
            {
                work[2 * i] = chunkLeft[i];
                work[(2 * i) + 1] = chunkRight[i];
            }

            // Three (or two) sections per pass: their recursions are independent, so the CPU overlaps them (a lone section
            // is bound by the latency of its own recursion). Per section the arithmetic is unchanged.
            int k = 0;
            for (; k + 2 < sections.Length; k += 3)
            {
                RunThreeSectionsStereo(work, sections[k], sections[k + 1], sections[k + 2], slots[k] * 2, slots[k + 1] * 2, slots[k + 2] * 2, stateLeft, stateRight);
            }

            for (; k + 1 < sections.Length; k += 2)
            {
                int slot = slots[k] * 2, next = slots[k + 1] * 2;
                RunTwoSectionsStereo(
                    work,
                    sections[k],
                    sections[k + 1],
                    ref stateLeft[slot],
                    ref stateLeft[slot + 1],
                    ref stateRight[slot],
                    ref stateRight[slot + 1],
                    ref stateLeft[next],
                    ref stateLeft[next + 1],
                    ref stateRight[next],
                    ref stateRight[next + 1]);
            }

            if (k < sections.Length)
            {
                int slot = slots[k] * 2;
                RunSectionStereo(work, sections[k], ref stateLeft[slot], ref stateLeft[slot + 1], ref stateRight[slot], ref stateRight[slot + 1]);
            }

            // Back to float two frames at a time (ToFloat per lane: magnitudes below 1e-30 become +0).
            Vector128<double> tiny = Vector128.Create(1e-30);
            for (i = 0; i + 1 < n; i += 2)
            {
                Vector128<double> first = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(work), (nuint)(2 * i));
                Vector128<double> second = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(work), (nuint)((2 * i) + 2));
                Vector128<double> l = Vector128.Create(first.ToScalar(), second.ToScalar());
                Vector128<double> r = Vector128.Create(first.GetElement(1), second.GetElement(1));
                StereoFrames.StorePair(chunkLeft, i, Vector128.AndNot(l, Vector128.LessThan(Vector128.Abs(l), tiny)));
                StereoFrames.StorePair(chunkRight, i, Vector128.AndNot(r, Vector128.LessThan(Vector128.Abs(r), tiny)));
            }

            for (; i < n; i++)
            {
                chunkLeft[i] = ToFloat(work[2 * i]);
                chunkRight[i] = ToFloat(work[(2 * i) + 1]);
            }
        }
    }

    /// <summary>Converts to float, flushing magnitudes below 1e-30 to 0 so no subnormal float leaves a processor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToFloat(double value) => Math.Abs(value) < 1e-30 ? 0f : (float)value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunSection(Span<double> work, in BiquadCoefficients c, ref double state1, ref double state2)
    {
        double b0 = c.B0, b1 = c.B1, b2 = c.B2, a1 = c.A1, a2 = c.A2;
        double s1 = state1, s2 = state2;
        for (int i = 0; i < work.Length; i++)
        {
            double x = work[i];
            double y = b0 * x + s1;
            s1 = b1 * x - a1 * y + s2;
            s2 = b2 * x - a2 * y;
            work[i] = y;
        }

        state1 = Flush(s1);
        state2 = Flush(s2);
    }

    /// <summary>Three consecutive sections in one pass over interleaved stereo frames, arithmetic as <see cref="RunSectionStereo"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunThreeSectionsStereo(Span<double> work, in BiquadCoefficients c, in BiquadCoefficients d, in BiquadCoefficients e, int slotC, int slotD, int slotE, Span<double> stateLeft, Span<double> stateRight)
    {
        // Legend: per section (c, d, e) numerator n*0..2, denominator *1..2, states *s1/*s2; x → y → z → u.
        var cb0 = Vector128.Create(c.B0);
        var cb1 = Vector128.Create(c.B1);
        var cb2 = Vector128.Create(c.B2);
        var ca1 = Vector128.Create(c.A1);
        var ca2 = Vector128.Create(c.A2);
        var db0 = Vector128.Create(d.B0);
        var db1 = Vector128.Create(d.B1);
        var db2 = Vector128.Create(d.B2);
        var da1 = Vector128.Create(d.A1);
        var da2 = Vector128.Create(d.A2);
        var eb0 = Vector128.Create(e.B0);
        var eb1 = Vector128.Create(e.B1);
        var eb2 = Vector128.Create(e.B2);
        var ea1 = Vector128.Create(e.A1);
        var ea2 = Vector128.Create(e.A2);
        var cs1 = Vector128.Create(stateLeft[slotC], stateRight[slotC]);
        var cs2 = Vector128.Create(stateLeft[slotC + 1], stateRight[slotC + 1]);
        var ds1 = Vector128.Create(stateLeft[slotD], stateRight[slotD]);
        var ds2 = Vector128.Create(stateLeft[slotD + 1], stateRight[slotD + 1]);
        var es1 = Vector128.Create(stateLeft[slotE], stateRight[slotE]);
        var es2 = Vector128.Create(stateLeft[slotE + 1], stateRight[slotE + 1]);
        ref double w = ref MemoryMarshal.GetReference(work);
        int frames = work.Length / 2;
        for (int i = 0; i < frames; i++)
        {
            var x = Vector128.LoadUnsafe(ref w, (nuint)(2 * i));
            var y = (cb0 * x) + cs1;
            cs1 = ((cb1 * x) - (ca1 * y)) + cs2;
            cs2 = (cb2 * x) - (ca2 * y);
            var z = (db0 * y) + ds1;
            ds1 = ((db1 * y) - (da1 * z)) + ds2;
            ds2 = (db2 * y) - (da2 * z);
            var u = (eb0 * z) + es1;
            es1 = ((eb1 * z) - (ea1 * u)) + es2;
            es2 = (eb2 * z) - (ea2 * u);
            u.StoreUnsafe(ref w, (nuint)(2 * i));
        }

        Store(cs1, cs2, slotC, stateLeft, stateRight);
        Store(ds1, ds2, slotD, stateLeft, stateRight);
        Store(es1, es2, slotE, stateLeft, stateRight);
    }

    private static void Store(Vector128<double> s1, Vector128<double> s2, int slot, Span<double> stateLeft, Span<double> stateRight)
    {
        stateLeft[slot] = Flush(s1.GetElement(0));
        stateRight[slot] = Flush(s1.GetElement(1));
        stateLeft[slot + 1] = Flush(s2.GetElement(0));
        stateRight[slot + 1] = Flush(s2.GetElement(1));
    }

    /// <summary>Two consecutive sections in one pass over interleaved stereo frames, arithmetic as <see cref="RunSectionStereo"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunTwoSectionsStereo(
        Span<double> work,
        in BiquadCoefficients c,
        in BiquadCoefficients d,
        ref double left1,
        ref double left2,
        ref double right1,
        ref double right2,
        ref double nextLeft1,
        ref double nextLeft2,
        ref double nextRight1,
        ref double nextRight2)
    {
        // Legend: b*/a* first section, e*/f* second section (numerator/denominator), s*/t* their states.
        var b0 = Vector128.Create(c.B0);
        var b1 = Vector128.Create(c.B1);
        var b2 = Vector128.Create(c.B2);
        var a1 = Vector128.Create(c.A1);
        var a2 = Vector128.Create(c.A2);
        var e0 = Vector128.Create(d.B0);
        var e1 = Vector128.Create(d.B1);
        var e2 = Vector128.Create(d.B2);
        var f1 = Vector128.Create(d.A1);
        var f2 = Vector128.Create(d.A2);
        var s1 = Vector128.Create(left1, right1);
        var s2 = Vector128.Create(left2, right2);
        var t1 = Vector128.Create(nextLeft1, nextRight1);
        var t2 = Vector128.Create(nextLeft2, nextRight2);
        ref double w = ref MemoryMarshal.GetReference(work);
        int frames = work.Length / 2;
        for (int i = 0; i < frames; i++)
        {
            var x = Vector128.LoadUnsafe(ref w, (nuint)(2 * i));
            var y = (b0 * x) + s1;
            s1 = ((b1 * x) - (a1 * y)) + s2;
            s2 = (b2 * x) - (a2 * y);
            var z = (e0 * y) + t1;
            t1 = ((e1 * y) - (f1 * z)) + t2;
            t2 = (e2 * y) - (f2 * z);
            z.StoreUnsafe(ref w, (nuint)(2 * i));
        }

        left1 = Flush(s1.GetElement(0));
        right1 = Flush(s1.GetElement(1));
        left2 = Flush(s2.GetElement(0));
        right2 = Flush(s2.GetElement(1));
        nextLeft1 = Flush(t1.GetElement(0));
        nextRight1 = Flush(t1.GetElement(1));
        nextLeft2 = Flush(t2.GetElement(0));
        nextRight2 = Flush(t2.GetElement(1));
    }

    /// <summary>One section over interleaved stereo frames (lane 0 left, lane 1 right).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunSectionStereo(Span<double> work, in BiquadCoefficients c, ref double left1, ref double left2, ref double right1, ref double right2)
    {
        var b0 = Vector128.Create(c.B0);
        var b1 = Vector128.Create(c.B1);
        var b2 = Vector128.Create(c.B2);
        var a1 = Vector128.Create(c.A1);
        var a2 = Vector128.Create(c.A2);
        var s1 = Vector128.Create(left1, right1);
        var s2 = Vector128.Create(left2, right2);
        ref double w = ref MemoryMarshal.GetReference(work);
        int frames = work.Length / 2;
        for (int i = 0; i < frames; i++)
        {
            var x = Vector128.LoadUnsafe(ref w, (nuint)(2 * i));
            var y = (b0 * x) + s1;
            s1 = ((b1 * x) - (a1 * y)) + s2;
            s2 = (b2 * x) - (a2 * y);
            y.StoreUnsafe(ref w, (nuint)(2 * i));
        }

        left1 = Flush(s1.GetElement(0));
        right1 = Flush(s1.GetElement(1));
        left2 = Flush(s2.GetElement(0));
        right2 = Flush(s2.GetElement(1));
    }

    /// <summary>One sample through one section (for per-sample side chains).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Tick(double x, in BiquadCoefficients c, ref double s1, ref double s2)
    {
        double y = c.B0 * x + s1;
        s1 = c.B1 * x - c.A1 * y + s2;
        s2 = c.B2 * x - c.A2 * y;
        return y;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Flush(double value) => Math.Abs(value) < FlushThreshold ? 0 : value;

    /// <summary>Flushes every state register (block end).</summary>
    public static void FlushAll(Span<double> state)
    {
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = Flush(state[i]);
        }
    }
}
