namespace HardwareMaster.App.Engine;

/// <summary>
/// A sequence lock for one unmanaged value with ONE writer that never waits (the audio thread) and readers that retry
/// until they hold a copy no write overlapped. The writer makes the sequence odd, stores the value, and makes it even
/// again; a reader copies the value between two reads of the same even sequence.
/// </summary>
/// <remarks>
/// <para>
/// Write: no allocation, lock, wait or loop — two sequence stores and one full fence (so the value's stores cannot be
/// seen before the odd sequence on a weakly ordered CPU such as the Pi's Cortex-A). Read: a copy and a fence; it loops
/// only while a write is in progress or overlapped, which lasts nanoseconds. A copy may be torn while it is taken, but a
/// torn copy is never returned.
/// </para>
/// <para>Why not a lock: the audio thread must never wait for a reader (a UI thread can be descheduled at any time).</para>
/// </remarks>
/// <typeparam name="T">The value (unmanaged: copying it cannot tear a reference).</typeparam>
public sealed class SeqLock<T>
    where T : unmanaged
{
    private T _value;
    private int _sequence;

    /// <summary>Number of completed writes × 2 (even while no write is in progress). Any thread.</summary>
    public int Sequence => Volatile.Read(ref _sequence);

    /// <summary>Publishes <paramref name="value"/>. One writer thread; never waits, never allocates.</summary>
    /// <param name="value">The value.</param>
    public void Write(in T value)
    {
        int sequence = _sequence;
        Volatile.Write(ref _sequence, sequence + 1);
        Interlocked.MemoryBarrier();
        _value = value;
        Volatile.Write(ref _sequence, sequence + 2); // release: the value is visible before the even sequence
    }

    /// <summary>Takes one attempt at a consistent copy. Any thread.</summary>
    /// <param name="value">The copy, when the result is <c>true</c>.</param>
    /// <returns><c>false</c> when a write was in progress or overlapped the copy.</returns>
    public bool TryRead(out T value)
    {
        int before = Volatile.Read(ref _sequence);
        value = _value;
        Interlocked.MemoryBarrier(); // the copy's loads complete before the sequence is read again
        int after = Volatile.Read(ref _sequence);
        return before == after && (before & 1) == 0;
    }

    /// <summary>A consistent copy, retrying while writes overlap. Any thread; never returns a torn value.</summary>
    /// <returns>The latest published value.</returns>
    public T Read()
    {
        T value;
        var spinner = default(SpinWait);
        while (!TryRead(out value))
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        return value;
    }
}
