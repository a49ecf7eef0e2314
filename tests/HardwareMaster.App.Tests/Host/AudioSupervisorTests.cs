using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.Audio.Simulation;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Tests.Host;

public class AudioSupervisorTests
{
    private static (AudioSupervisor Supervisor, ListLogger Logger) Create(string spec, long? maxFrames = null, float fadeMs = 20)
    {
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        var logger = new ListLogger();
        var options = new SupervisorOptions(
            spec,
            new AudioDeviceOptions(BlockFrames: 64, RealtimePriority: 0, LockMemory: false, Paced: true),
            maxFrames,
            fadeMs,
            TimeSpan.FromMilliseconds(100),
            WarmBlocks: 200);
        return (new AudioSupervisor(controller, options, logger), logger);
    }

    [Fact]
    public async Task RunAsync_DeviceLostAndReturned_ReopensAndAudioResumes()
    {
        string name = "engine-loss-" + Guid.NewGuid().ToString("N")[..6];
        SimulatedAudioHardware hardware = SimulatedAudioHardware.Get(name);
        hardware.InputFactory = rate => new ToneSignal(1000, -12, rate);
        (AudioSupervisor supervisor, ListLogger logger) = Create("sim:" + name);
        using var stop = new CancellationTokenSource();
        Task<SupervisorState> run = supervisor.RunAsync(stop.Token);

        Assert.True(SpinWait.SpinUntil(() => supervisor.Engine.BlocksProcessed > 100, TimeSpan.FromSeconds(10)), "no audio at start");
        Assert.Equal(SupervisorState.Running, supervisor.State);

        hardware.Fail("No such device");
        Assert.True(SpinWait.SpinUntil(() => supervisor.State == SupervisorState.Retrying, TimeSpan.FromSeconds(5)), "loss not noticed");
        long blocksWhileGone = supervisor.Engine.BlocksProcessed;
        await Task.Delay(350); // about three retries against absent hardware
        Assert.Equal(blocksWhileGone, supervisor.Engine.BlocksProcessed);
        Assert.True(supervisor.OpenFailures >= 2, $"open failures {supervisor.OpenFailures}");
        Assert.False(run.IsCompleted, "the service must stay up while the device is gone");
        long heartbeatBlocks = supervisor.Engine.BlocksProcessed;
        Assert.True(supervisor.IsHealthy(ref heartbeatBlocks, TimeSpan.FromSeconds(2)), "a retrying loop is alive: the watchdog keeps pinging");

        hardware.Return();
        Assert.True(SpinWait.SpinUntil(() => supervisor.Engine.BlocksProcessed > blocksWhileGone + 100, TimeSpan.FromSeconds(10)), "audio did not resume");
        Assert.Equal(SupervisorState.Running, supervisor.State);
        Assert.Equal(1, supervisor.DeviceLosses);

        stop.Cancel();
        Assert.Equal(SupervisorState.Stopped, await run.WaitAsync(TimeSpan.FromSeconds(10)));
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
