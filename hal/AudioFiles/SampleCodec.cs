using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HardwareMaster.Hal.AudioFiles;

/// <summary>
/// Tight conversion loops between stored samples and float. One call converts a whole buffer,
/// so the format switch happens once per buffer, never per sample.
/// </summary>
/// <remarks>
/// Integer → float divides by 2^(bits−1) exactly (a multiplication by an exact power of two), so a
/// 16- or 24-bit value always comes back bit-exact. Float → integer scales by 2^(bits−1), rounds to
/// nearest (ties to even), clamps to the integer range (+1.0 becomes the maximum, never wraps) and
/// turns NaN into 0. Float files store what they are given, NaN included.
/// </remarks>
internal static class SampleCodec
{
    private const float Scale16 = 1f / 32768f;
    private const float Scale24 = 1f / 8388608f;
    private const double Scale32 = 1.0 / 2147483648.0;

    /// <summary>Decodes <paramref name="destination"/>.Length samples from <paramref name="source"/>.</summary>
    public static void Decode(SampleEncoding encoding, bool bigEndian, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (encoding)
        {
            case SampleEncoding.Pcm16:
                if (bigEndian)
                {
                    DecodePcm16BigEndian(source, destination);
                }
                else
                {
                    DecodePcm16LittleEndian(source, destination);
                }

                break;
            case SampleEncoding.Pcm24:
                DecodePcm24(source, destination, bigEndian);
                break;
            case SampleEncoding.Pcm32:
                DecodePcm32(source, destination, bigEndian);
                break;
            case SampleEncoding.Float32:
                DecodeFloat32(source, destination, bigEndian);
                break;
            case SampleEncoding.Float64:
                DecodeFloat64(source, destination, bigEndian);
                break;
        }
    }

    /// <summary>Encodes all of <paramref name="source"/> into <paramref name="destination"/> (which must be large enough).</summary>
    public static void Encode(SampleEncoding encoding, bool bigEndian, ReadOnlySpan<float> source, Span<byte> destination)
    {
        switch (encoding)
        {
            case SampleEncoding.Pcm16:
                EncodePcm16(source, destination, bigEndian);
                break;
            case SampleEncoding.Pcm24:
                EncodePcm24(source, destination, bigEndian);
                break;
            case SampleEncoding.Pcm32:
                EncodePcm32(source, destination, bigEndian);
                break;
            case SampleEncoding.Float32:
                EncodeFloat32(source, destination, bigEndian);
                break;
            case SampleEncoding.Float64:
                EncodeFloat64(source, destination, bigEndian);
                break;
        }
    }

