using System.Diagnostics;
using System.Numerics.Tensors;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.Concurrency;

namespace HardwareMaster.App.Engine;

/// <summary>
/// The real-time engine: owns the <see cref="MasteringChain"/> and the output meter, and is called once per block by the
/// audio device on its real-time thread.
/// </summary>
/// <remarks>
/// <para>
/// Per block (<see cref="ProcessBlock"/>, audio thread): drain the control → audio <see cref="SpscRing{T}"/> of
/// <see cref="EngineMessage"/>s (bypass flags, loudness and trim gains, fades); copy input to output; run the chain in place; apply
/// the start/stop fade; meter the output; publish peaks and loudness as max-since-last-read cells; time the block and
/// record its compute time (% of the period) in a lock-free histogram. No allocation, lock, exception or logging.
/// </para>
/// <para>
/// Structural settings (filters, EQ, compressor, width, limiter, dither) do not go through the ring: the chain's setters are
/// thread-safe, design coefficients on the calling (control) thread and publish immutable snapshots the audio thread
/// swaps in at block start. <see cref="EngineController"/> routes each parameter to the right path.
/// </para>
/// <para>
/// Lifecycle (control thread, never while a device is calling): <see cref="Prepare"/> → <see cref="Warm"/> →
/// device start → … → device stop → <see cref="Restart"/> before the next device start (after a device loss).
/// </para>
/// </remarks>
public sealed class AudioEngine : IAudioCallback
{
    /// <summary>Default fade at start and stop, ms.</summary>
    public const float DefaultFadeMs = 50;

    private const double MeterLufsOffset = 200;
    private readonly SpscRing<EngineMessage> _messages;
    private readonly MasteringChain _chain;

    // Trim records built on the producer thread for SetTrimGainDb messages (the ring carries only unmanaged values).
    // Twice the ring's capacity: at most Capacity messages are pending, so the slot being written is never one the
    // audio thread may still read.
    private readonly TrimSettings?[] _trimSlots;
    private int _nextTrimSlot;
    private ProgramMeter? _meter;
    private ComputeTimeHistogram _histogram = new();
    private ComputeTimeHistogram _cpuHistogram = new();
    private SlowestBlocks _slowest = new();
    private IAudioSignal? _testSignal;
    private int _sampleRateHz;
    private int _blockFrames;
    private long _periodTicks;
    private double _periodNs;
    private bool _paced;
    private bool _prepared;

    // Audio-thread state.
    private long _lastStartTimestamp;
    private int _gcCountAtLastEnd;
    private long _usageFaults = -1; // -1: take the first usage sample at the next block
    private long _usageSwitches;
    private double _fadeGain = 1;
    private double _fadeTarget = 1;
    private double _fadeStep;
    private int _reportCountdown;
    private int _reportIntervalBlocks;

    // Published state (written by the audio thread, read by anyone).
    private long _blocks;
    private long _frames;
    private long _deadlineMisses;
    private long _computeOverruns;
    private long _gcStalls;
    private long _lateCallbacks;
    private long _lateCallbacksAfterGc;
    private long _droppedMessages;
    private int _fadedOut;
    private int _inputPeakLeft;
    private int _inputPeakRight;
    private int _outputPeakLeft;
    private int _outputPeakRight;
    private int _momentaryMax;
    private int _shortTermMax;
    private int _integratedLufs = BitConverter.SingleToInt32Bits(float.NaN);
    private int _truePeakDbtp = BitConverter.SingleToInt32Bits(float.NegativeInfinity);

