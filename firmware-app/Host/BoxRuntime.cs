using System.Device.Gpio;
using System.Globalization;
using HardwareMaster.App.Box;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Profile;
using HardwareMaster.Hal.Simulation;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Host;

/// <summary>
/// The box's face on the running engine, for both hosts. On the box (<c>run --box PROFILE</c>): the profile's encoders,
/// buttons and LEDs on GPIO and its OLED on I²C. On a desktop (<c>run --simulate</c>): the OLED driver (SSD1306) talking
/// to a simulated I²C panel whose decoded picture the terminal and the snapshots show, the keyboard as knobs and
/// buttons, and the script on the audio timeline (an unpaced file device waits at each gesture, so a scripted file run
/// is deterministic). Both at once (<c>run --simulate --box PROFILE</c>): the profile's controls opened as on the box, but
/// on simulators (<see cref="SimulatedBoxHardware"/>: GPIO, expanders, ADS1115s) that the keyboard and the script play
/// pin by pin, and the profile's display simulated. Either way the face sits on <see cref="EngineBoxBackend"/> and runs
/// in <see cref="BoxLoop"/>.
/// </summary>
public sealed class BoxRuntime : IDisposable
{
    private static readonly BoxControl[] LedButtons = [BoxControl.Bypass, BoxControl.Eq, BoxControl.Comp, BoxControl.Limit];

    private readonly BoxRequest _request;
    private readonly List<IDisposable> _owned = [];
    private readonly string? _tempStateDirectory;

