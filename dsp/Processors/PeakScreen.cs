using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// The screening scan of the peak detectors (<see cref="OversampledPeakDetector"/>, <see cref="Metering.TruePeakDetector"/>):
/// the largest magnitude of a short stretch of their (sanitised, finite) history, four samples per
/// <see cref="Vector128{T}"/> with the native max (one instruction on SSE2 and NEON; the values are finite and
/// non-negative, where it equals the IEEE maximum). Cheaper than a general library call for stretches of ~60 samples.
/// </summary>
internal static class PeakScreen
{
    /// <summary>max |x[i]| over <paramref name="x"/> (at least 4 finite samples).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float AbsMax(ReadOnlySpan<float> x)
    {
        ref float start = ref MemoryMarshal.GetReference(x);
        int length = x.Length;
        Vector128<float> m = Vector128.Abs(Vector128.LoadUnsafe(ref start, (nuint)(length - 4)));
        for (int i = 0; i + 4 <= length; i += 4)
        {
            m = Vector128.MaxNative(m, Vector128.Abs(Vector128.LoadUnsafe(ref start, (nuint)i)));
        }

        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }
}
