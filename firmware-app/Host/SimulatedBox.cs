using System.Globalization;
using HardwareMaster.App.Box;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Host;

/// <summary>
/// The whole box on a desktop (<c>run --simulate</c>): the face over <see cref="EngineBoxBackend"/>, the OLED driver
/// (SSD1306) talking to a simulated I²C panel whose decoded picture the terminal and the snapshots show, the keyboard
/// as knobs and buttons, and the script on the audio timeline (an unpaced file device waits at each gesture, so a
/// scripted file run is deterministic).
/// </summary>
public sealed class SimulatedBox : IDisposable
{
    private static readonly BoxControl[] LedButtons = [BoxControl.Bypass, BoxControl.Eq, BoxControl.Comp, BoxControl.Limit];

    private readonly BoxRequest _request;
    private readonly List<IDisposable> _owned = [];
    private readonly string? _tempStateDirectory;

    private SimulatedBox(BoxRequest request, string scheme, ScriptGate gate)
    {
        _request = request;
        Scheme = scheme;
        Gate = gate;
        if (request.StateDirectory is null)
        {
            _tempStateDirectory = Path.Combine(Path.GetTempPath(), "hardwaremaster-sim-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
        }
    }

    /// <summary>The device scheme the run's device is opened through (<c>SCHEME:SPEC</c>).</summary>
    public string Scheme { get; }

    /// <summary>The gate of an unpaced device.</summary>
    public ScriptGate Gate { get; }

    /// <summary>The backend (after <see cref="Build"/>).</summary>
    public EngineBoxBackend? Backend { get; private set; }

    /// <summary>The loop (after <see cref="Build"/>).</summary>
    public BoxLoop? Loop { get; private set; }

    /// <summary>The presets (after <see cref="Build"/>).</summary>
    public BoxPresetStore? Presets { get; private set; }

    /// <summary>The snapshot view, when <c>--snapshot-dir</c> was given.</summary>
    public SnapshotView? Snapshots { get; private set; }

    /// <summary>Registers the gated device scheme for this run.</summary>
    /// <param name="request">What to run.</param>
    /// <returns>The box, to <see cref="Build"/> once the supervisor exists.</returns>
    public static SimulatedBox Prepare(BoxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var gate = new ScriptGate();
        string scheme = "hmsim" + Guid.NewGuid().ToString("N")[..12];
        GatedAudioDevice.Register(scheme, gate);
        var box = new SimulatedBox(request, scheme, gate);
        box._owned.Add(gate);
        return box;
    }

    /// <summary>Builds the face and the loop on the running engine.</summary>
    /// <param name="supervisor">The audio loop.</param>
    /// <param name="controller">Its controller.</param>
    /// <param name="quit">Stops the application (the q key).</param>
    /// <param name="logger">Where display trouble is reported.</param>
    /// <returns>The UI service to host.</returns>
    public BoxHostedService Build(AudioSupervisor supervisor, EngineController controller, Action quit, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        ArgumentNullException.ThrowIfNull(logger);
        TimeProvider time = TimeProvider.System;
        var backend = new EngineBoxBackend(supervisor, controller, time: time);
        _owned.Add(backend);
        Backend = backend;
        Presets = new BoxPresetStore(backend, _request.StateDirectory ?? _tempStateDirectory);
        if (_request.StateDirectory is not null && File.Exists(Presets.StatePath) && !Presets.LoadState())
        {
            logger.LogWarning("last state not restored: {Problem}", Presets.LastProblem);
        }

        var context = new BoxFaceContext(backend, Presets, new LoudnessTargeting(backend, time), new FatigueReminder(time), time, controller.Engine.Chain.EqMagnitudeDb);
        IBoxFace face = (_request.FaceFactory ?? BoxFaceFactory.Create)(context);

        var saver = new ScreenSaver(time);
        var panel = new OledDecoder(OledController.Ssd1306);
        var device = _request.DisplayDevice ?? new RecordingI2cDevice { IsRecording = false };
        if (device is RecordingI2cDevice recording)
        {
            recording.Decoder ??= panel;
            panel = recording.Decoder;
        }

        var display = new DisplayLink(() => new Ssd1306(device, new OledOptions(ScreenSaver: saver), shouldDispose: false))
        {
            OnFailure = (ex, count) =>
            {
                if (count == 1 || count % 100 == 0)
                {
                    logger.LogWarning("display: {Message} ({Count} failures so far; retrying, audio unaffected)", ex.Message, count);
                }
            },
        };
        _owned.Add(display);

        var views = new List<IBoxView>();
        var inputs = new List<IBoxInputSource>();
        if (_request.Interactive)
        {
            var terminal = new TerminalView(Console.Out);
            _owned.Add(terminal);
            views.Add(terminal);
            var keys = new KeyboardInput(quit);
            inputs.Add(keys);
            keys.Start();
        }

        if (_request.SnapshotDirectory is { } snapshots)
        {
            Snapshots = new SnapshotView(snapshots);
            views.Add(Snapshots);
        }

        BoxScript? script = _request.EffectiveScript;
        if (script is not null && script.Steps.Count > 0)
        {
            Gate.ArmFirst(script.Steps[0].Seconds);
        }
        else
        {
            Gate.Release();
        }

        Loop = new BoxLoop(new BoxLoopParts(
            face,
            inputs,
            display,
            panel,
            views,
            null,
            script is null ? null : new ScriptPlayer(script, Gate),
            new SupervisorTimeline(supervisor),
            Gate,
            saver));
        return new BoxHostedService(Loop, logger);
    }

    /// <summary>The final parameters (id → value), for <c>--stats-json</c>.</summary>
    /// <returns>The values, or null before <see cref="Build"/>.</returns>
    public IReadOnlyDictionary<string, double>? CollectParameters()
    {
        if (Backend is not { } backend)
        {
            return null;
        }

        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < backend.Registry.Count; i++)
        {
            values[backend.Registry.All[i].Id] = backend.Get(i);
        }

        return values;
    }

    /// <summary>The final UI state, for <c>--stats-json</c>.</summary>
    /// <returns>The state, or null before <see cref="Build"/>.</returns>
    public BoxUiStatistics? CollectUi()
    {
        if (Loop is not { } loop || Backend is not { } backend)
        {
            return null;
        }

        var leds = new SortedDictionary<string, bool>(StringComparer.Ordinal);
        foreach (BoxControl button in LedButtons)
        {
            leds[BoxScript.NameOf(button)] = loop.Face.IsLedLit(button);
        }

        double match = backend.LastMeters.BypassMatchDb;
        return new BoxUiStatistics(
            loop.Face.PageName,
            leds,
            double.IsFinite(match) ? match : null,
            loop.Frames,
            loop.Gestures,
            loop.Script?.Played ?? 0,
            loop.ScreenChanges,
            loop.Display.Presented,
            loop.Display.Failures,
            loop.FaceFailures + loop.ViewFailures,
            Snapshots?.Written ?? 0);
    }

    /// <summary>Saves the last state (with <c>--state-dir</c>) after the run.</summary>
    /// <param name="logger">Where a problem is reported.</param>
    public void SaveState(ILogger logger)
    {
        if (_request.StateDirectory is not null && Presets is { } presets && !presets.SaveState())
        {
            logger.LogWarning("last state not saved: {Problem}", presets.LastProblem);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        if (_tempStateDirectory is not null && Directory.Exists(_tempStateDirectory))
        {
            try
            {
                Directory.Delete(_tempStateDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }
}
