using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.Audio.SimulatedDevice;

namespace HardwareMaster.Hal.Tests.Audio;

public class SimulatedAudioDeviceTests
{
    private static readonly AudioDeviceOptions Options = new(BlockFrames: 64, RealtimePriority: 0, LockMemory: false);

    [Fact]
    public void Step_ManualClock_RunsExactlyTheRequestedBlocks()
    {
        var hardware = new SimulatedAudioHardware("manual") { InputFactory = rate => new ToneSignal(1000, -6, rate) };
        using SimulatedAudioDevice device = hardware.CreateDevice(Options, manualClock: true);
        var callback = new RecordingCallback(64 * 100);
        long tappedFrames = 0;
        device.OutputTap = (left, _, _) => tappedFrames += left.Length;
        Assert.False(device.IsPaced);
        device.Start(callback);
        Assert.True(device.Step(10));
        Assert.Equal(10, device.ProcessedBlocks);
        Assert.Equal(640, callback.Frames);
        Assert.Equal(640, tappedFrames);
        Thread.Sleep(20);
        Assert.Equal(10, callback.Blocks); // nothing runs without a step
        Assert.True(device.Step(5));
        Assert.Equal(15, callback.Blocks);
        var expected = new float[64 * 15];
        new ToneSignal(1000, -6, 48000).Render(expected, new float[expected.Length], 0);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], callback.Inputs[2 * i]);
        }

        device.Stop();
        Assert.False(device.IsRunning);
        Assert.Throws<InvalidOperationException>(() => device.Step(1));
    }

    [Fact]
    public void Fail_WhileRunning_RaisesDeviceLostStopsAndBlocksReopenUntilReturn()
    {
        string name = "usb-" + Guid.NewGuid().ToString("N");
        SimulatedAudioHardware hardware = SimulatedAudioHardware.Get(name);
        IAudioDevice device = AudioDeviceFactory.Create("sim:" + name, Options);
        Assert.IsType<SimulatedAudioDevice>(device);
        Assert.True(device.IsPaced);
        using var lost = new ManualResetEventSlim();
        AudioDeviceError? error = null;
        device.Error += e =>
        {
            error = e;
            lost.Set();
        };
        var callback = new ToneCallback();
        device.Start(callback);
        SpinWait.SpinUntil(() => callback.Blocks > 10, TimeSpan.FromSeconds(5));

        hardware.Fail("USB device unplugged");
        Assert.True(lost.Wait(TimeSpan.FromSeconds(5)));
        Assert.Equal(AudioDeviceErrorKind.DeviceLost, error!.Kind);
        Assert.True(error.IsFatal);
        Assert.Equal($"sim:{name}: USB device unplugged", error.Message);
        SpinWait.SpinUntil(() => !device.IsRunning, TimeSpan.FromSeconds(5));
        Assert.False(device.IsRunning);
        long blocksAtLoss = callback.Blocks;
        Thread.Sleep(20);
        Assert.Equal(blocksAtLoss, callback.Blocks);

        // The host disposes and retries: opening fails while the hardware is absent...
        device.Dispose();
        using (IAudioDevice retry = AudioDeviceFactory.Create("sim:" + name, Options))
        {
            var ex = Assert.Throws<AudioDeviceException>(() => retry.Start(new ToneCallback()));
            Assert.Contains("USB device unplugged", ex.Message);
            Assert.False(retry.IsRunning);
        }

        // ...and succeeds once it returns.
        hardware.Return();
        using IAudioDevice reopened = AudioDeviceFactory.Create("sim:" + name, Options);
        var again = new ToneCallback();
        reopened.Start(again);
        Assert.True(SpinWait.SpinUntil(() => again.Blocks > 10, TimeSpan.FromSeconds(5)));
        reopened.Stop();
    }

    [Fact]
    public void InjectXruns_WhileRunning_CountsThemAndRaisesOneNonFatalXrunEvent()
    {
        var hardware = new SimulatedAudioHardware("xruns");
        using SimulatedAudioDevice device = hardware.CreateDevice(Options, manualClock: true);
        using var raised = new ManualResetEventSlim();
        AudioDeviceError? xrun = null;
        device.Error += e =>
        {
            xrun = e;
            raised.Set();
        };
        device.Start(new ToneCallback());
        Assert.True(device.Step(2));
        hardware.InjectXruns(3);
        Assert.True(device.Step(1));
        Assert.Equal(3, device.XrunCount);
        Assert.True(raised.Wait(TimeSpan.FromSeconds(5)));
        Assert.Equal(AudioDeviceErrorKind.Xrun, xrun!.Kind);
        Assert.False(xrun.IsFatal);
        Assert.Equal(3, xrun.XrunCount);
        Assert.Equal("sim:xruns: 3 xrun(s) recovered (3 in total).", xrun.Message);
        Assert.True(device.IsRunning);
        device.Stop();
    }

    [Fact]
    public void Fail_ManualClockWaitingForStep_StopsAndStepReportsIt()
    {
        var hardware = new SimulatedAudioHardware("manual-fail");
        using SimulatedAudioDevice device = hardware.CreateDevice(Options, manualClock: true);
        using var lost = new ManualResetEventSlim();
        device.Error += e => lost.Set();
        device.Start(new ToneCallback());
        Assert.True(device.Step(3));
        hardware.Fail();
        Assert.True(lost.Wait(TimeSpan.FromSeconds(5)));
        SpinWait.SpinUntil(() => !device.IsRunning, TimeSpan.FromSeconds(5));
        Assert.Equal(3, device.ProcessedBlocks);
        Assert.Throws<InvalidOperationException>(() => device.Step(1));
        Assert.Throws<AudioDeviceException>(() => device.Start(new ToneCallback()));
        hardware.Return();
        device.Start(new ToneCallback());
        Assert.True(device.Step(2));
        Assert.Equal(5, device.ProcessedBlocks);
    }
}
