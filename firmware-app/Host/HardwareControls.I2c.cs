using System.Device.Gpio;
using System.Device.I2c;
using System.Globalization;
using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Analog;
using HardwareMaster.Hal.Expanders;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Profile;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Host;

/// <summary>
/// The I²C half of the box's controls: encoders and buttons on expanders (decoded by the same
/// <c>QuadratureDecoder</c>/<c>ButtonStateMachine</c> as the GPIO ones, merged into the same hub), LEDs on expander
/// outputs, and pots on ADS1115s, all driven by one <see cref="I2cControlPoller"/> thread.
/// </summary>
public sealed partial class HardwareControls
{
    private readonly ExpanderLed?[] _expanderLeds = new ExpanderLed?[5];

    /// <summary>The I²C poll thread (null when the profile has no expander and no pot).</summary>
    public I2cControlPoller? Poller { get; private set; }

    /// <summary>The expanders' decoders, in profile order (tests read their counters).</summary>
    public IReadOnlyList<ExpanderInputs> ExpanderInputs { get; private set; } = [];

    /// <summary>For each pot of the profile (in <see cref="HardwareProfile.Pots"/> order), its slot in <see cref="Poller"/>.</summary>
    public IReadOnlyList<int> PotSlots { get; private set; } = [];

    /// <summary>Starts the I²C poll thread (expanders and pots); nothing when there are none.</summary>
    public void StartPolling() => Poller?.Start();

