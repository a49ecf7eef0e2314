using System.Numerics;
using HardwareMaster.App.Host.Protection;
using HardwareMaster.App.Monitor;
using HardwareMaster.App.Recording;
using HardwareMaster.Dsp.Monitor;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Ui;

// Text mode (issue 17): the same face on a 16x2 or 20x4 HD44780 character LCD. Same state, same pages, same gestures
// as the 128x64 screens; what a character cell cannot do is said differently (firmware-app/Ui/README.md, "Text mode"):
// - the bottom row's last 4 cells are the fixed corner: "BYP" while the global bypass is in, '!' for an xrun in the
//   last 3 s; pages never write there;
// - meters are bars of CGRAM cells (5 levels each, CharacterScreen.DrawBar);
// - a protection notice takes the row above the corner on 20x4 (row 0 on 16x2) for its 5 s;
// - a pop-up takes the middle rows (20x4) or both rows' content (16x2); the corner stays;
// - modal layouts mark what the encoder moves with '>' (the OLED inverts it); a bypassed stage is "BYP" after the
//   title on 20x4 and '*' after it on 16x2;
// - on every page, as on the OLED: while the reference plays its banner ("REF name -6.3dB", "no out" when the monitor
//   is heard nowhere) takes the row above the corner on 20x4 and the status row (row 0) on 16x2; the monitor indicator
//   ("OUT=MON PHONE", "MON PHONE", "no monitor out") takes the bottom row's content cells on 20x4 and the status row on
//   16x2 (where the banner wins while the reference plays); the MONITOR page says the output state itself. A notice,
//   a pop-up and the break reminder draw over them.
// Nothing here allocates: numbers go through preallocated TextLines, names are existing strings.
public sealed partial class BoxFace
{
    private const int CornerCells = 4;

    // SYSTEM's cycling text lines, one bit each, shown in this order.
    private const int SysCounters = 1;
    private const int SysLatency = 2;
    private const int SysThd = 4; // 16x2 only: 20x4 puts it on the latency line
    private const int SysTemperature = 8;
    private const int SysMonitorEq = 16;
    private const int SysRemeasure = 32;
    private const int SysRate = 64; // 20x4: rate and block; 16x2: CPU (row 0 covered by the status row)

    private readonly TextLine _text = new(48);
    private readonly TextLine _textValue = new(32);
    private readonly TextLine _textName = new(48);
    private bool _textBanner; // this frame: the reference banner is drawn (20x4 row 2, 16x2 row 0)
    private bool _textIndicator; // this frame: the monitor indicator is drawn (20x4 row 3, 16x2 row 0 unless the banner)

    /// <summary>Draws the current screen as text into <paramref name="screen"/> (16×2 or 20×4; any 16–40 × 2 or 4).</summary>
    /// <param name="screen">The character screen; it is cleared first.</param>
    /// <exception cref="ArgumentException">The screen is smaller than 16 columns or 2 rows.</exception>
    public void RenderText(CharacterScreen screen)
    {
        ArgumentNullException.ThrowIfNull(screen);
        if (screen.Columns < 16 || screen.Rows < 2)
        {
            throw new ArgumentException($"The text face needs at least 16x2 cells; the screen is {screen.Columns}x{screen.Rows}.", nameof(screen));
        }

        screen.Clear();
        long now = _time.GetTimestamp();
        bool popup = _popupVisible && now < _popupUntil;
        bool big = screen.Rows >= 4;
        _textBanner = _reference?.IsOn == true;
        _textIndicator = CurrentPage != BoxPage.Monitor && IndicatorText(out _).Length > 0 && (big || !_textBanner);
        switch (CurrentPage)
        {
            case BoxPage.Main: TextMain(screen, big); break;
            case BoxPage.Loudness: TextLoudness(screen, big); break;
            case BoxPage.Presets: TextPresets(screen, big); break;
            case BoxPage.System: TextSystem(screen, big); break;
            case BoxPage.Ready: TextReady(screen, big); break;
            case BoxPage.Record: TextRecord(screen, big); break;
            case BoxPage.Monitor: TextMonitor(screen, big); break;
            default: TextFieldPage(screen, big); break;
        }

        TextStatus(screen, big);
        if (_noticeUntil != 0 && now < _noticeUntil)
        {
            int row = big ? screen.Rows - 2 : 0;
            screen.ClearRow(row);
            screen.Write(0, row, _noticeText);
        }

        if (_confirmSlot >= 0)
        {
            _text.Clear().Append("Save to ").Append(_slotLabels[_confirmSlot]).Append('?');
            TextOverlay(screen, big, _text.Span, "push=save", "other=cancel");
        }
        else if (popup)
        {
            _textValue.Clear().Append(_popupValue.Span);
            if (_popupUnit.Length > 0)
            {
                _textValue.Append(' ').Append(_popupUnit);
            }

            if (IsFine)
            {
                _textValue.Append(" F");
            }

            TextOverlay(screen, big, _popupName, _textValue.Span, ReadOnlySpan<char>.Empty);
        }

        if (_fatigue is { IsDue: true })
        {
            _text.Clear().Append("listened ").AppendDuration(_fatigue.Listened.TotalSeconds);
            screen.Clear();
            screen.Write(0, 0, "Time for a break");
            screen.Write(0, 1, big ? _text.Span : "any key = ok");
            if (big)
            {
                screen.Write(0, 2, "tired ears hear dull");
                screen.Write(0, 3, "any control = ok");
            }
        }

        TextCorner(screen, now);
    }

