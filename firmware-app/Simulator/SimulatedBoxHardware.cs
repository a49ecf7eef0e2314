using System.Device.Gpio;
using System.Device.I2c;
using System.Globalization;
using HardwareMaster.App.Host;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Expanders;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Profile;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Simulator;

/// <summary>
/// A hardware profile's controls on simulators, for <c>run --simulate --box PROFILE</c>: a scripted GPIO driver for the
/// profile's GPIO encoders, buttons, LEDs and expander INT lines; a <see cref="SimulatedMcp23xxx"/> or
/// <see cref="SimulatedPcf857x"/> for each expander (its INT wired to the profile's GPIO pin); a
/// <see cref="SimulatedAds1115"/> for each pot converter. Gestures (script or keyboard) are played as pin levels by a
/// thread of their own: a turn walks the encoder's Gray code one state at a time, each state held until the poller has
/// read it, a press holds the switch low past the debounce (a long press past the long-press time). So the box's own
/// path (<c>I2cControlPoller</c> → <c>ExpanderInputs</c> → <c>QuadratureDecoder</c>/<c>ButtonStateMachine</c> →
/// <see cref="ProfileInputMapper"/>) does the decoding, as on the box.
/// </summary>
/// <remarks>
/// Timings are on the clock given (the system clock in a run): detents of one gesture are
/// <see cref="DetentSpacingMs"/> apart (slower than the encoder acceleration's 40 ms, so N detents give N steps), a press
/// is held <see cref="PressHoldMs"/>, a long press <see cref="LongHoldMs"/>, and a button is not pressed again within
/// <see cref="RepressGapMs"/> of its release (so two scripted presses stay two presses, not a double press).
/// Pots: <see cref="MovePot"/> sets the converter's input voltage (position × <see cref="PotSupplyVolts"/>).
/// </remarks>
public sealed class SimulatedBoxHardware : IBoxGestureSink, IDisposable
{
    /// <summary>Time between two detents of one gesture.</summary>
    public const int DetentSpacingMs = 45;

    /// <summary>How long a press holds the switch closed (and open after it).</summary>
    public const int PressHoldMs = 40;

    /// <summary>How long a long press holds the switch closed (the box's long press is 700 ms).</summary>
    public const int LongHoldMs = 850;

    /// <summary>Shortest time between a release and the next single press of the same switch (the double-press window is 300 ms).</summary>
    public const int RepressGapMs = 350;

    /// <summary>The voltage across each simulated pot.</summary>
    public const double PotSupplyVolts = 3.3;

    // Clockwise Gray-code order as (A << 1) | B, from the rest state 11 (QuadratureDecoder: 00 → 10 → 11 → 01 → 00).
    private static readonly int[] CwCycle = [3, 1, 0, 2];

    private readonly ScriptedGpioDriver _driver = new();
    private readonly Dictionary<(int Bus, int Address), I2cDevice> _devices = [];
    private readonly Chip[] _chips;
    private readonly Dictionary<string, int> _chipByName = new(StringComparer.Ordinal);
    private readonly EncoderTarget?[] _turns = new EncoderTarget?[3];
    private readonly PinTarget?[] _pushes = new PinTarget?[Enum.GetValues<BoxControl>().Length];
    private readonly (SimulatedAds1115 Adc, int Channel)[] _pots;
    private readonly double[] _potPositions;
    private readonly Queue<BoxInput> _queue = new();
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private readonly TimeProvider _time;
    private volatile bool _stop;
    private int _pending;

