using System.Collections.Concurrent;
using HardwareMaster.Hal.Audio.Generators;

namespace HardwareMaster.Hal.Audio.Simulation;

/// <summary>
/// A simulated audio interface that outlives the device objects opened on it, so the host's dispose-and-reopen loop
/// can be tested: <see cref="Fail"/> unplugs it (running devices raise <see cref="AudioDeviceErrorKind.DeviceLost"/> and
/// stop; <see cref="IAudioDevice.Start"/> throws while it is absent) and <see cref="Return"/> plugs it back in.
/// </summary>
public sealed class SimulatedAudioHardware
{
    private static readonly ConcurrentDictionary<string, SimulatedAudioHardware> Registry = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SimulatedAudioDevice, byte> _devices = new();
    private volatile string? _failure;

    /// <summary>Creates hardware that is present.</summary>
    /// <param name="name">Name used in messages.</param>
    public SimulatedAudioHardware(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>The name used in messages and in <c>sim:NAME</c>.</summary>
    public string Name { get; }

    /// <summary><c>false</c> between <see cref="Fail"/> and <see cref="Return"/>.</summary>
    public bool IsPresent => _failure is null;

    /// <summary>Why the hardware is absent (the last <see cref="Fail"/> message), or <c>null</c>.</summary>
    public string? FailureMessage => _failure;

    /// <summary>Input signal for devices opened from now on (default: silence). A factory so each device gets its own state.</summary>
    public Func<int, IAudioSignal>? InputFactory { get; set; }

    /// <summary>The process-wide hardware named <paramref name="name"/> (created present on first use); used by <c>sim:NAME</c>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The shared instance.</returns>
    public static SimulatedAudioHardware Get(string name) => Registry.GetOrAdd(name, static n => new SimulatedAudioHardware(n));

    /// <summary>Whether hardware named <paramref name="name"/> exists in this process (<see cref="Get"/> was called for it).</summary>
    /// <param name="name">The name.</param>
    /// <returns><c>true</c> when it does.</returns>
    public static bool Exists(string name) => Registry.ContainsKey(name);

    /// <summary>Opens a device on this hardware.</summary>
    /// <param name="options">Options; <see cref="AudioDeviceOptions.Paced"/> picks wall-clock pacing or as-fast-as-possible.</param>
    /// <param name="manualClock"><c>true</c>: blocks run only when <see cref="SimulatedAudioDevice.Step"/> is called.</param>
    /// <returns>The device (not started).</returns>
    public SimulatedAudioDevice CreateDevice(AudioDeviceOptions options, bool manualClock = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        IAudioSignal signal = InputFactory?.Invoke(options.SampleRateHz) ?? new SilenceSignal();
        return new SimulatedAudioDevice(this, signal, options, manualClock);
    }

    /// <summary>Simulates the device vanishing (USB unplugged): running devices report the loss and stop.</summary>
    /// <param name="message">The cause, as an OS would word it (e.g. "No such device").</param>
    public void Fail(string message = "No such device")
    {
        _failure = message;
        foreach (SimulatedAudioDevice device in _devices.Keys)
        {
            device.WakeUp();
        }
    }

    /// <summary>Makes each running device count <paramref name="count"/> recovered xruns at its next block.</summary>
    /// <param name="count">Xruns to inject (≥ 1).</param>
    public void InjectXruns(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        foreach (SimulatedAudioDevice device in _devices.Keys)
        {
            device.AddPendingXruns(count);
        }
    }

    /// <summary>Simulates the device coming back: it can be started again.</summary>
    public void Return() => _failure = null;

    internal void Attach(SimulatedAudioDevice device) => _devices[device] = 0;

    internal void Detach(SimulatedAudioDevice device) => _devices.TryRemove(device, out _);
}

/// <summary>
/// A device on <see cref="SimulatedAudioHardware"/>: input from a signal, output to
/// <see cref="ClockedAudioDevice.OutputTap"/>, clocked by the wall clock, as fast as possible, or by hand
/// (<see cref="Step"/>). Used by tests, the desktop simulator and the engine's fault-handling tests.
/// </summary>
public sealed class SimulatedAudioDevice : ClockedAudioDevice
{
    private readonly SimulatedAudioHardware _hardware;
    private readonly bool _manualClock;
    private readonly SemaphoreSlim _steps = new(0);
    private long _processedBlocks;
    private int _pendingXruns;

