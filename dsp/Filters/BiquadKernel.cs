using System.Runtime.CompilerServices;

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