    /// <summary>Builds the simulators for <paramref name="profile"/> and starts the gesture thread.</summary>
    /// <param name="profile">The (validated) profile.</param>
    /// <param name="time">The clock the box's controls use.</param>
    public SimulatedBoxHardware(HardwareProfile profile, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        Gpio = new GpioController(_driver);

        // Idle levels before the controls open their pins: switches open (pulled up), INT lines released.
        foreach (EncoderPins encoder in profile.Encoders)
        {
            if (encoder.Expander is null)
            {
                _driver.SetInput(encoder.PinA, PinValue.High);
                _driver.SetInput(encoder.PinB, PinValue.High);
                if (encoder.PinSwitch is int pin)
                {
                    _driver.SetInput(pin, PinValue.High);
                }
            }
        }

        foreach (ButtonPin button in profile.Buttons)
        {
            if (button.Expander is null)
            {
                _driver.SetInput(button.Pin, PinValue.High);
            }
        }

        _chips = new Chip[profile.Expanders.Count];
        for (int i = 0; i < _chips.Length; i++)
        {
            ExpanderSettings settings = profile.Expanders[i];
            Chip chip = settings.Chip switch
            {
                ExpanderChip.Mcp23017 or ExpanderChip.Mcp23008 => new Chip(new SimulatedMcp23xxx(settings.Chip == ExpanderChip.Mcp23017 ? 16 : 8, settings.I2cBus, settings.Address)),
                _ => new Chip(new SimulatedPcf857x(settings.Chip == ExpanderChip.Pcf8575 ? 16 : 8, settings.I2cBus, settings.Address) { KeepWrites = false }),
            };
            if (settings.InterruptPin is int interrupt)
            {
                _driver.SetInput(interrupt, PinValue.High);
                chip.OnInterrupt(asserted => _driver.SetInput(interrupt, asserted ? PinValue.Low : PinValue.High));
            }

            _chips[i] = chip;
            _chipByName[settings.Name] = i;
            _devices[(settings.I2cBus, settings.Address)] = chip.Device;
        }

        _pots = new (SimulatedAds1115, int)[profile.Pots.Count];
        _potPositions = new double[profile.Pots.Count];
        for (int i = 0; i < _pots.Length; i++)
        {
            PotSettings pot = profile.Pots[i];
            if (!_devices.TryGetValue((pot.I2cBus, pot.Address), out I2cDevice? device))
            {
                device = new SimulatedAds1115(pot.I2cBus, pot.Address);
                _devices[(pot.I2cBus, pot.Address)] = device;
            }

            _pots[i] = ((SimulatedAds1115)device, pot.Channel);
            MovePot(i, 0.5); // centred at start
        }

        MapControls(profile);
        _thread = new Thread(Play) { IsBackground = true, Name = "hm-sim-pins" };
        _thread.Start();
    }

    /// <summary>The GPIO controller the box's controls open their pins on (a scripted driver).</summary>
    public GpioController Gpio { get; }

    /// <summary>Opens the simulated I²C device at (bus, address) for the controls; <see cref="IOException"/> where the profile has none.</summary>
    public Func<int, int, I2cDevice> OpenI2cAt => Open;

    /// <summary>Gestures played on the pins so far.</summary>
    public long Played => Volatile.Read(ref _played);

    /// <summary>Gestures dropped because the profile has no control that makes them.</summary>
    public long Unrouted => Volatile.Read(ref _unrouted);

    /// <summary>Port reads the expanders answered so far (across the expanders).</summary>
    public long ExpanderReads
    {
        get
        {
            long reads = 0;
            foreach (Chip chip in _chips)
            {
                reads += chip.Reads;
            }

            return reads;
        }
    }

    /// <summary>The profile's pots.</summary>
    public int PotCount => _pots.Length;

    /// <summary>The simulated expander <paramref name="index"/> (profile order): a <see cref="SimulatedMcp23xxx"/> or a <see cref="SimulatedPcf857x"/>.</summary>
    /// <param name="index">Its position.</param>
    /// <returns>The simulator.</returns>
    public I2cDevice Expander(int index) => _chips[index].Device;

    private long _played;
    private long _unrouted;

    /// <inheritdoc />
    public bool IsIdle => Volatile.Read(ref _pending) == 0;

    /// <inheritdoc />
    public bool TryEnqueue(in BoxInput input)
    {
        bool routable = input.Action switch
        {
            BoxAction.Cw or BoxAction.Ccw => TurnTarget(input.Control) is not null,
            _ => _pushes[(int)input.Control] is not null,
        };
        if (!routable)
        {
            Interlocked.Increment(ref _unrouted);
            return false;
        }

        lock (_sync)
        {
            _queue.Enqueue(input);
            _pending++;
        }

        _wake.Release();
        return true;
    }