    /// <summary>Creates an engine around <paramref name="chain"/>.</summary>
    /// <param name="chain">The chain to run (configured by the caller; prepared by <see cref="Prepare"/>).</param>
    /// <param name="queueCapacity">Capacity of the control → audio message ring (power of two).</param>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is not a power of two ≥ 2.</exception>
    public AudioEngine(MasteringChain chain, int queueCapacity = 256)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _chain = chain;
        _messages = new SpscRing<EngineMessage>(queueCapacity);
        _trimSlots = new TrimSettings?[2 * _messages.Capacity];
    }

    /// <summary>The chain the engine runs.</summary>
    public MasteringChain Chain => _chain;

    /// <summary>Sample rate given to <see cref="Prepare"/>.</summary>
    public int SampleRateHz => _sampleRateHz;

    /// <summary>Block size given to <see cref="Prepare"/>.</summary>
    public int BlockFrames => _blockFrames;

    /// <summary>Chain latency in frames (valid after <see cref="Prepare"/>).</summary>
    public int LatencyFrames => _chain.LatencyFrames;

    /// <summary>Blocks processed since <see cref="Prepare"/> (warm-up excluded). Any thread.</summary>
    public long BlocksProcessed => Volatile.Read(ref _blocks);

    /// <summary>Frames processed since <see cref="Prepare"/> (warm-up excluded). Any thread.</summary>
    public long FramesProcessed => Volatile.Read(ref _frames);

    /// <summary><c>true</c> once a fade-out has reached silence (the device may be stopped without a click). Any thread.</summary>
    public bool IsFadedOut => Volatile.Read(ref _fadedOut) != 0;

    /// <summary>
    /// An internal generator that replaces the device input (line-up tone, pink noise, the demo mix), or <c>null</c> for the
    /// device input. The output still goes to the device. May be swapped from any thread; the signal is then rendered on the
    /// audio thread only.
    /// </summary>
    public IAudioSignal? TestSignal
    {
        get => Volatile.Read(ref _testSignal);
        set => Volatile.Write(ref _testSignal, value);
    }

    /// <summary>Stores the output's integrated loudness and true peak for <see cref="ReadMeters"/> every this many ms (default 1000).</summary>
    public int LoudnessReportIntervalMs { get; init; } = 1000;

    /// <summary>Prepares the chain and the meter for a stream; resets all statistics. Control thread, not while running.</summary>
    /// <param name="sampleRateHz">Device rate.</param>
    /// <param name="blockFrames">Device block size.</param>
    /// <param name="paced"><c>true</c> when the device follows a clock (late callbacks are then counted).</param>
    /// <param name="fadeInMs">Fade from silence at the first block, ms (0 = none).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Prepare(int sampleRateHz, int blockFrames, bool paced, float fadeInMs = DefaultFadeMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockFrames, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(fadeInMs);
        _chain.Prepare(new ProcessSpec(sampleRateHz, blockFrames, 2));
        if (_meter is null || _meter.SampleRateHz != sampleRateHz)
        {
            _meter = new ProgramMeter(sampleRateHz, 2);
        }

        _sampleRateHz = sampleRateHz;
        _blockFrames = blockFrames;
        _paced = paced;
        _periodTicks = Math.Max(1, (long)((double)blockFrames * Stopwatch.Frequency / sampleRateHz));
        _periodNs = (double)blockFrames * 1e9 / sampleRateHz;
        _reportIntervalBlocks = Math.Max(1, (int)((long)LoudnessReportIntervalMs * sampleRateHz / (1000L * blockFrames)));
        _prepared = true;
        ResetStatistics();
        _meter.Reset();
        BeginFade(fadeInMs);
    }

    /// <summary>
    /// Runs <paramref name="blocks"/> blocks of noise through the whole per-block path on the calling thread (so no
    /// first-use cost lands on the first real block), then clears the chain, meter and statistics. Control thread, not while running.
    /// </summary>
    /// <param name="blocks">Blocks to run (e.g. 2000).</param>
    /// <param name="fadeInMs">Fade for the first real block, ms.</param>
    /// <exception cref="InvalidOperationException">Not prepared.</exception>
    public void Warm(int blocks = 2000, float fadeInMs = DefaultFadeMs)
    {
        if (!_prepared)
        {
            throw new InvalidOperationException("Prepare the engine before warming it.");
        }

        int n = _blockFrames;
        float[] inL = new float[n], inR = new float[n], outL = new float[n], outR = new float[n];
        uint seed = 12345;
        for (long b = 0; b < blocks; b++)
        {
            for (int i = 0; i < n; i++)
            {
                seed = (seed * 1664525) + 1013904223;
                inL[i] = ((seed >> 8) / 16777216f) - 0.5f;
                inR[i] = -inL[i];
            }

            Array.Clear(outL);
            Array.Clear(outR);
            ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
        }

        _ = ReadMeters();
        WarmReportPaths(inL, inR);
        Restart(fadeInMs, resetMeter: true);
    }

    // The once-a-second loudness report takes paths (loudness range needs 3 s of short-term blocks) that the warm-up blocks
    // do not reach; run them on a scratch meter so that under the JIT their first compilation does not land on a real block.
    private void WarmReportPaths(float[] left, float[] right)
    {
        var scratch = new ProgramMeter(_sampleRateHz, 2);
        long frames = 4L * _sampleRateHz;
        for (long done = 0; done < frames; done += left.Length)
        {
            float gain = 0.05f + (0.5f * (done % _sampleRateHz) / _sampleRateHz); // varying loudness: a real range
            for (int i = 0; i < left.Length; i++)
            {
                right[i] = left[i] * gain;
            }

            scratch.Process(right, right);
            if (done % (_sampleRateHz / 4) < left.Length)
            {
                _ = scratch.GetReport();
            }
        }
    }

    /// <summary>
    /// Clears the chain's history and starts a new fade-in; keeps the parameters (and, unless asked, the meter's
    /// running measurement). Used after a device loss, before the next device start. Control thread, not while running.
    /// </summary>
    /// <param name="fadeInMs">Fade from silence, ms (0 = none).</param>
    /// <param name="resetMeter">Also restart the output loudness measurement and the statistics.</param>
    public void Restart(float fadeInMs = DefaultFadeMs, bool resetMeter = false)
    {
        _chain.Reset();
        _chain.ReadCompressorGainReduction();
        _chain.ReadLimiterGainReduction();
        if (resetMeter)
        {
            _meter?.Reset();
            ResetStatistics();
        }

        _lastStartTimestamp = 0;
        _usageFaults = -1; // the next device runs on a new thread
        BeginFade(fadeInMs);
    }

    /// <summary>Queues a message for the next block start. One producer thread at a time (see <see cref="EngineController"/>).</summary>
    /// <param name="message">The message.</param>
    /// <returns><c>false</c> when the ring is full (the message is dropped and counted).</returns>
    public bool TryPost(in EngineMessage message)
    {
        if (_messages.TryWrite(message))
        {
            return true;
        }

        Interlocked.Increment(ref _droppedMessages);
        return false;
    }

    /// <summary>
    /// Queues an input-trim change for the next block start (smoothed by the chain's trim stage). The
    /// <see cref="TrimSettings"/> record is built here, on the producer thread, and handed over through a slot table,
    /// so the audio thread applies it without allocating. One producer thread at a time, as for <see cref="TryPost"/>.
    /// </summary>
    /// <param name="gainDb">Trim gain, dB (<see cref="TrimSettings.MinGainDb"/>..<see cref="TrimSettings.MaxGainDb"/>).</param>
    /// <returns><c>false</c> when the ring is full (the change is dropped and counted).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The gain is out of range or not finite.</exception>
    public bool TryPostTrimGainDb(double gainDb)
    {
        if (!(gainDb >= TrimSettings.MinGainDb && gainDb <= TrimSettings.MaxGainDb))
        {
            throw new ArgumentOutOfRangeException(nameof(gainDb), gainDb, $"Trim must be {TrimSettings.MinGainDb}..{TrimSettings.MaxGainDb} dB.");
        }

        int slot = _nextTrimSlot;
        Volatile.Write(ref _trimSlots[slot], new TrimSettings { GainDb = gainDb });
        if (!TryPost(new EngineMessage(EngineMessageKind.SetTrimGainDb, slot, (float)gainDb)))
        {
            return false;
        }

        _nextTrimSlot = (slot + 1) & (_trimSlots.Length - 1);
        return true;
    }

    /// <inheritdoc />
    public void ProcessBlock(in AudioBuffers buffers)
    {
        long start = Stopwatch.GetTimestamp();
        long cpuStart = ThreadCpuClock.NowNanoseconds();
        int gcCount = GC.CollectionCount(0);
        if (_usageFaults < 0)
        {
            ThreadCpuClock.ReadUsage(out _usageFaults, out _usageSwitches);
        }

        long last = _lastStartTimestamp;
        if (_paced && last != 0 && start - last > 2 * _periodTicks)
        {
            Volatile.Write(ref _lateCallbacks, _lateCallbacks + 1);
            if (gcCount != _gcCountAtLastEnd)
            {
                Volatile.Write(ref _lateCallbacksAfterGc, _lateCallbacksAfterGc + 1);
            }
        }

        _lastStartTimestamp = start;
        DrainMessages();

        Span<float> left = buffers.OutputLeft;
        Span<float> right = buffers.OutputRight;
        IAudioSignal? testSignal = Volatile.Read(ref _testSignal);
        if (testSignal is null)
        {
            buffers.InputLeft.CopyTo(left);
            buffers.InputRight.CopyTo(right);
        }
        else
        {
            testSignal.Render(left, right, _frames);
        }

        AtomicFloat.Max(ref _inputPeakLeft, Peak(left));
        AtomicFloat.Max(ref _inputPeakRight, Peak(right));
        _chain.Process(new AudioBlock(left, right));
        ApplyFade(left, right);

        AtomicFloat.Max(ref _outputPeakLeft, Peak(left));
        AtomicFloat.Max(ref _outputPeakRight, Peak(right));
        ProgramMeter? meter = _meter;
        if (meter is not null)
        {
            meter.Process(left, right);
            AtomicFloat.Max(ref _momentaryMax, LufsToCell(meter.MomentaryLufs));
            AtomicFloat.Max(ref _shortTermMax, LufsToCell(meter.ShortTermLufs));
            if (--_reportCountdown <= 0)
            {
                _reportCountdown = _reportIntervalBlocks;
                ThreadCpuClock.ReadUsage(out _usageFaults, out _usageSwitches);
                LoudnessReport report = meter.GetReport();
                AtomicFloat.Store(ref _integratedLufs, report.IntegratedLufs is { } lufs ? (float)lufs : float.NaN);
                AtomicFloat.Store(ref _truePeakDbtp, (float)report.TruePeakDbtp);
            }
        }

        Volatile.Write(ref _blocks, _blocks + 1);
        Volatile.Write(ref _frames, _frames + left.Length);
        RecordTiming(start, cpuStart, gcCount);
    }

    /// <summary>
    /// Takes the meter readings: peaks and momentary/short-term maxima since the previous call (so a 25 fps reader misses no
    /// peak), the latest integrated loudness and true peak. One reader thread at a time.
    /// </summary>
    /// <returns>The snapshot.</returns>
    public MeterSnapshot ReadMeters()
    {
        var compressor = _chain.ReadCompressorGainReduction();
        var limiter = _chain.ReadLimiterGainReduction();
        return new MeterSnapshot
        {
            InputPeakLeftDbfs = ToDbfs(AtomicFloat.Take(ref _inputPeakLeft)),
            InputPeakRightDbfs = ToDbfs(AtomicFloat.Take(ref _inputPeakRight)),
            OutputPeakLeftDbfs = ToDbfs(AtomicFloat.Take(ref _outputPeakLeft)),
            OutputPeakRightDbfs = ToDbfs(AtomicFloat.Take(ref _outputPeakRight)),
            MomentaryLufs = CellToLufs(AtomicFloat.Take(ref _momentaryMax)),
            ShortTermLufs = CellToLufs(AtomicFloat.Take(ref _shortTermMax)),
            IntegratedLufs = AtomicFloat.Load(ref _integratedLufs),
            TruePeakMaxDbtp = AtomicFloat.Load(ref _truePeakDbtp),
            CompressorReductionDb = compressor.MaxSinceLastReadDb,
            LimiterReductionDb = limiter.MaxSinceLastReadDb,
            Blocks = BlocksProcessed,
        };
    }

    /// <summary>Counters and compute-time percentiles so far. Any thread.</summary>
    /// <returns>The statistics.</returns>
    public EngineStatistics ReadStatistics()
    {
        long misses = Volatile.Read(ref _deadlineMisses);
        long overruns = Volatile.Read(ref _computeOverruns);
        long gcStalls = Volatile.Read(ref _gcStalls);
        return new(
            BlocksProcessed,
            FramesProcessed,
            new DeadlineMisses(misses, overruns, gcStalls, Math.Max(0, misses - overruns - gcStalls)),
            Volatile.Read(ref _lateCallbacks),
            Volatile.Read(ref _lateCallbacksAfterGc),
            Interlocked.Read(ref _droppedMessages),
            _chain.NonFiniteSampleCount,
            _histogram.Summarize(),
            ThreadCpuClock.IsAvailable ? _cpuHistogram.Summarize() : null);
    }

    /// <summary>The slowest blocks so far (wall clock), slowest first, with their block index and CPU time. Any thread.</summary>
    /// <returns>Up to 8 blocks.</returns>
    public SlowBlock[] ReadSlowestBlocks() => _slowest.Snapshot();

    /// <summary>
    /// The output meter's full report. Only while no device is calling the engine (the meter belongs to the audio thread);
    /// while running use <see cref="ReadMeters"/>.
    /// </summary>
    /// <returns>The report, or <c>null</c> before <see cref="Prepare"/>.</returns>
    public LoudnessReport? GetOutputReport() => _meter?.GetReport();

    // Records the block's wall and CPU time and, when it overran its period, why: the engine computed for longer than the
    // period (CPU time over the period), a garbage collection stopped the thread, or the thread was preempted.
    private void RecordTiming(long start, long cpuStart, int gcCountAtStart)
    {
        long elapsed = Stopwatch.GetTimestamp() - start;
        long cpu = ThreadCpuClock.NowNanoseconds() - cpuStart;
        int gcCount = GC.CollectionCount(0);
        _gcCountAtLastEnd = gcCount;
        double wallPercent = elapsed * 100.0 / _periodTicks;
        double cpuPercent = cpu * 100.0 / _periodNs;
        _histogram.Record(wallPercent);
        _cpuHistogram.Record(cpuPercent);
        if (wallPercent > _slowest.Threshold)
        {
            // A slow block: what did the kernel do to this thread since the last once-a-second sample?
            ThreadCpuClock.ReadUsage(out long faults, out long switches);
            _slowest.Offer(_blocks - 1, wallPercent, cpuPercent, gcCount != gcCountAtStart, faults - _usageFaults, switches - _usageSwitches);
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
        else if (gcCount != gcCountAtStart)
        {
            Volatile.Write(ref _gcStalls, _gcStalls + 1);
        }
    }

    private static float Peak(ReadOnlySpan<float> samples)
    {
        float peak = TensorPrimitives.MaxMagnitude(samples);
        return float.IsFinite(peak) ? Math.Abs(peak) : 0;
    }

    private static float LufsToCell(double lufs) => lufs > -MeterLufsOffset + 1 ? (float)(lufs + MeterLufsOffset) : 0;

    private static double CellToLufs(float cell) => cell > 0 ? cell - MeterLufsOffset : double.NegativeInfinity;

    private static double ToDbfs(float linear) => linear > 0 ? 20 * Math.Log10(linear) : double.NegativeInfinity;

    private void ResetStatistics()
    {
        Volatile.Write(ref _blocks, 0);
        Volatile.Write(ref _frames, 0);
        Volatile.Write(ref _deadlineMisses, 0);
        Volatile.Write(ref _computeOverruns, 0);
        Volatile.Write(ref _gcStalls, 0);
        Volatile.Write(ref _lateCallbacks, 0);
        Volatile.Write(ref _lateCallbacksAfterGc, 0);
        Interlocked.Exchange(ref _droppedMessages, 0);
        _histogram = new ComputeTimeHistogram();
        _cpuHistogram = new ComputeTimeHistogram();
        _slowest = new SlowestBlocks();
        _usageFaults = -1;
        _gcCountAtLastEnd = GC.CollectionCount(0);
        _reportCountdown = _reportIntervalBlocks;
        AtomicFloat.Store(ref _integratedLufs, float.NaN);
        AtomicFloat.Store(ref _truePeakDbtp, float.NegativeInfinity);
        _ = AtomicFloat.Take(ref _inputPeakLeft) + AtomicFloat.Take(ref _inputPeakRight) + AtomicFloat.Take(ref _outputPeakLeft)
            + AtomicFloat.Take(ref _outputPeakRight) + AtomicFloat.Take(ref _momentaryMax) + AtomicFloat.Take(ref _shortTermMax);
    }

    private void BeginFade(float fadeInMs)
    {
        // No device is calling (lifecycle contract), so this thread may act as the consumer: apply pending parameter
        // messages, discard fades meant for the run that ended.
        DrainMessages(ignoreFades: true);
        if (fadeInMs > 0)
        {
            _fadeGain = 0;
            _fadeTarget = 1;
            _fadeStep = 1000.0 / (fadeInMs * _sampleRateHz);
        }
        else
        {
            _fadeGain = 1;
            _fadeTarget = 1;
        }

        Volatile.Write(ref _fadedOut, 0);
    }

    private void DrainMessages(bool ignoreFades = false)
    {
        while (_messages.TryRead(out EngineMessage message))
        {
            switch (message.Kind)
            {
                case EngineMessageKind.SetBypass:
                    if (message.Target is (int)ChainStage.HighPass or (int)ChainStage.Eq or (int)ChainStage.Compressor
                        or (int)ChainStage.Width or (int)ChainStage.Limiter)
                    {
                        _chain.SetBypass((ChainStage)message.Target, message.Value >= 0.5f);
                    }

                    break;
                case EngineMessageKind.SetLoudnessGainDb:
                    if (float.IsFinite(message.Value))
                    {
                        _chain.SetLoudnessGainDb(Math.Clamp(message.Value, MasteringChain.MinLoudnessGainDb, MasteringChain.MaxLoudnessGainDb));
                    }

                    break;
                case EngineMessageKind.SetTrimGainDb:
                    // Only messages from TryPostTrimGainDb name a slot holding a record with the same gain.
                    if ((uint)message.Target < (uint)_trimSlots.Length
                        && Volatile.Read(ref _trimSlots[message.Target]) is { } trim
                        && (float)trim.GainDb == message.Value)
                    {
                        _chain.SetTrim(trim);
                    }

                    break;
                case EngineMessageKind.FadeOut when !ignoreFades:
                    StartRamp(0, message.Value);
                    break;
                case EngineMessageKind.FadeIn when !ignoreFades:
                    Volatile.Write(ref _fadedOut, 0);
                    StartRamp(1, message.Value);
                    break;
            }
        }
    }

    private void StartRamp(double target, float ms)
    {
        _fadeTarget = target;
        _fadeStep = float.IsFinite(ms) && ms > 0 ? 1000.0 / (ms * _sampleRateHz) : 1;
    }

    private void ApplyFade(Span<float> left, Span<float> right)
    {
        double gain = _fadeGain;
        double target = _fadeTarget;
        if (gain == target)
        {
            if (gain == 0)
            {
                left.Clear();
                right.Clear();
            }

            return;
        }

        double step = target > gain ? _fadeStep : -_fadeStep;
        for (int i = 0; i < left.Length; i++)
        {
            gain += step;
            if ((step > 0 && gain >= target) || (step < 0 && gain <= target))
            {
                gain = target;
                step = 0;
            }

            // Raised-cosine shape of the linear ramp: no slope discontinuity at either end.
            float g = (float)(0.5 - (0.5 * Math.Cos(Math.PI * gain)));
            left[i] *= g;
            right[i] *= g;
        }

        _fadeGain = gain;
        if (gain == 0 && target == 0)
        {
            Volatile.Write(ref _fadedOut, 1);
        }
    }
}

