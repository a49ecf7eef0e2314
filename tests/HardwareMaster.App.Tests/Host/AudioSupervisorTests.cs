using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.Audio.SimulatedDevice;
using HardwareMaster.Hal.AudioFiles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace HardwareMaster.App.Tests.Host;

public class AudioSupervisorTests
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(100);

    /// <summary>Safety net only: every wait below ends on its condition long before this on a healthy machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static (AudioSupervisor Supervisor, ListLogger Logger) Create(string spec, long? maxFrames = null, float fadeMs = 20, TimeProvider? time = null)
    {
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        var logger = new ListLogger();
        var options = new SupervisorOptions(
            spec,
            new AudioDeviceOptions(BlockFrames: 64, RealtimePriority: 0, LockMemory: false, Paced: true),
            maxFrames,
            fadeMs,
            Retry,
            WarmBlocks: 200);
        return (new AudioSupervisor(controller, options, logger, time), logger);
    }

    /// <summary>
    /// Waits for <paramref name="condition"/>, moving the fake clock on by one retry interval whenever the loop is waiting
    /// to retry, so every retry happens on the fake clock (none on the wall clock) and no count depends on timing.
    /// </summary>
    private static void AdvanceUntil(FakeTimeProvider time, AudioSupervisor supervisor, Func<bool> condition, string because)
    {
        bool met = SpinWait.SpinUntil(
            () =>
            {
                if (condition())
                {
                    return true;
                }

                if (supervisor.State == SupervisorState.Retrying)
                {
                    time.Advance(Retry);
                }

                return false;
            },
            Patience);
        Assert.True(met, because);
    }

    [Fact]
    public async Task RunAsync_DeviceLostAndReturned_ReopensAndAudioResumes()
    {
        string name = "engine-loss-" + Guid.NewGuid().ToString("N")[..6];
        SimulatedAudioHardware hardware = SimulatedAudioHardware.Get(name);
        hardware.InputFactory = rate => new ToneSignal(1000, -12, rate);
        var time = new FakeTimeProvider();
        (AudioSupervisor supervisor, ListLogger logger) = Create("sim:" + name, time: time);
        using var stop = new CancellationTokenSource();
        Task<SupervisorState> run = supervisor.RunAsync(stop.Token);

        Assert.True(SpinWait.SpinUntil(() => supervisor.Engine.BlocksProcessed > 100, Patience), "no audio at start");
        Assert.Equal(SupervisorState.Running, supervisor.State);

        hardware.Fail("No such device");
        Assert.True(SpinWait.SpinUntil(() => supervisor.State == SupervisorState.Retrying, Patience), "loss not noticed");
        long blocksWhileGone = supervisor.Engine.BlocksProcessed;
        AdvanceUntil(time, supervisor, () => supervisor.OpenFailures >= 2, "the loop did not retry on its clock"); // two reopen attempts against absent hardware
        Assert.Equal(blocksWhileGone, supervisor.Engine.BlocksProcessed);
        Assert.False(run.IsCompleted, "the service must stay up while the device is gone");
        long heartbeatBlocks = supervisor.Engine.BlocksProcessed;
        Assert.True(supervisor.IsHealthy(ref heartbeatBlocks, TimeSpan.FromSeconds(2)), "a retrying loop is alive: the watchdog keeps pinging");

        hardware.Return();
        AdvanceUntil(time, supervisor, () => supervisor.Engine.BlocksProcessed > blocksWhileGone + 100, "audio did not resume");
        Assert.Equal(SupervisorState.Running, supervisor.State);
        Assert.Equal(1, supervisor.DeviceLosses);
        Assert.Equal(supervisor.OpenFailures + 1, supervisor.RetryDelays); // every reopen came after one pause: after the loss, after each failure

        stop.Cancel();
        Assert.Equal(SupervisorState.Stopped, await run.WaitAsync(Patience));
        Assert.Contains(logger.Lines, l => l.Contains("No such device", StringComparison.Ordinal) && l.Contains("retrying every", StringComparison.Ordinal));
        Assert.Equal(2, logger.Lines.Count(l => l.StartsWith("Information: audio running", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_Stop_FadesOutBeforeClosing()
    {
        string name = "engine-fade-" + Guid.NewGuid().ToString("N")[..6];
        SimulatedAudioHardware hardware = SimulatedAudioHardware.Get(name);
        hardware.InputFactory = rate => new ToneSignal(1000, -6, rate);
        (AudioSupervisor supervisor, _) = Create("sim:" + name, fadeMs: 30);
        using var stop = new CancellationTokenSource();
        Task<SupervisorState> run = supervisor.RunAsync(stop.Token);
        Assert.True(SpinWait.SpinUntil(() => supervisor.Engine.BlocksProcessed > 200, TimeSpan.FromSeconds(10)));
        stop.Cancel();
        Assert.Equal(SupervisorState.Stopped, await run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(supervisor.Engine.IsFadedOut, "the device was closed before the fade-out reached silence");
    }

    [Fact]
    public async Task RunAsync_MaxFrames_CompletesWithExactlyThatMuchAudio()
    {
        (AudioSupervisor supervisor, _) = Create("gen:pink", maxFrames: 48000 / 4);
        SupervisorState state = await supervisor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SupervisorState.Completed, state);
        Assert.Equal(188, supervisor.Engine.BlocksProcessed); // 12000 frames = 187.5 blocks: the block that reaches the limit runs whole
        Assert.NotNull(supervisor.TimeToFirstBlock);
        RunStatistics stats = RunStatistics.Collect(supervisor, state);
        Assert.Equal("completed", stats.FinalState);
        string json = stats.ToJson();
        foreach (string key in new[] { "\"computePercent\"", "\"computeCpuPercent\"", "\"computeOverruns\"", "\"preemption\"", "\"slowestBlocks\"", "\"lateCallbacksAfterGc\"", "\"totalPauseMs\"" })
        {
            Assert.Contains(key, json, StringComparison.Ordinal);
        }

        Assert.NotNull(stats.ComputeCpuPercent);
        Assert.Equal(stats.Blocks, supervisor.Engine.ReadStatistics().ComputeCpuTime!.Value.Blocks);
        Assert.NotEmpty(stats.SlowestBlocks);
        Assert.NotNull(stats.Output.SamplePeakDbfs);
    }

    [Fact]
    public async Task RunAsync_UnknownGenerator_FaultsWithOneLine()
    {
        (AudioSupervisor supervisor, ListLogger logger) = Create("gen:nonsense");
        Assert.Equal(SupervisorState.Faulted, await supervisor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains(logger.Lines, l => l.StartsWith("Critical: audio device 'gen:nonsense'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_OpenFailsAndCannotRecover_FaultsAtOnceWithoutASecondOpen()
    {
        var script = new DeviceScript(options => new GeneratorAudioDevice(new SilenceSignal(), options))
            .ThenFail("alsa:hm_typo: cannot open ALSA playback device 'hm_typo': unknown PCM 'hm_typo'", canRecover: false)
            .ThenOpen();
        var time = new FakeTimeProvider();
        (AudioSupervisor supervisor, ListLogger logger) = Create(script.Spec, time: time);

        SupervisorState state = await supervisor.RunAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(SupervisorState.Faulted, state);
        Assert.Equal(1, script.Opens); // no second attempt: the loop ended without waiting on its clock
        Assert.Equal(0, supervisor.RetryDelays);
        Assert.Equal(1, supervisor.OpenFailures);
        Assert.True(supervisor.FirstBlockOrFailure.IsCompleted, "READY must not wait for a device that will never come");
        Assert.Contains("unknown PCM 'hm_typo'", supervisor.LastFailure, StringComparison.Ordinal);
        string line = Assert.Single(logger.Lines, l => l.Contains("hm_typo", StringComparison.Ordinal));
        Assert.StartsWith("Critical: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("retrying", line, StringComparison.Ordinal);
        Assert.Equal(AudioSupervisor.ConfigurationErrorExitCode, AudioSupervisor.ExitCodeFor(state));
        Assert.NotEqual(0, AudioSupervisor.ExitCodeFor(state));
        Assert.Equal(0, AudioSupervisor.ExitCodeFor(SupervisorState.Stopped));
        Assert.Equal(0, AudioSupervisor.ExitCodeFor(SupervisorState.Completed));
    }

    [Theory]
    [InlineData("wrong-rate", "the file is 48000 Hz but the engine runs at 44100 Hz")]
    [InlineData("missing-folder", "cannot create the output")]
    [InlineData("missing-input", "cannot open the input")]
    public async Task RunAsync_FileDeviceThatCannotWork_FaultsAtOnce(string problem, string expected)
    {
        using var files = new TestFiles();
        string input = files.PathOf("in.wav");
        TestFiles.Write(input, new float[4800], new float[4800], 48000, SampleEncoding.Float32);
        string output = problem == "missing-folder" ? files.PathOf(Path.Combine("no-such-folder", "out.wav")) : files.PathOf("out.wav");
        string spec = "file:" + (problem == "missing-input" ? files.PathOf("absent.wav") : input);
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        var logger = new ListLogger();
        var time = new FakeTimeProvider();
        var options = new SupervisorOptions(
            spec,
            new AudioDeviceOptions(SampleRateHz: problem == "wrong-rate" ? 44100 : 48000, BlockFrames: 64, RealtimePriority: 0, LockMemory: false, OutputName: output),
            FadeMs: 0,
            RetryInterval: Retry,
            WarmBlocks: 10);
        var supervisor = new AudioSupervisor(controller, options, logger, time);

        SupervisorState state = await supervisor.RunAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(SupervisorState.Faulted, state);
        Assert.Equal(1, supervisor.OpenFailures);
        Assert.Equal(0, supervisor.RetryDelays);
        Assert.Contains(expected, supervisor.LastFailure, StringComparison.Ordinal);
        Assert.Single(logger.Lines, l => l.StartsWith("Critical: ", StringComparison.Ordinal));
        Assert.False(File.Exists(output), "nothing may be written for a run that cannot start");
    }

    [Fact]
    public async Task RunAsync_UnpacedDeviceLostWhileRunning_FailsWithoutReopening()
    {
        // The file device is unpaced: reopening it after a write error (disk full) would start the input over and replace the output.
        string name = "engine-unpaced-" + Guid.NewGuid().ToString("N")[..6];
        SimulatedAudioHardware hardware = SimulatedAudioHardware.Get(name);
        var script = new DeviceScript(options => hardware.CreateDevice(options with { Paced = false })).ThenOpen();
        var time = new FakeTimeProvider();
        (AudioSupervisor supervisor, ListLogger logger) = Create(script.Spec, time: time);
        Task<SupervisorState> run = supervisor.RunAsync(CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => supervisor.Engine.BlocksProcessed > 50, Patience), "no audio at start");

        hardware.Fail("No space left on device");

        Assert.Equal(SupervisorState.Failed, await run.WaitAsync(Patience));
        Assert.Equal(1, script.Opens);
        Assert.Equal(1, supervisor.DeviceLosses);
        Assert.Equal(0, supervisor.RetryDelays);
        Assert.Contains("No space left on device", supervisor.LastFailure, StringComparison.Ordinal);
        Assert.Single(logger.Lines, l => l.StartsWith("Critical: ", StringComparison.Ordinal) && l.Contains("No space left on device", StringComparison.Ordinal));
        Assert.Equal(1, AudioSupervisor.ExitCodeFor(SupervisorState.Failed));
    }

    [Fact]
    public async Task RunAsync_OpenFailsButCanRecover_RetriesOnItsClockUntilTheDeviceComesBack()
    {
        // A USB interface that is not plugged in at boot: three failed opens, then it is there.
        var script = new DeviceScript(options => new GeneratorAudioDevice(new ToneSignal(1000, -12, options.SampleRateHz), options))
            .ThenFail("alsa:hw:CARD=Rig: cannot open ALSA capture device 'hw:CARD=Rig': No such device", canRecover: true)
            .ThenFail("alsa:hw:CARD=Rig: cannot open ALSA capture device 'hw:CARD=Rig': No such device", canRecover: true)
            .ThenFail("alsa:hw:CARD=Rig: cannot open ALSA capture device 'hw:CARD=Rig': Device or resource busy", canRecover: true)
            .ThenOpen();
        var time = new FakeTimeProvider();
        (AudioSupervisor supervisor, ListLogger logger) = Create(script.Spec, time: time);
        using var stop = new CancellationTokenSource();
        Task<SupervisorState> run = supervisor.RunAsync(stop.Token);

        await script.OpenedTimes(1).WaitAsync(Patience);
        Assert.True(SpinWait.SpinUntil(() => supervisor.State == SupervisorState.Retrying, Patience), "the first failure did not lead to a retry");
        Task fourthOpen = script.OpenedTimes(4);
        AdvanceUntil(time, supervisor, () => fourthOpen.IsCompleted, "the loop stopped retrying a device that can come back");
        AdvanceUntil(time, supervisor, () => supervisor.Engine.BlocksProcessed > 100, "audio did not start when the device came");

        Assert.Equal(SupervisorState.Running, supervisor.State);
        Assert.Equal(4, script.Opens);
        Assert.Equal(3, supervisor.OpenFailures);
        Assert.Equal(3, supervisor.RetryDelays); // one pause on the clock before each reopen
        Assert.False(run.IsCompleted);
        stop.Cancel();
        Assert.Equal(SupervisorState.Stopped, await run.WaitAsync(Patience));
        Assert.Equal(0, AudioSupervisor.ExitCodeFor(SupervisorState.Stopped));
        Assert.Equal(2, logger.Lines.Count(l => l.Contains("retrying every", StringComparison.Ordinal))); // logged when the message changes
    }

    [Fact]
    public async Task RunAsync_DeviceThatRanIsGoneAndLooksUnknown_IsStillWaitedFor()
    {
        // PortAudio lists only present devices: an interface unplugged mid-show "does not exist" on reopen. It ran, so it is waited for.
        string name = "engine-ran-" + Guid.NewGuid().ToString("N")[..6];
        SimulatedAudioHardware hardware = SimulatedAudioHardware.Get(name);
        var script = new DeviceScript(options => hardware.CreateDevice(options))
            .ThenOpen()
            .ThenFail("pa:Rig: no PortAudio input device named 'Rig' (see `hardwaremaster devices`)", canRecover: false)
            .ThenOpen();
        var time = new FakeTimeProvider();
        (AudioSupervisor supervisor, _) = Create(script.Spec, time: time);
        using var stop = new CancellationTokenSource();
        Task<SupervisorState> run = supervisor.RunAsync(stop.Token);
        Assert.True(SpinWait.SpinUntil(() => supervisor.Engine.BlocksProcessed > 50, Patience), "no audio at start");

        hardware.Fail("No such device");
        Task secondOpen = script.OpenedTimes(2);
        AdvanceUntil(time, supervisor, () => secondOpen.IsCompleted, "the loop did not try to reopen the lost device");
        Assert.True(SpinWait.SpinUntil(() => supervisor.State is SupervisorState.Retrying or SupervisorState.Faulted, Patience));
        Assert.Equal(SupervisorState.Retrying, supervisor.State); // the "unknown" failure was not final
        hardware.Return();
        long before = supervisor.Engine.BlocksProcessed;
        AdvanceUntil(time, supervisor, () => supervisor.Engine.BlocksProcessed > before + 50, "audio did not resume");
        Assert.Equal(3, script.Opens);

        Assert.Equal(SupervisorState.Running, supervisor.State);
        Assert.Equal(1, supervisor.DeviceLosses);
        Assert.Equal(1, supervisor.OpenFailures);
        stop.Cancel();
        Assert.Equal(SupervisorState.Stopped, await run.WaitAsync(Patience));
    }

    [Fact]
    public async Task RunAsync_LoggerThrows_AudioKeepsRunning()
    {
        string name = "engine-badlog-" + Guid.NewGuid().ToString("N")[..6];
        SimulatedAudioHardware hardware = SimulatedAudioHardware.Get(name);
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        var options = new SupervisorOptions("sim:" + name, new AudioDeviceOptions(BlockFrames: 64, RealtimePriority: 0, LockMemory: false), RetryInterval: TimeSpan.FromMilliseconds(50), WarmBlocks: 10);
        var supervisor = new AudioSupervisor(controller, options, new ThrowingLogger());
        using var stop = new CancellationTokenSource();
        Task<SupervisorState> run = supervisor.RunAsync(stop.Token);
        Assert.True(SpinWait.SpinUntil(() => engine.BlocksProcessed > 50, TimeSpan.FromSeconds(10)));
        hardware.InjectXruns(3); // warnings are logged through the throwing logger
        hardware.Fail();
        Assert.True(SpinWait.SpinUntil(() => supervisor.State == SupervisorState.Retrying, TimeSpan.FromSeconds(5)));
        hardware.Return();
        long before = engine.BlocksProcessed;
        Assert.True(SpinWait.SpinUntil(() => engine.BlocksProcessed > before + 50, TimeSpan.FromSeconds(10)));
        stop.Cancel();
        Assert.Equal(SupervisorState.Stopped, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    internal sealed class ListLogger : ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }

    private sealed class ThrowingLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new IOException("journal is gone");
    }
}
