using System.Device.Gpio;
using HardwareMaster.Hal.Analog;
using HardwareMaster.Hal.Expanders;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Host;

/// <summary>
/// The one thread that talks to the box's I²C controls: expanders (encoder and button edges into their
/// <see cref="ExpanderInputs"/>, LED outputs out) and ADS1115 pot banks (filtered positions published to the UI thread).
/// A device that throws is logged once, dropped, and re-opened with exponential backoff until it answers again; the
/// audio thread never waits on any of it.
/// </summary>
/// <remarks>
/// Rates: the loop runs every <see cref="LoopPeriodMs"/> ms (1 kHz, what a fast-turned encoder needs to show every
/// quadrature state). An expander without an interrupt pin is read every loop; with one, only while its INT line is
/// low (a GPIO level read, no bus traffic) and at least every <see cref="TimedPollInterval"/> so button debounce and
/// long-press timers advance. Each pot is converted every <see cref="PotInterval"/> (one conversion per loop at most).
/// Backoff: <see cref="FirstRetry"/>, doubling to <see cref="LastRetry"/>. <see cref="PollOnce"/> allocates nothing in
/// steady state. Thread model: <see cref="PollOnce"/> on the poll thread only (or a test's); <see cref="SetOutputs"/>,
/// <see cref="SetParameterPosition"/>, <see cref="TryTakePosition"/> on the UI thread only.
/// </remarks>
public sealed class I2cControlPoller : IDisposable
{
    /// <summary>Period of the poll loop.</summary>
    public const int LoopPeriodMs = 1;