/// <summary>Engine counters read by <see cref="AudioEngine.ReadStatistics"/>.</summary>
/// <param name="Blocks">Blocks processed.</param>
/// <param name="Frames">Frames processed.</param>
/// <param name="DeadlineMisses">Blocks whose wall-clock time exceeded the block period, by cause.</param>
/// <param name="LateCallbacks">Paced devices: callbacks that came more than two periods after the previous one (caused by the scheduler, the device or a garbage collection).</param>
/// <param name="LateCallbacksAfterGc">Of <paramref name="LateCallbacks"/>, those with a garbage collection since the previous block.</param>
/// <param name="DroppedMessages">Control messages dropped because the ring was full.</param>
/// <param name="NonFiniteSamples">NaN/Inf input samples the chain replaced by silence.</param>
/// <param name="ComputeTime">Per-block wall-clock time from the start to the end of <see cref="AudioEngine.ProcessBlock"/>, % of the period.</param>
/// <param name="ComputeCpuTime">Per-block CPU time of the audio thread in <see cref="AudioEngine.ProcessBlock"/>, % of the period (null where the thread CPU clock is missing).</param>
public readonly record struct EngineStatistics(
    long Blocks,
    long Frames,
    DeadlineMisses DeadlineMisses,
    long LateCallbacks,
    long LateCallbacksAfterGc,
    long DroppedMessages,
    long NonFiniteSamples,
    ComputeTimeSummary ComputeTime,
    ComputeTimeSummary? ComputeCpuTime);

/// <summary>
/// Blocks that took longer than their period, wall clock, split by cause. Only <paramref name="ComputeOverruns"/> are the
/// engine's doing; the others are time the audio thread was not running.
/// </summary>
/// <param name="Total">All blocks over their period.</param>
/// <param name="ComputeOverruns">The engine used more CPU time than the period (where the CPU clock is missing every miss counts here).</param>
/// <param name="GarbageCollection">CPU time within the period and a garbage collection stopped the thread during the block.</param>
/// <param name="Preemption">CPU time within the period and no garbage collection: the thread was preempted (scheduler, interrupts, hypervisor).</param>
public readonly record struct DeadlineMisses(long Total, long ComputeOverruns, long GarbageCollection, long Preemption);
