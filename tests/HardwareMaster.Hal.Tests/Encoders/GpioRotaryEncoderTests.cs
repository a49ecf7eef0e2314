using System.Device.Gpio;
using HardwareMaster.Hal.Encoders;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.Hal.Tests.Encoders;

public class GpioRotaryEncoderTests
{
    private const int PinA = 17;
    private const int PinB = 27;
    private const int PinSwitch = 22;

    // With pull-ups both contacts idle high (rest state 11); clockwise from 11: 01 -> 00 -> 10 -> 11.
    private static void Turn(ScriptedGpioDriver driver, ManualTimeProvider time, int detents, double detentMs, int bounces)
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
                int pin = from.A != to.A ? PinA : PinB;
                bool level = from.A != to.A ? to.A : to.B;
                for (int k = 0; k < bounces; k++)
                {
                    driver.SetInput(pin, level ? PinValue.High : PinValue.Low);
                    time.AdvanceMs(0.05);
                    driver.SetInput(pin, level ? PinValue.Low : PinValue.High);
                    time.AdvanceMs(0.05);
                }

                driver.SetInput(pin, level ? PinValue.High : PinValue.Low);
                time.AdvanceMs(detentMs / 4);
            }
        }
    }

    private static List<InputEvent> Drain(IInputQueue queue)
    {
        var events = new List<InputEvent>();
        while (queue.TryRead(out InputEvent e))
        {
            events.Add(e);
        }

        return events;
    }

    [Theory]
    [InlineData(10, 200, 0)]
    [InlineData(-10, 200, 0)]
    [InlineData(10, 80, 3)]
    [InlineData(-10, 80, 3)]
    [InlineData(6, 45, 2)]
    public void Turn_SlowerThanAccelerationThreshold_OneStepPerDetent(int detents, double detentMs, int bounces)
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var encoder = new GpioRotaryEncoder(PinA, PinB, null, time, new GpioController(driver), shouldDispose: true, new GpioRotaryEncoderOptions(Index: 2));
        Turn(driver, time, detents, detentMs, bounces);
        List<InputEvent> events = Drain(encoder);
        Assert.Equal(Math.Abs(detents), events.Count);
        Assert.All(events, e => Assert.Equal(new InputSource(InputSourceKind.Encoder, 2), e.Source));
        Assert.All(events, e => Assert.Equal(Math.Sign(detents), e.Delta));
        Assert.Equal(0, encoder.InvalidTransitions);
    }

    [Theory]
    [InlineData(20, 10, 0)]
    [InlineData(-20, 10, 2)]
    [InlineData(20, 5, 1)]
    public void Turn_Fast_AcceleratesButKeepsDirectionAndDetentCount(int detents, double detentMs, int bounces)
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var encoder = new GpioRotaryEncoder(PinA, PinB, null, time, new GpioController(driver));
        Turn(driver, time, detents, detentMs, bounces);
        List<InputEvent> events = Drain(encoder);
        Assert.Equal(Math.Abs(detents), events.Count);
        Assert.All(events, e => Assert.Equal(Math.Sign(detents), Math.Sign(e.Delta)));
        Assert.True(Math.Abs(events.Sum(e => e.Delta)) > 2 * Math.Abs(detents));
    }

    [Fact]
    public void Switch_Pressed_ReportsEncoderSwitchEvents()
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var encoder = new GpioRotaryEncoder(PinA, PinB, PinSwitch, time, new GpioController(driver), options: new GpioRotaryEncoderOptions(Index: 1));
        time.AdvanceMs(10);
        driver.SetInput(PinSwitch, PinValue.Low);
        time.AdvanceMs(20);
        Assert.True(encoder.TryRead(out InputEvent press));
        Assert.Equal(InputSource.EncoderSwitch(1), press.Source);
        Assert.Equal(InputAction.Press, press.Action);
    }

    [Fact]
    public void Dispose_SharedController_ClosesOnlyOwnPinsAndCallbacks()
    {
        var driver = new ScriptedGpioDriver();
        using var controller = new GpioController(driver);
        controller.OpenPin(5, PinMode.Output);
        var encoder = new GpioRotaryEncoder(PinA, PinB, PinSwitch, TimeProvider.System, controller, shouldDispose: false);
        Assert.Equal(1, driver.CallbackCount(PinA));
        encoder.Dispose();
        Assert.False(controller.IsPinOpen(PinA));
        Assert.False(controller.IsPinOpen(PinSwitch));
        Assert.True(controller.IsPinOpen(5));
        Assert.Equal(0, driver.CallbackCount(PinB));
    }

    [Fact]
    public void Constructor_PinAlreadyOpen_ThrowsAndLeavesNothingOpen()
    {
        var driver = new ScriptedGpioDriver();
        using var controller = new GpioController(driver);
        controller.OpenPin(PinB, PinMode.Input);
        Assert.Throws<InvalidOperationException>(() => new GpioRotaryEncoder(PinA, PinB, null, TimeProvider.System, controller, shouldDispose: false));
        Assert.False(controller.IsPinOpen(PinA));
        Assert.Equal(0, driver.CallbackCount(PinA));
    }
}