    /// <summary>An expander with an interrupt pin is read at least this often anyway.</summary>
    public static readonly TimeSpan TimedPollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Each pot is converted this often (100 Hz, what <see cref="PotFilterOptions"/>' defaults are tuned for).</summary>
    public static readonly TimeSpan PotInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>First retry after a bus failure.</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest wait between retries.</summary>
    public static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(2);

    private readonly Expander[] _expanders;
    private readonly PotBank[] _banks;
    private readonly PotSlot[] _pots;
    private readonly GpioController? _gpio;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly long _timedPollTicks;
    private readonly long _potTicks;
    private Thread? _thread;
    private volatile bool _stop;

    /// <summary>Creates the poller (nothing is opened until the first <see cref="PollOnce"/>).</summary>
    /// <param name="expanders">The expanders.</param>
    /// <param name="banks">The pot banks.</param>
    /// <param name="gpio">The GPIO controller the interrupt pins are opened on (null when no expander has one).</param>
    /// <param name="time">Clock for rates and backoff.</param>
    /// <param name="logger">Where bus failures and recoveries are reported.</param>
    public I2cControlPoller(IReadOnlyList<ExpanderSpec> expanders, IReadOnlyList<PotBankSpec> banks, GpioController? gpio, TimeProvider time, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(expanders);
        ArgumentNullException.ThrowIfNull(banks);
        ArgumentNullException.ThrowIfNull(time);
        _gpio = gpio;
        _time = time;
        _logger = logger;
        _timedPollTicks = Ticks(TimedPollInterval);
        _potTicks = Ticks(PotInterval);
        _expanders = new Expander[expanders.Count];
        for (int i = 0; i < _expanders.Length; i++)
        {
            _expanders[i] = new Expander(expanders[i]);
        }

        int pots = 0;
        _banks = new PotBank[banks.Count];
        for (int i = 0; i < _banks.Length; i++)
        {
            _banks[i] = new PotBank(banks[i], pots);
            pots += banks[i].Channels.Length;
        }

        _pots = new PotSlot[pots];
        for (int i = 0; i < _pots.Length; i++)
        {
            _pots[i] = new PotSlot();
        }
    }

    /// <summary>Bus failures so far (every failed attempt, across devices).</summary>
    public long Failures { get; private set; }

    /// <summary>Recoveries so far (a device that failed answered again).</summary>
    public long Recoveries { get; private set; }

    /// <summary>Loop iterations so far.</summary>
    public long Iterations => Volatile.Read(ref _iterations);

    private long _iterations;

    /// <summary>Pots, across the banks in order.</summary>
    public int PotCount => _pots.Length;

    /// <summary>Whether expander <paramref name="index"/> is currently answering.</summary>
    /// <param name="index">Its position.</param>
    /// <returns>True when open.</returns>
    public bool IsExpanderUp(int index) => Volatile.Read(ref _expanders[index].Up);

    /// <summary>Whether pot bank <paramref name="index"/> is currently answering.</summary>
    /// <param name="index">Its position.</param>
    /// <returns>True when open.</returns>
    public bool IsPotBankUp(int index) => Volatile.Read(ref _banks[index].Up);

    /// <summary>Starts the poll thread.</summary>
    public void Start()
    {
        if (_thread is not null || (_expanders.Length == 0 && _banks.Length == 0))
        {
            return;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "hm-i2c-controls" };
        _thread.Start();
    }

    /// <summary>Sets the output pins of expander <paramref name="index"/> (written by the poll thread). UI thread.</summary>
    /// <param name="index">Expander position.</param>
    /// <param name="levels">Pin levels, bit set = high.</param>
    public void SetOutputs(int index, ushort levels) => Volatile.Write(ref _expanders[index].Desired, levels);

    /// <summary>The levels last asked for on expander <paramref name="index"/>.</summary>
    /// <param name="index">Expander position.</param>
    /// <returns>The levels.</returns>
    public ushort Outputs(int index) => (ushort)Volatile.Read(ref _expanders[index].Desired);

    /// <summary>
    /// Tells pot <paramref name="pot"/> its parameter's position (0–1). With <paramref name="detach"/> (the parameter
    /// was set elsewhere: a recall, a slot load, a reset, another control) the pot stops moving it until it passes
    /// through that position (soft takeover), and no position read before this call is handed out any more. UI thread.
    /// </summary>
    /// <param name="pot">Pot position.</param>
    /// <param name="position">The parameter's value as knob travel.</param>
    /// <param name="detach">Soft takeover from here.</param>
    public void SetParameterPosition(int pot, double position, bool detach)
    {
        PotSlot slot = _pots[pot];
        Volatile.Write(ref slot.ParameterBits, BitConverter.DoubleToInt64Bits(position));
        if (detach)
        {
            Volatile.Write(ref slot.DetachGeneration, (slot.DetachGeneration + 1) & 0xFFFF);
        }
    }

    /// <summary>Takes pot <paramref name="pot"/>'s new position, if it reported one since the last call and since the last detach. UI thread.</summary>
    /// <param name="pot">Pot position.</param>
    /// <param name="position">The 0–1 position to apply.</param>
    /// <returns>Whether there is one.</returns>
    public bool TryTakePosition(int pot, out double position)
    {
        PotSlot slot = _pots[pot];
        long word = Volatile.Read(ref slot.Published);
        int sequence = (int)(word >> 32);
        position = (word & 0xFFFF) / 65535.0;
        if (sequence == slot.TakenSequence)
        {
            return false;
        }

        slot.TakenSequence = sequence;
        return (int)((word >> 16) & 0xFFFF) == Volatile.Read(ref slot.DetachGeneration);
    }

    /// <summary>Where pot <paramref name="pot"/> physically is and whether it drives its parameter (for a screen showing position vs value while detached).</summary>
    /// <param name="pot">Pot position.</param>
    /// <param name="position">Smoothed position 0–1 (NaN before the first conversion).</param>
    /// <returns>Whether it is attached (follows the pot).</returns>
    public bool PotStatus(int pot, out double position)
    {
        long word = Volatile.Read(ref _pots[pot].Status);
        position = word < 0 ? double.NaN : (word & 0xFFFF) / 65535.0;
        return word >= 0 && (word & 0x10000) != 0;
    }

    /// <summary>One pass over every device (the poll thread's body; tests call it directly). Allocation-free in steady state.</summary>
    public void PollOnce()
    {
        long now = _time.GetTimestamp();
        for (int i = 0; i < _expanders.Length; i++)
        {
            PollExpander(_expanders[i], now);
        }

        for (int i = 0; i < _banks.Length; i++)
        {
            PollBank(_banks[i], now);
        }

        Interlocked.Increment(ref _iterations);
    }

    /// <summary>Stops the thread and closes the devices.</summary>
    public void Dispose()
    {
        _stop = true;
        _thread?.Join(TimeSpan.FromSeconds(2));
        foreach (Expander expander in _expanders)
        {
            Close(expander.Port);
            expander.Port = null;
        }

        foreach (PotBank bank in _banks)
        {
            Close(bank.Adc);
            bank.Adc = null;
        }
    }

    private static void Close(IDisposable? device)
    {
        try
        {
            device?.Dispose();
        }
        catch (Exception)
        {
            // A device that fails to close cannot fail the shutdown.
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private void Run()
    {
        while (!_stop)
        {
            PollOnce();
            Thread.Sleep(LoopPeriodMs);
        }
    }

    private void PollExpander(Expander unit, long now)
    {
        if (unit.Port is null)
        {
            if (now < unit.RetryAt)
            {
                return;
            }

            try
            {
                unit.Port = unit.Spec.Open();
                unit.Written = -1;
                unit.LastPoll = long.MinValue / 2;
            }
            catch (Exception ex)
            {
                Fail(unit, unit.Spec.Name, ex, now);
                return;
            }
        }

        try
        {
            bool due = unit.Spec.InterruptPin is not int pin || _gpio is null || _gpio.Read(pin) == PinValue.Low || now - unit.LastPoll >= _timedPollTicks;
            if (due)
            {
                unit.Spec.Inputs.Feed(unit.Port.ReadInputs(), now);
                unit.LastPoll = now;
            }

            int desired = Volatile.Read(ref unit.Desired);
            if (desired != unit.Written)
            {
                unit.Port.WriteOutputs((ushort)desired);
                unit.Written = desired;
            }

            Recovered(unit, unit.Spec.Name);
        }
        catch (Exception ex)
        {
            Close(unit.Port);
            unit.Port = null;
            Fail(unit, unit.Spec.Name, ex, now);
        }
    }

    private void PollBank(PotBank bank, long now)
    {
        if (bank.Adc is null)
        {
            if (now < bank.RetryAt)
            {
                return;
            }

            try
            {
                bank.Adc = bank.Spec.Open();
                bank.Applied = new int[bank.Spec.Channels.Length];
                Array.Fill(bank.Applied, -1); // detach every pot of a fresh bank at its parameter (soft takeover at start and after an outage)
            }
            catch (Exception ex)
            {
                Fail(bank, bank.Spec.Name, ex, now);
                return;
            }
        }

        if (now < bank.NextConversion)
        {
            return;
        }

        int count = bank.Spec.Channels.Length;
        bank.NextConversion = now + (_potTicks / count);
        int local = bank.Next;
        bank.Next = (local + 1) % count;
        PotSlot slot = _pots[bank.FirstPot + local];
        double parameter = BitConverter.Int64BitsToDouble(Volatile.Read(ref slot.ParameterBits));
        if (double.IsNaN(parameter))
        {
            return; // the UI has not told this pot its parameter yet
        }

        try
        {
            PotFilter filter = bank.Adc.Filter(local);
            int generation = Volatile.Read(ref slot.DetachGeneration);
            if (generation != bank.Applied![local])
            {
                filter.Detach(BitConverter.Int64BitsToDouble(Volatile.Read(ref slot.ParameterBits)));
                bank.Applied[local] = generation;
            }

            bool moved = bank.Adc.Poll(local, out double position);
            double smoothed = filter.Position;
            Volatile.Write(ref slot.Status, double.IsNaN(smoothed) ? -1 : (filter.IsAttached ? 0x10000L : 0) | Quantise(smoothed));
            if (moved)
            {
                slot.Sequence = (slot.Sequence + 1) & 0x7FFF_FFFF;
                Volatile.Write(ref slot.Published, ((long)slot.Sequence << 32) | ((long)generation << 16) | Quantise(position));
            }

            Recovered(bank, bank.Spec.Name);
        }
        catch (Exception ex)
        {
            Close(bank.Adc); // AdsPotBank owns its I²C device; the spec's Open makes a new one
            bank.Adc = null;
            Fail(bank, bank.Spec.Name, ex, now);
        }
    }

    private static long Quantise(double position) => (long)Math.Round(Math.Clamp(position, 0, 1) * 65535.0);

    private void Fail(Device device, string name, Exception ex, long now)
    {
        Failures++;
        Volatile.Write(ref device.Up, false);
        device.FailedAttempts++;
        device.Backoff = device.Backoff == 0 ? Ticks(FirstRetry) : Math.Min(device.Backoff * 2, Ticks(LastRetry));
        device.RetryAt = now + device.Backoff;
        if (device.FailedAttempts == 1)
        {
            _logger?.LogWarning("{Device}: {Message} (retrying with backoff up to {Seconds} s; audio unaffected)", name, ex.Message, LastRetry.TotalSeconds);
        }
    }

    private void Recovered(Device device, string name)
    {
        if (device.Up)
        {
            return;
        }

        Volatile.Write(ref device.Up, true);
        if (device.FailedAttempts > 0)
        {
            Recoveries++;
            _logger?.LogInformation("{Device}: answering again after {Attempts} failed attempts", name, device.FailedAttempts);
        }

        device.FailedAttempts = 0;
        device.Backoff = 0;
    }

    private class Device
    {
        public bool Up;
        public long RetryAt = long.MinValue;
        public long Backoff;
        public long FailedAttempts;
    }

    private sealed class Expander(ExpanderSpec spec) : Device
    {
        public readonly ExpanderSpec Spec = spec;
        public IExpanderPort? Port;
        public int Desired = spec.InitialOutputs;
        public int Written = -1;
        public long LastPoll = long.MinValue / 2;
    }

    private sealed class PotBank(PotBankSpec spec, int firstPot) : Device
    {
        public readonly PotBankSpec Spec = spec;
        public readonly int FirstPot = firstPot;
        public AdsPotBank? Adc;
        public int[]? Applied;
        public int Next;
        public long NextConversion = long.MinValue;
    }

    private sealed class PotSlot
    {
        public long ParameterBits = BitConverter.DoubleToInt64Bits(double.NaN);
        public int DetachGeneration;
        public long Published = -1L << 32; // sequence -1: nothing yet
        public int Sequence;
        public int TakenSequence = -1;
        public long Status = -1;
    }
}

/// <summary>One expander for <see cref="I2cControlPoller"/>.</summary>
/// <param name="Name">Shown in logs ("expander panel (mcp23017 at 0x20)").</param>
/// <param name="Open">Opens and configures the chip (called again after a failure).</param>
/// <param name="Inputs">The decoders its input pins feed.</param>
/// <param name="InterruptPin">BCM pin its INT output is wired to (active low, opened by the caller), or null to poll.</param>
/// <param name="InitialOutputs">Output levels before the UI sets any (LEDs off).</param>
public sealed record ExpanderSpec(string Name, Func<IExpanderPort> Open, ExpanderInputs Inputs, int? InterruptPin, ushort InitialOutputs);

/// <summary>One ADS1115 for <see cref="I2cControlPoller"/>.</summary>
/// <param name="Name">Shown in logs.</param>
/// <param name="Open">Opens the converter with one filter per channel (called again after a failure).</param>
/// <param name="Channels">AIN channel of each pot, in pot order.</param>
public sealed record PotBankSpec(string Name, Func<AdsPotBank> Open, int[] Channels);