    private BoxRuntime(BoxRequest request, string? scheme, ScriptGate gate)
    {
        _request = request;
        Scheme = scheme;
        Gate = gate;
        if (request.StateDirectory is null && !request.OnBoxHardware)
        {
            _tempStateDirectory = Path.Combine(Path.GetTempPath(), "hardwaremaster-sim-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
        }
    }

    /// <summary>The device scheme a simulated run's device is opened through (<c>SCHEME:SPEC</c>); null on the box.</summary>
    public string? Scheme { get; }

    /// <summary>The box's controls (after <see cref="Build"/>, with a hardware profile whose pins could be opened).</summary>
    public HardwareControls? Controls { get; private set; }

    /// <summary>The state directory presets use.</summary>
    public string StateDirectory => _request.StateDirectory ?? _tempStateDirectory ?? BoxPresetStore.DefaultStateDirectory;

    /// <summary>How long after the last parameter change the last state is saved.</summary>
    public static TimeSpan SaveDelay { get; } = TimeSpan.FromSeconds(3);

    /// <summary>Whether the last state is restored at start, saved a few seconds after changes and at the end.</summary>
    public bool KeepsState => _request.StateDirectory is not null || _request.OnBoxHardware;

    /// <summary>The gate of an unpaced device.</summary>
    public ScriptGate Gate { get; }

    /// <summary>The backend (after <see cref="Build"/>).</summary>
    public EngineBoxBackend? Backend { get; private set; }

    /// <summary>The self-protecting engine the face's SYSTEM page drives (set before <see cref="Build"/>), or null.</summary>
    public IBoxProtection? Protection { get; set; }

    /// <summary>The READY? page's analysis (set before <see cref="Build"/>), or null.</summary>
    public IBoxReadiness? Readiness { get; set; }

    /// <summary>The recorder the REC page and button drive (set before <see cref="Build"/>), or null.</summary>
    public IBoxRecorder? Recorder { get; set; }

    /// <summary>The profile's pots on their parameters (after <see cref="Build"/>, with a profile that has pots), applied every frame.</summary>
    public PotParameters? Pots { get; private set; }

    /// <summary>The monitor path the MONITOR page drives (set before <see cref="Build"/>), or null.</summary>
    public IBoxMonitor? Monitor { get; set; }

    /// <summary>The reference player the REF button drives (set before <see cref="Build"/>), or null.</summary>
    public IBoxReference? Reference { get; set; }

    /// <summary>The loop (after <see cref="Build"/>).</summary>
    public BoxLoop? Loop { get; private set; }

    /// <summary>The presets (after <see cref="Build"/>).</summary>
    public BoxPresetStore? Presets { get; private set; }

    /// <summary>The snapshot view, when <c>--snapshot-dir</c> was given.</summary>
    public SnapshotView? Snapshots { get; private set; }

    /// <summary>The text snapshots (<c>--snapshot-dir</c> with <c>--display lcd1602/lcd2004</c>), or null.</summary>
    public TextSnapshotView? TextSnapshots { get; private set; }

    /// <summary>The simulated controls (<c>run --simulate --box</c>), or null.</summary>
    public SimulatedBoxHardware? SimulatedHardware { get; private set; }

    /// <summary>The simulated character LCD (<c>--display lcd1602/lcd2004</c>), or null.</summary>
    public SimulatedCharacterLcd? SimulatedLcd { get; private set; }

    /// <summary>Registers the gated device scheme for this run.</summary>
    /// <param name="request">What to run.</param>
    /// <returns>The box, to <see cref="Build"/> once the supervisor exists.</returns>
    public static BoxRuntime Prepare(BoxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var gate = new ScriptGate(paceRealTime: request.Interactive); // a file in a terminal session plays in real time
        string? scheme = null;
        if (!request.OnBoxHardware)
        {
            scheme = "hmsim" + Guid.NewGuid().ToString("N")[..12];
            GatedAudioDevice.Register(scheme, gate);
        }

        var box = new BoxRuntime(request, scheme, gate);
        box._owned.Add(gate);
        return box;
    }

    /// <summary>
    /// The interaction model a hardware profile's controls support: three encoders and four buttons get the full box;
    /// fewer get the degraded (modal) model of <see cref="BoxLayout"/>, down to one encoder and one button. A profile
    /// without any encoder or button (a screen-only box) and the simulator get the full model.
    /// </summary>
    /// <param name="profile">The hardware profile, or null (the simulator).</param>
    /// <returns>The layout.</returns>
    internal static BoxLayout LayoutFor(HardwareProfile? profile) =>
        profile is null || profile.Encoders.Count == 0 || profile.Buttons.Count == 0
            ? BoxLayout.Full
            : new BoxLayout(Math.Min(3, profile.Encoders.Count), Math.Max(1, Math.Min(4, profile.Buttons.Count(static b => b.Name is not ("rec" or "ref"))))); // REC and REF are extra

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
        TimeProvider time = _request.Time ?? TimeProvider.System;
        var backend = new EngineBoxBackend(supervisor, controller, time: time) { Protection = Protection, Readiness = Readiness, Recorder = Recorder, Monitor = Monitor, Reference = Reference };
        _owned.Add(backend);
        Backend = backend;
        Presets = new BoxPresetStore(backend, StateDirectory);
        if (KeepsState && File.Exists(Presets.StatePath) && !Presets.LoadState())
        {
            logger.LogWarning("last state not restored: {Problem}", Presets.LastProblem);
        }

        var context = new BoxFaceContext(backend, Presets, new LoudnessTargeting(backend, time), new FatigueReminder(time), time, controller.Engine.Chain.EqMagnitudeDb, LayoutFor(_request.Hardware));
        IBoxFace face = (_request.FaceFactory ?? BoxFaceFactory.Create)(context);

        var saver = new ScreenSaver(time);
        var views = new List<IBoxView>();
        var inputs = new List<IBoxInputSource>();
        IBoxLeds? leds = null;
        OledDecoder? panel = null;
        DisplayLink display;
        if (_request.Hardware is { } profile)
        {
            try
            {
                Func<int, int, System.Device.I2c.I2cDevice>? openI2cAt = _request.OpenI2cAt;
                GpioController gpio;
                if (_request.SimulateHardware)
                {
                    SimulatedHardware = Own(new SimulatedBoxHardware(profile, time));
                    gpio = _request.Gpio ?? SimulatedHardware.Gpio;
                    openI2cAt ??= SimulatedHardware.OpenI2cAt;
                }
                else
                {
                    gpio = _request.Gpio ?? Own(new GpioController());
                }

                Controls = Own(HardwareControls.Open(profile, gpio, time, openI2cAt, logger));
                inputs.Add(Controls.Input);
                leds = Controls;
                Pots = Controls.CreatePotParameters(profile, backend);
                Controls.StartPolling();
            }
            catch (Exception ex)
            {
                logger.LogError("the box's controls cannot be used: {Message} (audio runs without them)", ex.Message);
            }
        }

        if (_request.OnBoxHardware)
        {
            display = _request.Hardware!.Display is { } settings
                ? new DisplayLink(settings.Type == OledController.Hd44780
                    ? () => CharacterLcdDisplay.Open(settings, face, _request.OpenI2c)
                    : () => HardwareControls.OpenDisplay(settings, saver, _request.OpenI2c))
                : new DisplayLink(null);
        }
        else
        {
            SimulatedDisplay choice = _request.SimulatedDisplay ?? DisplayOf(_request.Hardware) ?? new SimulatedDisplay(OledController.Ssd1306);
            if (choice.Type == OledController.Hd44780)
            {
                // A character LCD: the face's text mode through our HD44780 driver onto a simulated PCF8574 backpack.
                var lcdBus = _request.DisplayDevice as SimulatedCharacterLcd ?? new SimulatedCharacterLcd(choice.Columns, choice.Rows);
                SimulatedLcd = lcdBus;
                display = new DisplayLink(() => new CharacterLcdDisplay(new Hd44780Lcd(lcdBus, choice.Columns, choice.Rows, shouldDispose: false), face));
            }
            else
            {
                panel = new OledDecoder(choice.Type);
                var device = _request.DisplayDevice ?? new RecordingI2cDevice { IsRecording = false };
                if (device is RecordingI2cDevice recording)
                {
                    recording.Decoder ??= panel;
                    panel = recording.Decoder;
                }

                var oledOptions = new OledOptions(ScreenSaver: saver);
                display = new DisplayLink(choice.Type switch
                {
                    OledController.Sh1106 => () => new Sh1106(device, oledOptions, shouldDispose: false),
                    OledController.Ssd1309 => () => new Ssd1309(device, oledOptions, shouldDispose: false),
                    _ => () => new Ssd1306(device, oledOptions, shouldDispose: false),
                });
            }

            if (_request.Interactive)
            {
                IBoxView terminal = SimulatedLcd is { } shownLcd ? Own(new TextTerminalView(Console.Out, shownLcd.Panel)) : Own(new TerminalView(Console.Out));
                views.Add(terminal);
                var keys = new KeyboardInput(quit) { Hardware = SimulatedHardware };
                inputs.Add(keys);
                keys.Start();
            }

            if (_request.SnapshotDirectory is { } snapshots)
            {
                try
                {
                    if (SimulatedLcd is { } snappedLcd)
                    {
                        TextSnapshots = new TextSnapshotView(snapshots, snappedLcd.Panel);
                        views.Add(TextSnapshots);
                    }
                    else
                    {
                        Snapshots = new SnapshotView(snapshots);
                        views.Add(Snapshots);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    logger.LogError("--snapshot-dir {Folder}: {Message} (no snapshots; the box runs on)", snapshots, ex.Message);
                }
            }
        }

        display.OnFailure = (ex, count) =>
        {
            if (count == 1 || count % 100 == 0)
            {
                logger.LogWarning("display: {Message} ({Count} failures so far; retrying, audio unaffected)", ex.Message, count);
            }
        };
        Own(display);

        BoxScript? script = _request.EffectiveScript;
        if (script is not null && script.Steps.Count > 0)
        {
            Gate.ArmFirst(script.Steps[0].Seconds);
        }
        else
        {
            Gate.SetNextDue(long.MaxValue); // nothing to wait for (pacing, if any, goes on)
        }

        Loop = new BoxLoop(new BoxLoopParts(
            face,
            inputs,
            display,
            panel,
            views,
            leds,
            script is null ? null : new ScriptPlayer(script, Gate, SimulatedHardware),
            new SupervisorTimeline(supervisor),
            Gate,
            saver,
            AfterFrameWithPots(Pots, KeepsState ? new StateSaver(backend, Presets, time, logger).AfterFrame : null),
            _request.Remote is { } hub ? new Remote.RemoteSession(hub, backend, Presets) : null));
        return new BoxHostedService(Loop, logger);
    }

    // The display a simulated box with a profile has: the profile's (an OLED, or a 16x2/20x4 character LCD).
    private static SimulatedDisplay? DisplayOf(HardwareProfile? profile) => profile?.Display is not { } settings
        ? null
        : settings.Type == OledController.Hd44780
            ? new SimulatedDisplay(OledController.Hd44780, settings.Columns ?? 16, settings.Rows ?? 2)
            : new SimulatedDisplay(settings.Type);

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

        if (Recorder is not null)
        {
            leds[BoxScript.NameOf(BoxControl.Rec)] = loop.Face.IsLedLit(BoxControl.Rec);
        }

        if (Reference is not null)
        {
            leds[BoxScript.NameOf(BoxControl.Ref)] = loop.Face.IsLedLit(BoxControl.Ref);
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
            loop.Display.Bytes,
            loop.Display.Failures,
            loop.FaceFailures + loop.ViewFailures,
            Snapshots?.Written ?? TextSnapshots?.Written ?? 0,
            [.. loop.PagesVisited])
        {
            Controls = CollectControls(),
        };
    }

