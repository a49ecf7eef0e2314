using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Ui;

/// <summary>
/// The box's face: a pure UI model over <see cref="IBoxBackend"/> and the optional services, driven by knob and button
/// gestures (<see cref="Handle"/>), advanced once per frame (<see cref="Tick"/>) and drawn on a 128×64 framebuffer
/// (<see cref="Render"/>). The interaction model and how it degrades to fewer controls (<see cref="BoxLayout"/>) are
/// described in firmware-app/Ui/README.md.
/// </summary>
/// <remarks>
/// One thread (the UI loop) calls everything. In steady state <see cref="Handle"/>, <see cref="Tick"/> and
/// <see cref="Render"/> allocate nothing: numbers are formatted into preallocated <see cref="TextLine"/>s and every
/// name drawn is a string that already exists (registry names, preset names, constants).
/// </remarks>
public sealed partial class BoxFace : IBoxFace
{
    /// <summary>How long a value pop-up stays up after the last change.</summary>
    public static readonly TimeSpan PopupDuration = TimeSpan.FromSeconds(1.5);

    /// <summary>How long the xrun corner stays lit after an xrun or a missed deadline.</summary>
    public static readonly TimeSpan XrunDuration = TimeSpan.FromSeconds(3);

    /// <summary>How long a peak-hold marker holds before it falls to the current reading.</summary>
    public static readonly TimeSpan PeakHoldDuration = TimeSpan.FromSeconds(1.5);

    /// <summary>The target presets the TARGET page offers (the custom value is anything else).</summary>
    internal static readonly double[] TargetPresets = [-14, -16, -23, -24];

    private readonly IBoxBackend _backend;
    private readonly IBoxPresets? _presets;
    private readonly ILoudnessTargeting? _targeting;
    private readonly IFatigueReminder? _fatigue;
    private readonly IBoxProtection? _protection;
    private readonly IBoxReadiness? _readiness;
    private readonly TimeProvider _time;
    private readonly Func<double, double>? _eqMagnitudeDb;
    private readonly ParameterRegistry _registry;
    private readonly PageModel[] _pages;
    private readonly MonoFrameBuffer _work = new();
    private readonly MonoFrameBuffer _presented = new();
    private readonly long _popupTicks;
    private readonly long _xrunTicks;
    private readonly long _holdTicks;
    private readonly int _eqBypass;
    private readonly int _compBypass;
    private readonly int _limiterBypass;
    private readonly int _target;
    private readonly TextLine _popupValue = new(24);
    private string _popupName = string.Empty;
    private string _popupUnit = string.Empty;
    private long _popupUntil;
    private bool _popupVisible;
    private int _pageIndex;
    private int _confirmSlot = -1;
    private MeterSnapshot _meters = SilentMeters;
    private SystemStatus _system;
    private int _systemAge = 1_000; // read on the first tick
    private long _lastXrunTotal = -1;
    private long _xrunUntil;
    private bool _xrunVisible;
    private PeakHold _inLeft = PeakHold.Empty;
    private PeakHold _inRight = PeakHold.Empty;
    private PeakHold _outLeft = PeakHold.Empty;
    private PeakHold _outRight = PeakHold.Empty;
    private PeakHold _compHold = PeakHold.Empty;
    private PeakHold _limiterHold = PeakHold.Empty;

