using System.Device.Gpio;
using System.Device.I2c;
using HardwareMaster.App.Host;
using HardwareMaster.Hal.Expanders;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Tests.Host;

/// <summary>
/// Interrupt gating of <see cref="I2cControlPoller"/>, stepped by hand on a manual clock (no poll thread, no sleeps):
/// with an INT pin the expander is read only while INT is low, and otherwise once every
/// <see cref="I2cControlPoller.TimedPollInterval"/>; without one it is read every pass. Bus reads are counted by the
/// simulated chip (an MCP23017 with interrupt on change, or a PCF8574 with its /INT model).
/// </summary>
public sealed class I2cControlPollerTests
{
    private const int InterruptPin = 17;

    [Theory]
    [InlineData(ExpanderChip.Mcp23017)]
    [InlineData(ExpanderChip.Pcf8574)]
    public void PollOnce_WithInterruptPin_ReadsWhileIntLowAndEveryTenMsOtherwise(ExpanderChip chipKind)
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var gpio = new GpioController(driver);
        driver.SetInput(InterruptPin, PinValue.High);
        gpio.OpenPin(InterruptPin, PinMode.InputPullUp);
        (I2cDevice chip, Func<long> reads, Action<ushort> drive) = Create(chipKind, asserted => driver.SetInput(InterruptPin, asserted ? PinValue.Low : PinValue.High));
        var inputs = new ExpanderInputs(null, [], [new ExpanderButton(0, 3)], time);
        using var poller = new I2cControlPoller(
            [new ExpanderSpec("test expander", () => IotExpanderPort.Open(chipKind, chip, 0, interruptOnChange: true, shouldDispose: false), inputs, InterruptPin, 0)],
            [],
            gpio,
            time,
            null);

        // INT high (idle): 200 passes 1 ms apart read the port only on the 10 ms timer: 20 reads.
        poller.PollOnce(); // opens the chip and takes the first sample
        long start = reads();
        int passes = Passes(poller, time, 200);
        Assert.Equal(200, passes);
        Assert.Equal(200 / 10, reads() - start);

        // A button goes down: INT falls and the very next pass reads, which releases INT; no extra reads after.
        drive(unchecked((ushort)~(1 << 3)));
        Assert.Equal(PinValue.Low, driver.GetLevel(InterruptPin));
        long before = reads();
        time.AdvanceMs(1);
        poller.PollOnce();
        Assert.Equal(before + 1, reads());
        Assert.Equal(PinValue.High, driver.GetLevel(InterruptPin));
        Assert.True(inputs.Polls > 0);

        // INT held low (another chip on the same line, or a change not yet read): every pass reads.
        driver.SetInput(InterruptPin, PinValue.Low);
        before = reads();
        Passes(poller, time, 50);
        Assert.Equal(before + 50, reads());
        driver.SetInput(InterruptPin, PinValue.High);
        before = reads();
        Passes(poller, time, 100);
        Assert.InRange(reads() - before, 10, 11); // back to the 10 ms timer

        // The button's press was decoded from the interrupt-driven read (the timer reads debounce it).
        bool pressed = false;
        while (inputs.TryRead(out InputEvent e))
        {
            pressed |= e.Action == InputAction.Press;
        }

        Assert.True(pressed, "the press read on INT was decoded");
    }

    [Fact]
    public void PollOnce_WithoutInterruptPin_ReadsEveryPass()
    {
        var time = new ManualTimeProvider();
        var chip = new SimulatedMcp23xxx(16);
        var inputs = new ExpanderInputs(null, [], [new ExpanderButton(0, 3)], time);
        using var poller = new I2cControlPoller([new ExpanderSpec("polled", () => IotExpanderPort.Open(ExpanderChip.Mcp23017, chip, shouldDispose: false), inputs, null, 0)], [], null, time, null);
        poller.PollOnce();
        long start = chip.Reads;
        Passes(poller, time, 100);
        Assert.Equal(100, chip.Reads - start);
    }

    private static int Passes(I2cControlPoller poller, ManualTimeProvider time, int count)
    {
        for (int i = 0; i < count; i++)
        {
            time.AdvanceMs(1);
            poller.PollOnce();
        }

        return count;
    }

    private static (I2cDevice Chip, Func<long> Reads, Action<ushort> Drive) Create(ExpanderChip kind, Action<bool> interrupt)
    {
        if (kind == ExpanderChip.Mcp23017)
        {
            var mcp = new SimulatedMcp23xxx(16) { InterruptChanged = interrupt };
            return (mcp, () => mcp.Reads, levels => mcp.ExternalLevels = levels);
        }

        var pcf = new SimulatedPcf857x(8, address: 0x20) { InterruptChanged = interrupt };
        return (pcf, () => pcf.Reads, levels => pcf.ExternalLevels = levels);
    }
}
