using HardwareMaster.App.Engine;
using HardwareMaster.Hal.Concurrency;

namespace HardwareMaster.App.Recording;

/// <summary>What the audio thread says about one block besides its samples.</summary>
/// <param name="Frames">Frames of the block (its samples follow in the sample ring: 4 per frame).</param>
/// <param name="FirstFrame">The block's first frame since the engine was prepared.</param>
/// <param name="CompressorGainReductionDb">Compressor gain reduction, dB.</param>
/// <param name="LimiterGainReductionDb">Limiter gain reduction, dB.</param>
/// <param name="MasterTruePeak">The master's true peak in the block, linear.</param>
internal readonly record struct RecordedBlock(int Frames, long FirstFrame, float CompressorGainReductionDb, float LimiterGainReductionDb, float MasterTruePeak);

/// <summary>
/// The audio thread's side of the recorder: an <see cref="IEngineBlockObserver"/> that copies each block's input and
/// master, interleaved as four channels (input L, input R, master L, master R), into a preallocated lock-free
/// single-producer / single-consumer ring, and a second ring of <see cref="RecordedBlock"/> headers.
/// </summary>
/// <remarks>
/// <see cref="OnBlock"/> (audio thread) never allocates, locks, waits or does I/O: when either ring lacks room the whole
/// block is dropped and its frames counted (<see cref="DroppedFrames"/>), never silently. <see cref="TryRead"/> is the
/// writer thread's. The sample ring is a power of two of floats; indices are free-running 64-bit counters.
/// </remarks>
internal sealed class RecordingRing : IEngineBlockObserver
{
    /// <summary>Samples per frame in the ring.</summary>
    public const int ChannelsPerFrame = 4;

    private readonly float[] _samples;
    private readonly long _mask;
    private readonly SpscRing<RecordedBlock> _blocks;
    private long _head; // samples read; consumer writes
    private long _tail; // samples written; producer writes
    private long _droppedFrames; // producer writes
    private long _maxFillSamples; // producer writes
    private int _maxBlockFrames;

    /// <summary>Creates a ring of at least <paramref name="seconds"/> of four-channel audio.</summary>
    /// <param name="sampleRateHz">Stream rate.</param>
    /// <param name="seconds">Buffered time at that rate.</param>
    /// <param name="maxBlockFrames">The largest block the engine delivers.</param>
    public RecordingRing(int sampleRateHz, double seconds, int maxBlockFrames)
    {
        long wanted = Math.Max((long)(sampleRateHz * seconds) * ChannelsPerFrame, (long)maxBlockFrames * ChannelsPerFrame * 4);
        long capacity = 1;
        while (capacity < wanted)
        {
            capacity <<= 1;
        }

        _samples = new float[capacity];
        _mask = capacity - 1;
        int blocks = 2;
        while (blocks < capacity / ChannelsPerFrame / Math.Max(1, Math.Min(maxBlockFrames, 16)) && blocks < (1 << 20))
        {
            blocks <<= 1;
        }

        _blocks = new SpscRing<RecordedBlock>(blocks);
        _maxBlockFrames = maxBlockFrames;
        SampleRateHz = sampleRateHz;
    }

    /// <summary>The stream rate the ring was sized for.</summary>
    public int SampleRateHz { get; }

    /// <summary>Capacity in frames.</summary>
    public long CapacityFrames => _samples.Length / ChannelsPerFrame;

    /// <summary>Producer on/off: while <c>false</c>, <see cref="OnBlock"/> returns at once. Any thread.</summary>
    public bool Enabled { get => Volatile.Read(ref _enabled); set => Volatile.Write(ref _enabled, value); }

    /// <summary>Frames dropped because the ring was full (since creation). Any thread.</summary>
    public long DroppedFrames => Volatile.Read(ref _droppedFrames);

    /// <summary>The fullest the ring has been, frames (since creation or <see cref="ResetMaxFill"/>). Any thread.</summary>
    public long MaxFillFrames => Volatile.Read(ref _maxFillSamples) / ChannelsPerFrame;

    /// <summary>The largest block seen, frames.</summary>
    public int MaxBlockFrames => Volatile.Read(ref _maxBlockFrames);

    /// <summary>Frames waiting. Any thread (approximate).</summary>
    public long FillFrames => (Volatile.Read(ref _tail) - Volatile.Read(ref _head)) / ChannelsPerFrame;

    private bool _enabled;

    /// <summary>Starts counting <see cref="MaxFillFrames"/> afresh. Any thread (a race loses at most one block's maximum).</summary>
    public void ResetMaxFill() => Volatile.Write(ref _maxFillSamples, 0);

    /// <inheritdoc />
    public void OnBlock(in EngineBlockView view)
    {
        if (!Volatile.Read(ref _enabled))
        {
            return;
        }

        int frames = view.Frames;
        long samples = (long)frames * ChannelsPerFrame;
        long tail = _tail;
        long used = tail - Volatile.Read(ref _head);
        if (used + samples > _samples.Length
            || !_blocks.TryWrite(new RecordedBlock(frames, view.FirstFrame, view.CompressorGainReductionDb, view.LimiterGainReductionDb, view.MasterTruePeak)))
        {
            Volatile.Write(ref _droppedFrames, _droppedFrames + frames);
            return;
        }

        // The block header is visible before its samples; the reader waits for the samples (tail) before it takes them.
        float[] ring = _samples;
        long mask = _mask;
        ReadOnlySpan<float> inL = view.InputLeft;
        ReadOnlySpan<float> inR = view.InputRight;
        ReadOnlySpan<float> mL = view.MasterLeft;
        ReadOnlySpan<float> mR = view.MasterRight;
        for (int i = 0; i < frames; i++)
        {
            long at = tail + ((long)i * ChannelsPerFrame);
            ring[at & mask] = inL[i];
            ring[(at + 1) & mask] = inR[i];
            ring[(at + 2) & mask] = mL[i];
            ring[(at + 3) & mask] = mR[i];
        }

        Volatile.Write(ref _tail, tail + samples);
        if (used + samples > _maxFillSamples)
        {
            Volatile.Write(ref _maxFillSamples, used + samples);
        }

        if (frames > _maxBlockFrames)
        {
            Volatile.Write(ref _maxBlockFrames, frames);
        }
    }

    /// <summary>Takes the oldest block, copying its interleaved samples into <paramref name="destination"/>. Consumer thread only.</summary>
    /// <param name="destination">At least <see cref="MaxBlockFrames"/> × 4 floats.</param>
    /// <param name="block">The block's header.</param>
    /// <returns><c>false</c> when no block is complete yet.</returns>
    public bool TryRead(Span<float> destination, out RecordedBlock block)
    {
        if (!_blocks.TryRead(out block))
        {
            return false;
        }

        long head = _head;
        long samples = (long)block.Frames * ChannelsPerFrame;
        SpinWait spin = default;
        while (Volatile.Read(ref _tail) - head < samples)
        {
            spin.SpinOnce(); // the producer is between its header and its tail (a few microseconds at most)
        }

        long start = head & _mask;
        int first = (int)Math.Min(samples, _samples.Length - start);
        _samples.AsSpan((int)start, first).CopyTo(destination);
        if (first < samples)
        {
            _samples.AsSpan(0, (int)(samples - first)).CopyTo(destination[first..]);
        }

        Volatile.Write(ref _head, head + samples);
        return true;
    }
}