    // The reference banner and the monitor indicator on every page (see the list at the top); the pages leave their rows
    // to them (_textBanner, _textIndicator) where the content would otherwise be lost.
    private void TextStatus(CharacterScreen screen, bool big)
    {
        if (_textBanner)
        {
            TextReferenceBanner(screen, big ? screen.Rows - 2 : 0);
        }

        if (_textIndicator)
        {
            TextIndicator(screen, big ? screen.Rows - 1 : 0, big ? screen.Columns - CornerCells : screen.Columns);
        }
    }

    // 20x4: how many rows from row 1 down are the page's (the banner takes row 2, the indicator row 3).
    private int TextContentRows() => _textBanner ? 1 : _textIndicator ? 2 : 3;

    // "REF name" left, the offset right ("loading" while the file is measured, "no out" when the monitor plays nowhere).
    private void TextReferenceBanner(CharacterScreen screen, int row)
    {
        ReferenceStatus? s = _refStatus;
        _textValue.Clear();
        if (_monitor is { HasOutput: false })
        {
            _textValue.Append(ReferenceNoOut);
        }
        else if (s is { State: ReferenceState.Playing })
        {
            _textValue.AppendNumber(_reference!.OffsetDb, 1, true).Append("dB");
        }
        else
        {
            _textValue.Append("loading");
        }

        int room = Math.Max(0, screen.Columns - 4 - _textValue.Length - 1);
        ReadOnlySpan<char> name = (s?.Track ?? s?.SelectedName ?? string.Empty).AsSpan();
        _text.Clear().Append("REF ").Append(name.Length > room ? name[..room] : name);
        screen.ClearRow(row);
        screen.Write(0, row, _text.Span);
        screen.WriteRight(row, _textValue.Span);
    }

    // The monitor indicator, right-aligned in the first `width` cells of `row` (the row cleared: no half-covered numbers).
    private void TextIndicator(CharacterScreen screen, int row, int width)
    {
        string text = IndicatorText(out string shortForm);
        if (text.Length == 0)
        {
            return;
        }

        if (text.Length > width)
        {
            text = ReferenceEquals(text, NoMonitorOut) ? NoMonitorOutText : shortForm;
        }

        screen.ClearRow(row); // on the bottom row TextCorner redraws the corner afterwards
        screen.Write(Math.Max(0, width - text.Length), row, text);
    }

    private void TextCorner(CharacterScreen screen, long now)
    {
        int row = screen.Rows - 1;
        int column = screen.Columns - CornerCells;
        for (int i = 0; i < CornerCells; i++)
        {
            screen.SetCode(column + i, row, (byte)' ');
        }

        if (_backend.GlobalBypass)
        {
            screen.Write(column, row, "BYP");
        }

        if (_xrunUntil != 0 && now < _xrunUntil)
        {
            screen.Write(column + 3, row, "!");
        }
    }

