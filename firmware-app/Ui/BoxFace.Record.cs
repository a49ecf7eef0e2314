using System.Diagnostics.CodeAnalysis;
using HardwareMaster.App.Recording;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Ui;

// REC (issue 15, item 2): the recorder's state, the take's elapsed time and file names, free space and the last error.
// Push on the page (or the REC button) starts/stops; a long press starts a new take. The REC LED is lit while recording
// and blinks (2 Hz) after an error (disk full, stick pulled) until the next take starts.
public sealed partial class BoxFace
{
    private const double GigaByte = 1024.0 * 1024 * 1024;

    private readonly IBoxRecorder? _recorder;
    private RecorderStatus? _recStatus;
    private bool _recBlinkOn;

    private bool IsRecLedLit()
    {
        if (_recStatus is not { } status)
        {
            return false;
        }

        return status.State switch
        {
            RecorderState.Recording => true,
            RecorderState.Armed => _recBlinkOn, // waiting for signal: blinks too, slower would need a second clock
            _ => status.Error is not null && _recBlinkOn,
        };
    }

    private void TickRecord(long now)
    {
        if (_recorder is null)
        {
            return;
        }

        _recStatus = _recorder.Status; // an immutable snapshot: a reference read, no allocation
        long half = Math.Max(1, _time.TimestampFrequency / 4); // 2 Hz blink: on for a quarter second, off for one
        _recBlinkOn = (now / half & 1) == 0;
    }

    private void HandleRecButton(BoxAction action)
    {
        if (action == BoxAction.Press)
        {
            ToggleRecording();
        }
        else if (action == BoxAction.Long)
        {
            NewTake();
        }
    }

    private void ToggleRecording()
    {
        if (_recorder is null)
        {
            return;
        }

        RecorderState state = (_recStatus ?? _recorder.Status).State;
        _recorder.Toggle();
        if (CurrentPage != BoxPage.Record)
        {
            ShowPopup("REC", state is RecorderState.Recording or RecorderState.Armed ? "stop" : "start", string.Empty);
        }
    }

    private void NewTake()
    {
        if (_recorder is null)
        {
            return;
        }

        _recorder.RequestNewTake();
        ShowPopup("REC", "new take", string.Empty);
    }

    // The recorder's status for the REC page (the frame's snapshot, or read now), false without a recorder.
    private bool TryRecorderStatus([NotNullWhen(true)] out RecorderStatus? status)
    {
        if (_recStatus is { } snapshot)
        {
            status = snapshot;
            return true;
        }

        if (_recorder is null)
        {
            status = null;
            return false;
        }

        status = _recorder.Status;
        return true;
    }

    // The REC page's one-word state, on the OLED and the character LCD alike.
    private static string RecorderStateLabel(RecorderStatus s) => s.State switch
    {
        RecorderState.Recording => "REC",
        RecorderState.Armed => "armed",
        RecorderState.WaitingForFolder => "no folder",
        _ => s.Error is not null ? "error" : "stopped",
    };

    private void DrawRecord(MonoFrameBuffer f)
    {
        f.DrawText(0, 0, CurrentPageModel.Title, MonoFont.Small);
        if (!TryRecorderStatus(out RecorderStatus? s))
        {
            return;
        }

        string state = RecorderStateLabel(s);
        int width = MonoFont.Small.MeasureWidth(state);
        f.DrawText(Width - width, 0, state, MonoFont.Small);
        if (s.State == RecorderState.Recording || s.Error is not null && s.State != RecorderState.Armed)
        {
            f.InvertRectangle(Width - width - 2, 0, width + 2, 8);
        }

        _line.Clear().Append(s.TakeName ?? "no take yet");
        f.DrawText(0, 10, _line.Span, MonoFont.Small);
        _line.Clear().AppendDuration(s.ElapsedSeconds);
        DrawRight(f, 10, _line.Span);

        IReadOnlyList<string> files = s.Files;
        int rows = Math.Min(files.Count, 2);
        for (int i = 0; i < rows; i++)
        {
            f.DrawText(0, 20 + (8 * i), files[i], MonoFont.Small);
        }

        _line.Clear().Append("free ");
        if (s.FreeBytes >= 0)
        {
            _line.AppendNumber(s.FreeBytes / GigaByte, 1).Append(" GB");
        }
        else
        {
            _line.Append("--");
        }

        f.DrawText(0, 38, _line.Span, MonoFont.Small);
        if (s.DroppedFrames > 0)
        {
            _line.Clear().Append("lost ").AppendInteger(s.DroppedFrames);
            DrawRight(f, 38, _line.Span);
        }

        if (s.Error is { } error)
        {
            f.DrawText(0, 47, error, MonoFont.Small);
        }
        else
        {
            f.DrawText(0, 47, "long press = new take", MonoFont.Small);
        }
    }
}
