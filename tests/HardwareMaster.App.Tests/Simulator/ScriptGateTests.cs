using HardwareMaster.App.Simulator;

namespace HardwareMaster.App.Tests.Simulator;

/// <summary>The gate that holds an unpaced device at the next scripted gesture until the UI has handled it.</summary>
public sealed class ScriptGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void WaitIfDue_BeforeTheNextGesture_DoesNotHold()
    {
        using var gate = new ScriptGate();
        gate.SetNextDue(1000);
        gate.WaitIfDue(999);
        Assert.Equal(0, gate.Holds);
    }

    [Fact]
    public void WaitIfDue_AtTheGesture_HoldsUntilTheUiMovesOnAndWakesIt()
    {
        using var gate = new ScriptGate();
        gate.SetNextDue(4800);
        var audio = new Thread(() => gate.WaitIfDue(4800)) { IsBackground = true };
        audio.Start();

        Assert.True(gate.UiWake.Wait(Patience), "the held audio wakes the UI loop");
        Assert.True(audio.IsAlive, "audio is held while the gesture is due");
        gate.SetNextDue(9600);
        Assert.True(audio.Join(Patience));
        Assert.Equal(1, gate.Holds);
    }

    [Fact]
    public void Release_FreesAHeldDeviceForGood()
    {
        using var gate = new ScriptGate();
        gate.SetNextDue(0);
        var audio = new Thread(() => gate.WaitIfDue(0)) { IsBackground = true };
        audio.Start();
        Assert.True(gate.UiWake.Wait(Patience));
        gate.Release();
        Assert.True(audio.Join(Patience));
        gate.WaitIfDue(1_000_000);
        Assert.True(gate.IsReleased);
    }

    [Fact]
    public void OnDeviceStart_ArmsTheFirstGestureAtTheDevicesRate()
    {
        using var gate = new ScriptGate();
        gate.ArmFirst(0.5);
        gate.OnDeviceStart(44100);
        var audio = new Thread(() => gate.WaitIfDue(22050)) { IsBackground = true };
        audio.Start();
        Assert.True(gate.UiWake.Wait(Patience), "held at 0.5 s = frame 22050");
        gate.SetNextDue(long.MaxValue);
        Assert.True(audio.Join(Patience));
        gate.WaitIfDue(22049); // before it: never held
        Assert.Equal(1, gate.Holds);
    }
}