    // A pop-up or the save question: the middle rows of a 20x4 (title and corner stay), both rows of a 16x2.
    private static void TextOverlay(CharacterScreen screen, bool big, ReadOnlySpan<char> first, ReadOnlySpan<char> second, ReadOnlySpan<char> third)
    {
        int top = big ? 1 : 0;
        int width = screen.Columns;
        screen.ClearRow(top);
        screen.ClearRow(top + 1);
        Centre(screen, top, first, width);
        Centre(screen, top + 1, second, width - (big ? 0 : CornerCells));
        if (big && !third.IsEmpty)
        {
            screen.ClearRow(3);
            Centre(screen, 3, third, width - CornerCells);
        }
    }

    private static void Centre(CharacterScreen screen, int row, ReadOnlySpan<char> text, int width)
    {
        if (text.Length > width)
        {
            text = text[..width];
        }

        screen.Write((width - text.Length) / 2, row, text);
    }

    // Title row: the page title (with the stage's bypass and the modal page marker), the right part given.
    private int TextTitle(CharacterScreen screen, bool big, int row = 0)
    {
        PageModel page = CurrentPageModel;
        _text.Clear();
        if (Layout.IsModal && Mode == BoxMode.Page)
        {
            _text.Append('>');
        }

        _text.Append(page.Title);
        int stage = StageBypassIndex(page.Page);
        if (stage >= 0 && IsOn(stage))
        {
            _text.Append(big ? " BYP" : "*");
        }

        return screen.Write(0, row, _text.Span);
    }

    private int TextPosition(CharacterScreen screen, int row)
    {
        PageModel page = CurrentPageModel;
        _text.Clear();
        if (IsFine)
        {
            _text.Append("F ");
        }

        if (page.Fields.Length > 1)
        {
            int digits = page.Fields.Length >= 10 ? 2 : 1;
            _text.AppendInteger(page.Focus + 1, digits).Append('/').AppendInteger(page.Fields.Length, digits);
        }

        return _text.Length == 0 ? screen.Columns : screen.WriteRight(row, _text.Span);
    }

    // ---- MAIN ---------------------------------------------------------------------------------------------------

    private void TextMain(CharacterScreen screen, bool big)
    {
        double target = _backend.Get(_target);
        double inPeak = Math.Max(_meters.InputPeakLeftDbfs, _meters.InputPeakRightDbfs);
        double outPeak = Math.Max(_meters.OutputPeakLeftDbfs, _meters.OutputPeakRightDbfs);
        if (big)
        {
            // MAIN  -0.3 LU to -14 / IN bar peak / OUT bar peak / comp and limiter GR bars
            TextTitle(screen, big);
            _text.Clear().AppendNumber(_meters.ShortTermLufs - target, 6, 1, true).Append("LU to").AppendNumber(target, 4, 0);
            screen.WriteRight(0, _text.Span);
            TextMeterRow(screen, 1, "IN", inPeak, Math.Max(_inLeft.Value, _inRight.Value));
            TextMeterRow(screen, 2, "OUT", outPeak, Math.Max(_outLeft.Value, _outRight.Value));
            screen.Write(0, 3, "C");
            screen.DrawBar(1, 3, 3, ReductionFraction(_meters.CompressorReductionDb));
            _text.Clear().AppendNumber(_compHold.Value, 4, 1);
            screen.Write(4, 3, _text.Span);
            screen.Write(9, 3, "L");
            screen.DrawBar(10, 3, 3, ReductionFraction(_meters.LimiterReductionDb));
            _text.Clear().AppendNumber(_limiterHold.Value, 3, 1);
            screen.Write(13, 3, _text.Span);
            return;
        }

        // 16x2: I bar O bar / distance to target and comp GR
        screen.Write(0, 0, "I");
        screen.DrawBar(1, 0, 6, MeterFraction(inPeak));
        screen.Write(8, 0, "O");
        screen.DrawBar(9, 0, 7, MeterFraction(outPeak));
        _text.Clear().AppendNumber(_meters.ShortTermLufs - target, 5, 1, true).Append("LU C").AppendNumber(_compHold.Value, 3, 1);
        screen.Write(0, 1, _text.Span);
    }

