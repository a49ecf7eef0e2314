using System.Runtime;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Presets;
using HardwareMaster.Dsp.Chain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Host;

/// <summary>What <c>hardwaremaster run</c> runs.</summary>
/// <param name="Supervisor">Loop options (device, rate, block, duration…).</param>
/// <param name="Preset">The chain settings.</param>
/// <param name="DitherBits">Output word for dither (16/24, 0 for float output).</param>
/// <param name="StatsJsonPath">Write statistics here on exit, or <c>null</c>.</param>
public sealed record RunRequest(SupervisorOptions Supervisor, Preset Preset, int DitherBits, string? StatsJsonPath)
{
    /// <summary>Run the box's face too: on the desktop (<c>--simulate</c>: simulated OLED, keyboard, script) or on the box's hardware (<c>--box</c>); null = audio only.</summary>
    public BoxRequest? Box { get; init; }

    /// <summary>Remote control (MIDI, OSC, web), or null. With a box its UI loop serves it; without, a <see cref="Remote.RemoteControlLoop"/>.</summary>
    public Remote.RemoteHub? Remote { get; init; }

    /// <summary>The latency mode to start in (`run --latency-mode`).</summary>
    public Protection.LatencyMode LatencyMode { get; init; }

    /// <summary>The self-protecting engine's limits (`run --xrun-limit`), or null for the defaults.</summary>
    public Protection.ProtectionOptions? Protection { get; init; }

    /// <summary>Serve the remote web page here (<c>--remote ADDR:PORT</c>; needs <see cref="Remote"/>), or null.</summary>
    public System.Net.IPEndPoint? RemoteWeb { get; init; }

    /// <summary>Stops the run when cancelled (tests; the box stops on signals).</summary>
    public CancellationToken Stop { get; init; }

    /// <summary>Record input and master to disk (<c>--record DIR</c>, config <c>record.*</c>), or null.</summary>
    public Recording.RecorderOptions? Record { get; init; }

    /// <summary>MIDI and OSC inputs feeding <see cref="Remote"/>, or null.</summary>
    public Remote.RemoteInputs? RemoteInputs { get; init; }

    /// <summary>The monitor path to start with (<c>--monitor</c>, <c>--monitor-output</c>, config <c>monitor</c>), or null.</summary>
    public App.Monitor.MonitorRequest? Monitor { get; init; }

    /// <summary>The reference A/B folder(s) (<c>--reference-dir</c>, config <c>referenceDir</c>; the box's default a USB stick), or null (no reference player).</summary>
    public string? ReferenceDir { get; init; }
}

/// <summary>
/// The box's service: the .NET Generic Host with systemd integration (<c>Type=notify</c>: READY=1 after the first block,
/// STOPPING on SIGTERM; journald-friendly console logging when started by systemd), the audio loop and the watchdog.
/// </summary>
/// <remarks>
/// GC choice (documented in firmware-app/README.md): workstation, concurrent (background) GC from the project file, and
/// <see cref="GCLatencyMode.SustainedLowLatency"/> set here, so full blocking gen-2 collections are avoided while audio
/// runs; the audio thread allocates nothing, so only the short gen-0/1 suspensions caused by other threads can touch it.
/// </remarks>
public static class RunHost
{
    /// <summary>Runs until SIGTERM/Ctrl-C, the end of a finite run, or a fatal configuration problem.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="configureLogging">Optional extra logging set-up (tests).</param>
    /// <returns>Process exit code: 0 stopped (SIGTERM, SIGINT, SIGHUP) or completed, <see cref="AudioSupervisor.ConfigurationErrorExitCode"/> (78) the device cannot be used and retrying cannot help, 1 a file run failed while running (disk full), 3 the statistics could not be written.</returns>
    public static async Task<int> RunAsync(RunRequest request, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;

        using BoxRuntime? box = request.Box is { } boxRequest ? BoxRuntime.Prepare(boxRequest with { Remote = request.Remote }) : null;
        SupervisorOptions supervisorOptions = box?.Scheme is { } scheme ? request.Supervisor with { DeviceSpec = scheme + ":" + request.Supervisor.DeviceSpec } : request.Supervisor;
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, request.Preset.Values, request.DitherBits);
        double standardLookaheadMs = controller.Values[Parameters.ParameterIds.LimiterLookahead];
        Assistant.Ready.ReadinessAnalyzer? readiness = null;
        if (box is not null)
        {
            // READY?: the engine's input through a lock-free ring to an analysis worker (never the audio thread).
            var feed = new Assistant.Ready.ProgrammeFeed();
            engine.AttachObserver(EngineObserverSlot.Analysis, feed);
            readiness = new Assistant.Ready.ReadinessAnalyzer(feed);
            box.Readiness = readiness;
        }

