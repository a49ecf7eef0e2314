using System.Runtime.CompilerServices;

namespace HardwareMaster.App.Engine;

/// <summary>Lock-free helpers for publishing non-negative floats between the audio thread and readers.</summary>
internal static class AtomicFloat
{
    /// <summary>
    /// Raises <paramref name="cell"/> to <paramref name="value"/> if larger. The cell holds the bits of a
    /// non-negative float, for which integer order equals float order, so a CAS loop on the bits is a max.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Max(ref int cell, float value)
    {
        if (!(value > 0))
        {
            return; // also rejects NaN
        }

        int bits = BitConverter.SingleToInt32Bits(value);
        int current = Volatile.Read(ref cell);
        while (bits > current)
        {
            int seen = Interlocked.CompareExchange(ref cell, bits, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Reads the cell and resets it to zero in one atomic step (the "max since last read").</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Take(ref int cell) => BitConverter.Int32BitsToSingle(Interlocked.Exchange(ref cell, 0));

    /// <summary>Publishes the latest value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ref int cell, float value) => Volatile.Write(ref cell, BitConverter.SingleToInt32Bits(value));

    /// <summary>Reads the latest value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref int cell) => BitConverter.Int32BitsToSingle(Volatile.Read(ref cell));
}