    private void TextMeterRow(CharacterScreen screen, int row, string label, double db, double hold)
    {
        screen.Write(0, row, label);
        screen.DrawBar(4, row, 10, MeterFraction(db));
        _text.Clear().AppendNumber(hold, 6, 1);
        screen.WriteRight(row, _text.Span);
    }

    // ---- LOUDNESS -----------------------------------------------------------------------------------------------

    private void TextLoudness(CharacterScreen screen, bool big)
    {
        if (big)
        {
            TextTitle(screen, big);
            _text.Clear().Append("since ").AppendDuration(_meters.LoudnessSeconds);
            screen.WriteRight(0, _text.Span);
            _text.Clear().Append('I').AppendNumber(_meters.IntegratedLufs, 6, 1).Append(" LUFS LRA").AppendNumber(_meters.LoudnessRangeLu, 4, 1);
            screen.Write(0, 1, _text.Span);
            _text.Clear().Append('S').AppendNumber(_meters.ShortTermLufs, 6, 1).Append("   PLR").AppendNumber(_meters.PlrDb, 5, 1);
            screen.Write(0, 2, _text.Span);
            _text.Clear().Append("TP").AppendNumber(_meters.TruePeakMaxDbtp, 5, 1).Append(" dBTP");
            screen.Write(0, 3, _text.Span);
            return;
        }

        _text.Clear().Append('I').AppendNumber(_meters.IntegratedLufs, 6, 1).Append(" S").AppendNumber(_meters.ShortTermLufs, 6, 1);
        screen.Write(0, 0, _text.Span);
        _text.Clear().Append("TP").AppendNumber(_meters.TruePeakMaxDbtp, 5, 1).Append(" R").AppendNumber(_meters.LoudnessRangeLu, 3, 0);
        screen.Write(0, 1, _text.Span);
    }

    // ---- stage pages (EQ, COMP, WIDTH, LIMITER, TARGET) ---------------------------------------------------------

    private void TextFieldPage(CharacterScreen screen, bool big)
    {
        PageModel page = CurrentPageModel;
        if (page.Focused is not Field focused)
        {
            TextTitle(screen, big);
            return;
        }

        bool fieldMode = Layout.IsModal && Mode == BoxMode.Field;
        bool valueMode = Layout.IsModal && Mode == BoxMode.Value;
        _textValue.Clear();
        if (valueMode)
        {
            _textValue.Append('>');
        }

        string unit = AppendFieldValue(_textValue, focused);
        if (unit.Length > 0)
        {
            _textValue.Append(' ').Append(unit);
        }

        _textName.Clear();
        if (fieldMode)
        {
            _textName.Append('>');
        }

        _textName.Append(FieldName(focused));
        if (big)
        {
            // title + position / field name / value right-aligned / a meter or the next field
            TextTitle(screen, big);
            TextPosition(screen, 0);
            if (!_textBanner)
            {
                screen.Write(0, 1, _textName.Span);
                screen.WriteRight(2, _textValue.Span);
            }
            else if (_textName.Length + _textValue.Length < screen.Columns)
            {
                // The reference banner takes row 2: the value shares row 1 with the name.
                screen.Write(0, 1, _textName.Span);
                screen.WriteRight(1, _textValue.Span);
            }
            else
            {
                screen.WriteRight(1, _textValue.Span); // a long value wins over the name
            }

            int content = screen.Columns - CornerCells;
            switch (page.Page)
            {
                case BoxPage.Comp:
                    TextReductionRow(screen, content, _meters.CompressorReductionDb, _compHold.Value);
                    break;
                case BoxPage.Limiter:
                    TextReductionRow(screen, content, _meters.LimiterReductionDb, _limiterHold.Value);
                    break;
                case BoxPage.Width:
                    screen.Write(0, 3, "corr");
                    double correlation = _meters.Correlation;
                    screen.DrawBar(4, 3, content - 9, double.IsNaN(correlation) ? 0 : (correlation + 1) / 2);
                    _text.Clear().AppendNumber(correlation, 5, 2, true);
                    screen.Write(content - 5, 3, _text.Span);
                    break;
                case BoxPage.Target:
                    _text.Clear().Append('S').AppendNumber(_meters.ShortTermLufs, 5, 1).Append(' ').Append(ModeLabel());
                    screen.Write(0, 3, _text.Span.Length > content ? _text.Span[..content] : _text.Span);
                    break;
                default:
                    TextFieldRow(screen, 3, content, page, page.Focus + 1);
                    break;
            }

            return;
        }

        // 16x2: field name + position / title + value (the corner keeps the last 4 cells)
        int room = TextPosition(screen, 0) - 1;
        screen.Write(0, 0, _textName.Span.Length > room ? _textName.Span[..room] : _textName.Span);
        int titleEnd;
        if (_textBanner || _textIndicator)
        {
            // The status row covers row 0: the field's name, cut to leave room for the value, takes the title's place
            // (with '*' for a bypassed stage).
            int stage = StageBypassIndex(page.Page);
            bool bypassed = stage >= 0 && IsOn(stage);
            ReadOnlySpan<char> name = FieldName(focused);
            int nameRoom = screen.Columns - CornerCells - _textValue.Length - 1 - (bypassed ? 1 : 0);
            if (nameRoom >= 2)
            {
                _textName.Clear().Append(name.Length > nameRoom ? name[..nameRoom] : name);
                if (bypassed)
                {
                    _textName.Append('*');
                }

                titleEnd = screen.Write(0, 1, _textName.Span);
            }
            else
            {
                titleEnd = screen.Columns; // the value takes the row
            }
        }
        else
        {
            titleEnd = TextTitle(screen, big, 1);
        }

        int valueWidth = screen.Columns - CornerCells - titleEnd - 1;
        ReadOnlySpan<char> value = _textValue.Span;
        if (value.Length > valueWidth)
        {
            // A long value wins over the title.
            screen.ClearRow(1);
            valueWidth = screen.Columns - CornerCells;
            value = value.Length > valueWidth ? value[..valueWidth] : value;
        }

        screen.Write(screen.Columns - CornerCells - value.Length, 1, value);
    }

