using System.Buffers.Binary;

namespace HardwareMaster.Hal.AudioFiles;

/// <summary>
/// The 80-bit IEEE 754 extended-precision number AIFF uses for the sample rate (Apple AIFF 1.3, COMM chunk):
/// 1 sign bit, 15 exponent bits (bias 16383), 64 mantissa bits with an explicit integer bit, big-endian.
/// </summary>
internal static class ExtendedFloat
{
    /// <summary>Reads the 10 bytes as a double. NaN and infinity come back as <see cref="double.NaN"/>.</summary>
    public static double Read(ReadOnlySpan<byte> tenBytes)
    {
        ushort signAndExponent = BinaryPrimitives.ReadUInt16BigEndian(tenBytes);
        ulong mantissa = BinaryPrimitives.ReadUInt64BigEndian(tenBytes[2..]);
        int exponent = signAndExponent & 0x7FFF;
        bool negative = (signAndExponent & 0x8000) != 0;
        if (exponent == 0x7FFF)
        {
            return double.NaN;
        }

        if (mantissa == 0)
        {
            return negative ? -0.0 : 0.0;
        }

        // value = mantissa × 2^(exponent − 16383 − 63). ScaleB saturates to 0 or infinity for extreme exponents.
        double value = Math.ScaleB((double)mantissa, exponent - 16383 - 63);
        return negative ? -value : value;
    }

    /// <summary>Writes a positive whole number (a sample rate) as 10 bytes.</summary>
    public static void Write(uint value, Span<byte> tenBytes)
    {
        if (value == 0)
        {
            tenBytes[..10].Clear();
            return;
        }

        int highestBit = 31 - System.Numerics.BitOperations.LeadingZeroCount(value);
        ushort exponent = (ushort)(16383 + highestBit);
        ulong mantissa = (ulong)value << (63 - highestBit);
        BinaryPrimitives.WriteUInt16BigEndian(tenBytes, exponent);
        BinaryPrimitives.WriteUInt64BigEndian(tenBytes[2..], mantissa);
    }
}
