using System.Runtime.CompilerServices;

namespace HardwareMaster.Hal.Concurrency;

/// <summary>
/// A bounded, lock-free single-producer / single-consumer ring of small unmanaged values.
/// Used for parameter changes (control → audio), input events (GPIO callback → control loop)
/// and anything else that must cross threads without a lock or an allocation.
/// </summary>
/// <remarks>
/// Exactly one thread may call <see cref="TryWrite"/> and exactly one (other) thread may call
/// <see cref="TryRead"/>. Neither call allocates, blocks or throws. The indices are free-running
/// 64-bit counters, so wrap-around is not a concern in practice.
/// </remarks>
/// <typeparam name="T">An unmanaged value type (copied in and out).</typeparam>
public sealed class SpscRing<T>
    where T : unmanaged
{
    private readonly T[] _items;
    private readonly long _mask;
    private PaddedLong _head; // next index to read; written by the consumer only
    private PaddedLong _tail; // next index to write; written by the producer only

    /// <summary>Creates a ring holding up to <paramref name="capacityPowerOfTwo"/> items.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is not a power of two ≥ 2.</exception>
    public SpscRing(int capacityPowerOfTwo)
    {
        if (capacityPowerOfTwo < 2 || (capacityPowerOfTwo & (capacityPowerOfTwo - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacityPowerOfTwo), capacityPowerOfTwo, "The capacity must be a power of two of at least 2.");
        }

        _items = new T[capacityPowerOfTwo];
        _mask = capacityPowerOfTwo - 1;
    }

    /// <summary>How many items the ring holds when full.</summary>
    public int Capacity => _items.Length;

    /// <summary>Approximate number of queued items (exact when called from either owning thread while the other is idle).</summary>
    public int Count => (int)(Volatile.Read(ref _tail.Value) - Volatile.Read(ref _head.Value));

    /// <summary>Appends <paramref name="item"/>. Producer thread only.</summary>
    /// <returns><c>false</c> (and drops nothing already queued) when the ring is full.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite(in T item)
    {
        long tail = _tail.Value;
        if (tail - Volatile.Read(ref _head.Value) >= _items.Length)
        {
            return false;
        }

        _items[tail & _mask] = item;
        Volatile.Write(ref _tail.Value, tail + 1); // publish after the item is stored
        return true;
    }

    /// <summary>Removes the oldest item. Consumer thread only.</summary>
    /// <returns><c>false</c> when the ring is empty.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(out T item)
    {
        long head = _head.Value;
        if (head == Volatile.Read(ref _tail.Value))
        {
            item = default;
            return false;
        }

        item = _items[head & _mask];
        Volatile.Write(ref _head.Value, head + 1); // release the slot after the item is copied
        return true;
    }
}

/// <summary>A long alone on its cache line (explicit layout is not allowed inside generic types, so it lives here).</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    /// <summary>The value, 64 bytes in so neighbours on either side do not share its cache line.</summary>
    [System.Runtime.InteropServices.FieldOffset(64)]
    public long Value;
}