    private void TextReductionRow(CharacterScreen screen, int content, double reduction, double hold)
    {
        screen.Write(0, 3, "GR");
        screen.DrawBar(2, 3, content - 7, ReductionFraction(reduction));
        _text.Clear().AppendNumber(hold, 5, 1);
        screen.Write(content - 5, 3, _text.Span);
    }

    private void TextFieldRow(CharacterScreen screen, int row, int width, PageModel page, int index)
    {
        if (index >= page.Fields.Length)
        {
            return;
        }

        Field field = page.Fields[index];
        _textValue.Clear();
        string unit = AppendFieldValue(_textValue, field);
        if (unit.Length > 0)
        {
            _textValue.Append(' ').Append(unit);
        }

        int nameWidth = Math.Max(4, width - _textValue.Length - 1);
        _text.Clear().AppendPadded(FieldName(field), nameWidth).Append(' ').Append(_textValue.Span);
        screen.Write(0, row, _text.Span.Length > width ? _text.Span[..width] : _text.Span);
    }

    // ---- PRESETS ------------------------------------------------------------------------------------------------

    private void TextPresets(CharacterScreen screen, bool big)
    {
        PageModel page = CurrentPageModel;
        TextTitle(screen, big);
        TextPosition(screen, 0);
        if (_presets is null || page.Fields.Length == 0)
        {
            return;
        }

        int rows = big ? TextContentRows() : 1;
        int first = Math.Clamp(page.Focus - (rows / 2), 0, Math.Max(0, page.Fields.Length - rows));
        for (int r = 0; r < rows && first + r < page.Fields.Length; r++)
        {
            int index = first + r;
            Field field = page.Fields[index];
            bool focused = index == page.Focus && (!Layout.IsModal || Mode != BoxMode.Page);
            _text.Clear().Append(focused ? '>' : ' ');
            if (field.Kind == FieldKind.FactoryPreset)
            {
                _text.Append("F  ").Append(_presets.FactoryNames[field.Index]);
            }
            else
            {
                _text.AppendPadded(_slotLabels[field.Index], 3).Append(_presets.UserSlotName(field.Index) ?? "-");
            }

            int row = 1 + r;
            int width = row == screen.Rows - 1 ? screen.Columns - CornerCells : screen.Columns;
            screen.Write(0, row, _text.Span.Length > width ? _text.Span[..width] : _text.Span);
        }
    }

