using System.Diagnostics;
using HardwareMaster.App.Engine;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.FileDevice;
using HardwareMaster.Hal.Audio.Generators;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Host;

/// <summary>Where the audio service loop is.</summary>
public enum SupervisorState
{
    /// <summary>Not started yet.</summary>
    Idle,

    /// <summary>Opening the device.</summary>
    Starting,

    /// <summary>The device is running and calling the engine.</summary>
    Running,

    /// <summary>
    /// The device failed to open in a way that can heal (unplugged, busy, not there yet) or was lost; the loop retries
    /// every <see cref="SupervisorOptions.RetryInterval"/>.
    /// </summary>
    Retrying,

    /// <summary>A finite run (file device, <c>--duration</c>) finished.</summary>
    Completed,

    /// <summary>Stopped on request (SIGTERM, SIGINT/Ctrl-C, SIGHUP).</summary>
    Stopped,

    /// <summary>
    /// Retrying cannot help: the device spec is wrong (unknown scheme, malformed), or opening failed with
    /// <see cref="AudioDeviceException.CanRecover"/> <c>false</c> (an unknown device name, a file at another rate, an
    /// output folder that is missing or read-only) before audio ever ran. The service ends with
    /// <see cref="AudioSupervisor.ConfigurationErrorExitCode"/>.
    /// </summary>
    Faulted,

    /// <summary>
    /// An unpaced device (the file device) failed while running, e.g. the disk filled up: reopening it would start the
    /// run over, so the loop ends. The service ends with exit code 1.
    /// </summary>
    Failed,
}

/// <summary>How the audio service loop runs.</summary>
/// <param name="DeviceSpec">Device spec for <see cref="AudioDeviceFactory.Create"/>.</param>
/// <param name="Device">Device options (rate, block, periods, priority, output name…).</param>
/// <param name="MaxFrames">Stop after this many processed frames (from <c>--duration</c>), or <c>null</c>.</param>
/// <param name="FadeMs">Fade at start, after a device returns, and at stop (paced devices; file runs are not faded).</param>
/// <param name="RetryInterval">Pause between reopen attempts.</param>
/// <param name="WarmBlocks">Blocks run through the engine before the first device start.</param>
/// <param name="TestSignal">Generator spec (<see cref="GeneratorAudioDevice.ParseSignal"/>) that replaces the device input, or <c>null</c>.</param>
public sealed record SupervisorOptions(
    string DeviceSpec,
    AudioDeviceOptions Device,
    long? MaxFrames = null,
    float FadeMs = AudioEngine.DefaultFadeMs,
    TimeSpan? RetryInterval = null,
    int WarmBlocks = 2000,
    string? TestSignal = null)
{
    /// <summary>The retry pause actually used (default 1 s).</summary>
    public TimeSpan EffectiveRetryInterval => RetryInterval ?? TimeSpan.FromSeconds(1);
}

/// <summary>
/// The service loop around the engine: open the device, run until it completes, is lost or a stop is requested; on a
/// loss or a failure to open that can heal, report it and retry every second while the service stays up; audio resumes
/// by itself when the device returns (with a fade-in). A failure that cannot heal (<see cref="AudioDeviceException.CanRecover"/>
/// <c>false</c>) ends the loop at once as <see cref="SupervisorState.Faulted"/>, unless this device already ran in this
/// loop's life (then it was there and is waited for, e.g. a PortAudio interface unplugged mid-show). On stop, fade out
/// before closing the device (no click).
/// </summary>
/// <remarks>
/// Device events arrive on thread-pool threads; handlers only complete tasks and log inside try/catch, so a failing
/// logger can never stop audio. Nothing here runs on the audio thread.
/// </remarks>
public sealed class AudioSupervisor
{
    private readonly AudioEngine _engine;
    private readonly EngineController _controller;
    private readonly int _configuredDitherBits; // for float outputs, whose final word is not known here
    private readonly SupervisorOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource _firstBlockOrFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _xrunsOfClosedDevices;
    private IAudioDevice? _device;
    private int _state;
    private long _loopHeartbeat;
    private int _openFailures;
    private int _deviceLosses;
    private int _lastDeviceLatencyFrames;
    private string? _lastFailure;
    private int _retryDelays;
    private bool _ranOnce;
    private int _blockOverride;
    private int _prepareRequested;
    private int _reopens;
    private TaskCompletionSource _reopen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private float _reopenFadeMs = -1;