    /// <summary>Float → signed integer with <paramref name="bits"/> bits: scale, round to nearest, clamp, NaN → 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Quantize(float sample, int bits)
    {
        double scale = bits switch
        {
            16 => 32768.0,
            24 => 8388608.0,
            _ => 2147483648.0,
        };
        return Quantize(sample, scale, scale - 1.0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Quantize(float sample, double scale, double max)
    {
        // The product is exact in double (24-bit mantissa times a power of two).
        double value = RoundToEven(sample * scale);
        if (value >= max)
        {
            return (int)max;
        }

        if (value <= -scale)
        {
            return (int)-scale;
        }

        // NaN fails both comparisons above; (int)NaN is 0 on .NET, but say so explicitly.
        return double.IsNaN(value) ? 0 : (int)value;
    }

    // Math.Round (ties to even), bit-identical. On x64 by adding and removing 2^52 (exact for |x| < 2^52; larger values
    // are integers): the x64 Native AOT baseline has no SSE4.1, so Math.Round is a software call there. ARM64: the instruction.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double RoundToEven(double x)
    {
        if (System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported)
        {
            return Math.Round(x);
        }

        return RoundToEvenByBias(x);
    }

    // The 2^52 bias path of RoundToEven (internal: tests run it on CPUs that have the instruction).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double RoundToEvenByBias(double x)
    {
        const double TwoPow52 = 4503599627370496.0;
        double a = Math.Abs(x);
        return a < TwoPow52 ? Math.CopySign((a + TwoPow52) - TwoPow52, x) : x;
    }

    private static void DecodePcm16LittleEndian(ReadOnlySpan<byte> source, Span<float> destination)
    {
        ref byte src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int count = destination.Length;
        if (BitConverter.IsLittleEndian)
        {
            ReadOnlySpan<short> samples = MemoryMarshal.Cast<byte, short>(source)[..count];
            ref short s = ref MemoryMarshal.GetReference(samples);
            for (int i = 0; i < count; i++)
            {
                Unsafe.Add(ref dst, i) = Unsafe.Add(ref s, i) * Scale16;
            }

            return;
        }

        for (int i = 0; i < count; i++)
        {
            short value = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<short>(ref Unsafe.Add(ref src, i * 2)));
            Unsafe.Add(ref dst, i) = value * Scale16;
        }
    }

    private static void DecodePcm16BigEndian(ReadOnlySpan<byte> source, Span<float> destination)
    {
        ref byte src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int count = destination.Length;
        for (int i = 0; i < count; i++)
        {
            ref byte b = ref Unsafe.Add(ref src, i * 2);
            short value = (short)((b << 8) | Unsafe.Add(ref b, 1));
            Unsafe.Add(ref dst, i) = value * Scale16;
        }
    }

    private static void DecodePcm24(ReadOnlySpan<byte> source, Span<float> destination, bool bigEndian)
    {
        // Legend: b = first byte of the 3-byte sample; the value is assembled in the top 24 bits of an
        // int and shifted down arithmetically, which sign-extends it.
        ref byte src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int count = destination.Length;
        if (bigEndian)
        {
            for (int i = 0; i < count; i++)
            {
                ref byte b = ref Unsafe.Add(ref src, i * 3);
                int value = ((b << 24) | (Unsafe.Add(ref b, 1) << 16) | (Unsafe.Add(ref b, 2) << 8)) >> 8;
                Unsafe.Add(ref dst, i) = value * Scale24;
            }

            return;
        }

        // Little-endian, all but the last sample: one 4-byte load (the sample's 3 bytes and the next sample's first one,
        // which the shift drops) shifted up and arithmetically down; the same bits as assembling the 3 bytes.
        int n = 0;
        for (; n + 1 < count; n++)
        {
            int value = (Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref src, n * 3)) << 8) >> 8;
            Unsafe.Add(ref dst, n) = value * Scale24;
        }

