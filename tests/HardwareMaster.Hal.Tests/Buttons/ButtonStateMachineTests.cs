using HardwareMaster.Hal.Buttons;

namespace HardwareMaster.Hal.Tests.Buttons;

public class ButtonStateMachineTests
{
    private const long Frequency = 10_000_000;

    private static long Ms(double ms) => (long)(ms * Frequency / 1000);

    private static ButtonStateMachine Create()
    {
        var machine = new ButtonStateMachine(new ButtonTiming(5, 700, 300), Frequency);
        machine.Update(false, 0);
        return machine;
    }

    [Fact]
    public void Update_BouncyPress_ReportsOnePressStampedWhenStable()
    {
        var machine = Create();
        ButtonEvent all = ButtonEvent.None;
        int presses = 0;
        double[] edges = [100, 100.3, 100.9, 101.2, 101.8];
        bool level = false;
        foreach (double t in edges)
        {
            level = !level;
            ButtonEvent e = machine.Update(level, Ms(t));
            presses += (e & ButtonEvent.Press) != 0 ? 1 : 0;
            all |= e;
        }

        for (double t = 102; t < 120; t += 1)
        {
            ButtonEvent e = machine.Update(true, Ms(t));
            presses += (e & ButtonEvent.Press) != 0 ? 1 : 0;
            all |= e;
        }

        Assert.Equal(1, presses);
        Assert.Equal(Ms(101.8), machine.PressTimestampTicks);
        Assert.Equal(ButtonEvent.None, all & ButtonEvent.Release);
    }

    [Fact]
    public void Update_SpikeShorterThanDebounce_IsIgnored()
    {
        var machine = Create();
        Assert.Equal(ButtonEvent.None, machine.Update(true, Ms(50)));
        Assert.Equal(ButtonEvent.None, machine.Update(false, Ms(52)));
        Assert.Equal(ButtonEvent.None, machine.Update(false, Ms(500)));
        Assert.False(machine.IsPressed);
    }

    [Fact]
    public void Update_HeldPastLongPress_ReportsLongPressOnceThenRelease()
    {
        var machine = Create();
        machine.Update(true, Ms(10));
        int longPresses = 0;
        for (double t = 20; t <= 2000; t += 20)
        {
            longPresses += (machine.Update(true, Ms(t)) & ButtonEvent.LongPress) != 0 ? 1 : 0;
        }

        Assert.Equal(1, longPresses);
        Assert.Equal(Ms(710), machine.LongPressTimestampTicks);
        machine.Update(false, Ms(2010));
        Assert.Equal(ButtonEvent.Release, machine.Update(false, Ms(2020)));
        Assert.Equal(Ms(2010), machine.ReleaseTimestampTicks);
    }

    [Fact]
    public void Update_ReleaseBounceNearLongPressTime_NoPhantomLongPress()
    {
        var machine = Create();
        machine.Update(true, Ms(0));
        machine.Update(true, Ms(10));
        // Released at 650 ms with bounce lasting past the long-press time (700 ms after the press).
        ButtonEvent all = ButtonEvent.None;
        bool level = true;
        for (double t = 650; t < 705; t += 0.5)
        {
            level = !level;
            all |= machine.Update(level && t < 651, Ms(t));
        }

        all |= machine.Update(false, Ms(720));
        Assert.Equal(ButtonEvent.Release, all);
    }

    [Fact]
    public void Update_TwoShortPressesWithinWindow_ReportsDoublePressOnSecond()
    {
        var machine = Create();
        Assert.Equal(ButtonEvent.Press, machine.Update(true, Ms(10)) | machine.Update(true, Ms(20)));
        Assert.Equal(ButtonEvent.Release, machine.Update(false, Ms(100)) | machine.Update(false, Ms(110)));
        Assert.Equal(ButtonEvent.Press | ButtonEvent.DoublePress, machine.Update(true, Ms(300)) | machine.Update(true, Ms(310)));
        machine.Update(false, Ms(400));
        machine.Update(false, Ms(410));
        Assert.Equal(ButtonEvent.Press, machine.Update(true, Ms(500)) | machine.Update(true, Ms(510))); // a third press is not another double
    }

    [Fact]
    public void Update_SecondPressAfterWindow_IsSinglePress()
    {
        var machine = Create();
        machine.Update(true, Ms(10));
        machine.Update(false, Ms(100));
        machine.Update(false, Ms(110));
        Assert.Equal(ButtonEvent.Press, machine.Update(true, Ms(500)) | machine.Update(true, Ms(510)));
    }

    [Fact]
    public void Update_PressedAtStartUp_NoPressUntilReleasedOnce()
    {
        var machine = new ButtonStateMachine(ButtonTiming.Default, Frequency);
        Assert.Equal(ButtonEvent.None, machine.Update(true, 0));
        Assert.Equal(ButtonEvent.None, machine.Update(true, Ms(2000)));
        machine.Update(false, Ms(2100));
        Assert.Equal(ButtonEvent.Release, machine.Update(false, Ms(2200)));
    }

    [Fact]
    public void Constructor_LongPressNotLongerThanDebounce_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ButtonStateMachine(new ButtonTiming(50, 40, 300), Frequency));
}
