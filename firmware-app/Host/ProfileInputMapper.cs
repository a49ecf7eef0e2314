using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.App.Host;

/// <summary>
/// Turns hal's <see cref="InputEvent"/>s (controls by kind and index) into the box's gestures (controls by name), using
/// the hardware profile's names: encoders named page, param, value and buttons named bypass, eq, comp, limit (and the optional rec and ref). An encoder
/// whose name is not a control name takes the encoder control of its position (0 page, 1 param, 2 value); a button with
/// an unknown name is ignored.
/// </summary>
/// <remarks>
/// Encoder turns give <see cref="BoxAction.Cw"/>/<see cref="BoxAction.Ccw"/> with the accelerated detent count. A push
/// switch gives <see cref="BoxAction.Press"/> on release (so a long press is only <see cref="BoxAction.Long"/>), a button
/// gives it on press (BYPASS answers at once); <see cref="InputAction.LongPress"/> → Long, <see cref="InputAction.DoublePress"/>
/// → Double. UI thread only; nothing allocates per event.
/// </remarks>
public sealed class ProfileInputMapper : IBoxInputSource
{
    private static readonly BoxControl[] EncoderByPosition = [BoxControl.Page, BoxControl.Param, BoxControl.Value];

    private readonly IInputQueue? _queue;
    private readonly BoxControl?[] _encoders;
    private readonly BoxControl?[] _buttons;
    private readonly bool[] _switchSpent;

    /// <summary>Creates the mapper.</summary>
    /// <param name="profile">The hardware profile (names and counts).</param>
    /// <param name="queue">The merged hal input queue to drain (null: use <see cref="TryMap"/> only).</param>
    public ProfileInputMapper(HardwareProfile profile, IInputQueue? queue = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _queue = queue;
        _encoders = new BoxControl?[profile.Encoders.Count];
        for (int i = 0; i < _encoders.Length; i++)
        {
            _encoders[i] = BoxScript.TryControl(profile.Encoders[i].Name, out BoxControl named) && named is BoxControl.Page or BoxControl.Param or BoxControl.Value
                ? named
                : i < EncoderByPosition.Length ? EncoderByPosition[i] : null;
        }

        _buttons = new BoxControl?[profile.Buttons.Count];
        for (int i = 0; i < _buttons.Length; i++)
        {
            _buttons[i] = BoxScript.TryControl(profile.Buttons[i].Name, out BoxControl named) && named is BoxControl.Bypass or BoxControl.Eq or BoxControl.Comp or BoxControl.Limit or BoxControl.Rec or BoxControl.Ref
                ? named
                : null;
        }

        _switchSpent = new bool[_encoders.Length];
    }

    /// <inheritdoc />
    public bool TryRead(out BoxInput input)
    {
        input = default;
        if (_queue is null)
        {
            return false;
        }

        while (_queue.TryRead(out InputEvent inputEvent))
        {
            if (TryMap(inputEvent, out input))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Maps one event (some events, e.g. a switch's press, give no gesture by themselves).</summary>
    /// <param name="inputEvent">The event.</param>
    /// <param name="input">The gesture.</param>
    /// <returns>Whether there is one.</returns>
    public bool TryMap(in InputEvent inputEvent, out BoxInput input)
    {
        input = default;
        int index = inputEvent.Source.Index;
        switch (inputEvent.Source.Kind)
        {
            case InputSourceKind.Encoder when (uint)index < (uint)_encoders.Length && _encoders[index] is { } encoder && inputEvent.Action == InputAction.Rotate && inputEvent.Delta != 0:
                input = new BoxInput(encoder, inputEvent.Delta > 0 ? BoxAction.Cw : BoxAction.Ccw, Math.Abs(inputEvent.Delta));
                return true;
            case InputSourceKind.EncoderSwitch when (uint)index < (uint)_encoders.Length && _encoders[index] is { } pushed:
                switch (inputEvent.Action)
                {
                    case InputAction.Press:
                        _switchSpent[index] = false;
                        return false;
                    case InputAction.LongPress:
                        _switchSpent[index] = true;
                        input = new BoxInput(pushed, BoxAction.Long);
                        return true;
                    case InputAction.DoublePress:
                        _switchSpent[index] = true;
                        input = new BoxInput(pushed, BoxAction.Double);
                        return true;
                    case InputAction.Release when !_switchSpent[index]:
                        _switchSpent[index] = true;
                        input = new BoxInput(pushed, BoxAction.Press);
                        return true;
                    default:
                        return false;
                }

            case InputSourceKind.Button when (uint)index < (uint)_buttons.Length && _buttons[index] is { } button:
                BoxAction? action = inputEvent.Action switch
                {
                    InputAction.Press => BoxAction.Press,
                    InputAction.LongPress => BoxAction.Long,
                    InputAction.DoublePress => BoxAction.Double,
                    _ => null,
                };
                if (action is { } a)
                {
                    input = new BoxInput(button, a);
                    return true;
                }

                return false;
            default:
                return false;
        }
    }
}
