using HardwareMaster.Hal.Concurrency;
using System.Device.Gpio;
using HardwareMaster.Hal.Input;

namespace HardwareMaster.Hal.Buttons;

/// <summary>Options of a <see cref="GpioButton"/>.</summary>
/// <param name="Source">The identity stamped on its events (default <c>Button(0)</c>).</param>
/// <param name="Timing">Debounce, long-press and double-press times (default <see cref="ButtonTiming.Default"/>).</param>
/// <param name="ActiveLow"><c>true</c> (default) when the switch connects the pin to ground, with a pull-up.</param>
/// <param name="InputMode">Pin mode; <see cref="PinMode.InputPullUp"/> by default (falls back to <see cref="PinMode.Input"/> if unsupported).</param>
public sealed record GpioButtonOptions(InputSource? Source = null, ButtonTiming? Timing = null, bool ActiveLow = true, PinMode InputMode = PinMode.InputPullUp);

/// <summary>
/// A debounced push button on one GPIO pin, producing <see cref="InputEvent"/>s (press, release,
/// long press, double press) with timestamps.
/// </summary>
/// <remarks>
/// <para>
/// Threading: the GPIO edge callback (a driver thread) only timestamps the edge and writes a
/// 16-byte struct into a lock-free single-producer/single-consumer ring; no application code and no
/// gesture logic runs there. The control thread calls <see cref="TryRead"/>, which replays the
/// edges through a <see cref="ButtonStateMachine"/> and then evaluates elapsed time (debounce
/// confirmation, long press). Call it at least every ~20 ms for responsive long presses.
/// </para>
/// <para>If the edge ring ever overflows (a bounce storm while the control loop is stalled), the
/// binding re-reads the pin level, so the state can never stay wrong.</para>
/// </remarks>
public sealed class GpioButton : IInputQueue, IDisposable
{
    private const int EdgeCapacity = 256;
    private const int PendingCapacity = 8;

    private readonly int _pin;
    private readonly TimeProvider _time;
    private readonly GpioPinOwnership _pins;
    private readonly bool _activeLow;
    private readonly InputSource _source;
    private readonly ButtonStateMachine _machine;
    private readonly SpscRing<RawEdge> _edges = new(EdgeCapacity);
    private readonly PinChangeEventHandler _handler;
    private readonly InputEvent[] _pending = new InputEvent[PendingCapacity];
    private int _pendingHead;
    private int _pendingCount;
    private bool _rawPressed;
    private int _overflowed;
    private bool _disposed;

    /// <summary>Opens <paramref name="pin"/> and starts listening for edges.</summary>
    /// <param name="pin">BCM pin number.</param>
    /// <param name="time">Clock for timestamps (use a manual provider in tests).</param>
    /// <param name="gpio">Controller to use; <c>null</c> creates one for this board.</param>
    /// <param name="shouldDispose"><c>true</c> to dispose <paramref name="gpio"/> with this object; otherwise only our pin is closed.</param>
    /// <param name="options">Identity, timing and polarity.</param>
    /// <exception cref="ArgumentOutOfRangeException">The timing is invalid.</exception>
    /// <exception cref="InvalidOperationException">The pin is already open.</exception>
    public GpioButton(int pin, TimeProvider time, GpioController? gpio = null, bool shouldDispose = true, GpioButtonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        options ??= new GpioButtonOptions();
        _pin = pin;
        _time = time;
        _activeLow = options.ActiveLow;
        _source = options.Source ?? InputSource.Button(0);
        _machine = new ButtonStateMachine(options.Timing ?? ButtonTiming.Default, time.TimestampFrequency);
        _handler = OnPinChanged;
        _pins = new GpioPinOwnership(gpio, shouldDispose);
        try
        {
            _pins.OpenInput(pin, options.InputMode);
            _rawPressed = IsPressedLevel(_pins.Controller.Read(pin));
            _machine.Update(_rawPressed, time.GetTimestamp());
            _pins.RegisterBothEdges(pin, _handler);
        }
        catch
        {
            _pins.Dispose();
            throw;
        }
    }

    /// <summary>BCM pin number.</summary>
    public int Pin => _pin;

    /// <summary>The identity stamped on events.</summary>
    public InputSource Source => _source;

    /// <summary>Debounced state as of the last <see cref="TryRead"/>.</summary>
    public bool IsPressed => _machine.IsPressed;

    /// <summary>Returns the next button event. Control thread only; never blocks or allocates.</summary>
    /// <param name="inputEvent">The event, or <c>default</c>.</param>
    /// <returns><c>true</c> when an event was returned.</returns>
    public bool TryRead(out InputEvent inputEvent)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pendingCount == 0)
        {
            Pump();
        }

        if (_pendingCount == 0)
        {
            inputEvent = default;
            return false;
        }

        inputEvent = _pending[_pendingHead];
        _pendingHead = (_pendingHead + 1) % PendingCapacity;
        _pendingCount--;
        return true;
    }

    /// <summary>Unregisters the callback and closes the pin (and the controller if owned).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _pins.Dispose();
    }

    private void Pump()
    {
        // Replay queued edges while there is room for the (at most 4) events one update can give.
        while (_pendingCount <= PendingCapacity - 4 && _edges.TryRead(out RawEdge edge))
        {
            _rawPressed = edge.Pressed;
            Emit(_machine.Update(edge.Pressed, edge.TimestampTicks));
        }

        if (_pendingCount > PendingCapacity - 4 || _edges.Count > 0)
        {
            return; // more edges wait; time-based evaluation happens once they are consumed
        }

        long now = _time.GetTimestamp();
        if (Interlocked.Exchange(ref _overflowed, 0) != 0)
        {
            _rawPressed = IsPressedLevel(_pins.Controller.Read(_pin));
        }

        Emit(_machine.Update(_rawPressed, now));
    }

    private void Emit(ButtonEvent events)
    {
        if (events == ButtonEvent.None)
        {
            return;
        }

        if ((events & ButtonEvent.Press) != 0)
        {
            Enqueue(InputAction.Press, _machine.PressTimestampTicks);
        }

        if ((events & ButtonEvent.DoublePress) != 0)
        {
            Enqueue(InputAction.DoublePress, _machine.PressTimestampTicks);
        }

        if ((events & ButtonEvent.LongPress) != 0)
        {
            Enqueue(InputAction.LongPress, _machine.LongPressTimestampTicks);
        }

        if ((events & ButtonEvent.Release) != 0)
        {
            Enqueue(InputAction.Release, _machine.ReleaseTimestampTicks);
        }
    }

    private void Enqueue(InputAction action, long timestampTicks)
    {
        int index = (_pendingHead + _pendingCount) % PendingCapacity;
        _pending[index] = new InputEvent(_source, action, 0, timestampTicks);
        _pendingCount++;
    }

    private bool IsPressedLevel(PinValue value) => (value == PinValue.High) != _activeLow;

    // Driver thread. Only a timestamp and a struct write: no application code, no allocation, no lock.
    private void OnPinChanged(object sender, PinValueChangedEventArgs args)
    {
        bool high = args.ChangeType == PinEventTypes.Rising;
        if (!_edges.TryWrite(new RawEdge(high != _activeLow, _time.GetTimestamp())))
        {
            Interlocked.Exchange(ref _overflowed, 1);
        }
    }

    private readonly record struct RawEdge(bool Pressed, long TimestampTicks);
}
