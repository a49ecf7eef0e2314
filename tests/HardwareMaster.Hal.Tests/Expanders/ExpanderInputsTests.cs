using HardwareMaster.Hal.Expanders;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Simulation;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.Hal.Tests.Expanders;

public class ExpanderInputsTests
{
    // The "3 encoders + 4 buttons on an MCP23017" board (deploy-pi/profiles/mcp23017-3enc-4btn.json):
    // encoders on GPA0-2, GPA3-5 and GPA6/GPB0/GPB1; buttons GPB2-5; LEDs on GPA7, GPB6, GPB7 (output only on the
    // MCP23017, data sheet DS20001952D).
    private const ushort LedMask = 0xC080;

    private static readonly ExpanderEncoder[] Encoders =
    [
        new(0, 0, 1, 2), new(1, 3, 4, 5), new(2, 6, 8, 9),
    ];

    private static readonly ExpanderButton[] Buttons = [new(0, 10), new(1, 11), new(2, 12), new(3, 13)];

    private static List<InputEvent> Drain(IInputQueue queue)
    {
        var events = new List<InputEvent>();
        while (queue.TryRead(out InputEvent e))
        {
            events.Add(e);
        }

        return events;
    }

    // Clockwise from rest 11 (pull-ups): 01 -> 00 -> 10 -> 11, with contact bounce on every edge; polled after each change.
    internal static void Turn(Action<int, bool> set, Action poll, ManualTimeProvider time, int pinA, int pinB, int detents, double detentMs, int bounces)
    {
        (bool A, bool B)[] cw = [(true, true), (false, true), (false, false), (true, false)];
        int position = 0;
        int direction = Math.Sign(detents);
        for (int d = 0; d < Math.Abs(detents); d++)
        {
            for (int t = 0; t < 4; t++)
            {
                (bool A, bool B) from = cw[((position % 4) + 4) % 4];
                position += direction;
                (bool A, bool B) to = cw[((position % 4) + 4) % 4];
                int pin = from.A != to.A ? pinA : pinB;
                bool level = from.A != to.A ? to.A : to.B;
                for (int k = 0; k < bounces; k++)
                {
                    set(pin, level);
                    poll();
                    time.AdvanceMs(0.05);
                    set(pin, !level);
                    poll();
                    time.AdvanceMs(0.05);
                }

                set(pin, level);
                poll();
                time.AdvanceMs(detentMs / 4);
            }
        }
    }

    private static void SetPin(SimulatedMcp23xxx chip, int pin, bool high) =>
        chip.ExternalLevels = high ? (ushort)(chip.ExternalLevels | (1 << pin)) : (ushort)(chip.ExternalLevels & ~(1 << pin));

    [Fact]
    public void Open_Mcp23017_ConfiguresInputsWithPullUpsAndLedOutputs()
    {
        var chip = new SimulatedMcp23xxx(16, address: 0x20);
        using var port = IotExpanderPort.Open(ExpanderChip.Mcp23017, chip, outputMask: 0xF000);
        Assert.Equal(0x0FFF, chip.Direction);
        Assert.Equal(0xFF, chip.Register(6, 0)); // GPPUA
        Assert.Equal(0x0F, chip.Register(6, 1)); // GPPUB
        port.WriteOutputs(0b1010_0000_0000_0000);
        Assert.Equal(0xA000, chip.OutputLatch);
        Assert.Equal(0xAFFF, port.ReadInputs()); // inputs idle high, outputs read back their latch
    }

    [Theory]
    [InlineData(0, 12, 0)]
    [InlineData(1, -12, 3)]
    [InlineData(2, 8, 2)]
    public void Turn_BouncyEncoderOnMcp23017ThroughTheLibrary_OneStepPerDetent(int encoder, int detents, int bounces)
    {
        var time = new ManualTimeProvider();
        var chip = new SimulatedMcp23xxx(16);
        using var port = IotExpanderPort.Open(ExpanderChip.Mcp23017, chip, outputMask: LedMask);
        var inputs = new ExpanderInputs(port, Encoders, Buttons, time);
        inputs.Poll();
        Turn((pin, high) => SetPin(chip, pin, high), () => inputs.Poll(), time, Encoders[encoder].PinA, Encoders[encoder].PinB, detents, 200, bounces);
        List<InputEvent> events = Drain(inputs);
        Assert.Equal(Math.Abs(detents), events.Count);
        Assert.All(events, e => Assert.Equal(InputSource.Encoder(encoder), e.Source));
        Assert.All(events, e => Assert.Equal(Math.Sign(detents), e.Delta));
    }