    // ---- SYSTEM -------------------------------------------------------------------------------------------------

    // 20x4: rate and block; a line that cycles every SystemRowCycle through CPU and xruns, the latency with the latency
    // mode's measured THD (when row 3 holds a field), the CPU temperature with the thermal state, the monitor EQ's import
    // date and (over a year old) "re-measure the room"; row 3 the field (or the latency). 16x2: rate, block and CPU;
    // the cycling line (xruns, latency, THD, temperature, EQ date, "re-measure!", CPU when row 0 is covered) in the 12
    // cells before the corner.
    private void TextSystem(CharacterScreen screen, bool big)
    {
        SystemStatus s = _system;
        bool temperature = double.IsFinite(s.CpuTemperatureC) && s.CpuTemperatureC > 0;
        bool eq = _monitor is not null && (_monitor.CalibrationDate is not null || _monitor.CalibrationProblem is not null);
        int lines = SysCounters | (temperature ? SysTemperature : 0) | (eq ? SysMonitorEq : 0) | (eq && IsCalibrationDue() ? SysRemeasure : 0);
        if (big)
        {
            TextTitle(screen, big);
            if (s.DeviceState is string state)
            {
                ReadOnlySpan<char> text = state.AsSpan();
                int room = screen.Columns - 7;
                screen.WriteRight(0, text.Length > room ? text[..room] : text);
            }

            // Rows from the bottom up: the field (or the latency), the cycling line, the rate line; the banner (row 2)
            // and the indicator (row 3) take theirs first, and what finds no row joins the cycle (the field wins).
            Span<int> free = stackalloc int[3];
            int n = 0;
            if (!_textIndicator)
            {
                free[n++] = 3;
            }

            if (!_textBanner)
            {
                free[n++] = 2;
            }

            free[n++] = 1;
            PageModel page = CurrentPageModel;
            int bottom = free[0];
            if (page.Fields.Length > 0)
            {
                TextFieldRow(screen, bottom, bottom == screen.Rows - 1 ? screen.Columns - CornerCells : screen.Columns, page, page.Focus);
                lines |= SysLatency;
            }
            else
            {
                TextLatencyLine(s, bottom != screen.Rows - 1); // the 16 cells before the corner: without THD
                screen.Write(0, bottom, _text.Span);
            }

            if (n < 2)
            {
                return;
            }

            if (n < 3)
            {
                lines |= SysRate;
            }
            else
            {
                TextSystemLine(SysRate, s, true);
                screen.Write(0, free[2], _text.Span);
            }

            TextSystemLine(CycleLine(lines), s, true);
            screen.Write(0, free[1], _text.Span);
            return;
        }

        _text.Clear().AppendNumber(s.SampleRateHz / 1000.0, 4, 1).Append('k').AppendInteger(s.BlockFrames, 3).Append(" CPU").AppendNumber(s.CpuPercent, 3, 0).Append('%');
        screen.Write(0, 0, _text.Span);
        lines |= SysLatency | (_protection is not null ? SysThd : 0) | (_textBanner || _textIndicator ? SysRate : 0); // row 0 covered: CPU joins
        TextSystemLine(CycleLine(lines), s, false);
        int width = screen.Columns - CornerCells;
        screen.Write(0, 1, _text.Span.Length > width ? _text.Span[..width] : _text.Span);
    }

    // Which of the lines in `mask` shows now: the n-th present one, each for SystemRowCycle.
    private int CycleLine(int mask)
    {
        int phase = (int)((_time.GetTimestamp() / Math.Max(1, ToTicks(SystemRowCycle))) % BitOperations.PopCount((uint)mask));
        for (int line = 1; ; line <<= 1)
        {
            if ((mask & line) != 0 && phase-- == 0)
            {
                return line;
            }
        }
    }

