using HardwareMaster.App.Host.Protection;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Ui;

// The self-protecting engine on the face: the latency mode and step back on SYSTEM, the measured cost of the mode,
// the thermal state, and a notice on every page for a few seconds whenever the engine steps to a safer setting or
// the CPU gets hot (issue 14, items 7 and 8).
public sealed partial class BoxFace
{
    /// <summary>How long a protection notice stays on every page.</summary>
    public static readonly TimeSpan NoticeDuration = TimeSpan.FromSeconds(5);

    private static readonly string[] ModeLabels = ["standard", "studio", "live"];
    private static readonly string[] ThermalLabels = [string.Empty, " WARM", " THROTTLE"];

    private ProtectionStatus _protectionStatus;
    private int _noticeSerialSeen = -1;
    private long _noticeUntil;
    private string _noticeText = string.Empty;

    /// <summary>True while a protection notice is shown.</summary>
    public bool IsNoticeVisible => _noticeUntil != 0 && _time.GetTimestamp() < _noticeUntil;

    /// <summary>The notice shown (or the last one), empty before any.</summary>
    public string NoticeText => _noticeText;

    private void TickProtection(long now)
    {
        if (_protection is null)
        {
            return;
        }

        _protectionStatus = _protection.Status;
        if (_protectionStatus.NoticeSerial != _noticeSerialSeen)
        {
            // The first read only takes the serial: a notice from before the face existed is not news.
            if (_noticeSerialSeen >= 0 && _protectionStatus.Notice is { } notice)
            {
                _noticeText = notice;
                _noticeUntil = now + (long)(NoticeDuration.TotalSeconds * _time.TimestampFrequency);
            }

            _noticeSerialSeen = _protectionStatus.NoticeSerial;
        }
    }

    private void StepLatencyMode(int detents)
    {
        if (_protection is null)
        {
            return;
        }

        int next = Wrap((int)_protection.Status.Mode + detents, ModeLabels.Length);
        _protection.SetLatencyMode((LatencyMode)next);
        _protectionStatus = _protection.Status;
        _noticeSerialSeen = _protectionStatus.NoticeSerial; // the pop-up says it; no second notice
        ShowPopup("Latency mode", ModeLabels[next], string.Empty);
    }

    private void DrawNotice(MonoFrameBuffer f)
    {
        if (_noticeUntil == 0 || _time.GetTimestamp() >= _noticeUntil)
        {
            return;
        }

        f.FillRectangle(0, 47, Width, 9, false);
        f.DrawText(2, 48, _noticeText, MonoFont.Small);
        f.InvertRectangle(0, 47, Width, 9);
    }

    // SYSTEM rows 16 (latency and the mode's measured cost) and 40 (temperature and its state) with protection.
    private void DrawProtectionRows(MonoFrameBuffer f, in SystemStatus s)
    {
        int mode = (int)_protectionStatus.Mode;
        _line.Clear().Append("lat").AppendNumber(s.LatencyMs, 5, 1).Append("ms THD").AppendNumber(LatencyModes.MeasuredThdPercent[mode], 6, 3).Append('%');
        f.DrawText(0, 16, _line.Span, MonoFont.Small);
        _line.Clear().Append("xruns").AppendInteger(s.Xruns, 5).Append(" /min").AppendInteger(_protectionStatus.XrunsLastMinute, 4);
        f.DrawText(0, 32, _line.Span, MonoFont.Small);
        if (double.IsFinite(s.CpuTemperatureC) && s.CpuTemperatureC > 0)
        {
            _line.Clear().Append("temp").AppendNumber(s.CpuTemperatureC, 6, 1).Append(" C").Append(ThermalLabels[(int)_protectionStatus.Thermal]);
            f.DrawText(0, 40, _line.Span, MonoFont.Small);
        }
    }

    private void AppendProtectionValue(TextLine line, Field field)
    {
        if (field.Kind == FieldKind.LatencyMode)
        {
            line.Append(ModeLabels[(int)_protectionStatus.Mode]);
        }
        else
        {
            line.Append(_protectionStatus.CanStepBack ? "push" : "--");
        }
    }
}
