using HardwareMaster.Hal.Analog;
using HardwareMaster.Hal.Expanders;
using HardwareMaster.Hal.Profile;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.Hal.Tests.Expanders;

/// <summary>
/// The interrupt-on-change set-up of <see cref="IotExpanderPort"/> against the simulated MCP23xxx's INT model, the
/// simulators' failing bus, and the profile's pots section.
/// </summary>
public sealed class ExpanderInterruptTests
{
    [Fact]
    public void Mcp23017_InterruptOnChange_AssertsIntUntilThePortIsRead()
    {
        var chip = new SimulatedMcp23xxx(16);
        var seen = new List<bool>();
        chip.InterruptChanged = seen.Add;
        using IotExpanderPort port = IotExpanderPort.Open(ExpanderChip.Mcp23017, chip, outputMask: 0xE000, interruptOnChange: true, shouldDispose: false);
        Assert.Equal(0x1FFF, chip.Register(0x02) | (chip.Register(0x02, 1) << 8)); // GPINTEN = the inputs
        Assert.Equal(0x40, chip.Register(0x05) & 0x40); // IOCON.MIRROR: INTA covers port B too
        Assert.False(chip.InterruptAsserted);

        chip.ExternalLevels = 0xFFFF & ~(1 << 12); // GPB4 pressed
        Assert.True(chip.InterruptAsserted);
        Assert.Equal(0, port.ReadInputs() & (1 << 12));
        Assert.False(chip.InterruptAsserted);

        chip.ExternalLevels = 0xFFFF & ~(1 << 12) & ~(1 << 14); // an output pin: no interrupt
        Assert.False(chip.InterruptAsserted);
        Assert.Equal([true, false], seen);
    }

    [Fact]
    public void Pcf8574_InputChange_AssertsIntUntilReadOrWrittenOrChangedBack()
    {
        // TI SCPS069D: /INT on any edge of an input; reset by a read or write of the port, or by the input returning.
        var chip = new SimulatedPcf857x(8, address: 0x20);
        var seen = new List<bool>();
        chip.InterruptChanged = seen.Add;
        using IotExpanderPort port = IotExpanderPort.Open(ExpanderChip.Pcf8574, chip, outputMask: 0x80, shouldDispose: false);
        Assert.False(chip.InterruptAsserted);

        chip.ExternalLevels = 0xFF & ~(1 << 2); // P2 pulled low
        Assert.True(chip.InterruptAsserted);
        long reads = chip.Reads;
        Assert.Equal(0, port.ReadInputs() & (1 << 2));
        Assert.Equal(reads + 1, chip.Reads);
        Assert.False(chip.InterruptAsserted);

        chip.ExternalLevels = 0xFF; // P2 released: a rising edge interrupts too
        Assert.True(chip.InterruptAsserted);
        chip.ExternalLevels = 0xFF & ~(1 << 2); // back to the levels last read: reset without a read
        Assert.False(chip.InterruptAsserted);

        chip.ExternalLevels = 0xFF;
        Assert.True(chip.InterruptAsserted);
        port.WriteOutputs(0x80); // a write to the port resets it as well
        Assert.False(chip.InterruptAsserted);

        // P7 is an output written low: the outside cannot move it, so no interrupt.
        port.WriteOutputs(0);
        chip.ExternalLevels = 0xFF & ~(1 << 7);
        Assert.False(chip.InterruptAsserted);
        Assert.Equal([true, false, true, false, true, false], seen);
    }

    [Fact]
    public void Pcf8574_PinLowAtPowerOn_AssertsIntAtOnce()
    {
        // NXP PCF8574 rev 5 §8.5: at power-on the ports are high, so a pin held low asserts /INT until the first read.
        var chip = new SimulatedPcf857x(16, address: 0x20) { ExternalLevels = 0xFFFE };
        Assert.True(chip.InterruptAsserted);
        using IotExpanderPort port = IotExpanderPort.Open(ExpanderChip.Pcf8575, chip, shouldDispose: false);
        Assert.False(chip.InterruptAsserted); // the set-up write reset it
        chip.ExternalLevels = 0x7FFE; // P17 (bit 15) of the 16-bit chip goes low too
        Assert.True(chip.InterruptAsserted);
        Assert.Equal(0x7FFE, port.ReadInputs());
        Assert.False(chip.InterruptAsserted);
    }

    [Fact]
    public void Mcp23008_WithoutInterruptSetUp_NeverAsserts()
    {
        var chip = new SimulatedMcp23xxx(8);
        using IotExpanderPort port = IotExpanderPort.Open(ExpanderChip.Mcp23008, chip, shouldDispose: false);
        chip.ExternalLevels = 0xFFFE;
        Assert.False(chip.InterruptAsserted);
        Assert.Equal(0xFE, port.ReadInputs());
    }

    [Fact]
    public void FailingSimulators_ThrowIOException_AndAnswerAgain()
    {
        var chip = new SimulatedMcp23xxx(16);
        using IotExpanderPort port = IotExpanderPort.Open(ExpanderChip.Mcp23017, chip, shouldDispose: false);
        chip.Failing = true;
        Assert.Throws<IOException>(() => port.ReadInputs());
        chip.Failing = false;
        Assert.Equal(0xFFFF, port.ReadInputs());

        var adc = new SimulatedAds1115();
        adc.SetInput(0, 1.65);
        using var bank = new AdsPotBank(adc, [0]);
        adc.Failing = true;
        Assert.Throws<IOException>(() => bank.Poll(0, out _));
        adc.Failing = false;
        Assert.True(bank.Poll(0, out double position));
        Assert.InRange(position, 0.49, 0.51);
    }

    [Fact]
    public void Pots_ParseAndShareOneConverterPerAddress()
    {
        HardwareProfile profile = HardwareProfileLoader.Parse("""
            { "pots": [ { "name": "trim", "parameter": "trim.gain", "address": "0x48", "channel": 0 },
                        { "name": "width", "parameter": "width.amount", "address": "0x48", "channel": 1, "reverse": true } ] }
            """, "box.json");
        Assert.Equal(2, profile.Pots.Count);
        Assert.True(profile.Pots[1].Reverse);
        Assert.Equal(0x48, profile.Pots[1].Address);
    }

    [Theory]
    [InlineData("""{ "pots": [ { "parameter": "x", "channel": 4 } ] }""", "box.json: $.pots[0].channel: 4 is not an ADS1115 input (0-3).")]
    [InlineData("""{ "pots": [ { "parameter": "x", "address": "0x20" } ] }""", "box.json: $.pots[0].address: 0x20 is not an ADS1115 address (0x48-0x4B).")]
    [InlineData("""{ "pots": [ { "parameter": "" } ] }""", "box.json: $.pots[0].parameter: a pot needs the id of the parameter it moves (\"input.gain\").")]
    [InlineData("""{ "pots": [ { "parameter": "a" }, { "parameter": "b" } ] }""", "box.json: $.pots[1].channel: input 0 of the ADS1115 at 0x48 is already used by $.pots[0].")]
    [InlineData("""{ "i2cDevices": [ { "name": "PCM1863 ADC", "address": "0x4A" } ], "pots": [ { "parameter": "a", "address": "0x4A" } ] }""", "box.json: $.pots[0].address: I2C address 0x4A on bus 1 is already used by $.i2cDevices[0].address.")]
    public void Pots_Inconsistent_OneLineNamingThePath(string json, string message)
    {
        HardwareProfileException error = Assert.Throws<HardwareProfileException>(() => HardwareProfileLoader.Parse(json, "box.json"));
        Assert.Equal(message, error.Message);
    }
}