    internal SimulatedAudioDevice(SimulatedAudioHardware hardware, IAudioSignal signal, AudioDeviceOptions options, bool manualClock)
        : base("sim:" + hardware.Name, options, signal)
    {
        _hardware = hardware;
        _manualClock = manualClock;
    }

    /// <inheritdoc />
    public override bool IsPaced => !_manualClock && Options.Paced;

    /// <inheritdoc />
    protected override TimeSpan StopTimeout => _manualClock ? TimeSpan.Zero : base.StopTimeout;

    /// <summary>Blocks processed since the device was created.</summary>
    public long ProcessedBlocks => Interlocked.Read(ref _processedBlocks);

    /// <summary>Manual clock only: lets <paramref name="blocks"/> more blocks run and waits until they have.</summary>
    /// <param name="blocks">Blocks to run (≥ 1).</param>
    /// <param name="timeout">How long to wait; default 5 s.</param>
    /// <returns><c>false</c> when the device stopped (failed, completed) before all blocks ran.</returns>
    /// <exception cref="InvalidOperationException">The device has an automatic clock or is not running.</exception>
    public bool Step(int blocks, TimeSpan? timeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        if (!_manualClock)
        {
            throw new InvalidOperationException($"{Name} runs on its own clock; create it with manualClock: true to step it.");
        }

        if (!IsRunning)
        {
            throw new InvalidOperationException($"{Name} is not running.");
        }

        long target = ProcessedBlocks + blocks;
        _steps.Release(blocks);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        var spinner = default(SpinWait);
        while (ProcessedBlocks < target)
        {
            if (!IsRunning || DateTime.UtcNow > deadline)
            {
                return ProcessedBlocks >= target;
            }

            spinner.SpinOnce();
        }

        return true;
    }

    internal void WakeUp() => _steps.Release();

    internal void AddPendingXruns(int count) => Interlocked.Add(ref _pendingXruns, count);

    /// <inheritdoc />
    protected override void Open()
    {
        if (!_hardware.IsPresent)
        {
            throw new AudioDeviceException($"{Name}: cannot open simulated device: {_hardware.FailureMessage}");
        }

        _hardware.Attach(this);
        base.Open();
    }

    /// <inheritdoc />
    protected override void Close()
    {
        _hardware.Detach(this);
        while (_steps.CurrentCount > 0)
        {
            _steps.Wait(0);
        }
    }

    /// <inheritdoc />
    protected override BlockStatus ReadBlock(Span<float> left, Span<float> right, long startFrame)
    {
        if (_manualClock)
        {
            _steps.Wait();
        }

        if (StopRequested)
        {
            return BlockStatus.Failed;
        }

        if (!_hardware.IsPresent)
        {
            ReportError(AudioDeviceErrorKind.DeviceLost, $"{Name}: {_hardware.FailureMessage}");
            return BlockStatus.Failed;
        }

        for (int pending = Interlocked.Exchange(ref _pendingXruns, 0); pending > 0; pending--)
        {
            CountXrun();
        }

        return base.ReadBlock(left, right, startFrame);
    }

    /// <inheritdoc />
    protected override BlockStatus WriteBlock(ReadOnlySpan<float> left, ReadOnlySpan<float> right, long startFrame)
    {
        BlockStatus status = _manualClock ? WriteUnpaced(left, right, startFrame) : base.WriteBlock(left, right, startFrame);
        Interlocked.Increment(ref _processedBlocks);
        return status;
    }

    /// <inheritdoc />
    protected override void AbortBlockingIo() => _steps.Release();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _steps.Dispose();
        }

        base.Dispose(disposing);
    }

    private BlockStatus WriteUnpaced(ReadOnlySpan<float> left, ReadOnlySpan<float> right, long startFrame)
    {
        OutputTap?.Invoke(left, right, startFrame);
        return BlockStatus.Continue;
    }
}