        using App.Monitor.MonitorFileSink? monitorFile = App.Monitor.MonitorHosting.Attach(request, engine, out string? monitorProblem);
        if (monitorProblem is not null)
        {
            Cli.Error(monitorProblem);
            return 2;
        }

        App.Monitor.BoxMonitor? boxMonitor = box is null ? null : App.Monitor.BoxMonitorHosting.Attach(engine, box.StateDirectory, App.Monitor.MonitorHosting.DefaultRoute(request));
        box?.Monitor = boxMonitor;
        using App.Monitor.ReferencePlayer? reference = App.Monitor.ReferenceHosting.Attach(request, engine);
        box?.Reference = reference; // the REF button and the reference banner

        int configuredBlock = supervisorOptions.Device.BlockFrames;
        if (request.LatencyMode != Protection.LatencyMode.Standard)
        {
            controller.Set(Parameters.ParameterIds.LimiterLookahead, Protection.LatencyModes.LookaheadMs(request.LatencyMode, standardLookaheadMs));
            supervisorOptions = supervisorOptions with { Device = supervisorOptions.Device with { BlockFrames = Protection.LatencyModes.BlockFrames(request.LatencyMode, configuredBlock) } };
        }

        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "hardwaremaster",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = SystemdHelpers.IsSystemdService() ? null : "HH:mm:ss.fff ";
        });
        // The simulated box draws in the terminal: only warnings may print over it.
        builder.Logging.SetMinimumLevel(request.Box is { Interactive: true } ? LogLevel.Warning : LogLevel.Information);
        configureLogging?.Invoke(builder.Logging);
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(options =>
        {
            options.ShutdownTimeout = TimeSpan.FromSeconds(10);
            options.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore;
        });
        builder.Services.AddSingleton(controller);
        builder.Services.AddSingleton(supervisorOptions);
        builder.Services.AddSingleton(static services => new AudioSupervisor(
            services.GetRequiredService<EngineController>(),
            services.GetRequiredService<SupervisorOptions>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("hardwaremaster.audio")));
        builder.Services.AddSingleton(services => new Protection.EngineProtection(
            services.GetRequiredService<AudioSupervisor>(),
            services.GetRequiredService<EngineController>(),
            request.Protection ?? new Protection.ProtectionOptions(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("hardwaremaster.protection"),
            request.LatencyMode,
            configuredBlock,
            standardLookaheadMs));
        builder.Services.AddHostedService(static services => new Protection.ProtectionService(services.GetRequiredService<Protection.EngineProtection>()));
        builder.Services.AddSingleton<AudioHostedService>();
        builder.Services.AddHostedService(static services => services.GetRequiredService<AudioHostedService>());
        SdNotify? notify = SdNotify.FromEnvironment();
        builder.Services.AddHostedService(services => new WatchdogService(services.GetRequiredService<AudioSupervisor>(), notify, SdNotify.WatchdogInterval()));
        if (request.Remote is { } remote && box is null)
        {
            builder.Services.AddHostedService(services => new Remote.RemoteControlLoop(
                remote,
                services.GetRequiredService<AudioSupervisor>(),
                services.GetRequiredService<EngineController>(),
                services.GetRequiredService<ILoggerFactory>().CreateLogger("hardwaremaster.remote")));
        }

        if (Remote.Web.RemoteWebFeature.IsSupported && request.Remote is { } webHub && request.RemoteWeb is { } webEndpoint)
        {
            builder.Services.AddHostedService(services => new Remote.Web.RemoteWebService(webHub, webEndpoint, services.GetRequiredService<ILoggerFactory>().CreateLogger("hardwaremaster.remote")));
        }

        if (request.Remote is { } remoteHub && request.RemoteInputs is { } remoteInputs)
        {
            remoteInputs.AddServices(builder.Services, remoteHub);
        }

        if (box is not null)
        {
            // Registered last, so it stops first; on its own thread, never the audio thread.
            builder.Services.AddHostedService(services =>
            {
                box.Protection = services.GetRequiredService<Protection.EngineProtection>();
                return box.Build(
                    services.GetRequiredService<AudioSupervisor>(),
                    services.GetRequiredService<EngineController>(),
                    services.GetRequiredService<IHostApplicationLifetime>().StopApplication,
                    services.GetRequiredService<ILoggerFactory>().CreateLogger("hardwaremaster.box"));
            });
        }

        using IHost host = builder.Build();
        ILogger logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("hardwaremaster");
        reference?.Logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("hardwaremaster.reference");
        logger.LogInformation("starting: device {Device}, preset {Preset}, GC {GcMode}/{LatencyMode}", request.Supervisor.DeviceSpec, request.Preset.Name, GCSettings.IsServerGC ? "server" : "workstation", GCSettings.LatencyMode);
        App.Monitor.BoxMonitorHosting.LogCalibration(boxMonitor, logger);
        AudioSupervisor supervisor = host.Services.GetRequiredService<AudioSupervisor>();
        AudioHostedService audio = host.Services.GetRequiredService<AudioHostedService>();
        using IDisposable stopSignals = StopSignals.Register(host.Services.GetRequiredService<IHostApplicationLifetime>(), logger);
        using CancellationTokenRegistration stopRequest = request.Stop.Register(host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication);
        using Recording.Recorder? recorder = Recording.RecorderHosting.Start(request, controller, supervisor, host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("hardwaremaster.recorder"));
        box?.Recorder = recorder; // before StartAsync builds the face: the REC page and button
        await host.StartAsync().ConfigureAwait(false);
        await host.WaitForShutdownAsync().ConfigureAwait(false);
        recorder?.Dispose(); // the last take is closed with every block the engine made
        SupervisorState state = audio.FinalState ?? supervisor.State;
        RunStatistics stats = RunStatistics.Collect(supervisor, state) with { Protection = host.Services.GetRequiredService<Protection.EngineProtection>().Collect() };
        if (box is not null)
        {
            box.SaveState(logger);
            stats = stats with { Device = request.Supervisor.DeviceSpec, Parameters = box.CollectParameters(), Ui = box.CollectUi(), Ready = readiness?.Finish() };
            if (stats.Ui is { } ui)
            {
                logger.LogInformation(
                    "box: {Frames} frames, {Gestures} gestures, pages shown {Pages}, ends on {Page}; display {Shown} frames, {Failures} failures{Hint}",
                    ui.Frames,
                    ui.Gestures,
                    string.Join(' ', ui.PagesVisited),
                    ui.Page,
                    ui.DisplayFrames,
                    ui.DisplayFailures,
                    request.Box is { Interactive: false, SnapshotDirectory: null, OnBoxHardware: false } ? " (in a terminal the box is drawn and played from the keyboard; --snapshot-dir DIR saves each screen as a PNG)" : string.Empty);
            }
        }

        logger.LogInformation(
            "stopped ({State}): {Seconds:0.0} s of audio, {Blocks} blocks, xruns {Xruns}, deadline misses {Misses} (engine compute {Overruns}, GC {GcStalls}, preempted {Preempted}), late callbacks {Late}, compute p50 {P50:0.0} % p99 {P99:0.0} % max {Max:0.0} % of the period (CPU time max {CpuMax:0.0} %)",
            stats.FinalState,
            stats.AudioSeconds,
            stats.Blocks,
            stats.Xruns,
            stats.DeadlineMisses.Total,
            stats.DeadlineMisses.ComputeOverruns,
            stats.DeadlineMisses.GarbageCollection,
            stats.DeadlineMisses.Preemption,
            stats.LateCallbacks,
            stats.ComputePercent.Median,
            stats.ComputePercent.P99,
            stats.ComputePercent.Max,
            stats.ComputeCpuPercent?.Max ?? double.NaN);
        notify?.Dispose();
        int exitCode = App.Monitor.MonitorHosting.Finish(monitorFile, AudioSupervisor.ExitCodeFor(state), logger);
        if (request.StatsJsonPath is { } path)
        {
            try
            {
                // Never over the audio: a file device's input and output are refused (also checked up front by `run`).
                string spec = request.Supervisor.DeviceSpec;
                string? audioInput = spec.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? spec[5..] : null;
                AtomicFile.WriteAllText(path, stats.ToJson() + "\n", audioInput, audioInput is null ? null : request.Supervisor.Device.OutputName);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Cli.Error($"cannot write the statistics to '{path}': {ex.Message}");
                exitCode = exitCode == 0 ? 3 : exitCode;
            }
        }

        // Give the console logger's queue a moment to flush before the process exits.
        await Task.Delay(50).ConfigureAwait(false);
        return exitCode;
    }
}
