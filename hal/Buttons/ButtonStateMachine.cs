namespace HardwareMaster.Hal.Buttons;

/// <summary>Events a <see cref="ButtonStateMachine"/> update can produce (several at once, emitted in declaration order).</summary>
[Flags]
public enum ButtonEvent
{
    /// <summary>Nothing happened.</summary>
    None = 0,

    /// <summary>The debounced switch closed (at <see cref="ButtonStateMachine.PressTimestampTicks"/>).</summary>
    Press = 1,

    /// <summary>This press started within the double-press window after a short press (same timestamp as <see cref="Press"/>).</summary>
    DoublePress = 2,

    /// <summary>The switch has been held for the long-press time (at <see cref="ButtonStateMachine.LongPressTimestampTicks"/>).</summary>
    LongPress = 4,

    /// <summary>The debounced switch opened (at <see cref="ButtonStateMachine.ReleaseTimestampTicks"/>).</summary>
    Release = 8,
}

/// <summary>Timing of a button. Defaults suit tactile switches and encoder push switches.</summary>
/// <param name="DebounceMs">A level must stay stable this long to be accepted (shorter pulses are ignored).</param>
/// <param name="LongPressMs">Hold time that produces <see cref="ButtonEvent.LongPress"/>.</param>
/// <param name="DoublePressMs">Maximum gap between a short press's release and the next press for <see cref="ButtonEvent.DoublePress"/>.</param>
public readonly record struct ButtonTiming(double DebounceMs = 5, double LongPressMs = 700, double DoublePressMs = 300)
{
    /// <summary>The default timing (5 ms debounce, 700 ms long press, 300 ms double press).</summary>
    public static ButtonTiming Default => new(5, 700, 300);
}

/// <summary>
/// Pure debounce and gesture logic for one switch: press, release, long press and double press
/// with timestamps. Driven by samples or edges with their timestamps; no clock, no threads.
/// </summary>
/// <remarks>
/// <para>
/// Debounce is "stable for <c>DebounceMs</c>": a new raw level is accepted only once no other
/// level has been seen for the debounce time. Bounce and EMI spikes shorter than that never reach
/// the application, and the reported timestamp is when the level became stable (not when it was
/// confirmed). Feed every edge (in order) and also call <see cref="Update"/> regularly with the
/// current level, because confirmation and long presses are decided by elapsed time.
/// </para>
/// <para>
/// A long press is reported only while the debounced state is "pressed" and the raw level has not
/// been released, so a missed or bouncing release can never turn into a phantom long press.
/// Not thread-safe.
/// </para>
/// </remarks>
public sealed class ButtonStateMachine
{
    private readonly long _debounceTicks;
    private readonly long _longPressTicks;
    private readonly long _doublePressTicks;
    private bool _initialised;
    private bool _raw;
    private long _rawSinceTicks;
    private bool _pressed;
    private bool _longPressSent;
    private bool _lastPressWasShort;
    private bool _lastPressWasDouble;

    /// <summary>Creates the state machine.</summary>
    /// <param name="timing">Debounce, long-press and double-press times.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps given to <see cref="Update"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A time is negative, or long press is not longer than debounce.</exception>
    public ButtonStateMachine(ButtonTiming timing, long timestampFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        if (!(timing.DebounceMs >= 0) || !(timing.DoublePressMs >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(timing), timing, "Debounce and double-press times must be zero or positive.");
        }

        if (!(timing.LongPressMs > timing.DebounceMs))
        {
            throw new ArgumentOutOfRangeException(nameof(timing), timing, "The long-press time must be longer than the debounce time.");
        }

        Timing = timing;
        _debounceTicks = ToTicks(timing.DebounceMs, timestampFrequency);
        _longPressTicks = ToTicks(timing.LongPressMs, timestampFrequency);
        _doublePressTicks = ToTicks(timing.DoublePressMs, timestampFrequency);
        ReleaseTimestampTicks = long.MinValue;
    }

    /// <summary>The timing in use.</summary>
    public ButtonTiming Timing { get; }

    /// <summary>The debounced state.</summary>
    public bool IsPressed => _pressed;

    /// <summary>When the current (or last) press became stable.</summary>
    public long PressTimestampTicks { get; private set; }

    /// <summary>When the last release became stable (<see cref="long.MinValue"/> before the first).</summary>
    public long ReleaseTimestampTicks { get; private set; }

    /// <summary>When the long press of the current (or last) press was reached.</summary>
    public long LongPressTimestampTicks => PressTimestampTicks + _longPressTicks;

    /// <summary>Feeds one sample or edge.</summary>
    /// <param name="pressed">Raw switch level (<c>true</c> = closed, after any active-low inversion).</param>
    /// <param name="nowTicks">Timestamp of the sample; must not go backwards.</param>
    /// <returns>The events produced by this update (possibly several flags).</returns>
    public ButtonEvent Update(bool pressed, long nowTicks)
    {
        if (!_initialised)
        {
            // The first sample is the idle state: a switch that is already closed at start-up is
            // only reported after it has been released once (no phantom press on boot).
            _initialised = true;
            _raw = pressed;
            _rawSinceTicks = nowTicks;
            _pressed = pressed;
            _longPressSent = pressed;
            return ButtonEvent.None;
        }

        // 1. Has the level seen so far been stable long enough to be accepted? It lasted at least until now.
        ButtonEvent events = Settle(nowTicks);

        // 2. Long press, judged while the raw level is still "pressed" up to now.
        if (_pressed && _raw && !_longPressSent && nowTicks - PressTimestampTicks >= _longPressTicks)
        {
            _longPressSent = true;
            events |= ButtonEvent.LongPress;
        }

        // 3. Register the new raw level.
        if (pressed != _raw)
        {
            _raw = pressed;
            _rawSinceTicks = nowTicks;
            if (_debounceTicks == 0)
            {
                events |= Settle(nowTicks);
            }
        }

        return events;
    }

    /// <summary>Forgets all state; the next update is treated as the first.</summary>
    public void Reset()
    {
        _initialised = false;
        _pressed = false;
        _longPressSent = false;
        _lastPressWasShort = false;
        _lastPressWasDouble = false;
        ReleaseTimestampTicks = long.MinValue;
    }

    private ButtonEvent Settle(long nowTicks)
    {
        if (_raw == _pressed || nowTicks - _rawSinceTicks < _debounceTicks)
        {
            return ButtonEvent.None;
        }

        _pressed = _raw;
        if (_pressed)
        {
            PressTimestampTicks = _rawSinceTicks;
            _longPressSent = false;
            ButtonEvent events = ButtonEvent.Press;
            bool isDouble = _lastPressWasShort && !_lastPressWasDouble
                && ReleaseTimestampTicks != long.MinValue
                && PressTimestampTicks - ReleaseTimestampTicks <= _doublePressTicks;
            _lastPressWasDouble = isDouble;
            if (isDouble)
            {
                events |= ButtonEvent.DoublePress;
            }

            return events;
        }

        ReleaseTimestampTicks = _rawSinceTicks;
        _lastPressWasShort = !_longPressSent && ReleaseTimestampTicks - PressTimestampTicks < _longPressTicks;
        ButtonEvent release = ButtonEvent.Release;
        if (!_longPressSent && ReleaseTimestampTicks - PressTimestampTicks >= _longPressTicks)
        {
            // The hold reached the long-press time but no update came in between: report it before the release.
            _longPressSent = true;
            release |= ButtonEvent.LongPress;
        }

        return release;
    }

    private static long ToTicks(double milliseconds, long frequency) => (long)Math.Round(milliseconds * frequency / 1000.0);
}
