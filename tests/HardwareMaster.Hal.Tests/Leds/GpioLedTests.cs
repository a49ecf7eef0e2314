using System.Device.Gpio;
using HardwareMaster.Hal.Leds;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.Hal.Tests.Leds;

public class GpioLedTests
{
    [Fact]
    public void Update_BlinkPattern_TogglesAtPatternTimesAndWritesOnlyOnChange()
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var led = new GpioLed(12, time, new GpioController(driver));
        led.SetPattern(new LedPattern(100, 300));
        var levels = new List<bool>();
        for (int i = 0; i < 80; i++)
        {
            levels.Add(driver.GetLevel(12) == PinValue.High);
            time.AdvanceMs(10);
            led.Update();
        }

        Assert.Equal(Enumerable.Range(0, 80).Select(i => (i * 10) % 400 < 100), levels);
        Assert.Equal(6, driver.GetWriteCount(12)); // off at open, on at start, then changes at 100, 400, 500 and 800 ms
    }

    [Fact]
    public void LedPattern_GroupOfFlashes_PausesAfterGroup()
    {
        var pattern = new LedPattern(100, 100, FlashCount: 3, PauseMs: 1000);
        Assert.True(pattern.IsLitAt(0));
        Assert.False(pattern.IsLitAt(150));
        Assert.True(pattern.IsLitAt(450));
        Assert.False(pattern.IsLitAt(700));
        Assert.False(pattern.IsLitAt(1500));
        Assert.True(pattern.IsLitAt(1600));
    }

    [Fact]
    public void TurnOn_ActiveLow_DrivesPinLow()
    {
        var driver = new ScriptedGpioDriver();
        using var led = new GpioLed(9, TimeProvider.System, new GpioController(driver), activeLow: true);
        Assert.Equal(PinValue.High, driver.GetLevel(9));
        led.TurnOn();
        Assert.Equal(PinValue.Low, driver.GetLevel(9));
        Assert.True(led.IsLit);
    }
}
