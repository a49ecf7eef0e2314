using System.Device.Gpio;
using System.Device.I2c;
using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Buttons;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Encoders;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Leds;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.App.Host;

/// <summary>
/// The box's real controls from a hardware profile: rotary encoders and buttons on GPIO merged into one queue and mapped
/// to gestures by their profile names (<see cref="ProfileInputMapper"/>), and the button LEDs by name (bypass, eq,
/// comp, limit, and the optional rec and ref). Owns the GPIO bindings; the UI thread reads and lights.
/// </summary>
public sealed partial class HardwareControls : IBoxLeds, IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly GpioLed?[] _leds = new GpioLed?[6];

    private HardwareControls(ProfileInputMapper input) => Input = input;

    /// <summary>The gestures from the encoders and buttons.</summary>
    public IBoxInputSource Input { get; }

    /// <summary>LEDs bound (by name).</summary>
    public int LedCount => _leds.Count(static l => l is not null) + _expanderLeds.Count(static l => l is not null);

    /// <summary>Opens every encoder, button and LED of <paramref name="profile"/> on <paramref name="gpio"/>.</summary>
    /// <param name="profile">The (validated) profile.</param>
    /// <param name="gpio">The GPIO controller (not disposed by this object).</param>
    /// <param name="time">Clock for debouncing, long presses and acceleration.</param>
    /// <param name="openI2c">Opens the I²C device at (bus, address) for the expanders and pot converters (tests: simulators); null = the system's buses.</param>
    /// <param name="logger">Where I²C failures and recoveries are reported.</param>
    /// <returns>The controls (the I²C poll thread starts with <see cref="StartPolling"/>).</returns>
    /// <exception cref="Exception">A pin cannot be opened (whatever the GPIO driver throws); nothing stays open. An I²C chip that does not answer is not an error here: it is retried.</exception>
    public static HardwareControls Open(HardwareProfile profile, GpioController gpio, TimeProvider time, Func<int, int, I2cDevice>? openI2c = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(gpio);
        ArgumentNullException.ThrowIfNull(time);
        var hub = new InputHub();
        var controls = new HardwareControls(new ProfileInputMapper(profile, hub));
        try
        {
            for (int i = 0; i < profile.Encoders.Count; i++)
            {
                EncoderPins pins = profile.Encoders[i];
                if (pins.Expander is not null)
                {
                    continue; // on an I2C expander: OpenI2cControls (HardwareControls.I2c.cs)
                }

                var encoder = new GpioRotaryEncoder(pins.PinA, pins.PinB, pins.PinSwitch, time, gpio, shouldDispose: false, new GpioRotaryEncoderOptions(Index: i, TransitionsPerDetent: pins.TransitionsPerDetent, Reverse: pins.Reverse));
                controls._owned.Add(encoder);
                hub.Add(encoder);
            }

            for (int i = 0; i < profile.Buttons.Count; i++)
            {
                if (profile.Buttons[i].Expander is not null)
                {
                    continue;
                }

                var button = new GpioButton(profile.Buttons[i].Pin, time, gpio, shouldDispose: false, new GpioButtonOptions(InputSource.Button(i)));
                controls._owned.Add(button);
                hub.Add(button);
            }

            foreach (LedPin pin in profile.Leds)
            {
                if (pin.Expander is null && BoxScript.TryControl(pin.Name, out BoxControl control) && Slot(control) is int slot and >= 0)
                {
                    var led = new GpioLed(pin.Pin, time, gpio, shouldDispose: false, activeLow: pin.ActiveLow);
                    controls._owned.Add(led);
                    controls._leds[slot] = led;
                }
            }

            controls.OpenI2cControls(profile, gpio, time, hub, openI2c, logger);
            return controls;
        }
        catch
        {
            controls.Dispose();
            throw;
        }
    }

    /// <summary>Opens the profile's OLED (SSD1306, SH1106 or SSD1309) on its I²C bus.</summary>
    /// <param name="settings">The profile's display settings.</param>
    /// <param name="saver">The burn-in saver.</param>
    /// <param name="openBus">Opens the I²C device (tests); null = the real bus.</param>
    /// <returns>The display.</returns>
    /// <exception cref="IOException">No display answered.</exception>
    public static IMonoDisplay OpenDisplay(DisplaySettings settings, ScreenSaver saver, Func<I2cDevice>? openBus = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        I2cDevice device = openBus?.Invoke() ?? I2cDevice.Create(new I2cConnectionSettings(settings.I2cBus, settings.Address));
        var options = new OledOptions(settings.Rotation == 180 ? DisplayRotation.Rotate180 : DisplayRotation.None, ScreenSaver: saver);
        return settings.Type switch
        {
            OledController.Sh1106 => new Sh1106(device, options),
            OledController.Ssd1309 => new Ssd1309(device, options),
            _ => new Ssd1306(device, options),
        };
    }

    /// <inheritdoc />
    public void Set(BoxControl button, bool lit)
    {
        SetExpanderLed(button, lit);
        if (Slot(button) is int slot and >= 0 && _leds[slot] is { } led)
        {
            if (lit)
            {
                led.TurnOn();
            }
            else
            {
                led.TurnOff();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                _owned[i].Dispose();
            }
            catch (Exception)
            {
                // Releasing a pin cannot fail the shutdown.
            }
        }

        _owned.Clear();
    }

    private static int Slot(BoxControl control) => control switch
    {
        BoxControl.Bypass => 0,
        BoxControl.Eq => 1,
        BoxControl.Comp => 2,
        BoxControl.Limit => 3,
        BoxControl.Rec => 4,
        BoxControl.Ref => 5,
        _ => -1,
    };
}
