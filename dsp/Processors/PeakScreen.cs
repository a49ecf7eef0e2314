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

    /// <summary>
    /// max |x[i]| over <paramref name="x"/> (any length; 0 when empty) and whether every sample is finite (when not,
    /// the value is meaningless and the caller rescans). Eight samples per step in two <see cref="Vector128{T}"/>
    /// accumulators with the native max; a sample is non-finite when its magnitude's bits exceed float.MaxValue's.
    /// Cheaper than TensorPrimitives.MaxMagnitude, whose IEEE NaN and signed-zero handling the meters do not need.
    /// </summary>
    public static float FiniteAbsMax(ReadOnlySpan<float> x, out bool allFinite)
    {
        ref float start = ref MemoryMarshal.GetReference(x);
        int length = x.Length;
        Vector128<float> m0 = Vector128<float>.Zero, m1 = Vector128<float>.Zero;
        Vector128<int> bad = Vector128<int>.Zero;
        Vector128<int> largest = Vector128.Create(0x7F7FFFFF);
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            Vector128<float> a0 = Vector128.Abs(Vector128.LoadUnsafe(ref start, (nuint)i));
            Vector128<float> a1 = Vector128.Abs(Vector128.LoadUnsafe(ref start, (nuint)(i + 4)));
            m0 = Vector128.MaxNative(m0, a0);
            m1 = Vector128.MaxNative(m1, a1);
            bad |= Vector128.GreaterThan(a0.AsInt32(), largest) | Vector128.GreaterThan(a1.AsInt32(), largest);
        }

        if (i + 4 <= length)
        {
            Vector128<float> a = Vector128.Abs(Vector128.LoadUnsafe(ref start, (nuint)i));
            m0 = Vector128.MaxNative(m0, a);
            bad |= Vector128.GreaterThan(a.AsInt32(), largest);
            i += 4;
        }

        Vector128<float> m = Vector128.MaxNative(m0, m1);
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.MaxNative(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        float peak = m.ToScalar();
        bool finite = bad == Vector128<int>.Zero;
        for (; i < length; i++)
        {
            float a = Math.Abs(Unsafe.Add(ref start, i));
            finite &= float.IsFinite(a);
            peak = a > peak ? a : peak;
        }

        allFinite = finite;
        return peak;
    }
}
