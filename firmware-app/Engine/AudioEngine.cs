using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.Concurrency;

namespace HardwareMaster.App.Engine;

/// <summary>
/// The real-time engine: owns the <see cref="MasteringChain"/>, the loudness-matched global bypass, the safety clipper
/// and the meters, and is called once per block by the audio device on its real-time thread.
/// </summary>
/// <remarks>
/// <para>
/// Per block (<see cref="ProcessBlock"/>, audio thread; no allocation, lock, wait, exception or logging): apply the
/// engine messages (<see cref="EngineMailbox"/>), take the input, run the chain in place, mix in the global bypass
/// (<see cref="GlobalBypassMixer"/>), fade (<see cref="OutputFade"/>), clip at 0 dBFS (<see cref="SafetyClipper"/>),
/// meter and publish (<see cref="MeterPublisher"/>), time the block (<see cref="EngineTiming"/>).
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

    private readonly MasteringChain _chain;
    private readonly EngineMailbox _mailbox;
    private readonly EngineTiming _timing = new();
    private readonly OutputFade _fade = new();
    private readonly MeterPublisher _meters = new();
    private readonly GlobalBypassMixer _bypass = new();
    private readonly InputTap _inputTap;
    private readonly IEngineBlockObserver?[] _observers = new IEngineBlockObserver?[3];
    private float[] _inputCopyLeft = [];
    private float[] _inputCopyRight = [];
    private bool _warming;
    private App.Monitor.MonitorPath? _monitor;
    private IAudioSignal? _testSignal;
    private int _sampleRateHz;
    private int _blockFrames;
    private bool _prepared;

    // Published (audio thread writes, anyone reads).
    private long _blocks;
    private long _frames;
    private long _clippedSamples;

    /// <summary>Creates an engine around <paramref name="chain"/>.</summary>
    /// <param name="chain">The chain to run (configured by the caller; prepared by <see cref="Prepare"/>; the engine owns its input tap).</param>
    /// <param name="queueCapacity">Capacity of the control → audio message ring (power of two).</param>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is not a power of two ≥ 2.</exception>
    public AudioEngine(MasteringChain chain, int queueCapacity = 256)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _chain = chain;
        _mailbox = new EngineMailbox(queueCapacity);
        _inputTap = new InputTap(this);
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
    public bool IsFadedOut => _fade.IsFadedOut;

    /// <summary>
    /// The global, loudness-matched bypass. While in, the output is the chain's input (before trim and loudness gain),
    /// delayed by <see cref="LatencyFrames"/> so it stays aligned, times a match gain (output − input short-term loudness
    /// measured while processing; <see cref="MeterSnapshot.BypassMatchDb"/>), crossfaded over 15 ms. The meters keep
    /// measuring what goes out. Any thread (atomic); the audio thread picks it up at the next block.
    /// </summary>
    public bool GlobalBypass
    {
        get => _bypass.Requested;
        set => _bypass.Requested = value;
    }

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

    /// <summary>
    /// <see cref="ReadMeters"/> rescans the loudness histograms for integrated loudness and loudness range (on the reader's
    /// thread) at most every this many ms of audio (default 250).
    /// </summary>
    public int LoudnessReportIntervalMs { get; init; } = 250;

    /// <summary>Prepares the chain and the meters for a stream; resets all statistics. Control thread, not while running.</summary>
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
        _chain.SetInputTap(_inputTap);
        _meters.Prepare(sampleRateHz, blockFrames, LoudnessReportIntervalMs);
        _bypass.Prepare(sampleRateHz, blockFrames, _chain.LatencyFrames);
        _timing.Configure(sampleRateHz, blockFrames, paced);
        _fade.Configure(sampleRateHz);
        _sampleRateHz = sampleRateHz;
        _blockFrames = blockFrames;
        _inputCopyLeft = new float[blockFrames];
        _inputCopyRight = new float[blockFrames];
        _monitor?.Prepare(sampleRateHz, blockFrames);
        _prepared = true;
        ResetStatistics();
        BeginFade(fadeInMs);
    }

    /// <summary>
    /// Runs <paramref name="blocks"/> blocks of noise through the whole per-block path on the calling thread (so no
    /// first-use cost lands on the first real block), then clears the chain, meters and statistics. Control thread, not while running.
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

        _warming = true;
        try
        {
            EngineWarmUp.Run(this, _blockFrames, blocks);
        }
        finally
        {
            _warming = false;
        }

        Restart(fadeInMs, resetMeter: true);
    }

    /// <summary>
    /// Clears the chain's history and starts a new fade-in; keeps the parameters (and, unless asked, the meters'
    /// running measurement). Used after a device loss, before the next device start. Control thread, not while running.
    /// </summary>
    /// <param name="fadeInMs">Fade from silence, ms (0 = none).</param>
    /// <param name="resetMeter">Also restart the loudness measurement and the statistics.</param>
    public void Restart(float fadeInMs = DefaultFadeMs, bool resetMeter = false)
    {
        _chain.Reset();
        _chain.ReadCompressorGainReduction();
        _chain.ReadLimiterGainReduction();
        _bypass.Reset();
        Volatile.Read(ref _monitor)?.Reset(); // the warm-up noise must not steer the monitor's loudness match
        if (resetMeter)
        {
            ResetStatistics();
        }

        _timing.NewThread(); // the next device runs on a new thread
        BeginFade(fadeInMs);
    }

    /// <summary>
    /// Restarts the loudness programme — integrated loudness, loudness range, PLR, true-peak max and
    /// <see cref="MeterSnapshot.LoudnessSeconds"/> — of input and output, while momentary and short-term run on. Any thread,
    /// also while running: the audio thread performs it at its next block start (O(1)).
    /// </summary>
    public void ResetLoudness() => _meters.RequestLoudnessReset();

    /// <summary>Queues a message for the next block start. One producer thread at a time (see <see cref="EngineController"/>).</summary>
    /// <param name="message">The message.</param>
    /// <returns><c>false</c> when the ring is full (the message is dropped and counted).</returns>
    public bool TryPost(in EngineMessage message) => _mailbox.TryPost(message);

    /// <summary>
    /// Attaches <paramref name="observer"/> to <paramref name="slot"/> (replacing what was there), or detaches with
    /// <c>null</c>. Any thread, also while running: the audio thread sees the change at its next block. The observer is
    /// called after the master is final (<see cref="IEngineBlockObserver"/>); after detaching, one block that started
    /// before may still call the old observer.
    /// </summary>
    /// <param name="slot">The slot.</param>
    /// <param name="observer">The observer, or <c>null</c>.</param>
    public void AttachObserver(EngineObserverSlot slot, IEngineBlockObserver? observer) => Volatile.Write(ref _observers[(int)slot], observer);

    /// <summary>
    /// Attaches the monitor path (issue 14), or detaches with <c>null</c>. Control thread, not while running (the path is
    /// prepared here when the engine already is). It runs after the observers, on a copy of the final master; with
    /// <see cref="App.Monitor.MonitorRoute.MainOutput"/> it then replaces what the device plays while active.
    /// </summary>
    /// <param name="monitor">The path, or <c>null</c>.</param>
    public void AttachMonitor(App.Monitor.MonitorPath? monitor)
    {
        if (monitor is not null && _prepared)
        {
            monitor.Prepare(_sampleRateHz, _blockFrames);
        }

        Volatile.Write(ref _monitor, monitor);
        _chain.SetLimiterDeltaTap(monitor);
    }

    /// <summary>The attached monitor path, or <c>null</c>.</summary>
    public App.Monitor.MonitorPath? Monitor => Volatile.Read(ref _monitor);

    /// <inheritdoc />
    public void ProcessBlock(in AudioBuffers buffers)
    {
        EngineTiming.BlockTimer timer = _timing.Begin();
        _mailbox.Drain(_fade);
        _meters.BeginBlock();

        Span<float> left = buffers.OutputLeft;
        Span<float> right = buffers.OutputRight;
        ReadInput(buffers, left, right);
        bool observed = left.Length <= _inputCopyLeft.Length && HasObservers();
        if (observed)
        {
            left.CopyTo(_inputCopyLeft);
            right.CopyTo(_inputCopyRight);
        }

        _meters.MeasureInputPeaks(left, right);
        _chain.Process(new AudioBlock(left, right)); // its input tap feeds the bypass delay line and the input meter
        _bypass.Mix(left, right);
        _fade.Apply(left, right);
        int clipped = SafetyClipper.Clip(left) + SafetyClipper.Clip(right);
        if (clipped > 0)
        {
            Volatile.Write(ref _clippedSamples, _clippedSamples + clipped);
        }

        _meters.MeasureOutput(left, right, _chain);
        _bypass.UpdateMatch(_meters.InputShortTermLufs, _meters.OutputShortTermLufs, left.Length);
        _meters.Publish(_bypass.Requested, _bypass.MatchDb);
        if (observed)
        {
            Notify(left, right);
        }

        App.Monitor.MonitorPath? monitor = Volatile.Read(ref _monitor);
        monitor?.Render(left, right, deliver: !_warming); // after the master is final and observed
        if (buffers.HasMonitorPair && monitor?.PairSink is { } pair)
        {
            pair.CopyTo(buffers.MonitorLeft, buffers.MonitorRight); // a 4+-output interface's monitor pair (issue 14)
        }

        Volatile.Write(ref _blocks, _blocks + 1);
        Volatile.Write(ref _frames, _frames + left.Length);
        _timing.End(timer, _blocks - 1);
    }

    /// <summary>
    /// Takes the meter readings (<see cref="MeterSnapshot"/>, every field filled): maxima since the previous call (so a
    /// 25 fps reader misses no peak), the latest state as one consistent copy, and integrated loudness / loudness range
    /// computed here from the histograms. One reader thread at a time (the UI loop); never stalls the audio thread.
    /// </summary>
    /// <returns>The snapshot.</returns>
    public MeterSnapshot ReadMeters() => _meters.Read(BlocksProcessed, _timing.DeadlineMissCount, _timing.TakeLoadPercent());

    /// <summary>Counters and compute-time percentiles so far. Any thread.</summary>
    /// <returns>The statistics.</returns>
    public EngineStatistics ReadStatistics() => new(
        BlocksProcessed,
        FramesProcessed,
        _timing.DeadlineMisses,
        _timing.LateCallbacks,
        _timing.LateCallbacksAfterGc,
        _mailbox.Dropped,
        _chain.NonFiniteSampleCount,
        _timing.ComputeTime,
        _timing.ComputeCpuTime,
        Volatile.Read(ref _clippedSamples));

    /// <summary>The slowest blocks so far (wall clock), slowest first, with their block index and CPU time. Any thread.</summary>
    /// <returns>Up to 8 blocks.</returns>
    public SlowBlock[] ReadSlowestBlocks() => _timing.SlowestBlocks();

    /// <summary>
    /// The output meter's full report. Only while no device is calling the engine (the meter belongs to the audio thread);
    /// while running use <see cref="ReadMeters"/>.
    /// </summary>
    /// <returns>The report, or <c>null</c> before <see cref="Prepare"/>.</returns>
    public LoudnessReport? GetOutputReport() => _meters.OutputReport();

    private void ReadInput(in AudioBuffers buffers, Span<float> left, Span<float> right)
    {
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
    }

    private bool HasObservers()
    {
        if (_warming)
        {
            return false;
        }

        for (int i = 0; i < _observers.Length; i++)
        {
            if (Volatile.Read(ref _observers[i]) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private void Notify(ReadOnlySpan<float> masterLeft, ReadOnlySpan<float> masterRight)
    {
        int n = masterLeft.Length;
        var view = new EngineBlockView(_inputCopyLeft.AsSpan(0, n), _inputCopyRight.AsSpan(0, n), masterLeft, masterRight, _frames, _sampleRateHz)
        {
            CompressorGainReductionDb = _meters.BlockCompressorReductionDb,
            LimiterGainReductionDb = _meters.BlockLimiterReductionDb,
            MasterTruePeak = _meters.BlockTruePeak,
        };
        for (int i = 0; i < _observers.Length; i++)
        {
            Volatile.Read(ref _observers[i])?.OnBlock(view);
        }
    }

    private void ResetStatistics()
    {
        Volatile.Write(ref _blocks, 0);
        Volatile.Write(ref _frames, 0);
        Volatile.Write(ref _clippedSamples, 0);
        _mailbox.ResetDropped();
        _timing.Reset();
        _meters.Reset();
    }

    private void BeginFade(float fadeInMs)
    {
        // No device is calling (lifecycle contract), so this thread may act as the consumer: apply pending parameter
        // messages, discard fades meant for the run that ended.
        _mailbox.Drain(_fade, ignoreFades: true);
        _fade.Begin(fadeInMs);
    }

    // The chain's input tap: the sanitised input before trim goes to the bypass delay line and to the input meter.
    private sealed class InputTap(AudioEngine engine) : IAudioTap
    {
        public void Process(AudioBlock block)
        {
            engine._bypass.Capture(block);
            engine._meters.Pair?.InputTap.Process(block);
        }
    }
}
