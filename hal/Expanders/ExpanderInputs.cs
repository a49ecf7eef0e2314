using HardwareMaster.Hal.Buttons;
using HardwareMaster.Hal.Concurrency;
using HardwareMaster.Hal.Encoders;
using HardwareMaster.Hal.Input;

namespace HardwareMaster.Hal.Expanders;

/// <summary>An encoder on expander pins: A, B and an optional push switch (all switching to GND).</summary>
/// <param name="Index">Its index in the profile's encoder list (the <see cref="InputSource"/> index).</param>
/// <param name="PinA">Expander pin of contact A.</param>
/// <param name="PinB">Expander pin of contact B.</param>
/// <param name="PinSwitch">Expander pin of the push switch, or null.</param>
/// <param name="TransitionsPerDetent">1, 2 or 4.</param>
/// <param name="Reverse">Swap the direction.</param>
public readonly record struct ExpanderEncoder(int Index, int PinA, int PinB, int? PinSwitch = null, int TransitionsPerDetent = 4, bool Reverse = false);

/// <summary>A push button on an expander pin (switching to GND).</summary>
/// <param name="Index">Its index in the profile's button list.</param>
/// <param name="Pin">Expander pin.</param>
public readonly record struct ExpanderButton(int Index, int Pin);

/// <summary>
/// Encoders and buttons on one I²C expander as an <see cref="IInputQueue"/>: each <see cref="Poll"/> reads the whole
/// port once (one transaction) and feeds every pin to our <see cref="QuadratureDecoder"/> (full Gray-code table,
/// bounce-immune) and <see cref="ButtonStateMachine"/>, the same decoders the GPIO bindings use.
/// </summary>
/// <remarks>
/// Call <see cref="Poll"/> from one thread, either every 1–2 ms or when the chip's INT line falls (MCP23x: interrupt on
/// change; PCF857x: /INT). A quadrature encoder turned fast gives a transition every ~1 ms, so a poll rate of at least
/// 1 kHz is needed to see every state; a missed intermediate state shows up as <see cref="QuadratureDecoder.InvalidTransitions"/>
/// and loses at most that detent. <see cref="Poll"/> and <see cref="TryRead"/> allocate nothing.
/// </remarks>
public sealed class ExpanderInputs : IInputQueue
{
    private readonly IExpanderPort? _port;
    private readonly ExpanderEncoder[] _encoders;
    private readonly QuadratureDecoder[] _decoders;
    private readonly EncoderAcceleration[] _accelerations;
    private readonly ButtonStateMachine?[] _switches;
    private readonly ExpanderButton[] _buttons;
    private readonly ButtonStateMachine[] _buttonMachines;
    private readonly SpscRing<InputEvent> _events = new(256);
    private readonly TimeProvider _time;

    /// <summary>Creates the scanner.</summary>
    /// <param name="port">The expander, or null when the caller reads the port itself and calls <see cref="Feed"/> (a poller that re-opens a failed chip).</param>
    /// <param name="encoders">Encoders on it.</param>
    /// <param name="buttons">Buttons on it.</param>
    /// <param name="time">Clock for debouncing, long presses and acceleration.</param>
    /// <param name="timing">Button timing (null = <see cref="ButtonTiming.Default"/>).</param>
    public ExpanderInputs(IExpanderPort? port, ReadOnlySpan<ExpanderEncoder> encoders, ReadOnlySpan<ExpanderButton> buttons, TimeProvider time, ButtonTiming? timing = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _port = port;
        _time = time;
        long frequency = time.TimestampFrequency;
        ButtonTiming t = timing ?? ButtonTiming.Default;
        _encoders = encoders.ToArray();
        _decoders = new QuadratureDecoder[_encoders.Length];
        _accelerations = new EncoderAcceleration[_encoders.Length];
        _switches = new ButtonStateMachine?[_encoders.Length];
        for (int i = 0; i < _encoders.Length; i++)
        {
            ExpanderEncoder e = _encoders[i];
            CheckPin(e.PinA, nameof(encoders));
            CheckPin(e.PinB, nameof(encoders));
            _decoders[i] = new QuadratureDecoder(e.TransitionsPerDetent);
            _accelerations[i] = new EncoderAcceleration(frequency);
            if (e.PinSwitch is int s)
            {
                CheckPin(s, nameof(encoders));
                _switches[i] = new ButtonStateMachine(t, frequency);
            }
        }

        _buttons = buttons.ToArray();
        _buttonMachines = new ButtonStateMachine[_buttons.Length];
        for (int i = 0; i < _buttons.Length; i++)
        {
            CheckPin(_buttons[i].Pin, nameof(buttons));
            _buttonMachines[i] = new ButtonStateMachine(t, frequency);
        }
    }

