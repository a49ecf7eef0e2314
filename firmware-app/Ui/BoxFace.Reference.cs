using HardwareMaster.App.Monitor;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Ui;

// Reference A/B (issue 14, item 3): the REF button toggles the reference on the monitor path (press), steps to the next
// file (long) or the previous one (double). While the reference plays, a banner on every page (row 47, inverted) names
// the file and the loudness-match offset in dB applied to it; the player's notices (a bad file, the stick leaving) show
// on the notice line for a few seconds. The REF LED is lit while the reference is on. On a box whose monitor is heard
// nowhere (IBoxMonitor.HasOutput false) the banner's right part says "no out" instead of the offset.
public sealed partial class BoxFace
{
    private const int ReferenceRow = 47;
    private const string ReferenceNoOut = "no out";

    private IBoxReference? _reference;
    private ReferenceStatus? _refStatus;
    private int _refNoticeSeen = -1;

    /// <summary>True while the reference banner is drawn (the reference is on).</summary>
    public bool IsReferenceShown => _reference?.IsOn == true;

    private void InitializeReference() => _reference = _backend.Reference;

    private void TickReference(long now)
    {
        if (_reference is null)
        {
            return;
        }

        ReferenceStatus status = _reference.Status; // an immutable snapshot: a reference read
        _refStatus = status;
        if (status.NoticeSerial != _refNoticeSeen)
        {
            if (_refNoticeSeen >= 0 && status.Notice is { } notice)
            {
                _noticeText = notice; // shares the protection notice line (DrawNotice)
                _noticeUntil = now + (long)(NoticeDuration.TotalSeconds * _time.TimestampFrequency);
            }

            _refNoticeSeen = status.NoticeSerial;
        }
    }

    private void HandleRefButton(BoxAction action)
    {
        if (_reference is null)
        {
            return;
        }

        switch (action)
        {
            case BoxAction.Press:
                bool on = _reference.Toggle();
                ShowPopup("Reference", on ? (_reference.Status.SelectedName ?? "no files") : "off", string.Empty);
                break;
            case BoxAction.Long:
                ShowPopup("Reference next", _reference.Next() ?? "no files", string.Empty);
                break;
            case BoxAction.Double:
                ShowPopup("Reference prev", _reference.Previous() ?? "no files", string.Empty);
                break;
        }
    }

    // The banner: "REF name" left, the offset right ("REF …loading" while the file is measured and buffered; "no out" when
    // the monitor is heard nowhere).
    private void DrawReference(MonoFrameBuffer f)
    {
        if (_reference is not { IsOn: true } reference)
        {
            return;
        }

        ReferenceStatus? s = _refStatus;
        f.FillRectangle(0, ReferenceRow, Width, 9, false);
        _value.Clear();
        if (_monitor is { HasOutput: false })
        {
            _value.Append(ReferenceNoOut);
        }
        else if (s is { State: ReferenceState.Playing })
        {
            _value.AppendNumber(reference.OffsetDb, 1, true).Append("dB");
        }
        else
        {
            _value.Append("loading");
        }

        int room = Math.Max(0, ((Width - 2) / 6) - 4 - _value.Length - 1);
        ReadOnlySpan<char> name = (s?.Track ?? s?.SelectedName ?? string.Empty).AsSpan();
        _line.Clear().Append("REF ").Append(name.Length > room ? name[..room] : name);
        f.DrawText(1, ReferenceRow + 1, _line.Span, MonoFont.Small);
        DrawRight(f, ReferenceRow + 1, _value.Span);
        f.InvertRectangle(0, ReferenceRow, Width, 9);
    }
}