        for (; n < count; n++)
        {
            ref byte b = ref Unsafe.Add(ref src, n * 3);
            int value = ((b << 8) | (Unsafe.Add(ref b, 1) << 16) | (Unsafe.Add(ref b, 2) << 24)) >> 8;
            Unsafe.Add(ref dst, n) = value * Scale24;
        }
    }

    private static void DecodePcm32(ReadOnlySpan<byte> source, Span<float> destination, bool bigEndian)
    {
        ref byte src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int count = destination.Length;
        bool swap = bigEndian == BitConverter.IsLittleEndian;
        for (int i = 0; i < count; i++)
        {
            int value = Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref src, i * 4));
            if (swap)
            {
                value = BinaryPrimitives.ReverseEndianness(value);
            }

            // One rounding (int → double is exact, the scale is a power of two, double → float rounds once).
            Unsafe.Add(ref dst, i) = (float)(value * Scale32);
        }
    }

    private static void DecodeFloat32(ReadOnlySpan<byte> source, Span<float> destination, bool bigEndian)
    {
        int count = destination.Length;
        ReadOnlySpan<byte> bytes = source[..(count * 4)];
        if (bigEndian != BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(destination));
            return;
        }

        ReadOnlySpan<int> raw = MemoryMarshal.Cast<byte, int>(bytes);
        BinaryPrimitives.ReverseEndianness(raw, MemoryMarshal.Cast<float, int>(destination));
    }

    private static void DecodeFloat64(ReadOnlySpan<byte> source, Span<float> destination, bool bigEndian)
    {
        ref byte src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int count = destination.Length;
        bool swap = bigEndian == BitConverter.IsLittleEndian;
        for (int i = 0; i < count; i++)
        {
            long raw = Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref src, i * 8));
            if (swap)
            {
                raw = BinaryPrimitives.ReverseEndianness(raw);
            }

            Unsafe.Add(ref dst, i) = (float)BitConverter.Int64BitsToDouble(raw);
        }
    }

    private static void EncodePcm16(ReadOnlySpan<float> source, Span<byte> destination, bool bigEndian)
    {
        Span<byte> bytes = destination[..(source.Length * 2)];
        for (int i = 0; i < source.Length; i++)
        {
            short value = (short)Quantize(source[i], 32768.0, 32767.0);
            if (bigEndian)
            {
                BinaryPrimitives.WriteInt16BigEndian(bytes.Slice(i * 2, 2), value);
            }
            else
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes.Slice(i * 2, 2), value);
            }
        }
    }

    private static void EncodePcm24(ReadOnlySpan<float> source, Span<byte> destination, bool bigEndian)
    {
        Span<byte> bytes = destination[..(source.Length * 3)];
        int i = bigEndian ? 0 : EncodePcm24LittleEndianVector(source, bytes);
        for (; i < source.Length; i++)
        {
            int value = Quantize(source[i], 8388608.0, 8388607.0);
            int at = i * 3;
            if (bigEndian)
            {
                bytes[at] = (byte)(value >> 16);
                bytes[at + 1] = (byte)(value >> 8);
                bytes[at + 2] = (byte)value;
            }
            else
            {
                bytes[at] = (byte)value;
                bytes[at + 1] = (byte)(value >> 8);
                bytes[at + 2] = (byte)(value >> 16);
            }
        }
    }

    // Four samples per Vector128<float>, bit-identical to Quantize: x·2^23 is exact in float (a power-of-two scale; an
    // overflow to ±∞ clamps as the huge double does); |v| < 2^23 rounds to nearest even by adding and removing 2^23
    // (float's unit step there is 1), larger |v| are integers already; the sign is copied back (−0.3 → −0 → 0); then
    // the clamp to [−2^23, 2^23 − 1] and NaN → 0. Each lane is stored as a 4-byte little-endian int whose top byte the
    // next sample's store overwrites, so the loop stops while samples follow (the rest go through the scalar loop).
    // Returns how many samples it encoded.
    private static int EncodePcm24LittleEndianVector(ReadOnlySpan<float> source, Span<byte> bytes)
    {
        if (!BitConverter.IsLittleEndian || !Vector128.IsHardwareAccelerated)
        {
            return 0;
        }

        ref float src = ref MemoryMarshal.GetReference(source);
        ref byte dst = ref MemoryMarshal.GetReference(bytes);
        Vector128<float> scale = Vector128.Create(8388608f), big = Vector128.Create(8388608f);
        Vector128<float> max = Vector128.Create(8388607f), min = Vector128.Create(-8388608f);
        Vector128<float> signMask = Vector128.Create(-0f);
        int i = 0;
        for (; i + 4 < source.Length; i += 4)
        {
            Vector128<float> v = Vector128.LoadUnsafe(ref src, (nuint)i) * scale;
            Vector128<float> a = Vector128.Abs(v);
            Vector128<float> rounded = Vector128.ConditionalSelect(Vector128.LessThan(a, big), (a + big) - big, a) | (v & signMask);
            rounded = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(rounded, max), max, rounded);
            rounded = Vector128.ConditionalSelect(Vector128.LessThanOrEqual(rounded, min), min, rounded);
            rounded = rounded & Vector128.Equals(rounded, rounded);
            Vector128<int> values = Vector128.ConvertToInt32Native(rounded);
            ref byte at = ref Unsafe.Add(ref dst, i * 3);
            Unsafe.WriteUnaligned(ref at, values.ToScalar());
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 3), values.GetElement(1));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 6), values.GetElement(2));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 9), values.GetElement(3));
        }

        return i;
    }

    private static void EncodePcm32(ReadOnlySpan<float> source, Span<byte> destination, bool bigEndian)
    {
        Span<byte> bytes = destination[..(source.Length * 4)];
        for (int i = 0; i < source.Length; i++)
        {
            int value = Quantize(source[i], 2147483648.0, 2147483647.0);
            if (bigEndian)
            {
                BinaryPrimitives.WriteInt32BigEndian(bytes.Slice(i * 4, 4), value);
            }
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes.Slice(i * 4, 4), value);
            }
        }
    }

    private static void EncodeFloat32(ReadOnlySpan<float> source, Span<byte> destination, bool bigEndian)
    {
        Span<byte> bytes = destination[..(source.Length * 4)];
        if (bigEndian != BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(source).CopyTo(bytes);
            return;
        }

        BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(source), MemoryMarshal.Cast<byte, int>(bytes));
    }

    private static void EncodeFloat64(ReadOnlySpan<float> source, Span<byte> destination, bool bigEndian)
    {
        Span<byte> bytes = destination[..(source.Length * 8)];
        for (int i = 0; i < source.Length; i++)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteDoubleBigEndian(bytes.Slice(i * 8, 8), source[i]);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.Slice(i * 8, 8), source[i]);
            }
        }
    }
}