    [Fact]
    public void Buttons_OnMcp23017_DebouncedPressReleaseAndLongPress()
    {
        var time = new ManualTimeProvider();
        var chip = new SimulatedMcp23xxx(16);
        using var port = IotExpanderPort.Open(ExpanderChip.Mcp23017, chip);
        var inputs = new ExpanderInputs(port, Encoders, Buttons, time);
        inputs.Poll();
        SetPin(chip, 11, false); // button 1
        for (int i = 0; i < 100; i++)
        {
            time.AdvanceMs(10);
            inputs.Poll();
        }

        SetPin(chip, 11, true);
        for (int i = 0; i < 5; i++)
        {
            time.AdvanceMs(10);
            inputs.Poll();
        }

        List<InputEvent> events = Drain(inputs);
        Assert.Equal([InputAction.Press, InputAction.LongPress, InputAction.Release], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(InputSource.Button(1), e.Source));
    }

    [Theory]
    [InlineData(ExpanderChip.Mcp23008)]
    [InlineData(ExpanderChip.Pcf8574)]
    [InlineData(ExpanderChip.Pcf8575)]
    public void EncoderAndButton_OnOtherChips_Decoded(ExpanderChip kind)
    {
        var time = new ManualTimeProvider();
        Action<int, bool> set;
        System.Device.I2c.I2cDevice device;
        if (kind == ExpanderChip.Mcp23008)
        {
            var mcp = new SimulatedMcp23xxx(8);
            device = mcp;
            set = (pin, high) => SetPin(mcp, pin, high);
        }
        else
        {
            var pcf = new SimulatedPcf857x(kind == ExpanderChip.Pcf8575 ? 16 : 8);
            device = pcf;
            set = (pin, high) => pcf.ExternalLevels = high ? (ushort)(pcf.ExternalLevels | (1 << pin)) : (ushort)(pcf.ExternalLevels & ~(1 << pin));
        }

        using var port = IotExpanderPort.Open(kind, device, outputMask: 0x80);
        var inputs = new ExpanderInputs(port, [new ExpanderEncoder(0, 0, 1, 2)], [new ExpanderButton(0, 3)], time);
        inputs.Poll();
        Turn(set, () => inputs.Poll(), time, 0, 1, 5, 200, 2);
        set(3, false);
        inputs.Poll();
        time.AdvanceMs(20);
        inputs.Poll(); // the debounced press is accepted on the first poll after 5 ms of a stable level
        List<InputEvent> events = Drain(inputs);
        Assert.Equal(5, events.Count(e => e.Action == InputAction.Rotate && e.Delta == 1));
        Assert.Contains(events, e => e.Source == InputSource.Button(0) && e.Action == InputAction.Press);
        port.WriteOutputs(0xFF);
        Assert.Equal(0x80, port.ReadInputs() & 0x80);
    }

    [Fact]
    public void Poll_SteadyState_DoesNotAllocate()
    {
        var time = new ManualTimeProvider();
        var chip = new SimulatedMcp23xxx(16);
        using var port = IotExpanderPort.Open(ExpanderChip.Mcp23017, chip, outputMask: LedMask);
        var inputs = new ExpanderInputs(port, Encoders, Buttons, time);
        void Cycle(int i)
        {
            SetPin(chip, i % 2 == 0 ? 0 : 1, (i / 2) % 2 == 0);
            time.AdvanceMs(5);
            inputs.Poll();
            port.WriteOutputs((ushort)(i << 12));
            while (inputs.TryRead(out _))
            {
            }
        }

        for (int i = 0; i < 200; i++)
        {
            Cycle(i);
        }

        // Least of four segments (AllocationProbe): another thread's garbage collection can make the per-thread counter jump once.
        long least = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                Cycle(i);
            }
        });
        Assert.Equal(0, least);
    }
}
