using System.Device.Gpio;

namespace HardwareMaster.Hal.Input;

/// <summary>
/// Shared bookkeeping for GPIO bindings: which controller, whether we own it, which pins we
/// opened and which callbacks we registered, so <see cref="Dispose"/> undoes exactly that.
/// </summary>
internal sealed class GpioPinOwnership : IDisposable
{
    private readonly bool _shouldDispose;
    private readonly List<int> _openedPins = new(4);
    private readonly List<(int Pin, PinChangeEventHandler Handler)> _callbacks = new(4);
    private bool _disposed;

    public GpioPinOwnership(GpioController? gpio, bool shouldDispose)
    {
        // A controller we create ourselves is always ours to dispose.
        _shouldDispose = shouldDispose || gpio is null;
        Controller = gpio ?? new GpioController();
    }

    public GpioController Controller { get; }

    /// <summary>Opens <paramref name="pin"/> as an input with the pull-up if the driver supports it, else as a plain input.</summary>
    public void OpenInput(int pin, PinMode preferredMode)
    {
        PinMode mode = Controller.IsPinModeSupported(pin, preferredMode) ? preferredMode : PinMode.Input;
        OpenPin(pin, mode);
    }

    public void OpenPin(int pin, PinMode mode)
    {
        if (Controller.IsPinOpen(pin))
        {
            throw new InvalidOperationException($"GPIO {pin} (BCM) is already open; each pin may be used by one control only.");
        }

        Controller.OpenPin(pin, mode);
        _openedPins.Add(pin);
    }

    public void RegisterBothEdges(int pin, PinChangeEventHandler handler)
    {
        Controller.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Rising | PinEventTypes.Falling, handler);
        _callbacks.Add((pin, handler));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach ((int pin, PinChangeEventHandler handler) in _callbacks)
        {
            try
            {
                Controller.UnregisterCallbackForPinValueChangedEvent(pin, handler);
            }
            catch (InvalidOperationException)
            {
                // The pin was closed underneath us; nothing left to unregister.
            }
        }

        _callbacks.Clear();
        if (_shouldDispose)
        {
            Controller.Dispose();
            return;
        }

        foreach (int pin in _openedPins)
        {
            if (Controller.IsPinOpen(pin))
            {
                Controller.ClosePin(pin);
            }
        }

        _openedPins.Clear();
    }
}
