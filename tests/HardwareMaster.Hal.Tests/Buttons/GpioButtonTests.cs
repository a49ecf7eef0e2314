using System.Device.Gpio;
using HardwareMaster.Hal.Buttons;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.Hal.Tests.Buttons;

public class GpioButtonTests
{
    private const int Pin = 16;

    private static List<InputEvent> Drain(IInputQueue queue)
    {
        var events = new List<InputEvent>();
        while (queue.TryRead(out InputEvent e))
        {
            events.Add(e);
        }

        return events;
    }

    [Fact]
    public void TryRead_BouncyPressHeldAndReleased_PressLongPressReleaseWithTimestamps()
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var button = new GpioButton(Pin, time, new GpioController(driver), options: new GpioButtonOptions(InputSource.Button(3)));
        driver.Play(
        [
            new PinStep(Pin, PinValue.Low, 100), new PinStep(Pin, PinValue.High, 0.4), new PinStep(Pin, PinValue.Low, 0.4),
        ]);
        var events = new List<InputEvent>();
        for (int i = 0; i < 100; i++)
        {
            time.AdvanceMs(10);
            events.AddRange(Drain(button));
        }

        driver.Play([new PinStep(Pin, PinValue.High), new PinStep(Pin, PinValue.Low, 0.3), new PinStep(Pin, PinValue.High, 0.3)]);
        time.AdvanceMs(20);
        events.AddRange(Drain(button));

        Assert.Equal([InputAction.Press, InputAction.LongPress, InputAction.Release], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(InputSource.Button(3), e.Source));
        Assert.Equal(TimeSpan.FromMilliseconds(100.8).Ticks, events[0].TimestampTicks);
        Assert.Equal(events[0].TimestampTicks + TimeSpan.FromMilliseconds(700).Ticks, events[1].TimestampTicks);
    }

    [Fact]
    public void TryRead_EventsDrainedLate_StillOrderedWithEdgeTimestamps()
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var button = new GpioButton(Pin, time, new GpioController(driver));
        driver.Play([new PinStep(Pin, PinValue.Low, 10), new PinStep(Pin, PinValue.High, 100), new PinStep(Pin, PinValue.Low, 100), new PinStep(Pin, PinValue.High, 100)]);
        time.AdvanceMs(50);
        List<InputEvent> events = Drain(button);
        Assert.Equal([InputAction.Press, InputAction.Release, InputAction.Press, InputAction.DoublePress, InputAction.Release], events.Select(e => e.Action));
        Assert.True(events.Zip(events.Skip(1)).All(pair => pair.First.TimestampTicks <= pair.Second.TimestampTicks));
    }

    [Fact]
    public void Dispose_SharedController_UnregistersCallbackAndClosesPin()
    {
        var driver = new ScriptedGpioDriver();
        using var controller = new GpioController(driver);
        var button = new GpioButton(Pin, TimeProvider.System, controller, shouldDispose: false);
        Assert.Equal(1, driver.CallbackCount(Pin));
        button.Dispose();
        Assert.Equal(0, driver.CallbackCount(Pin));
        Assert.False(controller.IsPinOpen(Pin));
    }
}
