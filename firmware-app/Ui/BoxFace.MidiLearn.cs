using HardwareMaster.App.Remote.Midi;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Ui;

/// <summary>MIDI learn from the box: hold the param push on a parameter, move a control on the MIDI controller.</summary>
public sealed partial class BoxFace
{
    /// <summary>How long MIDI learn waits for a control before it gives up.</summary>
    public static readonly TimeSpan MidiLearnTimeout = TimeSpan.FromSeconds(15);

    private int _midiLearnIndex = -1;
    private long _midiLearnUntil;
    private long _midiShownVersion = -1;

    /// <summary>True while MIDI learn waits for a control (the OLED shows "MIDI LEARN").</summary>
    public bool IsMidiLearning => _midiLearnIndex >= 0;

    /// <summary>The pop-up's unit (for MIDI learn: the encoding learned, e.g. "abs", "rel 2c") while shown.</summary>
    public string PopupUnit => _popupVisible ? _popupUnit : string.Empty;

    // Held param push (long press) on a parameter field, with a MIDI input on: arm learn for it. False = not offered.
    private bool TryBeginMidiLearn(Field field)
    {
        if (_backend.MidiLearn is not { } midi || field.Kind != FieldKind.Parameter)
        {
            return false;
        }

        _midiShownVersion = midi.LearnVersion;
        _midiLearnIndex = field.Index;
        _midiLearnUntil = _time.GetTimestamp() + ToTicks(MidiLearnTimeout);
        _popupVisible = false;
        midi.BeginLearn(field.Index);
        return true;
    }

    // While learning, any encoder gesture (a press again, a turn) cancels; buttons keep working (bypass is never blocked).
    private bool HandleMidiLearnInput(in BoxInput input)
    {
        if (_midiLearnIndex < 0 || !IsEncoder(input.Control))
        {
            return false;
        }

        CancelMidiLearn("cancelled");
        return true;
    }

    private void CancelMidiLearn(string why)
    {
        _midiLearnIndex = -1;
        _backend.MidiLearn?.BeginLearn(-1);
        ShowPopup("MIDI learn", why, string.Empty);
    }

    // Once per frame: a learned (or refined) binding pops up; an unanswered learn times out.
    private void TickMidiLearn(long now)
    {
        if (_backend.MidiLearn is not { } midi)
        {
            return;
        }

        long version = midi.LearnVersion;
        if (version != _midiShownVersion && _midiShownVersion >= 0 && midi.LastLearned is { } learned)
        {
            _midiShownVersion = version;
            _midiLearnIndex = -1;
            _popupValue.Clear();
            if (learned.Controller >= 0)
            {
                _popupValue.Append("CC ").AppendInteger(learned.Controller);
            }
            else
            {
                _popupValue.Append("NRPN ").AppendInteger(learned.Nrpn);
            }

            ShowPopup(_registry.All[learned.ParameterIndex].Name, string.Empty, ModeLabel(learned.Mode));
        }
        else if (_midiLearnIndex >= 0 && now >= _midiLearnUntil)
        {
            CancelMidiLearn("timed out");
        }
    }

    private static string ModeLabel(MidiValueMode mode) => mode switch
    {
        MidiValueMode.TwosComplement => "rel 2c",
        MidiValueMode.BinaryOffset => "rel off",
        MidiValueMode.SignMagnitude => "rel s/m",
        _ => "abs",
    };

    private void DrawMidiLearn(MonoFrameBuffer f)
    {
        f.FillRectangle(0, 9, Width, 46, false);
        f.DrawRectangle(0, 9, Width, 46);
        f.DrawText(4, 12, "MIDI LEARN", MonoFont.Small);
        f.InvertRectangle(3, 11, MonoFont.Small.MeasureWidth("MIDI LEARN") + 2, 9);
        ReadOnlySpan<char> name = _registry.All[_midiLearnIndex].Name.AsSpan();
        if (name.Length > 19)
        {
            name = name[..19];
        }

        f.DrawText(4, 23, name, MonoFont.Small);
        f.DrawText(4, 33, "move a control", MonoFont.Small);
        f.DrawText(4, 43, "(encoder: turn down)", MonoFont.Small);
    }
}