    /// <summary>Moves pot <paramref name="pot"/> by <paramref name="delta"/> of its travel (clamped to 0–1).</summary>
    /// <param name="pot">Its position in the profile's pots.</param>
    /// <param name="delta">Change of position.</param>
    /// <returns>The new position, or NaN when there is no such pot.</returns>
    public double MovePot(int pot, double delta)
    {
        if ((uint)pot >= (uint)_pots.Length)
        {
            return double.NaN;
        }

        double position = Math.Clamp(_potPositions[pot] + delta, 0, 1);
        _potPositions[pot] = position;
        _pots[pot].Adc.SetInput(_pots[pot].Channel, position * PotSupplyVolts);
        return position;
    }

    /// <summary>Where pot <paramref name="pot"/> is (0–1).</summary>
    /// <param name="pot">Its position in the profile's pots.</param>
    /// <returns>The position.</returns>
    public double PotPosition(int pot) => _potPositions[pot];

    /// <inheritdoc />
    public void Dispose()
    {
        _stop = true;
        _wake.Release();
        _thread.Join(TimeSpan.FromSeconds(5));
        _wake.Dispose();
        Gpio.Dispose();
    }

    private static int Bit(int state, int which) => (state >> which) & 1;

    private I2cDevice Open(int bus, int address) =>
        _devices.TryGetValue((bus, address), out I2cDevice? device)
            ? device
            : throw new IOException($"no simulated I2C device at 0x{address.ToString("X2", CultureInfo.InvariantCulture)} on bus {bus.ToString(CultureInfo.InvariantCulture)}");

    private EncoderTarget? TurnTarget(BoxControl control) => control switch
    {
        BoxControl.Page => _turns[0],
        BoxControl.Param => _turns[1],
        BoxControl.Value => _turns[2],
        _ => null,
    };

    // Which pins make which gesture: the box's own mapper decides what each encoder and button is.
    private void MapControls(HardwareProfile profile)
    {
        var mapper = new ProfileInputMapper(profile);
        for (int i = 0; i < profile.Encoders.Count; i++)
        {
            EncoderPins pins = profile.Encoders[i];
            if (!mapper.TryMap(new InputEvent(InputSource.Encoder(i), InputAction.Rotate, 1, 0), out BoxInput turned))
            {
                continue;
            }

            int slot = turned.Control switch { BoxControl.Page => 0, BoxControl.Param => 1, _ => 2 };
            int chip = pins.Expander is { } name ? _chipByName[name] : -1;
            bool cwIsCw = turned.Action == BoxAction.Cw;
            _turns[slot] ??= new EncoderTarget(new PinTarget(chip, pins.PinA), new PinTarget(chip, pins.PinB), pins.TransitionsPerDetent, cwIsCw != pins.Reverse ? 1 : -1);
            if (pins.PinSwitch is int pushPin)
            {
                _pushes[(int)turned.Control] ??= new PinTarget(chip, pushPin);
            }
        }

        for (int i = 0; i < profile.Buttons.Count; i++)
        {
            ButtonPin button = profile.Buttons[i];
            if (mapper.TryMap(new InputEvent(InputSource.Button(i), InputAction.Press, 0, 0), out BoxInput pressed))
            {
                _pushes[(int)pressed.Control] ??= new PinTarget(button.Expander is { } name ? _chipByName[name] : -1, button.Pin);
            }
        }
    }

    private void Play()
    {
        while (!_stop)
        {
            _wake.Wait();
            BoxInput input;
            lock (_sync)
            {
                if (!_queue.TryDequeue(out input))
                {
                    continue;
                }
            }

            try
            {
                if (input.Action is BoxAction.Cw or BoxAction.Ccw)
                {
                    Turn(TurnTarget(input.Control)!, input.Action == BoxAction.Cw ? 1 : -1, Math.Max(1, input.Count));
                }
                else
                {
                    Push(_pushes[(int)input.Control]!, input.Action, Math.Max(1, input.Count));
                }

                Interlocked.Increment(ref _played);
            }
            finally
            {
                lock (_sync)
                {
                    _pending--;
                }
            }
        }
    }

