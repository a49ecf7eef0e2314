namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// Hands a value type from one writer (a control thread, serialised by its owner's lock) to one reader (the audio
/// thread) without allocating, locking or tearing: three slots; the writer fills the one it owns (back) and swaps it
/// into the shared one (middle), marked fresh, in one atomic exchange; the reader, at block start, swaps a fresh middle
/// with the one it reads (front). The writer never touches the front and the reader never the back, so a slot is
/// rewritten only once the reader can no longer be reading it, and the reader always gets the latest value.
/// </summary>
/// <typeparam name="T">The value handed over (settings, a design).</typeparam>
internal sealed class TripleBuffer<T>
    where T : struct
{
    private const int Fresh = 4; // bit set in _middle when it holds a value the reader has not taken yet
    private const int IndexMask = 3;

    private readonly T[] _slots = new T[3];
    private int _middle = 1; // shared: index | Fresh
    private int _back = 2;   // writer only
    private int _front;      // reader only

    /// <summary>Creates the buffer with every slot holding <paramref name="initial"/>.</summary>
    public TripleBuffer(in T initial)
    {
        _slots[0] = initial;
        _slots[1] = initial;
        _slots[2] = initial;
    }

    /// <summary>The value the reader holds. Reader only (or any thread while the reader is not running).</summary>
    public ref readonly T Front => ref _slots[_front];

    /// <summary>Publishes <paramref name="value"/>. Writer only (one at a time).</summary>
    public void Publish(in T value)
    {
        _slots[_back] = value;
        _back = Interlocked.Exchange(ref _middle, _back | Fresh) & IndexMask;
    }

    /// <summary>Takes the latest published value into <see cref="Front"/>, if there is a new one. Reader only; allocation- and lock-free.</summary>
    /// <returns>True when <see cref="Front"/> changed.</returns>
    public bool TryTake()
    {
        if ((Volatile.Read(ref _middle) & Fresh) == 0)
        {
            return false;
        }

        _front = Interlocked.Exchange(ref _middle, _front) & IndexMask;
        return true;
    }
}
