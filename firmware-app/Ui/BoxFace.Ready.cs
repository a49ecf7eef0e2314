using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Ui;

// READY? (issue 14, item 5): the pre-mastering checklist of `check` over what the box has heard since the last reset,
// one item a row: name, value, verdict (ok / WARN / FAIL inverted, "--" while not judged yet).
public sealed partial class BoxFace
{
    private static readonly string[] VerdictLabels = ["ok", "WARN", "FAIL"];

    private readonly ReadyLine[] _ready = new ReadyLine[8];
    private double _readySeconds;

    private void TickReady()
    {
        if (_readiness is null)
        {
            return;
        }

        bool shown = CurrentPage == BoxPage.Ready;
        _readiness.Judging = shown;
        if (shown)
        {
            _readySeconds = _readiness.Read(_ready);
        }
    }

    private void DrawReady(MonoFrameBuffer f)
    {
        f.DrawText(0, 0, CurrentPageModel.Title, MonoFont.Small);
        if (_readiness is null)
        {
            return;
        }

        _line.Clear().AppendDuration(_readySeconds).Append(" heard");
        DrawRight(f, 0, _line.Span);
        IReadOnlyList<string> labels = _readiness.Labels;
        int rows = Math.Min(labels.Count, 7);
        for (int i = 0; i < rows; i++)
        {
            int y = 8 * (i + 1);
            ReadyLine line = _ready[i];
            _line.Clear().AppendPadded(labels[i], 11);
            if (double.IsFinite(line.Value))
            {
                string unit = line.Unit ?? string.Empty; // a line never read is all default
                int decimals = unit is "count" ? 0 : Math.Abs(line.Value) >= 100 ? 0 : unit.Length == 0 ? 2 : 1;
                _line.AppendNumber(line.Value, 6, decimals);
            }

            f.DrawText(0, y, _line.Span, MonoFont.Small);
            string verdict = line.Verdict is >= 0 and <= 2 && line.Unit is not null ? VerdictLabels[line.Verdict] : "--";
            int width = MonoFont.Small.MeasureWidth(verdict);
            f.DrawText(Width - width + 1, y, verdict, MonoFont.Small);
            if (line.Verdict >= 1 && line.Unit is not null)
            {
                f.InvertRectangle(Width - width - 1, y, width + 2, 8);
            }
        }
    }
}
