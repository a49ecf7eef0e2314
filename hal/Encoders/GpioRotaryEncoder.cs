using HardwareMaster.Hal.Concurrency;
using System.Device.Gpio;
using HardwareMaster.Hal.Buttons;
using HardwareMaster.Hal.Input;

namespace HardwareMaster.Hal.Encoders;

/// <summary>Options of a <see cref="GpioRotaryEncoder"/>.</summary>
/// <param name="Index">Encoder index stamped on its events (rotation and switch).</param>
/// <param name="TransitionsPerDetent">4 for most EC11-style parts, 2 or 1 for others.</param>
/// <param name="FastIntervalMs">Detents closer than this are accelerated.</param>
/// <param name="MaxAcceleration">Largest step multiplier (1 = no acceleration).</param>
/// <param name="Reverse">Swap directions (instead of swapping the A/B wires).</param>
/// <param name="SwitchTiming">Timing of the push switch.</param>
/// <param name="InputMode">Pin mode for A, B and the switch (pull-ups by default).</param>
public sealed record GpioRotaryEncoderOptions(
    int Index = 0,
    int TransitionsPerDetent = 4,
    double FastIntervalMs = 40,
    int MaxAcceleration = 8,
    bool Reverse = false,
    ButtonTiming? SwitchTiming = null,
    PinMode InputMode = PinMode.InputPullUp);

/// <summary>
/// A mechanical rotary encoder (A/B contacts, optional push switch) on GPIO pins, producing
/// <see cref="InputAction.Rotate"/> events with accelerated deltas.
/// </summary>
/// <remarks>
/// <para>
/// Edge events, not polling (see Encoders/README.md for the measurement): both edges of A and B
/// are subscribed. Each callback samples both pins and feeds the <see cref="QuadratureDecoder"/>;
/// a finished detent passes through <see cref="EncoderAcceleration"/> and is written as an
/// <see cref="InputEvent"/> into a lock-free single-producer/single-consumer ring. That is all the callback
/// does: no application code runs on the driver thread.
/// </para>
/// <para>
/// libgpiod delivers each line's events on its own thread, so A and B callbacks may run at the
/// same time. A private lock held for the few hundred nanoseconds of "read both pins, decode,
/// enqueue" makes the samples and the ring writes of one encoder strictly ordered (the ring stays
/// single-producer). The control thread never takes it: <see cref="TryRead"/> is lock-free.
/// </para>
/// </remarks>
public sealed class GpioRotaryEncoder : IInputQueue, IDisposable
{
    private readonly int _pinA;
    private readonly int _pinB;
    private readonly TimeProvider _time;
    private readonly GpioPinOwnership _pins;
    private readonly QuadratureDecoder _decoder;
    private readonly EncoderAcceleration _acceleration;
    private readonly SpscRing<InputEvent> _events = new(256);
    private readonly InputSource _source;
    private readonly bool _reverse;
    private readonly Lock _callbackLock = new();
    private readonly PinChangeEventHandler _handler;
    private readonly GpioButton? _switch;
    private InputEvent _rotationLookahead;
    private bool _hasRotationLookahead;
    private InputEvent _switchLookahead;
    private bool _hasSwitchLookahead;
    private long _droppedEvents;
    private long _invalidTransitionsSnapshot;
    private bool _disposed;

