using System.Diagnostics;

namespace HardwareMaster.App.Engine;

/// <summary>
/// The engine's timing diagnostics: per-block wall and CPU time (% of the period) in lock-free histograms, the slowest
/// blocks, deadline misses by cause, late callbacks of a paced device, and the CPU load since the meter reader's
/// previous read.
/// </summary>
/// <remarks>
/// <see cref="Begin"/> and <see cref="End"/> run on the audio thread (allocation-free); the reads are for any thread;
/// <see cref="Configure"/>, <see cref="Reset"/> and <see cref="NewThread"/> are control-thread calls while no device runs.
/// </remarks>
internal sealed class EngineTiming
{
    private ComputeTimeHistogram _wall = new();
    private ComputeTimeHistogram _cpu = new();
    private SlowestBlocks _slowest = new();
    private long _periodTicks = 1;
    private double _periodNs = 1;
    private bool _paced;
    private int _usageIntervalBlocks = 1;

    // Audio-thread state.
    private long _lastStartTimestamp;
    private int _gcCountAtLastEnd;
    private long _usageFaults = -1; // -1: take the first usage sample at the next block
    private long _usageSwitches;
    private int _usageCountdown;

    // Published (audio thread writes, anyone reads).
    private long _deadlineMisses;
    private long _computeOverruns;
    private long _gcStalls;
    private long _lateCallbacks;
    private long _lateCallbacksAfterGc;
    private int _loadMax; // AtomicFloat cell: wall-clock % of the period, max since the previous TakeLoadPercent

    /// <summary>Sets the period. Control thread, not while running.</summary>
    public void Configure(int sampleRateHz, int blockFrames, bool paced)
    {
        _paced = paced;
        _periodTicks = Math.Max(1, (long)((double)blockFrames * Stopwatch.Frequency / sampleRateHz));
        _periodNs = (double)blockFrames * 1e9 / sampleRateHz;
        _usageIntervalBlocks = Math.Max(1, sampleRateHz / blockFrames); // about once a second
    }

    /// <summary>Clears every statistic. Control thread, not while running.</summary>
    public void Reset()
    {
        Volatile.Write(ref _deadlineMisses, 0);
        Volatile.Write(ref _computeOverruns, 0);
        Volatile.Write(ref _gcStalls, 0);
        Volatile.Write(ref _lateCallbacks, 0);
        Volatile.Write(ref _lateCallbacksAfterGc, 0);
        _wall = new ComputeTimeHistogram();
        _cpu = new ComputeTimeHistogram();
        _slowest = new SlowestBlocks();
        _gcCountAtLastEnd = GC.CollectionCount(0);
        _usageCountdown = _usageIntervalBlocks;
        _ = AtomicFloat.Take(ref _loadMax);
        NewThread();
    }

    /// <summary>The next block comes from a new device thread: no late-callback gap, fresh usage sample. Control thread.</summary>
    public void NewThread()
    {
        _lastStartTimestamp = 0;
        _usageFaults = -1;
    }

    /// <summary>Deadline misses so far, by cause. Any thread.</summary>
    public DeadlineMisses DeadlineMisses
    {
        get
        {
            long misses = Volatile.Read(ref _deadlineMisses);
            long overruns = Volatile.Read(ref _computeOverruns);
            long gcStalls = Volatile.Read(ref _gcStalls);
            return new DeadlineMisses(misses, overruns, gcStalls, Math.Max(0, misses - overruns - gcStalls));
        }
    }

    /// <summary>Total deadline misses. Any thread.</summary>
    public long DeadlineMissCount => Volatile.Read(ref _deadlineMisses);

    /// <summary>Late callbacks of a paced device. Any thread.</summary>
    public long LateCallbacks => Volatile.Read(ref _lateCallbacks);

    /// <summary>Late callbacks with a garbage collection since the previous block. Any thread.</summary>
    public long LateCallbacksAfterGc => Volatile.Read(ref _lateCallbacksAfterGc);

