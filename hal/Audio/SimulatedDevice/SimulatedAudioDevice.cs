using HardwareMaster.Hal.Audio.Generators;

namespace HardwareMaster.Hal.Audio.SimulatedDevice;

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
        DeliverMonitor(startFrame);
        OutputTap?.Invoke(left, right, startFrame);
        return BlockStatus.Continue;
    }
}
