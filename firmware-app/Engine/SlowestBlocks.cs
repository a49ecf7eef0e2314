namespace HardwareMaster.App.Engine;

/// <summary>
/// The slowest blocks of a run (wall-clock time), with when they happened and their CPU time, so an overrun can be placed
/// in time and told apart from start-up effects. One writer (the audio thread: a compare per block, no allocation);
/// readers take a copy, exact once the device has stopped and consistent enough while it runs.
/// </summary>
public sealed class SlowestBlocks
{
    private readonly SlowBlock[] _entries;
    private double _threshold; // the smallest wall time kept (0 until full)
    private int _count;

    /// <summary>Creates a record of the <paramref name="capacity"/> slowest blocks.</summary>
    /// <param name="capacity">How many blocks to keep.</param>
    public SlowestBlocks(int capacity = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _entries = new SlowBlock[capacity];
    }

    /// <summary>Offers one block. Audio thread only.</summary>
    /// <param name="block">Block index since the start of the run.</param>
    /// <param name="wallPercent">Wall-clock time, % of the period.</param>
    /// <param name="cpuPercent">CPU time, % of the period.</param>
    /// <param name="garbageCollected">A garbage collection happened during the block.</param>
    /// <param name="minorFaults">Minor page faults of the audio thread since the previous usage sample (≤ 1 s before).</param>
    /// <param name="involuntarySwitches">Involuntary context switches of the audio thread since the previous usage sample.</param>
    public void Offer(long block, double wallPercent, double cpuPercent, bool garbageCollected, long minorFaults = 0, long involuntarySwitches = 0)
    {
        if (wallPercent <= _threshold)
        {
            return;
        }

        var entry = new SlowBlock(block, wallPercent, cpuPercent, garbageCollected, minorFaults, involuntarySwitches);
        if (_count < _entries.Length)
        {
            _entries[_count++] = entry;
            if (_count == _entries.Length)
            {
                _threshold = SmallestWall(out _);
            }

            return;
        }

        _ = SmallestWall(out int smallest);
        _entries[smallest] = entry;
        _threshold = SmallestWall(out _);
    }

    /// <summary>The wall time (% of the period) a block must exceed to be kept now. Audio thread.</summary>
    public double Threshold => _threshold;

    /// <summary>The blocks kept, slowest first. Any thread.</summary>
    /// <returns>A copy.</returns>
    public SlowBlock[] Snapshot()
    {
        SlowBlock[] copy = _entries[..Math.Min(Volatile.Read(ref _count), _entries.Length)];
        Array.Sort(copy, static (a, b) => b.WallPercent.CompareTo(a.WallPercent));
        return copy;
    }

    private double SmallestWall(out int index)
    {
        index = 0;
        for (int i = 1; i < _entries.Length; i++)
        {
            if (_entries[i].WallPercent < _entries[index].WallPercent)
            {
                index = i;
            }
        }

        return _entries[index].WallPercent;
    }
}

/// <summary>One slow block.</summary>
/// <param name="Block">Block index since the start of the run (× block period = time into the run).</param>
/// <param name="WallPercent">Wall-clock time in the engine, % of the period.</param>
/// <param name="CpuPercent">CPU time of the audio thread in the engine, % of the period.</param>
/// <param name="GarbageCollected">A garbage collection happened while the block ran.</param>
/// <param name="MinorFaults">Minor page faults of the audio thread between the previous once-a-second usage sample and the end of the block.</param>
/// <param name="InvoluntarySwitches">Involuntary context switches of the audio thread in the same interval.</param>
public readonly record struct SlowBlock(long Block, double WallPercent, double CpuPercent, bool GarbageCollected, long MinorFaults = 0, long InvoluntarySwitches = 0);