    // The expander decoders' counters and, with simulated controls, what was played on their pins.
    private BoxControlStatistics? CollectControls()
    {
        if (Controls is not { } controls || (controls.ExpanderInputs.Count == 0 && SimulatedHardware is null))
        {
            return null;
        }

        long polls = 0, invalid = 0;
        foreach (Hal.Expanders.ExpanderInputs inputs in controls.ExpanderInputs)
        {
            polls += inputs.Polls;
            for (int i = 0; i < inputs.EncoderCount; i++)
            {
                invalid += inputs.InvalidTransitions(i);
            }
        }

        return new BoxControlStatistics(polls, invalid, SimulatedHardware?.Played, SimulatedHardware?.Unrouted);
    }

    /// <summary>Saves the last state (with <c>--state-dir</c>) after the run.</summary>
    /// <param name="logger">Where a problem is reported.</param>
    public void SaveState(ILogger logger)
    {
        if (KeepsState && Presets is { } presets && !presets.SaveState())
        {
            logger.LogWarning("last state not saved: {Problem}", presets.LastProblem);
        }
    }

    // Saves the last state a few seconds after the last parameter change (so a power cut loses at most those seconds).
    private sealed class StateSaver(EngineBoxBackend backend, BoxPresetStore presets, TimeProvider time, ILogger logger)
    {
        private long _saved = backend.Version;
        private long _seen = backend.Version;
        private long _changedAt;

        public void AfterFrame()
        {
            long version = backend.Version;
            long now = time.GetTimestamp();
            if (version != _seen)
            {
                _seen = version;
                _changedAt = now;
                return;
            }

            if (version != _saved && time.GetElapsedTime(_changedAt, now) >= SaveDelay)
            {
                _saved = version;
                if (!presets.SaveState())
                {
                    logger.LogWarning("last state not saved: {Problem}", presets.LastProblem);
                }
            }
        }
    }

    // The pots move their parameters before the state saver looks (so a pot's change is saved like any other).
    private static Action? AfterFrameWithPots(PotParameters? pots, Action? then) =>
        pots is null ? then : then is null ? pots.Apply : () =>
        {
            pots.Apply();
            then();
        };

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
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