    /// <summary>
    /// Exit code of <c>hardwaremaster run</c> when the loop ends <see cref="SupervisorState.Faulted"/>: 78 (EX_CONFIG of
    /// sysexits.h, "CONFIG" to systemd). The unit lists it in <c>RestartPreventExitStatus=</c>, so a configuration that
    /// cannot work is not restarted in a loop.
    /// </summary>
    public const int ConfigurationErrorExitCode = 78;

    /// <summary>Creates the loop (starts nothing).</summary>
    /// <param name="controller">The engine's controller (the engine is <see cref="EngineController.Engine"/>).</param>
    /// <param name="options">Options.</param>
    /// <param name="logger">Where to report.</param>
    /// <param name="timeProvider">Clock for the retry pause and the loop heartbeat (tests pass a fake one); <see cref="TimeProvider.System"/> by default.</param>
    public AudioSupervisor(EngineController controller, SupervisorOptions options, ILogger logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _controller = controller;
        _engine = controller.Engine;
        _configuredDitherBits = controller.DitherBits;
        _options = options;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Current state. Any thread.</summary>
    public SupervisorState State => (SupervisorState)Volatile.Read(ref _state);

    /// <summary>The engine.</summary>
    public AudioEngine Engine => _engine;

    /// <summary>Xruns over every device opened so far. Any thread.</summary>
    public long XrunCount => Interlocked.Read(ref _xrunsOfClosedDevices) + (Volatile.Read(ref _device)?.XrunCount ?? 0);

    /// <summary>The running device's own latency (buffering), frames; 0 while no device is open. Any thread.</summary>
    public int DeviceLatencyFrames => Volatile.Read(ref _device)?.LatencyFrames ?? 0;

    /// <summary>The latency of the device that ran last, frames (kept after it closed: <c>--stats-json</c>). Any thread.</summary>
    public int LastDeviceLatencyFrames => Volatile.Read(ref _lastDeviceLatencyFrames);

    /// <summary>Failed attempts to open the device.</summary>
    public int OpenFailures => Volatile.Read(ref _openFailures);

    /// <summary>Times a running device was lost.</summary>
    public int DeviceLosses => Volatile.Read(ref _deviceLosses);

    /// <summary>The last open failure or loss message (<c>null</c> when none); for <see cref="SupervisorState.Faulted"/>, why.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>Retry pauses begun so far (each one ends after <see cref="SupervisorOptions.EffectiveRetryInterval"/> on the supervisor's clock). Any thread.</summary>
    public int RetryDelays => Volatile.Read(ref _retryDelays);

    /// <summary>The process exit code for a final <paramref name="state"/>: <see cref="ConfigurationErrorExitCode"/> for <see cref="SupervisorState.Faulted"/>, 1 for <see cref="SupervisorState.Failed"/>, else 0.</summary>
    /// <param name="state">The loop's final state.</param>
    /// <returns>The exit code.</returns>
    public static int ExitCodeFor(SupervisorState state) => state switch
    {
        SupervisorState.Faulted => ConfigurationErrorExitCode,
        SupervisorState.Failed => 1,
        _ => 0,
    };

    /// <summary>The block size the next (or current) device is opened with: the configured one, or what <see cref="RequestReopen"/> asked for.</summary>
    public int BlockFrames => Volatile.Read(ref _blockOverride) is > 0 and var block ? block : _options.Device.BlockFrames;

    /// <summary>Times a running device was closed and reopened on request (<see cref="RequestReopen"/>).</summary>
    public int Reopens => Volatile.Read(ref _reopens);

    /// <summary>
    /// Asks the loop to fade out (<paramref name="fadeMs"/>), close the running device and open it again at once with
    /// <paramref name="blockFrames"/> frames per block, preparing the engine again (so chain settings that take effect
    /// only at <c>Prepare</c>, such as the limiter's look-ahead, apply) and fading back in. Used by the self-protecting
    /// engine (a bigger block after an xrun burst) and the latency modes. An unpaced device (a file) is not reopened
    /// (it would start over); the request then applies to nothing. Any thread.
    /// </summary>
    /// <param name="blockFrames">Frames per block from now on (1..8192).</param>
    /// <param name="fadeMs">Fade out and in around the reopen, ms (short: the gap is the fades plus the reopen).</param>
    public void RequestReopen(int blockFrames, float fadeMs = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockFrames, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockFrames, 8192);
        Volatile.Write(ref _blockOverride, blockFrames);
        Volatile.Write(ref _reopenFadeMs, fadeMs);
        Volatile.Write(ref _prepareRequested, 1);
        Volatile.Read(ref _reopen).TrySetResult();
    }