    /// <summary>Maps the profile's pots to their registry parameters, for the UI thread to apply every frame.</summary>
    /// <param name="profile">The profile the controls were opened from.</param>
    /// <param name="backend">The parameters.</param>
    /// <returns>The mapping (null without pots).</returns>
    /// <exception cref="ArgumentException">A pot names a parameter the registry does not have (<see cref="PotParameters.CheckProfile"/> says which).</exception>
    public PotParameters? CreatePotParameters(HardwareProfile profile, IBoxBackend backend)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(backend);
        return Poller is null || PotSlots.Count == 0 ? null : new PotParameters(Poller, profile, PotSlots, backend);
    }

    private static string Hex(int address) => "0x" + address.ToString("X2", CultureInfo.InvariantCulture);

    private void OpenI2cControls(HardwareProfile profile, GpioController gpio, TimeProvider time, InputHub hub, Func<int, int, I2cDevice>? openI2c, ILogger? logger)
    {
        if (profile.Expanders.Count == 0 && profile.Pots.Count == 0)
        {
            return;
        }

        openI2c ??= static (bus, address) => I2cDevice.Create(new I2cConnectionSettings(bus, address));
        var expanders = new List<ExpanderSpec>();
        var inputs = new List<ExpanderInputs>();
        for (int e = 0; e < profile.Expanders.Count; e++)
        {
            ExpanderSettings settings = profile.Expanders[e];
            var encoders = new List<ExpanderEncoder>();
            for (int i = 0; i < profile.Encoders.Count; i++)
            {
                EncoderPins pins = profile.Encoders[i];
                if (pins.Expander == settings.Name)
                {
                    encoders.Add(new ExpanderEncoder(i, pins.PinA, pins.PinB, pins.PinSwitch, pins.TransitionsPerDetent, pins.Reverse));
                }
            }

            var buttons = new List<ExpanderButton>();
            for (int i = 0; i < profile.Buttons.Count; i++)
            {
                if (profile.Buttons[i].Expander == settings.Name)
                {
                    buttons.Add(new ExpanderButton(i, profile.Buttons[i].Pin));
                }
            }

            ushort outputs = 0;
            ushort initial = 0;
            foreach (LedPin pin in profile.Leds)
            {
                if (pin.Expander != settings.Name)
                {
                    continue;
                }

                outputs |= (ushort)(1 << pin.Pin);
                if (pin.ActiveLow)
                {
                    initial |= (ushort)(1 << pin.Pin); // off
                }

                if (BoxScript.TryControl(pin.Name, out BoxControl control) && Slot(control) is int slot and >= 0)
                {
                    _expanderLeds[slot] = new ExpanderLed(e, pin.Pin, pin.ActiveLow);
                }
            }

            if (settings.InterruptPin is int interrupt)
            {
                gpio.OpenPin(interrupt, gpio.IsPinModeSupported(interrupt, PinMode.InputPullUp) ? PinMode.InputPullUp : PinMode.Input);
                _owned.Add(new PinCloser(gpio, interrupt));
            }

            var decoders = new ExpanderInputs(null, [.. encoders], [.. buttons], time);
            hub.Add(decoders);
            inputs.Add(decoders);
            var device = new LazyDevice(() => openI2c(settings.I2cBus, settings.Address));
            _owned.Add(device);
            ExpanderChip chip = settings.Chip;
            bool interruptOnChange = settings.InterruptPin is not null;
            ushort mask = outputs;
            expanders.Add(new ExpanderSpec(
                $"expander \"{settings.Name}\" ({chip.ToString().ToLowerInvariant()} at {Hex(settings.Address)} on I2C bus {settings.I2cBus})",
                () => IotExpanderPort.Open(chip, device.Get(), mask, interruptOnChange, shouldDispose: false),
                decoders,
                settings.InterruptPin,
                initial));
        }

        // Pots: one bank per (bus, address), in order of first appearance.
        var banks = new List<PotBankSpec>();
        var bankKeys = new List<(int Bus, int Address)>();
        var channels = new List<List<int>>();
        var slots = new int[profile.Pots.Count];
        var positionInBank = new int[profile.Pots.Count];
        var bankOf = new int[profile.Pots.Count];
        for (int i = 0; i < profile.Pots.Count; i++)
        {
            PotSettings pot = profile.Pots[i];
            int bank = bankKeys.IndexOf((pot.I2cBus, pot.Address));
            if (bank < 0)
            {
                bank = bankKeys.Count;
                bankKeys.Add((pot.I2cBus, pot.Address));
                channels.Add([]);
            }

            bankOf[i] = bank;
            positionInBank[i] = channels[bank].Count;
            channels[bank].Add(pot.Channel);
        }

        int first = 0;
        var firstSlot = new int[bankKeys.Count];
        for (int b = 0; b < bankKeys.Count; b++)
        {
            (int bus, int address) = bankKeys[b];
            int[] bankChannels = [.. channels[b]];
            firstSlot[b] = first;
            first += bankChannels.Length;
            banks.Add(new PotBankSpec($"pot converter (ads1115 at {Hex(address)} on I2C bus {bus})", () => new AdsPotBank(openI2c(bus, address), bankChannels), bankChannels));
        }

        for (int i = 0; i < slots.Length; i++)
        {
            slots[i] = firstSlot[bankOf[i]] + positionInBank[i];
        }

        ExpanderInputs = inputs;
        PotSlots = slots;
        Poller = new I2cControlPoller(expanders, banks, gpio, time, logger);
        _owned.Add(Poller);
    }

    private void SetExpanderLed(BoxControl button, bool lit)
    {
        if (Poller is not { } poller || Slot(button) is not (int slot and >= 0) || _expanderLeds[slot] is not { } led)
        {
            return;
        }

        ushort bit = (ushort)(1 << led.Pin);
        ushort levels = poller.Outputs(led.Expander);
        bool high = lit != led.ActiveLow;
        poller.SetOutputs(led.Expander, high ? (ushort)(levels | bit) : (ushort)(levels & ~bit));
    }

    private readonly record struct ExpanderLed(int Expander, int Pin, bool ActiveLow);

    // Closes an interrupt pin with the controls.
    private sealed class PinCloser(GpioController gpio, int pin) : IDisposable
    {
        public void Dispose()
        {
            if (gpio.IsPinOpen(pin))
            {
                gpio.ClosePin(pin);
            }
        }
    }

    // The expander's I²C device, created on first use (inside the poller's retry) and kept across re-opens.
    private sealed class LazyDevice(Func<I2cDevice> create) : IDisposable
    {
        private I2cDevice? _device;

        public I2cDevice Get() => _device ??= create();

        public void Dispose() => _device?.Dispose();
    }
}