    private void TextSystemLine(int line, in SystemStatus s, bool big)
    {
        _text.Clear();
        switch (line)
        {
            case SysCounters when big:
                _text.Append("CPU").AppendNumber(s.CpuPercent, 4, 0).Append("% xruns").AppendInteger(s.Xruns, 6);
                break;
            case SysCounters:
                _text.Append("xruns").AppendInteger(s.Xruns, 6);
                break;
            case SysLatency:
                TextLatencyLine(s, big);
                break;
            case SysThd:
                _text.Append("THD").AppendNumber(LatencyModes.MeasuredThdPercent[(int)_protectionStatus.Mode], 6, 3).Append('%');
                break;
            case SysTemperature:
                _text.Append("temp").AppendNumber(s.CpuTemperatureC, 5, 1).Append(big ? " C" : "C");
                if (big && _protection is not null)
                {
                    _text.Append(ThermalLabels[(int)_protectionStatus.Thermal]);
                }

                break;
            case SysMonitorEq when big:
                _text.Append("MON EQ ").Append(_monitor!.CalibrationDate ?? "unreadable");
                break;
            case SysMonitorEq:
                _text.Append("EQ ").Append(_monitor!.CalibrationDate is { } date ? date.AsSpan(2) : "unusable"); // yy-MM-dd in 12 cells
                break;
            case SysRemeasure:
                _text.Append(big ? "re-measure the room" : "re-measure!");
                break;
            case SysRate when big:
                double blockMs = s.SampleRateHz > 0 ? s.BlockFrames * 1000.0 / s.SampleRateHz : double.NaN;
                _text.AppendNumber(s.SampleRateHz / 1000.0, 4, 1).Append("kHz").AppendInteger(s.BlockFrames, 4).Append("fr").AppendNumber(blockMs, 5, 1).Append("ms");
                break;
            case SysRate:
                _text.Append("CPU").AppendNumber(s.CpuPercent, 4, 0).Append('%');
                break;
        }
    }

    // "lat 2.9ms THD0.112%" (20x4 with the self-protecting engine: the latency mode's measured cost), else "lat  2.9ms".
    private void TextLatencyLine(in SystemStatus s, bool big)
    {
        _text.Clear();
        if (big && _protection is not null)
        {
            _text.Append("lat").AppendNumber(s.LatencyMs, 4, 1).Append("ms THD").AppendNumber(LatencyModes.MeasuredThdPercent[(int)_protectionStatus.Mode], 5, 3).Append('%');
        }
        else
        {
            _text.Append("lat").AppendNumber(s.LatencyMs, 5, 1).Append("ms");
        }
    }

    // ---- READY? -------------------------------------------------------------------------------------------------

    private void TextReady(CharacterScreen screen, bool big)
    {
        TextTitle(screen, big);
        _text.Clear().AppendDuration(_readySeconds);
        if (big)
        {
            _text.Append(" heard");
        }

        screen.WriteRight(0, _text.Span);
        if (_readiness is null)
        {
            return;
        }

        // The items that are not ok first (they are what the engineer must see), then the rest in order.
        IReadOnlyList<string> labels = _readiness.Labels;
        int rows = big ? TextContentRows() : screen.Rows - 1;
        int shown = 0;
        for (int pass = 0; pass < 2 && shown < rows; pass++)
        {
            for (int i = 0; i < labels.Count && i < _ready.Length && shown < rows; i++)
            {
                ReadyLine line = _ready[i];
                bool bad = line.Verdict >= 1 && line.Unit is not null;
                if (bad != (pass == 0))
                {
                    continue;
                }

                string verdict = line.Verdict is >= 0 and <= 2 && line.Unit is not null ? VerdictLabels[line.Verdict] : "--";
                int row = 1 + shown;
                int width = row == screen.Rows - 1 ? screen.Columns - CornerCells : screen.Columns;
                ReadOnlySpan<char> label = labels[i];
                screen.Write(0, row, label.Length > width - 5 ? label[..(width - 5)] : label);
                screen.Write(width - verdict.Length, row, verdict);
                shown++;
            }
        }
    }

    // ---- REC ----------------------------------------------------------------------------------------------------

