using HardwareMaster.Dsp.Monitor;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Ui;

// MONITOR (issue 14, items 2 and 6): the encoder chooses the monitor function; an indicator on the bottom row of EVERY
// page while the monitor differs from the master ("MON PHONE" with a separate monitor output, "OUT=MON PHONE" when the
// device's only output IS the monitor, so nobody prints a master while listening to the phone voicing); the correction
// EQ's import date on MONITOR and SYSTEM, with a "re-measure the room" reminder once it is older than a year. A box whose
// monitor is heard nowhere (MonitorRoute.None: a file: device without --monitor-output) says "no monitor out" instead,
// whenever a function, the correction EQ or the reference would otherwise be heard, so nobody thinks they hear it.
public sealed partial class BoxFace
{
    /// <summary>How long each of SYSTEM's shared row-40 lines (temperature, MON EQ date, reminder) stays before the next.</summary>
    public static readonly TimeSpan SystemRowCycle = TimeSpan.FromSeconds(2);

    private const int IndicatorRight = Width - 26; // the XRUN corner keeps its place

    private static readonly string[] OutIsMonitor = BuildIndicators("OUT=MON ", "OUT=MON EQ");
    private static readonly string[] SeparateMonitor = BuildIndicators("MON ", string.Empty);
    private static readonly string[] FunctionOnly = BuildIndicators(string.Empty, string.Empty);

    private const string OutIsMonitorShort = "OUT=MON";
    private const string NoMonitorOut = "no monitor out";
    private const string NoMonitorOutShort = "no mon"; // fits right of the BYP corner
    private const string NoMonitorOutText = "no mon out"; // the 16x2 text face's 12 cells

    private readonly IBoxMonitor? _monitor;

    /// <summary>The monitor indicator drawn on the bottom row of every page (empty when none is drawn).</summary>
    public string MonitorIndicator => IndicatorText(out _);

    private static string[] BuildIndicators(string prefix, string off)
    {
        var texts = new string[MonitorFunctionNames.All.Count];
        for (int i = 0; i < texts.Length; i++)
        {
            texts[i] = i == 0 ? off : prefix + MonitorFunctionNames.Label((MonitorFunction)i);
        }

        return texts;
    }

    private void StepMonitorFunction(int detents)
    {
        if (_monitor is null)
        {
            return;
        }

        int next = Wrap((int)_monitor.Function + detents, MonitorFunctionNames.All.Count);
        _monitor.Function = (MonitorFunction)next; // the page's big value shows it; the path crossfades
    }

    private void ReloadMonitorEq()
    {
        if (_monitor is null)
        {
            return;
        }

        string result = !_monitor.ReloadCalibration() ? "unreadable" : _monitor.CalibrationFilters > 0 ? "loaded" : "none stored";
        ShowPopup("Monitor EQ", result, string.Empty);
    }

    private bool IsCalibrationDue() =>
        _monitor?.CalibrationImportedUtc is { } imported && _time.GetUtcNow() - imported > HardwareMaster.App.Monitor.MonitorCalibration.RemeasureAfter;

    // The text for the bottom row (empty when none is drawn) and its short form for when the BYP corner takes the left.
    private string IndicatorText(out string shortForm)
    {
        shortForm = string.Empty;
        if (_monitor is null)
        {
            return string.Empty;
        }

        int function = (int)_monitor.Function;
        bool calibrated = _monitor.CalibrationFilters > 0;
        if (!_monitor.HasOutput)
        {
            // Heard nowhere: say so whenever something would otherwise be heard on the monitor.
            if (function == 0 && !calibrated && _reference?.IsOn != true)
            {
                return string.Empty;
            }

            shortForm = NoMonitorOutShort;
            return NoMonitorOut;
        }

        if (_monitor.ReplacesOutput)
        {
            shortForm = OutIsMonitorShort;
            return function == 0 && !calibrated ? OutIsMonitorShort : OutIsMonitor[function]; // function off: the EQ or the reference
        }

        shortForm = FunctionOnly[function];
        return function == 0 ? string.Empty : SeparateMonitor[function];
    }

