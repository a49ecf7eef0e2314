using System.Device.Gpio;
using HardwareMaster.Hal.Input;

namespace HardwareMaster.Hal.Leds;

/// <summary>An LED on one GPIO output: on, off, or a blink <see cref="LedPattern"/>.</summary>
/// <remarks>
/// No timer and no thread: the control loop calls <see cref="Update"/> (e.g. every 10–40 ms) and
/// the pin is written only when its level changes. Control thread only.
/// </remarks>
public sealed class GpioLed : IDisposable
{
    private readonly int _pin;
    private readonly TimeProvider _time;
    private readonly GpioPinOwnership _pins;
    private readonly bool _activeLow;
    private LedPattern _pattern = LedPattern.Off;
    private long _patternStartTicks;
    private bool _lit;
    private bool _disposed;

    /// <summary>Opens <paramref name="pin"/> as an output, initially off.</summary>
    /// <param name="pin">BCM pin number.</param>
    /// <param name="time">Clock for patterns.</param>
    /// <param name="gpio">Controller to use; <c>null</c> creates one for this board.</param>
    /// <param name="shouldDispose"><c>true</c> to dispose <paramref name="gpio"/> with this object; otherwise only our pin is closed.</param>
    /// <param name="activeLow"><c>true</c> when the LED lights with the pin low (LED to 3V3 via resistor).</param>
    public GpioLed(int pin, TimeProvider time, GpioController? gpio = null, bool shouldDispose = true, bool activeLow = false)
    {
        ArgumentNullException.ThrowIfNull(time);
        _pin = pin;
        _time = time;
        _activeLow = activeLow;
        _pins = new GpioPinOwnership(gpio, shouldDispose);
        try
        {
            _pins.OpenPin(pin, PinMode.Output);
            WriteLevel(false);
        }
        catch
        {
            _pins.Dispose();
            throw;
        }
    }

    /// <summary>BCM pin number.</summary>
    public int Pin => _pin;

    /// <summary>Whether the LED is currently lit.</summary>
    public bool IsLit => _lit;

    /// <summary>The active pattern.</summary>
    public LedPattern Pattern => _pattern;

    /// <summary>Lights the LED steadily.</summary>
    public void TurnOn() => SetPattern(LedPattern.On);

    /// <summary>Turns the LED off.</summary>
    public void TurnOff() => SetPattern(LedPattern.Off);

    /// <summary>Starts <paramref name="pattern"/> from its beginning (unless it is already running) and applies it at once.</summary>
    /// <param name="pattern">The pattern.</param>
    public void SetPattern(LedPattern pattern)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (pattern != _pattern)
        {
            _pattern = pattern;
            _patternStartTicks = _time.GetTimestamp();
        }

        Update();
    }

    /// <summary>Advances the pattern to the current time, writing the pin only on a change. Allocation-free.</summary>
    public void Update()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long elapsedMs = (long)_time.GetElapsedTime(_patternStartTicks).TotalMilliseconds;
        bool lit = _pattern.IsLitAt(elapsedMs);
        if (lit != _lit)
        {
            WriteLevel(lit);
        }
    }

    /// <summary>Turns the LED off and releases the pin (and the controller if owned).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            WriteLevel(false);
        }
        catch (InvalidOperationException)
        {
            // The pin is already closed.
        }

        _disposed = true;
        _pins.Dispose();
    }

    private void WriteLevel(bool lit)
    {
        _lit = lit;
        _pins.Controller.Write(_pin, lit != _activeLow ? PinValue.High : PinValue.Low);
    }
}
