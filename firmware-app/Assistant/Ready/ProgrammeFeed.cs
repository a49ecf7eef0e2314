using HardwareMaster.App.Engine;

namespace HardwareMaster.App.Assistant.Ready;

/// <summary>
/// The READY? analysis' tap on the engine (observer slot <see cref="EngineObserverSlot.Analysis"/>): copies each block's
/// input (what the box is given to master) into a lock-free single-producer/single-consumer ring of planar frames; the
/// analysis worker drains it. When the worker falls behind, the block is dropped and counted, never waited for.
/// </summary>
/// <remarks>
/// <see cref="OnBlock"/> runs on the audio thread: no allocation, lock or wait — two span copies and a volatile
/// publish. <see cref="TryRead"/> runs on the worker only.
/// </remarks>
public sealed class ProgrammeFeed : IEngineBlockObserver
{
    private readonly float[] _left;
    private readonly float[] _right;
    private readonly int _mask;
    private long _written; // frames published (audio thread writes, worker reads)
    private long _read;    // frames consumed (worker writes, audio thread reads)
    private long _dropped;
    private int _sampleRateHz;

    /// <summary>Creates the ring.</summary>
    /// <param name="capacityFrames">Frames held (rounded up to a power of two; default 2^17 ≈ 2.7 s at 48 kHz).</param>
    public ProgrammeFeed(int capacityFrames = 1 << 17)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityFrames, 1024);
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacityFrames);
        _left = new float[size];
        _right = new float[size];
        _mask = size - 1;
    }

    /// <summary>Frames dropped because the worker was behind.</summary>
    public long DroppedFrames => Volatile.Read(ref _dropped);

    /// <summary>The rate of the last block (0 before any).</summary>
    public int SampleRateHz => Volatile.Read(ref _sampleRateHz);

    /// <inheritdoc />
    public void OnBlock(in EngineBlockView view)
    {
        int frames = view.Frames;
        long written = _written;
        if (written + frames - Volatile.Read(ref _read) > _left.Length)
        {
            _dropped += frames;
            return;
        }

        Volatile.Write(ref _sampleRateHz, view.SampleRateHz);
        int start = (int)(written & _mask);
        int first = Math.Min(frames, _left.Length - start);
        view.InputLeft[..first].CopyTo(_left.AsSpan(start));
        view.InputRight[..first].CopyTo(_right.AsSpan(start));
        if (first < frames)
        {
            view.InputLeft[first..].CopyTo(_left);
            view.InputRight[first..].CopyTo(_right);
        }

        Volatile.Write(ref _written, written + frames);
    }

    /// <summary>Takes up to <paramref name="left"/>.Length frames (worker thread only).</summary>
    /// <param name="left">Destination, left.</param>
    /// <param name="right">Destination, right (as long as <paramref name="left"/>).</param>
    /// <returns>Frames copied.</returns>
    public int TryRead(Span<float> left, Span<float> right)
    {
        long read = _read;
        int available = (int)Math.Min(Volatile.Read(ref _written) - read, left.Length);
        if (available <= 0)
        {
            return 0;
        }

        int start = (int)(read & _mask);
        int first = Math.Min(available, _left.Length - start);
        _left.AsSpan(start, first).CopyTo(left);
        _right.AsSpan(start, first).CopyTo(right);
        if (first < available)
        {
            _left.AsSpan(0, available - first).CopyTo(left[first..]);
            _right.AsSpan(0, available - first).CopyTo(right[first..]);
        }

        Volatile.Write(ref _read, read + available);
        return available;
    }
}
