using System.Device.Gpio;

namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// A <see cref="GpioDriver"/> for tests and the desktop simulator: the script (or keyboard) sets
/// input levels and the driver raises edge events synchronously on the calling thread, exactly
/// like a real driver would from its event thread. Outputs are recorded.
/// </summary>
/// <remarks>
/// Use it as <c>new GpioController(new ScriptedGpioDriver())</c>. Inputs opened with a pull-up
/// idle high, with a pull-down low. <see cref="SetInput"/> may be called from any one thread at a time.
/// </remarks>
public sealed class ScriptedGpioDriver : GpioDriver
{
    private const int Pins = 28; // BCM 0..27 on the 40-pin header

    private readonly PinMode?[] _modes = new PinMode?[Pins];
    private readonly PinValue[] _levels = new PinValue[Pins];
    private readonly int[] _writeCounts = new int[Pins];
    private readonly List<(PinEventTypes Events, PinChangeEventHandler Handler)>[] _callbacks = new List<(PinEventTypes, PinChangeEventHandler)>[Pins];
    private readonly ManualTimeProvider? _time;

    /// <summary>Creates the driver.</summary>
    /// <param name="time">Optional clock that <see cref="Play"/> advances between steps.</param>
    public ScriptedGpioDriver(ManualTimeProvider? time = null)
    {
        _time = time;
        for (int i = 0; i < Pins; i++)
        {
            _callbacks[i] = new List<(PinEventTypes, PinChangeEventHandler)>(2);
            _levels[i] = PinValue.Low;
        }
    }

    /// <summary>Total edge callbacks raised so far.</summary>
    public long EdgesRaised { get; private set; }

    /// <inheritdoc/>
    protected override int PinCount => Pins;

    /// <summary>Sets an input pin's level and raises the matching edge callbacks if it changed.</summary>
    /// <param name="pin">BCM pin.</param>
    /// <param name="level">New level.</param>
    public void SetInput(int pin, PinValue level)
    {
        CheckPin(pin);
        if (_levels[pin] == level)
        {
            return;
        }

        _levels[pin] = level;
        PinEventTypes type = level == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
        List<(PinEventTypes Events, PinChangeEventHandler Handler)> list = _callbacks[pin];
        for (int i = 0; i < list.Count; i++)
        {
            if ((list[i].Events & type) != 0)
            {
                EdgesRaised++;
                list[i].Handler(this, new PinValueChangedEventArgs(type, pin));
            }
        }
    }

    /// <summary>Plays a script: each step waits (advancing the clock given to the constructor) then sets a level.</summary>
    /// <param name="steps">The steps, in order.</param>
    public void Play(ReadOnlySpan<PinStep> steps)
    {
        foreach (PinStep step in steps)
        {
            if (step.DelayMs > 0)
            {
                if (_time is null)
                {
                    throw new InvalidOperationException("Play with delays needs the ManualTimeProvider passed to the constructor.");
                }

                _time.AdvanceMs(step.DelayMs);
            }

            SetInput(step.Pin, step.Level);
        }
    }

    /// <summary>The level last written to (output) or set on (input) <paramref name="pin"/>.</summary>
    /// <param name="pin">BCM pin.</param>
    /// <returns>The level.</returns>
    public PinValue GetLevel(int pin)
    {
        CheckPin(pin);
        return _levels[pin];
    }

    /// <summary>How many times the application wrote <paramref name="pin"/>.</summary>
    /// <param name="pin">BCM pin.</param>
    /// <returns>The count.</returns>
    public int GetWriteCount(int pin)
    {
        CheckPin(pin);
        return _writeCounts[pin];
    }

    /// <summary>Whether <paramref name="pin"/> is open.</summary>
    /// <param name="pin">BCM pin.</param>
    /// <returns><c>true</c> when open.</returns>
    public bool IsOpen(int pin) => pin is >= 0 and < Pins && _modes[pin] is not null;

    /// <summary>Number of callbacks registered on <paramref name="pin"/>.</summary>
    /// <param name="pin">BCM pin.</param>
    /// <returns>The count.</returns>
    public int CallbackCount(int pin)
    {
        CheckPin(pin);
        return _callbacks[pin].Count;
    }

    /// <inheritdoc/>
    protected override void OpenPin(int pinNumber)
    {
        CheckPin(pinNumber);
        _modes[pinNumber] = PinMode.Input;
    }

    /// <inheritdoc/>
    protected override void ClosePin(int pinNumber)
    {
        CheckPin(pinNumber);
        _modes[pinNumber] = null;
        _callbacks[pinNumber].Clear();
    }

    /// <inheritdoc/>
    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        CheckPin(pinNumber);
        _modes[pinNumber] = mode;
        if (mode == PinMode.InputPullUp)
        {
            _levels[pinNumber] = PinValue.High;
        }
        else if (mode == PinMode.InputPullDown)
        {
            _levels[pinNumber] = PinValue.Low;
        }
    }

    /// <inheritdoc/>
    protected override PinMode GetPinMode(int pinNumber)
    {
        CheckPin(pinNumber);
        return _modes[pinNumber] ?? PinMode.Input;
    }

    /// <inheritdoc/>
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => pinNumber is >= 0 and < Pins;

    /// <inheritdoc/>
    protected override PinValue Read(int pinNumber)
    {
        CheckPin(pinNumber);
        return _levels[pinNumber];
    }

    /// <inheritdoc/>
    protected override void Write(int pinNumber, PinValue value)
    {
        CheckPin(pinNumber);
        _levels[pinNumber] = value;
        _writeCounts[pinNumber]++;
    }

    /// <inheritdoc/>
    protected override void Toggle(int pinNumber) => Write(pinNumber, _levels[pinNumber] == PinValue.High ? PinValue.Low : PinValue.High);

    /// <inheritdoc/>
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("ScriptedGpioDriver raises callbacks; blocking waits are not simulated.");

    /// <inheritdoc/>
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        CheckPin(pinNumber);
        _callbacks[pinNumber].Add((eventTypes, callback));
    }

    /// <inheritdoc/>
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        CheckPin(pinNumber);
        _callbacks[pinNumber].RemoveAll(c => c.Handler == callback);
    }

    /// <inheritdoc/>
    public override GpioChipInfo GetChipInfo() => new(0, "scripted", "HardwareMaster scripted GPIO", Pins);

    private static void CheckPin(int pin)
    {
        if (pin is < 0 or >= Pins)
        {
            throw new ArgumentOutOfRangeException(nameof(pin), pin, $"The scripted driver has BCM pins 0..{Pins - 1}.");
        }
    }
}

/// <summary>One step of a GPIO script: wait <paramref name="DelayMs"/>, then set <paramref name="Pin"/> to <paramref name="Level"/>.</summary>
/// <param name="Pin">BCM pin.</param>
/// <param name="Level">Level to set.</param>
/// <param name="DelayMs">Virtual time before the step.</param>
public readonly record struct PinStep(int Pin, PinValue Level, double DelayMs = 0);