    /// <summary>Wall-clock compute time percentiles. Any thread.</summary>
    public ComputeTimeSummary ComputeTime => _wall.Summarize();

    /// <summary>CPU time percentiles, or null without a thread CPU clock. Any thread.</summary>
    public ComputeTimeSummary? ComputeCpuTime => ThreadCpuClock.IsAvailable ? _cpu.Summarize() : null;

    /// <summary>The slowest blocks, slowest first. Any thread.</summary>
    public SlowBlock[] SlowestBlocks() => _slowest.Snapshot();

    /// <summary>Largest per-block compute time (wall clock, % of the period) since the previous call, which restarts it. One reader thread.</summary>
    public double TakeLoadPercent() => AtomicFloat.Take(ref _loadMax);

    /// <summary>Starts timing a block and counts a late callback. Audio thread.</summary>
    public BlockTimer Begin()
    {
        var timer = new BlockTimer(Stopwatch.GetTimestamp(), ThreadCpuClock.NowNanoseconds(), GC.CollectionCount(0));
        if (_usageFaults < 0)
        {
            ThreadCpuClock.ReadUsage(out _usageFaults, out _usageSwitches);
        }

        long last = _lastStartTimestamp;
        if (_paced && last != 0 && timer.Start - last > 2 * _periodTicks)
        {
            Volatile.Write(ref _lateCallbacks, _lateCallbacks + 1);
            if (timer.GcCount != _gcCountAtLastEnd)
            {
                Volatile.Write(ref _lateCallbacksAfterGc, _lateCallbacksAfterGc + 1);
            }
        }

        _lastStartTimestamp = timer.Start;
        return timer;
    }

    /// <summary>
    /// Records the block's wall and CPU time and, when it overran its period, why: the engine computed for longer than
    /// the period (CPU time over the period), a garbage collection stopped the thread, or the thread was preempted. Audio thread.
    /// </summary>
    /// <param name="timer">What <see cref="Begin"/> returned.</param>
    /// <param name="blockIndex">The block's index since the start of the run.</param>
    public void End(in BlockTimer timer, long blockIndex)
    {
        long elapsed = Stopwatch.GetTimestamp() - timer.Start;
        long cpu = ThreadCpuClock.NowNanoseconds() - timer.CpuStart;
        int gcCount = GC.CollectionCount(0);
        _gcCountAtLastEnd = gcCount;
        double wallPercent = elapsed * 100.0 / _periodTicks;
        double cpuPercent = cpu * 100.0 / _periodNs;
        _wall.Record(wallPercent);
        _cpu.Record(cpuPercent);
        AtomicFloat.Max(ref _loadMax, (float)wallPercent);
        if (wallPercent > _slowest.Threshold)
        {
            // A slow block: what did the kernel do to this thread since the last once-a-second sample?
            ThreadCpuClock.ReadUsage(out long faults, out long switches);
            _slowest.Offer(blockIndex, wallPercent, cpuPercent, gcCount != timer.GcCount, faults - _usageFaults, switches - _usageSwitches);
        }

        if (--_usageCountdown <= 0)
        {
            _usageCountdown = _usageIntervalBlocks;
            ThreadCpuClock.ReadUsage(out _usageFaults, out _usageSwitches);
        }

        if (elapsed <= _periodTicks)
        {
            return;
        }

        Volatile.Write(ref _deadlineMisses, _deadlineMisses + 1);
        if (cpu > _periodNs || !ThreadCpuClock.IsAvailable)
        {
            Volatile.Write(ref _computeOverruns, _computeOverruns + 1);
        }
        else if (gcCount != timer.GcCount)
        {
            Volatile.Write(ref _gcStalls, _gcStalls + 1);
        }
    }

    /// <summary>A block's start: wall clock, thread CPU clock and gen-0 collection count.</summary>
    /// <param name="Start">Stopwatch timestamp.</param>
    /// <param name="CpuStart">Thread CPU time, ns.</param>
    /// <param name="GcCount">Gen-0 collections so far.</param>
    internal readonly record struct BlockTimer(long Start, long CpuStart, int GcCount);
}