    // MONITOR: the function (what the value encoder walks) and its match gain, or with the Reference field focused
    // ">REF " and the file heard (off, no stick, no files); on 20x4 also the correction EQ (its row taken by the
    // Reference field while that is focused) and the output line ("OUT IS MONITOR" on a 2-output device: not the
    // master; "no monitor out" when it plays nowhere); on 16x2 the output state right of the title ("OUT=MON", "no out").
    private void TextMonitor(CharacterScreen screen, bool big)
    {
        TextTitle(screen, big);
        if (_monitor is null)
        {
            return;
        }

        if (!big && (_monitor.ReplacesOutput || !_monitor.HasOutput))
        {
            screen.WriteRight(0, _monitor.HasOutput ? OutIsMonitorShort : ReferenceNoOut);
        }

        bool onReference = _reference is not null && CurrentPageModel.Focused is { Kind: FieldKind.Reference };
        MonitorFunction function = _monitor.Function;
        _text.Clear().Append(onReference ? ' ' : '>').Append(function == MonitorFunction.Off ? "off" : MonitorFunctionNames.Label(function));
        if (function != MonitorFunction.Off)
        {
            _text.Append(' ').AppendNumber(_monitor.MatchGainDb, 1, plus: true);
            if (big)
            {
                _text.Append("dB"); // 16x2: the bottom row has 12 cells before the corner
            }
        }

        if (onReference)
        {
            // The Reference field focused: what the value encoder walks (the file heard, off, no stick, no files). 16x2:
            // row 1, ">R:" and the value in the 12 cells before the corner; 20x4: row 2 (the correction EQ's row) under
            // the function, or row 1 in the function's place while the REF banner covers row 2.
            _value.Clear().Append(big ? ">REF " : ">R:").Append(ReferenceValue(_reference!));
            int room = big ? screen.Columns : screen.Columns - CornerCells;
            screen.Write(0, !big || _textBanner ? 1 : 2, _value.Length > room ? _value.Span[..room] : _value.Span);
        }

        if (!big)
        {
            if (!onReference)
            {
                screen.Write(0, 1, _text.Span);
            }

            return;
        }

        if (!(onReference && _textBanner))
        {
            screen.Write(0, 1, _text.Span);
        }

        if (!onReference)
        {
            _text.Clear().Append("EQ ");
            if (_monitor.CalibrationDate is { } date)
            {
                _text.Append(date).Append(' ').AppendInteger(_monitor.CalibrationFilters).Append('f');
            }
            else
            {
                _text.Append(_monitor.CalibrationProblem is null ? "none" : "unreadable");
            }

            screen.Write(0, 2, _text.Span);
        }

        screen.Write(0, 3, !_monitor.HasOutput ? NoMonitorOut : _monitor.ReplacesOutput ? "OUT IS MONITOR" : _monitor.HasSeparateOutput ? "master untouched" : "out = master");
    }

    private void TextRecord(CharacterScreen screen, bool big)
    {
        TextTitle(screen, big);
        if (!TryRecorderStatus(out RecorderStatus? s))
        {
            return;
        }

        string state = RecorderStateLabel(s);
        _text.Clear().Append(state).Append(' ').AppendDuration(s.ElapsedSeconds);
        screen.WriteRight(0, _text.Span);
        int last = screen.Columns - CornerCells;
        ReadOnlySpan<char> take = (s.TakeName ?? "no take yet").AsSpan();
        if (big)
        {
            screen.Write(0, 1, take);
            _text.Clear().Append("free ");
            if (s.FreeBytes >= 0)
            {
                _text.AppendNumber(s.FreeBytes / GigaByte, 1).Append(" GB");
            }
            else
            {
                _text.Append("--");
            }

            if (s.DroppedFrames > 0)
            {
                _text.Append(" lost ").AppendInteger(s.DroppedFrames);
            }

            screen.Write(0, 2, _text.Span);
            ReadOnlySpan<char> hint = (s.Error ?? "long = new take").AsSpan();
            screen.Write(0, 3, hint.Length > last ? hint[..last] : hint);
            return;
        }

        ReadOnlySpan<char> second = s.Error is { } error ? error.AsSpan() : take;
        screen.Write(0, 1, second.Length > last ? second[..last] : second);
    }
}