    /// <summary>Opens the pins and starts decoding.</summary>
    /// <param name="pinA">BCM pin of contact A.</param>
    /// <param name="pinB">BCM pin of contact B.</param>
    /// <param name="switchPin">BCM pin of the push switch, or <c>null</c>.</param>
    /// <param name="time">Clock for timestamps and acceleration.</param>
    /// <param name="gpio">Controller to use; <c>null</c> creates one for this board.</param>
    /// <param name="shouldDispose"><c>true</c> to dispose <paramref name="gpio"/> with this object; otherwise only our pins are closed.</param>
    /// <param name="options">Index, detent size, acceleration and polarity.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">A pin is already open.</exception>
    public GpioRotaryEncoder(int pinA, int pinB, int? switchPin, TimeProvider time, GpioController? gpio = null, bool shouldDispose = true, GpioRotaryEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        options ??= new GpioRotaryEncoderOptions();
        if (pinA == pinB || pinA == switchPin || pinB == switchPin)
        {
            throw new ArgumentOutOfRangeException(nameof(pinB), $"Encoder pins must differ (A={pinA}, B={pinB}, switch={switchPin}).");
        }

        _pinA = pinA;
        _pinB = pinB;
        _time = time;
        _reverse = options.Reverse;
        _source = InputSource.Encoder(options.Index);
        _decoder = new QuadratureDecoder(options.TransitionsPerDetent);
        _acceleration = new EncoderAcceleration(time.TimestampFrequency, options.FastIntervalMs, options.MaxAcceleration);
        _handler = OnPinChanged;
        _pins = new GpioPinOwnership(gpio, shouldDispose);
        try
        {
            _pins.OpenInput(pinA, options.InputMode);
            _pins.OpenInput(pinB, options.InputMode);
            Sample();
            _pins.RegisterBothEdges(pinA, _handler);
            _pins.RegisterBothEdges(pinB, _handler);
            if (switchPin is int sw)
            {
                _switch = new GpioButton(sw, time, _pins.Controller, shouldDispose: false, new GpioButtonOptions(InputSource.EncoderSwitch(options.Index), options.SwitchTiming, ActiveLow: true, options.InputMode));
            }
        }
        catch
        {
            _pins.Dispose();
            throw;
        }
    }

    /// <summary>The rotation source identity.</summary>
    public InputSource Source => _source;

    /// <summary>The push switch, if one was configured.</summary>
    public GpioButton? Switch => _switch;

    /// <summary>Impossible transitions seen (both contacts changed between two samples): a sign of missed edges.</summary>
    public long InvalidTransitions => Volatile.Read(ref _invalidTransitionsSnapshot);

    /// <summary>Detent events dropped because the control loop did not drain the ring.</summary>
    public long DroppedEvents => Interlocked.Read(ref _droppedEvents);


    /// <summary>Returns the next rotation or switch event in timestamp order. Control thread only; lock-free.</summary>
    /// <param name="inputEvent">The event, or <c>default</c>.</param>
    /// <returns><c>true</c> when an event was returned.</returns>
    public bool TryRead(out InputEvent inputEvent)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_hasRotationLookahead)
        {
            _hasRotationLookahead = _events.TryRead(out _rotationLookahead);
        }

        if (!_hasSwitchLookahead && _switch is not null)
        {
            _hasSwitchLookahead = _switch.TryRead(out _switchLookahead);
        }

        bool takeSwitch = _hasSwitchLookahead && (!_hasRotationLookahead || _switchLookahead.TimestampTicks < _rotationLookahead.TimestampTicks);
        if (takeSwitch)
        {
            inputEvent = _switchLookahead;
            _hasSwitchLookahead = false;
            return true;
        }

        if (_hasRotationLookahead)
        {
            inputEvent = _rotationLookahead;
            _hasRotationLookahead = false;
            return true;
        }

        inputEvent = default;
        return false;
    }

    /// <summary>Unregisters the callbacks and closes the pins (and the controller if owned).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _switch?.Dispose();
        _pins.Dispose();
    }

    // Driver thread(s). Sample both pins, decode, accelerate, enqueue: no application code, no allocation.
    private void OnPinChanged(object sender, PinValueChangedEventArgs args)
    {
        lock (_callbackLock)
        {
            Sample();
        }
    }

    private void Sample()
    {
        GpioController controller = _pins.Controller;
        bool a = controller.Read(_pinA) == PinValue.High;
        bool b = controller.Read(_pinB) == PinValue.High;
        long now = _time.GetTimestamp();
        int direction = _decoder.Step(a, b);
        Volatile.Write(ref _invalidTransitionsSnapshot, _decoder.InvalidTransitions);
        if (direction == 0)
        {
            return;
        }

        if (_reverse)
        {
            direction = -direction;
        }

        int delta = _acceleration.Apply(direction, now);
        if (!_events.TryWrite(new InputEvent(_source, InputAction.Rotate, delta, now)))
        {
            Interlocked.Increment(ref _droppedEvents);
        }
    }
}