    /// <summary>Creates the face; pages whose service is null are not offered.</summary>
    /// <param name="backend">The engine side.</param>
    /// <param name="time">Clock for pop-ups, peak holds and the xrun corner.</param>
    /// <param name="presets">Presets, or null (no PRESETS page).</param>
    /// <param name="targeting">Loudness targeting, or null (TARGET offers the target value only).</param>
    /// <param name="fatigue">Ear-fatigue reminder, or null.</param>
    /// <param name="layout">Which controls exist (default <see cref="BoxLayout.Full"/>).</param>
    /// <param name="eqMagnitudeDb">The EQ's published magnitude response in dB at a frequency in Hz (e.g. <c>MasteringChain.EqMagnitudeDb</c>), or null (no curve).</param>
    /// <exception cref="ArgumentOutOfRangeException">The layout is out of range.</exception>
    /// <exception cref="KeyNotFoundException">The registry lacks a stage bypass or the target.</exception>
    public BoxFace(
        IBoxBackend backend,
        TimeProvider time,
        IBoxPresets? presets = null,
        ILoudnessTargeting? targeting = null,
        IFatigueReminder? fatigue = null,
        BoxLayout? layout = null,
        Func<double, double>? eqMagnitudeDb = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(time);
        Layout = layout ?? BoxLayout.Full;
        Layout.Validate();
        _backend = backend;
        _time = time;
        _presets = presets;
        _targeting = targeting;
        _fatigue = fatigue;
        _eqMagnitudeDb = eqMagnitudeDb;
        _registry = backend.Registry;
        _eqBypass = _registry.IndexOf(ParameterIds.EqBypass);
        _compBypass = _registry.IndexOf(ParameterIds.CompBypass);
        _limiterBypass = _registry.IndexOf(ParameterIds.LimiterBypass);
        _target = _registry.IndexOf(ParameterIds.TargetLufs);
        _protection = backend.Protection;
        _readiness = backend.Readiness;
        _recorder = backend.Recorder;
        _monitor = backend.Monitor;
        InitializeReference();
        _pages = PageModel.Build(_registry, presets, targeting, _protection is not null, _readiness is not null, _recorder is not null, _monitor is not null, _reference is not null);
        _popupTicks = ToTicks(PopupDuration);
        _xrunTicks = ToTicks(XrunDuration);
        _holdTicks = ToTicks(PeakHoldDuration);
        InitializeScreens();
        Compose();
    }

    /// <summary>Which controls the face expects.</summary>
    public BoxLayout Layout { get; }

    /// <inheritdoc />
    public string PageName => CurrentPageModel.Name;

    /// <summary>The page shown.</summary>
    public BoxPage CurrentPage => CurrentPageModel.Page;

    /// <summary>The pages offered, in walking order.</summary>
    public IReadOnlyList<BoxPage> Pages => Array.ConvertAll(_pages, p => p.Page);

    /// <summary>What the encoder does (modal layouts; always <see cref="BoxMode.Value"/> with three encoders).</summary>
    public BoxMode Mode { get; private set; }

    /// <summary>True while the value encoder moves one registry step per detent.</summary>
    public bool IsFine { get; private set; }

    /// <summary>Registry id of the focused field, or null when it is not a parameter.</summary>
    public string? FocusedParameterId =>
        CurrentPageModel.Focused is { Kind: FieldKind.Parameter } focused ? _registry.All[focused.Index].Id : null;

    /// <summary>Index of the focused field on the current page.</summary>
    public int FocusedFieldIndex => CurrentPageModel.Focus;

    /// <summary>Number of fields on the current page.</summary>
    public int FieldCount => CurrentPageModel.Fields.Length;

    /// <summary>True while a value pop-up is shown.</summary>
    public bool IsPopupVisible => _popupVisible;

    /// <summary>The pop-up's title (a parameter or action name) while shown.</summary>
    public string PopupName => _popupVisible ? _popupName : string.Empty;

    /// <summary>True while a save to a user slot waits for its confirming press.</summary>
    public bool IsConfirmPending => _confirmSlot >= 0;

    /// <summary>True while the ear-fatigue reminder is shown.</summary>
    public bool IsFatigueShown => _fatigue?.IsDue == true;

    /// <inheritdoc />
    public bool IsDirty => !_work.ContentEquals(_presented);

    private PageModel CurrentPageModel => _pages[_pageIndex];

    private static MeterSnapshot SilentMeters => new()
    {
        InputPeakLeftDbfs = double.NegativeInfinity,
        InputPeakRightDbfs = double.NegativeInfinity,
        OutputPeakLeftDbfs = double.NegativeInfinity,
        OutputPeakRightDbfs = double.NegativeInfinity,
        TruePeakDbtp = double.NegativeInfinity,
        TruePeakMaxDbtp = double.NegativeInfinity,
        MomentaryLufs = double.NegativeInfinity,
        ShortTermLufs = double.NegativeInfinity,
        IntegratedLufs = double.NaN,
        LoudnessRangeLu = double.NaN,
        PlrDb = double.NaN,
        InputMomentaryLufs = double.NegativeInfinity,
        InputShortTermLufs = double.NegativeInfinity,
        InputIntegratedLufs = double.NaN,
        Correlation = double.NaN,
    };

    /// <inheritdoc />
    public bool IsLedLit(BoxControl button) => button switch
    {
        BoxControl.Bypass => _backend.GlobalBypass,
        BoxControl.Eq => !IsOn(_eqBypass),
        BoxControl.Comp => !IsOn(_compBypass),
        BoxControl.Limit => !IsOn(_limiterBypass),
        BoxControl.Rec => IsRecLedLit(),
        BoxControl.Ref => _reference?.IsOn == true,
        _ => false,
    };

