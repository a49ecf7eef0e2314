using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HardwareMaster.Hal.Input;

/// <summary>
/// Bounded lock-free single-producer / single-consumer ring used by the control bindings.
/// Same contract and algorithm as <c>Concurrency.SpscRing&lt;T&gt;</c>; it exists only because that
/// type currently fails to load (an explicit-layout struct nested in a generic class is generic,
/// and the runtime rejects explicit layout on generic types). Replace with <c>SpscRing</c> once fixed.
/// </summary>
/// <typeparam name="T">An unmanaged value type.</typeparam>
internal sealed class EventRing<T>
    where T : unmanaged
{
    private readonly T[] _items;
    private readonly long _mask;
    private RingIndex _head; // written by the consumer only
    private RingIndex _tail; // written by the producer only

    public EventRing(int capacityPowerOfTwo)
    {
        if (capacityPowerOfTwo < 2 || (capacityPowerOfTwo & (capacityPowerOfTwo - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacityPowerOfTwo), capacityPowerOfTwo, "The capacity must be a power of two of at least 2.");
        }

        _items = new T[capacityPowerOfTwo];
        _mask = capacityPowerOfTwo - 1;
    }

    public int Count => (int)(Volatile.Read(ref _tail.Value) - Volatile.Read(ref _head.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite(in T item)
    {
        long tail = _tail.Value;
        if (tail - Volatile.Read(ref _head.Value) >= _items.Length)
        {
            return false;
        }

        _items[tail & _mask] = item;
        Volatile.Write(ref _tail.Value, tail + 1);
        return true;
    }

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
        Volatile.Write(ref _head.Value, head + 1);
        return true;
    }
}

/// <summary>A long alone on its cache line (declared outside the generic ring so explicit layout is allowed).</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct RingIndex
{
    [FieldOffset(64)]
    public long Value;
}