    /// <summary>Encoders decoded (positions for <see cref="InvalidTransitions"/>).</summary>
    public int EncoderCount => _encoders.Length;

    /// <summary>Port reads so far.</summary>
    public long Polls { get; private set; }

    /// <summary>Events dropped because the queue was full (the reader fell behind).</summary>
    public long DroppedEvents { get; private set; }

    /// <summary>Invalid quadrature transitions seen by encoder <paramref name="position"/> (a state skipped between polls).</summary>
    /// <param name="position">Position in the encoder list given to the constructor.</param>
    /// <returns>The count.</returns>
    public long InvalidTransitions(int position) => _decoders[position].InvalidTransitions;

    /// <summary>Reads the port once and decodes every control.</summary>
    /// <returns>The levels read.</returns>
    /// <exception cref="IOException">The bus failed (the caller backs off and polls again).</exception>
    public ushort Poll()
    {
        ushort levels = (_port ?? throw new InvalidOperationException("created without a port: read it and call Feed")).ReadInputs();
        Feed(levels, _time.GetTimestamp());
        return levels;
    }

    /// <summary>Decodes one sample of the port taken at <paramref name="nowTicks"/> (used by <see cref="Poll"/>; tests feed samples directly).</summary>
    /// <param name="levels">Pin levels, bit set = high (switch open).</param>
    /// <param name="nowTicks">Timestamp of the sample.</param>
    public void Feed(ushort levels, long nowTicks)
    {
        Polls++;
        for (int i = 0; i < _encoders.Length; i++)
        {
            ExpanderEncoder e = _encoders[i];
            int step = _decoders[i].Step(Bit(levels, e.PinA), Bit(levels, e.PinB));
            if (step != 0)
            {
                int delta = _accelerations[i].Apply(e.Reverse ? -step : step, nowTicks);
                Post(new InputEvent(InputSource.Encoder(e.Index), InputAction.Rotate, delta, nowTicks));
            }

            if (_switches[i] is { } machine)
            {
                PostButton(InputSource.EncoderSwitch(e.Index), machine, !Bit(levels, e.PinSwitch!.Value), nowTicks);
            }
        }

        for (int i = 0; i < _buttons.Length; i++)
        {
            PostButton(InputSource.Button(_buttons[i].Index), _buttonMachines[i], !Bit(levels, _buttons[i].Pin), nowTicks);
        }
    }

    /// <inheritdoc />
    public bool TryRead(out InputEvent inputEvent) => _events.TryRead(out inputEvent);

    private static bool Bit(ushort levels, int pin) => ((levels >> pin) & 1) != 0;

    private static void CheckPin(int pin, string name)
    {
        if (pin is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(name, pin, "an expander pin is 0-15");
        }
    }

    private void PostButton(InputSource source, ButtonStateMachine machine, bool pressed, long nowTicks)
    {
        ButtonEvent events = machine.Update(pressed, nowTicks);
        if (events == ButtonEvent.None)
        {
            return;
        }

        if ((events & ButtonEvent.Press) != 0)
        {
            Post(new InputEvent(source, InputAction.Press, 0, machine.PressTimestampTicks));
        }

        if ((events & ButtonEvent.DoublePress) != 0)
        {
            Post(new InputEvent(source, InputAction.DoublePress, 0, machine.PressTimestampTicks));
        }

        if ((events & ButtonEvent.LongPress) != 0)
        {
            Post(new InputEvent(source, InputAction.LongPress, 0, machine.LongPressTimestampTicks));
        }

        if ((events & ButtonEvent.Release) != 0)
        {
            Post(new InputEvent(source, InputAction.Release, 0, machine.ReleaseTimestampTicks));
        }
    }

    private void Post(in InputEvent inputEvent)
    {
        if (!_events.TryWrite(inputEvent))
        {
            DroppedEvents++;
        }
    }
}