    private void Turn(EncoderTarget encoder, int direction, int detents)
    {
        int step = direction * encoder.Direction;
        for (int d = 0; d < detents && !_stop; d++)
        {
            if (d > 0)
            {
                Sleep(DetentSpacingMs);
            }

            for (int t = 0; t < encoder.TransitionsPerDetent; t++)
            {
                encoder.Phase = (encoder.Phase + step + 4) % 4;
                int state = CwCycle[encoder.Phase];
                SetPins(encoder.A, Bit(state, 1) != 0, encoder.B, Bit(state, 0) != 0);
            }
        }
    }

    private void Push(PinTarget pin, BoxAction action, int count)
    {
        int presses = action == BoxAction.Double ? 2 : count;
        for (int p = 0; p < presses && !_stop; p++)
        {
            long gapMs = (long)_time.GetElapsedTime(pin.ReleasedAt).TotalMilliseconds;
            if (action != BoxAction.Double || p == 0)
            {
                if (pin.ReleasedAt != 0 && gapMs < RepressGapMs)
                {
                    Sleep((int)(RepressGapMs - gapMs));
                }
            }

            SetPins(pin, false, null, false);
            Sleep(action == BoxAction.Long ? LongHoldMs : PressHoldMs);
            SetPins(pin, true, null, false);
            pin.ReleasedAt = _time.GetTimestamp();
            Sleep(PressHoldMs);
        }
    }

    // Sets one or two pins (of one encoder: on the same chip) and, on an expander, waits until the poller has read the port after the change.
    private void SetPins(PinTarget first, bool firstHigh, PinTarget? second, bool secondHigh)
    {
        if (first.Chip < 0)
        {
            _driver.SetInput(first.Pin, firstHigh ? PinValue.High : PinValue.Low);
            if (second is not null)
            {
                _driver.SetInput(second.Pin, secondHigh ? PinValue.High : PinValue.Low);
            }

            return;
        }

        Chip chip = _chips[first.Chip];
        ushort levels = Level(chip.Levels, first.Pin, firstHigh);
        if (second is not null)
        {
            levels = Level(levels, second.Pin, secondHigh);
        }

        long before = chip.Reads;
        chip.Levels = levels;

        // Two reads after the change: the second one started after it, so the poller saw the new state (or 2 s passed: the chip is down).
        long deadline = Environment.TickCount64 + 2000;
        while (chip.Reads < before + 2 && Environment.TickCount64 < deadline && !_stop)
        {
            Thread.Sleep(1);
        }
    }

    private static ushort Level(ushort levels, int pin, bool high) => high ? (ushort)(levels | (1 << pin)) : (ushort)(levels & ~(1 << pin));

    private void Sleep(int milliseconds)
    {
        if (milliseconds > 0 && !_stop)
        {
            Thread.Sleep(milliseconds);
        }
    }

    private sealed record PinTarget(int Chip, int Pin)
    {
        public long ReleasedAt { get; set; }
    }

    private sealed record EncoderTarget(PinTarget A, PinTarget B, int TransitionsPerDetent, int Direction)
    {
        public int Phase { get; set; }
    }

    // One simulated expander, whichever chip.
    private sealed class Chip
    {
        private readonly SimulatedMcp23xxx? _mcp;
        private readonly SimulatedPcf857x? _pcf;

        public Chip(SimulatedMcp23xxx mcp)
        {
            _mcp = mcp;
            Device = mcp;
        }

        public Chip(SimulatedPcf857x pcf)
        {
            _pcf = pcf;
            Device = pcf;
        }

        public I2cDevice Device { get; }

        public long Reads => _mcp?.Reads ?? _pcf!.Reads;

        public ushort Levels
        {
            get => _mcp?.ExternalLevels ?? _pcf!.ExternalLevels;
            set
            {
                if (_mcp is not null)
                {
                    _mcp.ExternalLevels = value;
                }
                else
                {
                    _pcf!.ExternalLevels = value;
                }
            }
        }

        public void OnInterrupt(Action<bool> changed)
        {
            if (_mcp is not null)
            {
                _mcp.InterruptChanged = changed;
            }
            else
            {
                _pcf!.InterruptChanged = changed;
            }
        }
    }
}
