using HardwareMaster.App.Parameters;
using HardwareMaster.App.Reports;
using HardwareMaster.Dsp.Monitor;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Ui;

// The screens: 128×64, the small font (6×8 cells, 21 columns × 8 rows) for the print and the large one (12×16) for
// the one number that matters. Row 0 is the title, row 7 holds the fixed corners (BYPASS left, XRUN right).
public sealed partial class BoxFace
{
    private const int Width = 128;
    private const int CornerRow = 56;
    private const double MeterFloorDb = -60;
    private const double ReductionFullScaleDb = 12;
    private const double CurveMinHz = 20;
    private const double CurveMaxHz = 20000;
    private const int CurveTop = 34;
    private const int CurveHeight = 22;
    private const double CurveRangeDb = 12;

    private static readonly string[] TargetPresetLabels = ["stream", "Apple", "R128", "ATSC"];

    private readonly TextLine _line = new();
    private readonly TextLine _value = new();
    private readonly double[] _curve = new double[Width];
    private double[] _curveKey = [];
    private int _curveAge = 1_000; // compute on the first frame
    private string[] _slotLabels = [];
    private int _widthBypass = -1;

    private void InitializeScreens()
    {
        _widthBypass = _registry.TryGetIndex(ParameterIds.WidthBypass, out int width) ? width : -1;
        int slots = _presets?.UserSlotCount ?? 0;
        _slotLabels = new string[slots];
        for (int i = 0; i < slots; i++)
        {
            _slotLabels[i] = "U" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        int eqFields = 0;
        foreach (PageModel page in _pages)
        {
            if (page.Page == BoxPage.Eq)
            {
                eqFields = page.Fields.Length;
            }
        }

        _curveKey = new double[eqFields];
    }

    private void Compose()
    {
        _work.Clear();
        Draw(_work);
    }

    private void Draw(MonoFrameBuffer f)
    {
        long now = _time.GetTimestamp();
        _popupVisible = _popupVisible && now < _popupUntil;
        _xrunVisible = _xrunUntil != 0 && now < _xrunUntil;
        switch (CurrentPage)
        {
            case BoxPage.Main: DrawMain(f); break;
            case BoxPage.Loudness: DrawLoudness(f); break;
            case BoxPage.Presets: DrawPresets(f); break;
            case BoxPage.System: DrawSystem(f); break;
            case BoxPage.Ready: DrawReady(f); break;
            case BoxPage.Record: DrawRecord(f); break;
            case BoxPage.Monitor: DrawMonitor(f); break;
            default: DrawFieldPage(f); break;
        }

        DrawCorners(f);
        DrawReference(f);
        DrawMonitorIndicator(f);
        DrawNotice(f);
        if (_confirmSlot >= 0)
        {
            DrawConfirm(f);
        }
        else if (_midiLearnIndex >= 0)
        {
            DrawMidiLearn(f);
        }
        else if (_popupVisible)
        {
            DrawPopup(f);
        }

        if (_fatigue is { IsDue: true })
        {
            DrawFatigue(f);
        }
    }

    // ---- chrome -------------------------------------------------------------------------------------------------

    private void DrawTitle(MonoFrameBuffer f)
    {
        PageModel page = CurrentPageModel;
        int x = f.DrawText(0, 0, page.Title, MonoFont.Small);
        int stage = StageBypassIndex(page.Page);
        if (stage >= 0 && IsOn(stage))
        {
            int left = x + 4;
            int right = f.DrawText(left + 1, 0, "BYP", MonoFont.Small);
            f.InvertRectangle(left, 0, right - left, 8);
        }

        if (Layout.IsModal && Mode == BoxMode.Page)
        {
            f.InvertRectangle(0, 0, x, 8);
        }

        _line.Clear();
        if (IsFine)
        {
            _line.Append("F ");
        }

        if (page.Fields.Length > 1 && page.Page is not (BoxPage.Main or BoxPage.Loudness))
        {
            int digits = page.Fields.Length >= 10 ? 2 : 1;
            _line.AppendInteger(page.Focus + 1, digits).Append('/').AppendInteger(page.Fields.Length, digits);
        }

        DrawRight(f, 0, _line.Span);
    }

    private void DrawCorners(MonoFrameBuffer f)
    {
        if (_backend.GlobalBypass)
        {
            _line.Clear().Append("BYP").AppendNumber(_meters.BypassMatchDb, 5, 1, true);
            int right = f.DrawText(1, CornerRow, _line.Span, MonoFont.Small);
            f.InvertRectangle(0, CornerRow, right, 8);
        }

        if (_xrunVisible)
        {
            f.DrawText(Width - 24, CornerRow, "XRUN", MonoFont.Small);
            f.InvertRectangle(Width - 25, CornerRow, 25, 8);
        }
    }

    private void DrawPopup(MonoFrameBuffer f)
    {
        f.FillRectangle(0, 9, Width, 46, false);
        f.DrawRectangle(0, 9, Width, 46);
        ReadOnlySpan<char> name = _popupName.AsSpan();
        if (name.Length > 19)
        {
            name = name[..19];
        }

        f.DrawText((Width - MonoFont.Small.MeasureWidth(name)) / 2, 14, name, MonoFont.Small);
        ReadOnlySpan<char> value = _popupValue.Span;
        int unitWidth = _popupUnit.Length > 0 ? MonoFont.Small.MeasureWidth(_popupUnit) + 3 : 0;
        MonoFont font = MonoFont.Large.MeasureWidth(value) + unitWidth <= 112 ? MonoFont.Large : MonoFont.Small;
        int total = font.MeasureWidth(value) + unitWidth;
        int x = Math.Max(3, (Width - total) / 2);
        int end = f.DrawText(x, 27, value, font);
        if (unitWidth > 0)
        {
            f.DrawText(end + 3, 34, _popupUnit, MonoFont.Small);
        }

        if (IsFine)
        {
            f.DrawText(Width - 32, 43, "fine", MonoFont.Small);
        }
    }

    private void DrawConfirm(MonoFrameBuffer f)
    {
        f.FillRectangle(0, 9, Width, 46, false);
        f.DrawRectangle(0, 9, Width, 46);
        _line.Clear().Append("Save to ").Append(_slotLabels[_confirmSlot]).Append('?');
        f.DrawText((Width - MonoFont.Small.MeasureWidth(_line.Span)) / 2, 16, _line.Span, MonoFont.Small);
        f.DrawText(16, 28, "push  = save", MonoFont.Small);
        f.DrawText(16, 38, "other = cancel", MonoFont.Small);
    }

    private void DrawFatigue(MonoFrameBuffer f)
    {
        f.FillRectangle(2, 8, 124, 48, false);
        f.DrawRectangle(2, 8, 124, 48);
        f.DrawText(16, 13, "Time for a break", MonoFont.Small);
        _line.Clear().Append("listened ").AppendDuration(_fatigue!.Listened.TotalSeconds);
        f.DrawText((Width - MonoFont.Small.MeasureWidth(_line.Span)) / 2, 25, _line.Span, MonoFont.Small);
        f.DrawText(4, 37, "tired ears hear dull", MonoFont.Small);
        f.DrawText(13, 46, "any control = ok", MonoFont.Small);
    }

    // ---- MAIN ---------------------------------------------------------------------------------------------------

    private void DrawMain(MonoFrameBuffer f)
    {
        DrawTitle(f);
        if (_presets?.CurrentName is string preset)
        {
            ReadOnlySpan<char> name = preset.AsSpan();
            DrawRight(f, 0, name.Length > 14 ? name[..14] : name);
        }

        DrawPeakPair(f, 8, "IN", _meters.InputPeakLeftDbfs, _meters.InputPeakRightDbfs, _inLeft.Value, _inRight.Value);
        DrawPeakPair(f, 17, "OUT", _meters.OutputPeakLeftDbfs, _meters.OutputPeakRightDbfs, _outLeft.Value, _outRight.Value);
        DrawReduction(f, 0, 26, "C", _meters.CompressorReductionDb, _compHold.Value);
        DrawReduction(f, 64, 26, "L", _meters.LimiterReductionDb, _limiterHold.Value);

        double target = _backend.Get(_target);
        _line.Clear().AppendNumber(_meters.ShortTermLufs - target, 5, 1, true);
        f.DrawText(0, 34, _line.Span, MonoFont.Large);
        f.DrawText(62, 41, "LU", MonoFont.Small);
        _line.Clear().Append("to").AppendNumber(target, 6, 1);
        DrawRight(f, 34, _line.Span);
        _line.Clear().Append("TP").AppendNumber(_meters.TruePeakMaxDbtp, 6, 1);
        DrawRight(f, 41, _line.Span);

        _line.Clear().Append('M').AppendNumber(_meters.MomentaryLufs, 5, 1)
            .Append(" S").AppendNumber(_meters.ShortTermLufs, 5, 1)
            .Append(" I").AppendNumber(_meters.IntegratedLufs, 5, 1);
        f.DrawText(0, 48, _line.Span, MonoFont.Small);
    }

    private void DrawPeakPair(MonoFrameBuffer f, int y, string label, double left, double right, double holdLeft, double holdRight)
    {
        f.DrawText(0, y, label, MonoFont.Small);
        f.DrawHorizontalBar(19, y, 78, 4, MeterFraction(left), MeterFraction(holdLeft));
        f.DrawHorizontalBar(19, y + 4, 78, 4, MeterFraction(right), MeterFraction(holdRight));
        _line.Clear().AppendNumber(Math.Max(holdLeft, holdRight), 5, 1);
        DrawRight(f, y, _line.Span);
    }

    private void DrawReduction(MonoFrameBuffer f, int x, int y, string label, double reduction, double hold)
    {
        f.DrawText(x, y, label, MonoFont.Small);
        f.DrawHorizontalBar(x + 7, y, 30, 7, ReductionFraction(reduction), ReductionFraction(hold));
        _line.Clear().AppendNumber(hold, 4, 1);
        f.DrawText(x + 37, y, _line.Span, MonoFont.Small);
    }

    // ---- LOUDNESS -----------------------------------------------------------------------------------------------

    private void DrawLoudness(MonoFrameBuffer f)
    {
        DrawTitle(f);
        _line.Clear().Append("I ").AppendNumber(_meters.IntegratedLufs, 5, 1).Append(" LUFS ").Append("LRA").AppendNumber(_meters.LoudnessRangeLu, 5, 1);
        f.DrawText(0, 8, _line.Span, MonoFont.Small);
        _line.Clear().Append("S ").AppendNumber(_meters.ShortTermLufs, 5, 1).Spaces(6).Append("PLR").AppendNumber(_meters.PlrDb, 5, 1);
        f.DrawText(0, 16, _line.Span, MonoFont.Small);
        _line.Clear().Append("TP").AppendNumber(_meters.TruePeakMaxDbtp, 5, 1).Append(" dBTP in").AppendNumber(_meters.InputIntegratedLufs, 6, 1);
        f.DrawText(0, 24, _line.Span, MonoFont.Small);
        _line.Clear().Append("since ").AppendDuration(_meters.LoudnessSeconds);
        f.DrawText(0, 32, _line.Span, MonoFont.Small);
        int x = Width - MonoFont.Small.MeasureWidth("reset") - 1;
        f.DrawText(x, 32, "reset", MonoFont.Small);
        if (!Layout.IsModal || Mode != BoxMode.Page)
        {
            f.InvertRectangle(x - 1, 32, Width - x + 1, 8);
        }

        Normalization platforms = Normalization.From(_meters.IntegratedLufs, _meters.TruePeakMaxDbtp);
        _line.Clear().Append("Spotify").Append(Gain(platforms.SpotifyDb)).Append(" YT ").Append(Gain(platforms.YouTubeDb));
        f.DrawText(0, 40, _line.Span, MonoFont.Small);
        _line.Clear().Append("Apple  ").Append(Gain(platforms.AppleMusicDb)).Append(" EBU").Append(Gain(platforms.EbuR128Db));
        f.DrawText(0, 48, _line.Span, MonoFont.Small);
    }

    private ReadOnlySpan<char> Gain(double? db)
    {
        _value.Clear().AppendNumber(db ?? double.NaN, 5, 1, true);
        return _value.Span;
    }

    // ---- stage pages (EQ, COMP, WIDTH, LIMITER, TARGET) ---------------------------------------------------------

    private void DrawFieldPage(MonoFrameBuffer f)
    {
        DrawTitle(f);
        PageModel page = CurrentPageModel;
        if (page.Focused is not Field focused)
        {
            return;
        }

        f.DrawText(0, 8, FieldName(focused), MonoFont.Small);
        if (Layout.IsModal && Mode == BoxMode.Field)
        {
            f.InvertRectangle(0, 8, Width, 8);
        }

        _value.Clear();
        string unit = AppendFieldValue(_value, focused);
        int unitWidth = MonoFont.Small.MeasureWidth(unit);
        int right = Width - 1 - unitWidth - (unitWidth > 0 ? 2 : 0);
        MonoFont font = MonoFont.Large.MeasureWidth(_value.Span) <= right ? MonoFont.Large : MonoFont.Small;
        int x = Math.Max(0, right - font.MeasureWidth(_value.Span));
        f.DrawText(x, 16, _value.Span, font);
        if (unitWidth > 0)
        {
            f.DrawText(Width - unitWidth, 23, unit, MonoFont.Small);
        }

        if (Layout.IsModal && Mode == BoxMode.Value)
        {
            f.InvertRectangle(x - 2, 15, right - x + 3, 16);
        }

        bool curve = page.Page == BoxPage.Eq && _eqMagnitudeDb is not null;
        if (curve)
        {
            DrawEqCurve(f, page, focused);
            return;
        }

        DrawFieldRow(f, 32, page, page.Focus + 1);
        DrawFieldRow(f, 40, page, page.Focus + 2);
        switch (page.Page)
        {
            case BoxPage.Comp:
                DrawReductionRow(f, _meters.CompressorReductionDb, _compHold.Value);
                break;
            case BoxPage.Limiter:
                DrawReductionRow(f, _meters.LimiterReductionDb, _limiterHold.Value);
                break;
            case BoxPage.Width:
                f.DrawText(0, 48, "corr", MonoFont.Small);
                double correlation = _meters.Correlation;
                f.DrawHorizontalBar(26, 48, 70, 7, double.IsNaN(correlation) ? 0 : (float)((correlation + 1) / 2));
                _line.Clear().AppendNumber(correlation, 5, 2, true);
                DrawRight(f, 48, _line.Span);
                break;
            case BoxPage.Target:
                _line.Clear().Append('S').AppendNumber(_meters.ShortTermLufs, 5, 1).Append(" I").AppendNumber(_meters.IntegratedLufs, 5, 1).Append(' ').Append(ModeLabel());
                f.DrawText(0, 48, _line.Span, MonoFont.Small);
                break;
        }
    }

    private void DrawFieldRow(MonoFrameBuffer f, int y, PageModel page, int index)
    {
        if (index >= page.Fields.Length)
        {
            return;
        }

        Field field = page.Fields[index];
        _value.Clear();
        string unit = AppendFieldValue(_value, field);
        if (unit.Length > 0)
        {
            _value.Append(' ').Append(unit);
        }

        // The value keeps its full width; the name gets what is left of the 21 columns.
        int nameWidth = Math.Max(6, 20 - _value.Length);
        _line.Clear().AppendPadded(FieldName(field), nameWidth).AppendRight(_value.Span, 21 - nameWidth);
        f.DrawText(0, y, _line.Span, MonoFont.Small);
    }

    private void DrawReductionRow(MonoFrameBuffer f, double reduction, double hold)
    {
        f.DrawText(0, 48, "GR", MonoFont.Small);
        f.DrawHorizontalBar(14, 48, 86, 7, ReductionFraction(reduction), ReductionFraction(hold));
        _line.Clear().AppendNumber(hold, 4, 1);
        DrawRight(f, 48, _line.Span);
    }

    private void DrawEqCurve(MonoFrameBuffer f, PageModel page, Field focused)
    {
        UpdateCurve(page);
        int middle = CurveTop + (CurveHeight / 2);
        for (int x = 0; x < Width; x += 4)
        {
            f.SetPixel(x, middle);
        }

        int previous = CurveY(_curve[0]);
        for (int x = 1; x < Width; x++)
        {
            int y = CurveY(_curve[x]);
            f.DrawLine(x - 1, previous, x, y);
            previous = y;
        }

        if (focused.Kind == FieldKind.Parameter && _registry.All[focused.Index].Id.EndsWith(".freq", StringComparison.Ordinal))
        {
            double hz = _backend.Get(focused.Index);
            int marker = (int)Math.Round(Math.Log(hz / CurveMinHz) / Math.Log(CurveMaxHz / CurveMinHz) * (Width - 1));
            for (int y = CurveTop; y < CurveTop + CurveHeight; y += 2)
            {
                f.SetPixel(marker, y);
            }
        }
    }

    private static int CurveY(double db)
    {
        double clamped = double.IsFinite(db) ? Math.Clamp(db, -CurveRangeDb, CurveRangeDb) : -CurveRangeDb;
        double half = (CurveHeight - 1) / 2.0;
        return CurveTop + (int)Math.Round(half - (clamped / CurveRangeDb * half));
    }

    // The curve is recomputed when an EQ value changed (knob, preset, remote) or once a second.
    private void UpdateCurve(PageModel page)
    {
        bool changed = ++_curveAge >= 25;
        for (int i = 0; i < page.Fields.Length && i < _curveKey.Length; i++)
        {
            double value = _backend.Get(page.Fields[i].Index);
            if (value != _curveKey[i])
            {
                _curveKey[i] = value;
                changed = true;
            }
        }

        if (!changed)
        {
            return;
        }

        _curveAge = 0;
        for (int x = 0; x < Width; x++)
        {
            double hz = CurveMinHz * Math.Pow(CurveMaxHz / CurveMinHz, x / (double)(Width - 1));
            _curve[x] = _eqMagnitudeDb!(hz);
        }
    }

    // ---- PRESETS ------------------------------------------------------------------------------------------------

    private void DrawPresets(MonoFrameBuffer f)
    {
        DrawTitle(f);
        PageModel page = CurrentPageModel;
        if (_presets is null || page.Fields.Length == 0)
        {
            return;
        }

        const int rows = 5;
        int first = Math.Clamp(page.Focus - (rows / 2), 0, Math.Max(0, page.Fields.Length - rows));
        for (int row = 0; row < rows && first + row < page.Fields.Length; row++)
        {
            int index = first + row;
            Field field = page.Fields[index];
            _line.Clear();
            if (field.Kind == FieldKind.FactoryPreset)
            {
                _line.Append("F  ").Append(_presets.FactoryNames[field.Index]);
            }
            else
            {
                _line.AppendPadded(_slotLabels[field.Index], 3).Append(_presets.UserSlotName(field.Index) ?? "-");
            }

            int y = 8 + (row * 8);
            f.DrawText(1, y, _line.Span.Length > 21 ? _line.Span[..21] : _line.Span, MonoFont.Small);
            if (index == page.Focus && (!Layout.IsModal || Mode != BoxMode.Page))
            {
                f.InvertRectangle(0, y, Width, 8);
            }
        }

        f.DrawText(0, 48, "push load  hold save", MonoFont.Small);
    }

    // ---- SYSTEM -------------------------------------------------------------------------------------------------

    private void DrawSystem(MonoFrameBuffer f)
    {
        DrawTitle(f);
        SystemStatus s = _system;
        if (s.DeviceState is string state)
        {
            ReadOnlySpan<char> text = state.AsSpan();
            DrawRight(f, 0, text.Length > 12 ? text[..12] : text);
        }

        double blockMs = s.SampleRateHz > 0 ? s.BlockFrames * 1000.0 / s.SampleRateHz : double.NaN;
        _line.Clear().AppendNumber(s.SampleRateHz / 1000.0, 4, 1).Append(" kHz").AppendInteger(s.BlockFrames, 4).Append(" fr").AppendNumber(blockMs, 4, 1).Append("ms");
        f.DrawText(0, 8, _line.Span, MonoFont.Small);
        _line.Clear().Append("latency").AppendNumber(s.LatencyMs, 7, 1).Append(" ms");
        f.DrawText(0, 16, _line.Span, MonoFont.Small);
        _line.Clear().Append("CPU").AppendNumber(s.CpuPercent, 5, 0).Append(" %  p99").AppendNumber(s.CpuP99Percent, 4, 0).Append(" %");
        f.DrawText(0, 24, _line.Span, MonoFont.Small);
        _line.Clear().Append("xruns").AppendInteger(s.Xruns, 5).Append(" late").AppendInteger(_meters.DeadlineMisses, 5);
        f.DrawText(0, 32, _line.Span, MonoFont.Small);
        if (_protection is not null)
        {
            f.FillRectangle(0, 16, Width, 8, false);
            f.FillRectangle(0, 32, Width, 8, false);
            DrawProtectionRows(f, s);
        }
        else if (double.IsFinite(s.CpuTemperatureC) && s.CpuTemperatureC > 0)
        {
            _line.Clear().Append("temp").AppendNumber(s.CpuTemperatureC, 6, 1).Append(" C");
            f.DrawText(0, 40, _line.Span, MonoFont.Small);
        }

        DrawSystemMonitorEq(f, s);

        PageModel page = CurrentPageModel;
        if (page.Fields.Length > 0)
        {
            // Parameters no other page claims (added to the registry later) are edited here, one row.
            DrawFieldRow(f, 48, page, page.Focus);
            if (!Layout.IsModal || Mode != BoxMode.Page)
            {
                f.InvertRectangle(0, 48, Width, 8);
            }
        }
        else
        {
            _line.Clear().Append("up ").AppendDuration(s.Uptime.TotalSeconds);
            f.DrawText(0, 48, _line.Span, MonoFont.Small);
        }

        if (s.PairingSecret is { } secret)
        {
            f.DrawText(0, 56, secret.AsSpan(), MonoFont.Small); // what a phone types to pair with the web page
        }
    }

    // ---- values -------------------------------------------------------------------------------------------------

    private string FieldName(Field field) => field.Kind switch
    {
        FieldKind.Parameter => _registry.All[field.Index].Name,
        FieldKind.TargetPreset => "Target preset",
        FieldKind.Learn => "Learn",
        FieldKind.Ride => "Ride",
        FieldKind.ResetLoudness => "Reset",
        FieldKind.FactoryPreset => _presets?.FactoryNames[field.Index] ?? string.Empty,
        FieldKind.UserSlot => _slotLabels[field.Index],
        FieldKind.LatencyMode => "Latency mode",
        FieldKind.StepBack => "Step back",
        FieldKind.ResetReady => "Reset",
        FieldKind.MonitorFunction => "Function",
        FieldKind.MonitorReload => "Reload EQ",
        FieldKind.Reference => "Reference",
        _ => string.Empty,
    };

    // Writes the field's value into `line` and returns its unit.
    private string AppendFieldValue(TextLine line, Field field)
    {
        switch (field.Kind)
        {
            case FieldKind.Parameter:
                return AppendValue(line, _registry.All[field.Index], _backend.Get(field.Index));
            case FieldKind.TargetPreset:
                double target = _backend.Get(_target);
                for (int i = 0; i < TargetPresets.Length; i++)
                {
                    if (Math.Abs(TargetPresets[i] - target) < 1e-9)
                    {
                        line.AppendNumber(target, 0);
                        return TargetPresetLabels[i];
                    }
                }

                line.AppendNumber(target, 1);
                return "custom";
            case FieldKind.Learn:
                line.Append(ModeLabel());
                return string.Empty;
            case FieldKind.Ride:
                line.Append(_targeting?.Mode == LoudnessAssistMode.Riding ? "on" : "off");
                return string.Empty;
            case FieldKind.LatencyMode or FieldKind.StepBack:
                AppendProtectionValue(line, field);
                return string.Empty;
            case FieldKind.MonitorFunction:
                line.Append(MonitorFunctionNames.Name(_monitor?.Function ?? MonitorFunction.Off));
                return string.Empty;
            case FieldKind.Reference:
                AppendReferenceValue(line);
                return string.Empty;
            default:
                line.Append("push");
                return string.Empty;
        }
    }

    private string ModeLabel() => _targeting?.Mode switch
    {
        LoudnessAssistMode.Learning => "learning",
        LoudnessAssistMode.Learned => "learned",
        LoudnessAssistMode.Riding => "riding",
        _ => "manual",
    };

    /// <summary>Writes a parameter value (no unit) into <paramref name="line"/> and returns the unit to show with it.</summary>
    private static string AppendValue(TextLine line, ParameterDefinition definition, double value)
    {
        switch (definition.Taper)
        {
            case Taper.Toggle:
                line.Append(value >= 0.5 ? "on" : "off");
                return string.Empty;
            case Taper.Choice when definition.Choices is { Count: > 0 } choices:
                line.Append(choices[(int)Math.Clamp(Math.Round(value), 0, choices.Count - 1)]);
                return definition.Unit;
        }

        if (definition.Unit == "Hz" && value >= 1000)
        {
            line.AppendNumber(value / 1000, value >= 10000 ? 1 : 2);
            return "kHz";
        }

        int decimals = definition.Taper == Taper.Logarithmic
            ? (value < 10 ? 2 : value < 100 ? 1 : 0)
            : (definition.Step >= 1 ? 0 : definition.Step >= 0.1 - 1e-12 ? 1 : 2);
        line.AppendNumber(value, decimals, definition.Minimum < 0 && definition.Unit == "dB");
        return definition.Unit;
    }

    private static void DrawRight(MonoFrameBuffer f, int y, ReadOnlySpan<char> text) =>
        f.DrawText(Width - MonoFont.Small.MeasureWidth(text) + 1, y, text, MonoFont.Small);

    private static float MeterFraction(double db) =>
        double.IsNaN(db) || db <= MeterFloorDb ? 0 : (float)Math.Min(1, (db - MeterFloorDb) / -MeterFloorDb);

    private static float ReductionFraction(double db) =>
        double.IsNaN(db) || db <= 0 ? 0 : (float)Math.Min(1, db / ReductionFullScaleDb);

    private int StageBypassIndex(BoxPage page) => page switch
    {
        BoxPage.Eq => _eqBypass,
        BoxPage.Comp => _compBypass,
        BoxPage.Width => _widthBypass,
        BoxPage.Limiter => _limiterBypass,
        _ => -1,
    };
}