    /// <summary>Shows page <paramref name="page"/> if offered (for hosts and tests; the knobs walk the pages).</summary>
    /// <param name="page">The page.</param>
    /// <returns>False when the page is not offered.</returns>
    public bool ShowPage(BoxPage page)
    {
        for (int i = 0; i < _pages.Length; i++)
        {
            if (_pages[i].Page == page)
            {
                _pageIndex = i;
                Compose();
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public void Handle(in BoxInput input)
    {
        if (_fatigue is { IsDue: true })
        {
            // Any input acknowledges the reminder and does nothing else (no accidental edit while reading it).
            _fatigue.Acknowledge();
            Compose();
            return;
        }

        if (HandleMidiLearnInput(input))
        {
            Compose();
            return;
        }

        if (_confirmSlot >= 0)
        {
            // A press of the value or param encoder (any encoder when modal) saves; any other gesture cancels. An
            // encoder gesture that cancels does nothing else; a button still does its job (bypass is never blocked).
            int slot = _confirmSlot;
            _confirmSlot = -1;
            bool confirming = input.Action == BoxAction.Press &&
                (input.Control is BoxControl.Value or BoxControl.Param || (Layout.IsModal && IsEncoder(input.Control)));
            if (confirming)
            {
                SaveUser(slot);
            }
            else
            {
                ShowPopup("Save", "cancelled", string.Empty);
            }

            if (confirming || IsEncoder(input.Control))
            {
                Compose();
                return;
            }
        }

        int detents = input.Action switch
        {
            BoxAction.Cw => Math.Max(1, input.Count),
            BoxAction.Ccw => -Math.Max(1, input.Count),
            _ => 0,
        };

        if (!IsEncoder(input.Control))
        {
            HandleButton(input.Control, input.Action);
        }
        else if (Layout.IsModal)
        {
            HandleModal(input.Action, detents);
        }
        else
        {
            HandleEncoder(input.Control, input.Action, detents);
        }

        Compose();
    }

    /// <inheritdoc />
    public void Tick()
    {
        long now = _time.GetTimestamp();
        _meters = _backend.ReadMeters();
        _targeting?.Update(in _meters);
        _fatigue?.Update(in _meters);
        _inLeft.Update(_meters.InputPeakLeftDbfs, now, _holdTicks);
        _inRight.Update(_meters.InputPeakRightDbfs, now, _holdTicks);
        _outLeft.Update(_meters.OutputPeakLeftDbfs, now, _holdTicks);
        _outRight.Update(_meters.OutputPeakRightDbfs, now, _holdTicks);
        _compHold.Update(_meters.CompressorReductionDb, now, _holdTicks);
        _limiterHold.Update(_meters.LimiterReductionDb, now, _holdTicks);

        // The device state changes slowly: read it about once a second (5 frames on the SYSTEM page).
        int every = CurrentPage == BoxPage.System ? 5 : 25;
        if (++_systemAge >= every)
        {
            _system = _backend.ReadSystem();
            _systemAge = 0;
        }

        long xruns = _meters.DeadlineMisses + _system.Xruns;
        if (_lastXrunTotal >= 0 && xruns > _lastXrunTotal)
        {
            _xrunUntil = now + _xrunTicks;
        }

        _lastXrunTotal = xruns;
        TickProtection(now);
        TickReady();
        TickRecord(now);
        TickMidiLearn(now);
        TickReference(now);
        Compose();
    }

    /// <inheritdoc />
    public void Render(MonoFrameBuffer frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Width == _work.Width && frame.Height == _work.Height)
        {
            frame.CopyFrom(_work);
        }
        else
        {
            frame.Clear();
            Draw(frame);
        }

        _presented.CopyFrom(_work);
    }

    private static bool IsEncoder(BoxControl control) => control is BoxControl.Page or BoxControl.Param or BoxControl.Value;

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private bool IsOn(int index) => _backend.Get(index) >= 0.5;

    private void HandleButton(BoxControl control, BoxAction action)
    {
        if (control == BoxControl.Rec)
        {
            HandleRecButton(action);
            return;
        }

        if (control == BoxControl.Ref)
        {
            HandleRefButton(action);
            return;
        }

        if (Layout.HasStageButtons)
        {
            if (action == BoxAction.Long && control == BoxControl.Bypass)
            {
                Home();
                return;
            }

            if (action is not (BoxAction.Press or BoxAction.Double))
            {
                return;
            }

            switch (control)
            {
                case BoxControl.Bypass: ToggleGlobalBypass(); break;
                case BoxControl.Eq: ToggleParameter(_eqBypass); break;
                case BoxControl.Comp: ToggleParameter(_compBypass); break;
                case BoxControl.Limit: ToggleParameter(_limiterBypass); break;
            }

            return;
        }

        // One button: short = global bypass, long = home, double = this page's stage bypass.
        switch (action)
        {
            case BoxAction.Press:
                ToggleGlobalBypass();
                break;
            case BoxAction.Long:
                Home();
                break;
            case BoxAction.Double:
                int stage = CurrentPage switch
                {
                    BoxPage.Eq => _eqBypass,
                    BoxPage.Comp => _compBypass,
                    BoxPage.Limiter => _limiterBypass,
                    _ => -1,
                };
                if (stage >= 0)
                {
                    ToggleParameter(stage);
                }

                break;
        }
    }

    private void HandleEncoder(BoxControl control, BoxAction action, int detents)
    {
        Field? focused = CurrentPageModel.Focused;
        switch (control)
        {
            case BoxControl.Page:
                if (detents != 0)
                {
                    MovePage(detents);
                }
                else if (action == BoxAction.Press)
                {
                    Home();
                }

                break;

            case BoxControl.Param:
                if (detents != 0)
                {
                    MoveField(detents);
                }
                else if (action == BoxAction.Press && focused is Field field)
                {
                    ParamPush(field);
                }
                else if (action == BoxAction.Long && focused is { Kind: FieldKind.UserSlot } slot)
                {
                    RequestSave(slot.Index);
                }
                else if (action == BoxAction.Long && focused is Field learn)
                {
                    TryBeginMidiLearn(learn); // with a MIDI input: MIDI learn for the focused parameter
                }

                break;

            case BoxControl.Value:
                if (detents != 0)
                {
                    if (focused is Field edited)
                    {
                        Adjust(edited, detents);
                    }
                }
                else if (action == BoxAction.Press)
                {
                    if (focused is { IsAction: true } act)
                    {
                        Activate(act);
                    }
                    else
                    {
                        ToggleFine();
                    }
                }
                else if (action == BoxAction.Long && focused is Field reset)
                {
                    LongPress(reset);
                }
                else if (action == BoxAction.Double)
                {
                    ToggleFine();
                }

                break;
        }
    }

    private void HandleModal(BoxAction action, int detents)
    {
        Field? focused = CurrentPageModel.Focused;
        switch (Mode)
        {
            case BoxMode.Page:
                if (detents != 0)
                {
                    MovePage(detents);
                }
                else if (action == BoxAction.Press && focused is not null)
                {
                    Mode = BoxMode.Field;
                }
                else if (action == BoxAction.Long)
                {
                    Home();
                }

                break;

            case BoxMode.Field:
                if (detents != 0)
                {
                    MoveField(detents);
                }
                else if (action == BoxAction.Press && focused is Field field)
                {
                    if (field.IsAction)
                    {
                        Activate(field);
                    }
                    else
                    {
                        Mode = BoxMode.Value;
                    }
                }
                else if (action == BoxAction.Long && focused is { Kind: FieldKind.UserSlot } slot)
                {
                    RequestSave(slot.Index);
                }
                else if (action == BoxAction.Long && focused is { Kind: FieldKind.Record })
                {
                    NewTake();
                }
                else if (action == BoxAction.Long && focused is { Kind: FieldKind.Reference })
                {
                    HandleRefButton(BoxAction.Long); // as a long REF press: the next file
                }
                else if (action == BoxAction.Long && focused is { Kind: FieldKind.Parameter } learn && _backend.MidiLearn is not null)
                {
                    TryBeginMidiLearn(learn); // with a MIDI input a held push on a parameter is MIDI learn (double press still leaves)
                }
                else if (action is BoxAction.Long or BoxAction.Double)
                {
                    Mode = BoxMode.Page;
                }

                break;

            case BoxMode.Value:
                if (detents != 0 && focused is Field edited)
                {
                    Adjust(edited, detents);
                }
                else if (action == BoxAction.Press)
                {
                    Mode = BoxMode.Field;
                }
                else if (action == BoxAction.Long && focused is Field reset)
                {
                    LongPress(reset);
                }
                else if (action == BoxAction.Double)
                {
                    ToggleFine();
                }

                break;
        }
    }

    private void Home()
    {
        _pageIndex = 0;
        Mode = BoxMode.Page;
    }

    private void MovePage(int detents)
    {
        _pageIndex = Wrap(_pageIndex + detents, _pages.Length);
        if (!Layout.IsModal)
        {
            Mode = BoxMode.Value;
        }
    }

    private void MoveField(int detents)
    {
        PageModel page = CurrentPageModel;
        if (page.Fields.Length > 0)
        {
            page.Focus = Wrap(page.Focus + detents, page.Fields.Length);
        }
    }

    private static int Wrap(int value, int length) => ((value % length) + length) % length;

    private void ToggleFine()
    {
        IsFine = !IsFine;
        ShowPopup("Value knob", IsFine ? "fine" : "coarse", string.Empty);
    }

    // Param push: a switch flips; on the EQ page anything else jumps to the next band; an action is performed.
    private void ParamPush(Field field)
    {
        if (field.IsAction || field.Kind is FieldKind.Ride or FieldKind.TargetPreset or FieldKind.LatencyMode or FieldKind.MonitorFunction)
        {
            Activate(field);
            return;
        }

        ParameterDefinition definition = _registry.All[field.Index];
        if (definition.Taper == Taper.Toggle)
        {
            ToggleParameter(field.Index);
        }
        else if (CurrentPage == BoxPage.Eq)
        {
            NextBand();
        }
    }

    private void NextBand()
    {
        PageModel page = CurrentPageModel;
        ReadOnlySpan<char> band = Band(_registry.All[page.Fields[page.Focus].Index].Id);
        for (int step = 1; step < page.Fields.Length; step++)
        {
            int candidate = Wrap(page.Focus + step, page.Fields.Length);
            if (!Band(_registry.All[page.Fields[candidate].Index].Id).SequenceEqual(band))
            {
                page.Focus = candidate;
                return;
            }
        }
    }

    private static ReadOnlySpan<char> Band(string id)
    {
        int dot = id.LastIndexOf('.');
        return dot > 0 ? id.AsSpan(0, dot) : id.AsSpan();
    }

    private void Adjust(Field field, int detents)
    {
        switch (field.Kind)
        {
            case FieldKind.Parameter:
                {
                    ParameterDefinition definition = _registry.All[field.Index];
                    double current = _backend.Get(field.Index);
                    SetParameter(field.Index, KnobSteps.Nudge(definition, current, detents, IsFine));
                    break;
                }

            case FieldKind.TargetPreset:
                StepTargetPreset(detents);
                break;

            case FieldKind.Ride:
                SetRide(detents > 0);
                break;

            case FieldKind.FactoryPreset or FieldKind.UserSlot:
                MoveField(detents);
                break;

            case FieldKind.LatencyMode:
                StepLatencyMode(detents);
                break;

            case FieldKind.MonitorFunction:
                StepMonitorFunction(detents);
                break;

            case FieldKind.Reference:
                StepReference(detents);
                break;
        }
    }

    private void Activate(Field field)
    {
        switch (field.Kind)
        {
            case FieldKind.Parameter:
                if (_registry.All[field.Index].Taper == Taper.Toggle)
                {
                    ToggleParameter(field.Index);
                }

                break;

            case FieldKind.TargetPreset:
                StepTargetPreset(1);
                break;

            case FieldKind.Ride:
                SetRide(_targeting?.Mode != LoudnessAssistMode.Riding);
                break;

            case FieldKind.Learn:
                if (_targeting is null)
                {
                    break;
                }

                if (_targeting.Mode == LoudnessAssistMode.Learning)
                {
                    ShowPopup("Learn", _targeting.FinishLearn() ? "learned" : "no audio", string.Empty);
                }
                else
                {
                    _targeting.StartLearn();
                    ShowPopup("Learn", "armed", string.Empty);
                }

                break;

            case FieldKind.ResetLoudness:
                _backend.ResetLoudness();
                ShowPopup("Loudness", "reset", string.Empty);
                break;

            case FieldKind.LatencyMode:
                StepLatencyMode(1);
                break;

            case FieldKind.Record:
                ToggleRecording();
                break;

            case FieldKind.MonitorFunction:
                StepMonitorFunction(1);
                break;

            case FieldKind.MonitorReload:
                ReloadMonitorEq();
                break;

            case FieldKind.Reference:
                HandleRefButton(BoxAction.Press); // as a REF press: on/off
                break;

            case FieldKind.ResetReady when _readiness is not null:
                _readiness.Reset();
                ShowPopup("READY?", "reset", string.Empty);
                break;

            case FieldKind.StepBack when _protection is not null:
                ShowPopup("Step back", _protection.StepBack() ? "reopening" : "nothing to undo", string.Empty);
                break;

            case FieldKind.FactoryPreset when _presets is not null:
                ShowPopup(_presets.FactoryNames[field.Index], _presets.RecallFactory(field.Index) ? "loaded" : "failed", string.Empty);
                break;

            case FieldKind.UserSlot when _presets is not null:
                if (_presets.UserSlotName(field.Index) is null)
                {
                    ShowPopup(_slotLabels[field.Index], "empty", string.Empty);
                }
                else
                {
                    ShowPopup(_slotLabels[field.Index], _presets.RecallUser(field.Index) ? "loaded" : "failed", string.Empty);
                }

                break;
        }
    }

    // Long press on the value (or, modal, in value mode): reset to default; on a user slot: ask to save.
    private void LongPress(Field field)
    {
        switch (field.Kind)
        {
            case FieldKind.Parameter:
                SetParameter(field.Index, _registry.All[field.Index].Default);
                break;
            case FieldKind.TargetPreset:
                SetParameter(_target, _registry.All[_target].Default);
                break;
            case FieldKind.UserSlot:
                RequestSave(field.Index);
                break;
            case FieldKind.Record:
                NewTake();
                break;
            case FieldKind.Reference:
                HandleRefButton(BoxAction.Long);
                break;
        }
    }

    private void RequestSave(int slot)
    {
        if (_presets is not null)
        {
            _confirmSlot = slot;
            _popupVisible = false;
        }
    }

    private void SaveUser(int slot)
    {
        if (_presets is null)
        {
            return;
        }

        ShowPopup(_slotLabels[slot], _presets.SaveUser(slot) ? "saved" : "not saved", string.Empty);
    }

    private void StepTargetPreset(int detents)
    {
        double current = _backend.Get(_target);
        int index = -1;
        for (int i = 0; i < TargetPresets.Length; i++)
        {
            if (Math.Abs(TargetPresets[i] - current) < 1e-9)
            {
                index = i;
            }
        }

        // From a custom value the first step lands on the nearest preset in the turning direction's order.
        int next = index < 0 ? (detents > 0 ? 0 : TargetPresets.Length - 1) : Wrap(index + detents, TargetPresets.Length);
        SetParameter(_target, TargetPresets[next]);
    }

    private void SetRide(bool on)
    {
        if (_targeting is null)
        {
            return;
        }

        _targeting.SetRide(on);
        ShowPopup("Ride", on ? "on" : "off", string.Empty);
    }

    private void ToggleGlobalBypass()
    {
        _backend.GlobalBypass = !_backend.GlobalBypass;
        ShowPopup("Bypass", _backend.GlobalBypass ? "IN" : "out", string.Empty);
    }

    private void ToggleParameter(int index) => SetParameter(index, IsOn(index) ? 0 : 1);

    // Every edit of a registry value goes through here: the backend (the chain's setters), then a pop-up of what it holds.
    private void SetParameter(int index, double value)
    {
        _backend.TrySet(index, value);
        double now = _backend.Get(index);
        if (index == _target && _targeting is not null)
        {
            _targeting.TargetLufs = now;
        }

        ParameterDefinition definition = _registry.All[index];
        _popupValue.Clear();
        string unit = AppendValue(_popupValue, definition, now);
        ShowPopup(definition.Name, string.Empty, unit);
    }

    private void ShowPopup(string name, string value, string unit)
    {
        if (value.Length > 0)
        {
            _popupValue.Clear().Append(value);
        }

        _popupName = name;
        _popupUnit = unit;
        _popupUntil = _time.GetTimestamp() + _popupTicks;
        _popupVisible = true;
    }

    private struct PeakHold
    {
        public static readonly PeakHold Empty = new() { Value = double.NegativeInfinity };

        public double Value;
        private long _since;

        // Holds the largest reading for `hold` ticks, then falls to the current reading.
        public void Update(double reading, long now, long hold)
        {
            if (double.IsNaN(reading))
            {
                reading = double.NegativeInfinity;
            }

            if (reading >= Value || now - _since > hold)
            {
                Value = reading;
                _since = now;
            }
        }
    }
}
