using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// Scalar log/exp approximations for per-sample dynamics (audio thread). Deterministic (no vector/scalar
/// path switch), so results never depend on block length, and several times faster than Math.Log/Math.Exp.
/// </summary>
/// <remarks>
/// Log2: x = m·2^e with m in [√½, √2); log2(m) = (2/ln 2)·atanh(t), t = (m−1)/(m+1), |t| ≤ 0.172, series to t⁹
/// (error &lt; 2e-9). Exp2: y = i + f, f in [−½, ½]; 2^f by its Taylor series to degree 7 (relative error &lt; 2e-8).
/// Both are far inside the 0.1 dB accuracy the compressor's static curve needs.
/// The Vector128 versions do exactly the scalar operations lane by lane (integer↔double conversions through the
/// exact 2^52 bias trick), so they return bit-identical results (tested).
/// </remarks>
internal static class FastMath
{
    private const double TwoOverLn2 = 2.885390081777926814719849362;
    private const double Ln2 = 0.693147180559945309417232121458;
    private const double DbPerLog2 = 6.020599913279623904274777894; // 20·log10(2)

    private const double TwoPow52 = 4503599627370496.0;

    /// <summary>
    /// <see cref="Math.Round(double)"/> (to nearest, ties to even), bit-identical to it for every input (−0 and NaN
    /// included). On ARM64 it is the rounding instruction; on x64 it adds and removes 2^52, because the x64 baseline Native AOT
    /// targets has no SSE4.1, so there <c>Math.Round</c> is a software call (also when the CPU has SSE4.1: a runtime
    /// check then still calls it; measured 2.4 % of a render): for
    /// |x| &lt; 2^52 the sum lies where the spacing of doubles is 1, so the addition itself rounds to an integer (nearest,
    /// ties to even: the default rounding mode); larger magnitudes, infinities and NaN are already their own rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RoundToEven(double x)
    {
        if (AdvSimd.Arm64.IsSupported)
        {
            return Math.Round(x);
        }

        return RoundToEvenByBias(x);
    }

    // The 2^52 bias path of RoundToEven (internal: tests run it on CPUs that have the instruction).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double RoundToEvenByBias(double x)
    {
        double a = Math.Abs(x);
        return a < TwoPow52 ? Math.CopySign((a + TwoPow52) - TwoPow52, x) : x;
    }

    /// <summary>Two lanes of <see cref="RoundToEven(double)"/> (<see cref="Vector128.Round(Vector128{double})"/>), bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> RoundToEven(Vector128<double> x)
    {
        if (AdvSimd.Arm64.IsSupported)
        {
            return Vector128.Round(x);
        }

        return RoundToEvenByBias(x);
    }

    // The 2^52 bias path of the vector RoundToEven (internal: tests run it on CPUs that have the instruction).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> RoundToEvenByBias(Vector128<double> x)
    {
        Vector128<double> magic = Vector128.Create(TwoPow52);
        Vector128<double> a = Vector128.Abs(x);
        Vector128<double> rounded = ((a + magic) - magic) | (x & Vector128.Create(-0.0));
        return Vector128.ConditionalSelect(Vector128.LessThan(a, magic), rounded, x);
    }

    /// <summary>log2(x) for x ≥ 1e-30 (smaller values are clamped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log2(double x)
    {
        if (!(x >= 1e-30))
        {
            x = 1e-30;
        }

        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > 1.4142135623730951)
        {
            m *= 0.5;
            exponent++;
        }

        double t = (m - 1) / (m + 1);
        double t2 = t * t;
        double series = t * (1 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9)))));
        return exponent + TwoOverLn2 * series;
    }

    /// <summary>2^y, y clamped to [−1000, 1000].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp2(double y)
    {
        y = Math.Clamp(y, -1000, 1000);
        double i = RoundToEven(y);
        double f = (y - i) * Ln2;
        double p = 1 + f * (1 + f * (1.0 / 2 + f * (1.0 / 6 + f * (1.0 / 24 + f * (1.0 / 120 + f * (1.0 / 720 + f * (1.0 / 5040)))))));
        long bits = ((long)i + 1023) << 52;
        return p * BitConverter.Int64BitsToDouble(bits);
    }

    /// <summary>20·log10(x) (amplitude to dB).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double AmplitudeToDb(double x) => DbPerLog2 * Log2(x);

    /// <summary>10^(dB/20) (dB to amplitude).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double DbToAmplitude(double db) => Exp2(db / DbPerLog2);

    /// <summary>Two lanes of <see cref="Log2(double)"/>, bit-identical to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Log2(Vector128<double> x)
    {
        Vector128<double> floor = Vector128.Create(1e-30);
        x = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, floor), x, floor);
        Vector128<long> bits = x.AsInt64();

        // 2^52 + biased exponent, read as a double, minus (2^52 + 1023): the unbiased exponent, exactly.
        Vector128<long> biased = Vector128.ShiftRightLogical(bits, 52) & Vector128.Create(0x7FFL);
        Vector128<double> exponent = (biased | Vector128.Create(0x4330000000000000L)).AsDouble() - Vector128.Create(4503599627370496.0 + 1023);
        Vector128<double> m = ((bits & Vector128.Create(0x000FFFFFFFFFFFFFL)) | Vector128.Create(0x3FF0000000000000L)).AsDouble();
        Vector128<double> high = Vector128.GreaterThan(m, Vector128.Create(1.4142135623730951));
        m = Vector128.ConditionalSelect(high, m * Vector128.Create(0.5), m);
        exponent = Vector128.ConditionalSelect(high, exponent + Vector128<double>.One, exponent);

        Vector128<double> one = Vector128<double>.One;
        Vector128<double> t = (m - one) / (m + one);
        Vector128<double> t2 = t * t;
        Vector128<double> series = t * (one + (t2 * (Vector128.Create(1.0 / 3) + (t2 * (Vector128.Create(1.0 / 5) + (t2 * (Vector128.Create(1.0 / 7) + (t2 * Vector128.Create(1.0 / 9)))))))));
        return exponent + (Vector128.Create(TwoOverLn2) * series);
    }

    /// <summary>Two lanes of <see cref="Exp2(double)"/>, bit-identical to it for non-NaN input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp2(Vector128<double> y)
    {
        y = Vector128.Min(Vector128.Max(y, Vector128.Create(-1000.0)), Vector128.Create(1000.0));
        Vector128<double> i = RoundToEven(y);
        Vector128<double> f = (y - i) * Vector128.Create(Ln2);
        Vector128<double> one = Vector128<double>.One;
        Vector128<double> q = Vector128.Create(1.0 / 720) + (f * Vector128.Create(1.0 / 5040));
        q = Vector128.Create(1.0 / 120) + (f * q);
        q = Vector128.Create(1.0 / 24) + (f * q);
        q = Vector128.Create(1.0 / 6) + (f * q);
        q = Vector128.Create(1.0 / 2) + (f * q);
        q = one + (f * q);
        Vector128<double> p = one + (f * q);

        // i + 1023 lies in [23, 2023]: add 2^52 + 1023 and the low bits of the double hold it as an integer.
        Vector128<long> biased = (i + Vector128.Create(4503599627370496.0 + 1023)).AsInt64() & Vector128.Create(0x7FFL);
        return p * Vector128.ShiftLeft(biased, 52).AsDouble();
    }

    /// <summary>Two lanes of <see cref="DbToAmplitude(double)"/>, bit-identical to it for non-NaN input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> DbToAmplitude(Vector128<double> db) => Exp2(db / Vector128.Create(DbPerLog2));
}