    private void DrawMonitorIndicator(MonoFrameBuffer f)
    {
        string text = IndicatorText(out string shortForm);
        if (text.Length == 0)
        {
            return;
        }

        int width = MonoFont.Small.MeasureWidth(text);
        int x = IndicatorRight - width;
        if (_backend.GlobalBypass && x < 52)
        {
            // The BYP corner holds the left: keep the part that matters.
            text = shortForm;
            width = MonoFont.Small.MeasureWidth(text);
            x = IndicatorRight - width;
        }

        f.FillRectangle(x - 1, CornerRow, width + 2, 8, false);
        f.DrawText(x, CornerRow, text, MonoFont.Small);
        f.InvertRectangle(x - 1, CornerRow, width + 1, 8);
    }

    private void DrawMonitor(MonoFrameBuffer f)
    {
        DrawTitle(f);
        if (_monitor is null || CurrentPageModel.Focused is not Field focused)
        {
            return;
        }

        f.DrawText(0, 8, FieldName(focused), MonoFont.Small);
        if (Layout.IsModal && Mode == BoxMode.Field)
        {
            f.InvertRectangle(0, 8, Width, 8);
        }

        _value.Clear();
        AppendFieldValue(_value, focused);
        int x = Math.Max(0, Width - 1 - MonoFont.Large.MeasureWidth(_value.Span));
        f.DrawText(x, 16, _value.Span, MonoFont.Large);
        if (Layout.IsModal && Mode == BoxMode.Value)
        {
            f.InvertRectangle(x - 2, 15, Width - x + 1, 16);
        }

        _line.Clear().Append("match ");
        if (_monitor.Function != MonitorFunction.Off)
        {
            _line.AppendNumber(_monitor.MatchGainDb, 5, 1, true).Append(" dB");
        }
        else
        {
            _line.Append("   --");
        }

        f.DrawText(0, 32, _line.Span, MonoFont.Small);
        _line.Clear().Append("EQ ");
        bool due = false;
        if (_monitor.CalibrationDate is { } date)
        {
            due = IsCalibrationDue();
            _line.Append(date).Append(' ');
            if (due)
            {
                _line.Append("old");
            }
            else
            {
                _line.AppendInteger(_monitor.CalibrationFilters).Append(" flt");
            }
        }
        else
        {
            _line.Append(_monitor.CalibrationProblem is null ? "none" : "unreadable");
        }

        f.DrawText(0, 40, _line.Span, MonoFont.Small);
        if (due)
        {
            f.InvertRectangle(0, 40, MonoFont.Small.MeasureWidth(_line.Span) + 1, 8);
        }

        if (!_monitor.HasOutput)
        {
            f.DrawText(1, 48, NoMonitorOut, MonoFont.Small);
            f.InvertRectangle(0, 48, MonoFont.Small.MeasureWidth(NoMonitorOut) + 2, 8);
        }
        else if (_monitor.ReplacesOutput)
        {
            f.DrawText(1, 48, "OUT=MON: not master", MonoFont.Small);
            f.InvertRectangle(0, 48, MonoFont.Small.MeasureWidth("OUT=MON: not master") + 2, 8);
        }
        else
        {
            f.DrawText(0, 48, _monitor.HasSeparateOutput ? "master out untouched" : "out = master", MonoFont.Small);
        }
    }

    // SYSTEM row 40: the temperature, then "MON EQ yyyy-MM-dd", then (over a year old) "re-measure the room", each for
    // SystemRowCycle; without a temperature reading only the monitor lines take turns. Nothing without a loaded EQ.
    private void DrawSystemMonitorEq(MonoFrameBuffer f, in SystemStatus s)
    {
        if (_monitor is null || (_monitor.CalibrationDate is null && _monitor.CalibrationProblem is null))
        {
            return;
        }

        bool temperature = double.IsFinite(s.CpuTemperatureC) && s.CpuTemperatureC > 0;
        bool due = IsCalibrationDue();
        int lines = (temperature ? 1 : 0) + 1 + (due ? 1 : 0);
        long cycle = Math.Max(1, ToTicks(SystemRowCycle));
        int phase = (int)((_time.GetTimestamp() / cycle) % lines);
        if (temperature)
        {
            if (phase == 0)
            {
                return; // the temperature row as drawn
            }

            phase--;
        }

        f.FillRectangle(0, 40, Width, 8, false);
        if (phase == 0)
        {
            _line.Clear().Append("MON EQ ").Append(_monitor.CalibrationDate ?? "unreadable");
            f.DrawText(0, 40, _line.Span, MonoFont.Small);
        }
        else
        {
            f.DrawText(1, 40, "re-measure the room", MonoFont.Small);
            f.InvertRectangle(0, 40, MonoFont.Small.MeasureWidth("re-measure the room") + 2, 8);
        }
    }
}