    /// <summary>The device spec and sample rate in use (rate known after the first open).</summary>
    public SupervisorOptions Options => _options;

    /// <summary>Time from <see cref="RunAsync"/> to the first processed block, or <c>null</c> before it.</summary>
    public TimeSpan? TimeToFirstBlock { get; private set; }

    /// <summary>Completes at the first processed block, or at the first failure to open (so READY=1 follows audio).</summary>
    public Task FirstBlockOrFailure => _firstBlockOrFailure.Task;

    /// <summary>
    /// <c>true</c> while the loop is healthy: the engine processed blocks since <paramref name="blocksAtLastCheck"/>, or the
    /// loop is deliberately waiting to retry (and its heartbeat is recent). A running device whose audio thread delivers
    /// nothing is not healthy (the watchdog then stops pinging and systemd restarts the service).
    /// </summary>
    /// <param name="blocksAtLastCheck">Engine block count at the previous check; updated.</param>
    /// <param name="maxHeartbeatAge">How old the loop's heartbeat may be while retrying.</param>
    /// <returns>Whether to ping the watchdog.</returns>
    public bool IsHealthy(ref long blocksAtLastCheck, TimeSpan maxHeartbeatAge)
    {
        long blocks = _engine.BlocksProcessed;
        bool advanced = blocks != blocksAtLastCheck;
        blocksAtLastCheck = blocks;
        return State switch
        {
            SupervisorState.Running => advanced,
            SupervisorState.Retrying or SupervisorState.Starting =>
                _time.GetElapsedTime(Interlocked.Read(ref _loopHeartbeat)) < maxHeartbeatAge,
            _ => false,
        };
    }

    /// <summary>Runs the loop until <paramref name="stopToken"/> is cancelled, the run completes, or the spec is invalid.</summary>
    /// <param name="stopToken">Cancelled on SIGTERM/Ctrl-C.</param>
    /// <returns>The final state: <see cref="SupervisorState.Stopped"/>, <see cref="SupervisorState.Completed"/>, <see cref="SupervisorState.Faulted"/> or <see cref="SupervisorState.Failed"/>.</returns>
    public async Task<SupervisorState> RunAsync(CancellationToken stopToken)
    {
        long started = Stopwatch.GetTimestamp();
        bool prepared = false;
        while (!stopToken.IsCancellationRequested)
        {
            Beat();
            SetState(SupervisorState.Starting);
            long remaining = _options.MaxFrames is { } max ? max - _engine.FramesProcessed : long.MaxValue;
            if (remaining <= 0)
            {
                return Finish(SupervisorState.Completed);
            }

            IAudioDevice device;
            try
            {
                device = AudioDeviceFactory.Create(_options.DeviceSpec, _options.Device with { BlockFrames = BlockFrames, MaxFrames = _options.MaxFrames is null ? null : remaining });
            }
            catch (ArgumentException ex)
            {
                return Fault($"audio device '{_options.DeviceSpec}': {ex.Message}");
            }

            float reopenFade = Interlocked.Exchange(ref _reopenFadeMs, -1);
            float fadeMs = device.IsPaced ? (reopenFade >= 0 ? reopenFade : _options.FadeMs) : 0;
            bool prepareRequested = Interlocked.Exchange(ref _prepareRequested, 0) == 1;
            if (prepareRequested && Volatile.Read(ref _reopen).Task.IsCompleted)
            {
                // Asked while no device ran (starting, retrying): this open already applies it; do not reopen again.
                Volatile.Write(ref _reopen, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            // Built for the rate the device really runs at (a tone keeps its pitch), and set before the warm-up so its code is warm too.
            _engine.TestSignal = _options.TestSignal is { } signal ? GeneratorAudioDevice.ParseSignal(signal, device.SampleRateHz) : null;
            if (!prepared || prepareRequested || _engine.SampleRateHz != device.SampleRateHz || _engine.BlockFrames != device.BlockFrames)
            {
                _engine.Prepare(device.SampleRateHz, device.BlockFrames, device.IsPaced, fadeMs);
                // A reopen keeps the gap short: the code is warm already, a few hundred blocks settle the new buffers.
                _engine.Warm(prepared ? Math.Min(_options.WarmBlocks, 200) : _options.WarmBlocks, fadeMs);
                prepared = true;
            }
            else
            {
                _engine.Restart(fadeMs);
            }

            if (device is FileAudioDevice file)
            {
                file.LatencyCompensationFrames = _engine.LatencyFrames;
            }

            var ended = new TaskCompletionSource<AudioDeviceError?>(TaskCreationOptions.RunContinuationsAsynchronously);
            device.Error += error => OnDeviceError(error, ended);
            device.Completed += () => ended.TrySetResult(null);
            // Dither to the word the device takes: known before the start for files and forced formats, after it when negotiated.
            _controller.SetDitherBits(EngineController.DitherBitsFor(device.OutputFormat, _configuredDitherBits));
            try
            {
                device.Start(_engine);
            }
            catch (AudioDeviceException ex)
            {
                device.Dispose();
                Interlocked.Increment(ref _openFailures);
                if (!ex.CanRecover && !_ranOnce)
                {
                    return Fault(ex.Message + " (not retried: fix the configuration)");
                }

                ReportFailure(ex.Message);
                _firstBlockOrFailure.TrySetResult();
                if (!await RetryDelayAsync(stopToken).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A device that let a file-system error escape (it should wrap it): a file that cannot be opened or written.
                device.Dispose();
                Interlocked.Increment(ref _openFailures);
                return Fault($"{device.Name}: {ex.Message} (not retried: fix the configuration)");
            }

            int ditherBits = EngineController.DitherBitsFor(device.OutputFormat, _configuredDitherBits);
            _controller.SetDitherBits(ditherBits);
            Volatile.Write(ref _lastDeviceLatencyFrames, device.LatencyFrames);
            Volatile.Write(ref _device, device);
            _ranOnce = true;
            SetState(SupervisorState.Running);
            Report(LogLevel.Information, $"audio running: {device.Name}, {device.SampleRateHz} Hz, {device.BlockFrames}-frame blocks, output {device.OutputFormat}, dither word {(ditherBits == 0 ? "none (float)" : ditherBits + " bits")}, device latency {device.LatencyFrames} frames, chain latency {_engine.LatencyFrames} frames");
            _lastFailure = null;
            _ = WatchFirstBlockAsync(started, device, stopToken);

            Task stopped = Task.Delay(Timeout.Infinite, stopToken);
            Task reopen = Volatile.Read(ref _reopen).Task;
            Task finished = await Task.WhenAny(ended.Task, stopped, reopen).ConfigureAwait(false);
            if (finished == stopped)
            {
                await FadeOutAsync().ConfigureAwait(false);
                CloseDevice(device);
                break;
            }

            if (finished == reopen)
            {
                Volatile.Write(ref _reopen, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                if (device.IsPaced)
                {
                    float fade = Volatile.Read(ref _reopenFadeMs);
                    await FadeOutAsync(fade >= 0 ? fade : _options.FadeMs).ConfigureAwait(false);
                    CloseDevice(device);
                    Interlocked.Increment(ref _reopens);
                    Report(LogLevel.Warning, $"audio reopening: {device.Name} with {BlockFrames}-frame blocks");
                    continue;
                }

                // An unpaced device cannot be reopened (it would start over); keep running as it is.
                Volatile.Write(ref _prepareRequested, 0);
                Volatile.Write(ref _blockOverride, device.BlockFrames);
                finished = await Task.WhenAny(ended.Task, stopped).ConfigureAwait(false);
                if (finished == stopped)
                {
                    CloseDevice(device);
                    break;
                }
            }

            AudioDeviceError? error = await ended.Task.ConfigureAwait(false);
            CloseDevice(device);
            if (error is null)
            {
                Report(LogLevel.Information, $"audio finished: {device.Name} delivered all its frames");
                return Finish(SupervisorState.Completed);
            }

            Interlocked.Increment(ref _deviceLosses);
            if (!device.IsPaced)
            {
                // A file (or any unpaced, finite) device cannot resume where it failed: reopening would start the input
                // over and replace the output. Disk full, an unreadable block: the run has failed.
                Volatile.Write(ref _lastFailure, error.Message);
                Report(LogLevel.Critical, error.Message + " (not retried: the run cannot resume)");
                return Finish(SupervisorState.Failed);
            }

            ReportFailure(error.Message);
            if (!await RetryDelayAsync(stopToken).ConfigureAwait(false))
            {
                break;
            }
        }

        return Finish(SupervisorState.Stopped);
    }

    private async Task<bool> Delay(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, _time, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task WatchFirstBlockAsync(long started, IAudioDevice device, CancellationToken token)
    {
        if (TimeToFirstBlock is not null)
        {
            return;
        }

        while (_engine.BlocksProcessed == 0 && device.IsRunning && !token.IsCancellationRequested)
        {
            await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);
        }

        if (_engine.BlocksProcessed > 0)
        {
            TimeToFirstBlock = Stopwatch.GetElapsedTime(started);
        }

        _firstBlockOrFailure.TrySetResult();
    }

    private async Task FadeOutAsync(float? fadeMs = null)
    {
        float ms = fadeMs ?? _options.FadeMs;
        if (ms <= 0 || !_controller.FadeOut(ms))
        {
            return;
        }

        var deadline = Stopwatch.GetTimestamp() + (long)((ms + 500) / 1000.0 * Stopwatch.Frequency);
        while (!_engine.IsFadedOut && Stopwatch.GetTimestamp() < deadline && Volatile.Read(ref _device)?.IsRunning == true)
        {
            await Task.Delay(2, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<bool> RetryDelayAsync(CancellationToken stopToken)
    {
        SetState(SupervisorState.Retrying);
        Beat();
        Interlocked.Increment(ref _retryDelays);
        return await Delay(_options.EffectiveRetryInterval, stopToken).ConfigureAwait(false);
    }

    private void CloseDevice(IAudioDevice device)
    {
        Volatile.Write(ref _device, null);
        try
        {
            device.Stop();
        }
        finally
        {
            Interlocked.Add(ref _xrunsOfClosedDevices, device.XrunCount);
            device.Dispose();
        }
    }

    private void OnDeviceError(AudioDeviceError error, TaskCompletionSource<AudioDeviceError?> ended)
    {
        if (error.IsFatal)
        {
            ended.TrySetResult(error);
            return;
        }

        Report(error.Kind == AudioDeviceErrorKind.Xrun ? LogLevel.Warning : LogLevel.Warning, error.Message);
    }

    private void ReportFailure(string message)
    {
        // Retried every second: log a message when it changes, then every 60th repeat, so the journal stays readable.
        int attempts = OpenFailures + DeviceLosses;
        if (message != _lastFailure || attempts % 60 == 0)
        {
            Report(LogLevel.Error, $"{message} (retrying every {_options.EffectiveRetryInterval.TotalSeconds:0.#} s; audio resumes when the device returns)");
        }

        Volatile.Write(ref _lastFailure, message);
    }

    private void Report(LogLevel level, string message)
    {
        try
        {
            _logger.Log(level, "{Message}", message);
        }
        catch (Exception)
        {
            // A failing logger (full disk, closed journal) must never stop audio.
        }
    }

    private SupervisorState Fault(string message)
    {
        Volatile.Write(ref _lastFailure, message);
        Report(LogLevel.Critical, message);
        return Finish(SupervisorState.Faulted);
    }

    private SupervisorState Finish(SupervisorState state)
    {
        SetState(state);
        _firstBlockOrFailure.TrySetResult();
        return state;
    }

    private void SetState(SupervisorState state) => Volatile.Write(ref _state, (int)state);

    private void Beat() => Interlocked.Exchange(ref _loopHeartbeat, _time.GetTimestamp());
}
