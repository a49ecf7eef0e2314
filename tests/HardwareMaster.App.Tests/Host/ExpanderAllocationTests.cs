using System.Device.Gpio;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Profile;
using HardwareMaster.Hal.Simulation;
using Microsoft.Extensions.Logging.Abstractions;

namespace HardwareMaster.App.Tests.Host;

/// <summary>
/// The steady state of the I²C controls allocates nothing: the poll pass (expander read through Iot.Device.Bindings'
/// Mcp23017, decoding, LED write, ADS1115 conversion and filter), the UI side (gestures drained, LEDs set, pots applied
/// to the parameters). Four segments, least of them asserted (the per-thread counter can jump once when another
/// thread's GC retires this thread's allocation context).
/// </summary>
public sealed class ExpanderAllocationTests
{
    [Fact]
    public void PollAndApply_SteadyState_AllocateNothing()
    {
        var time = new ManualTimeProvider();
        var driver = new ScriptedGpioDriver(time);
        using var gpio = new GpioController(driver);
        var mcp = new SimulatedMcp23xxx(16, 1, 0x20);
        var ads = new SimulatedAds1115(1, 0x48);
        mcp.InterruptChanged = asserted => driver.SetInput(17, asserted ? PinValue.Low : PinValue.High);
        HardwareProfile profile = ExpanderBoxTests.ShippedExpanderProfile(withPot: true);
        using HardwareControls controls = HardwareControls.Open(profile, gpio, time, (_, address) => address == 0x20 ? mcp : ads);
        var engine = new AudioEngine(new MasteringChain());
        engine.Prepare(48000, 64, paced: false);
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        var supervisor = new AudioSupervisor(controller, new SupervisorOptions("gen:silence", new AudioDeviceOptions()), NullLogger.Instance);
        using var backend = new EngineBoxBackend(supervisor, controller, time: time);
        PotParameters pots = controls.CreatePotParameters(profile, backend)!;
        I2cControlPoller poller = controls.Poller!;
        (bool A, bool B)[] quadrature = [(false, true), (false, false), (true, false), (true, true)];
        long gestures = 0;
        long smallest = long.MaxValue;
        for (int pass = 0; pass < 5; pass++)
        {
            long allocated = 0;
            for (int i = 0; i < 400; i++)
            {
                // The value encoder (GPA6/GPB0) turns a step, BYPASS (GPB5) is pressed every 100 steps, the pot sweeps.
                (bool a, bool b) = quadrature[i % 4];
                ushort levels = 0xFFFF;
                levels = (ushort)(a ? levels : levels & ~(1 << 6));
                levels = (ushort)(b ? levels : levels & ~(1 << 8));
                levels = (ushort)(i % 100 < 10 ? levels & ~(1 << 13) : levels);
                mcp.ExternalLevels = levels;
                ads.SetInput(0, 3.3 * (0.5 + (0.4 * Math.Sin(i / 30.0))));
                time.AdvanceMs(2);

                long before = GC.GetAllocatedBytesForCurrentThread();
                poller.PollOnce();
                while (controls.Input.TryRead(out BoxInput _))
                {
                    gestures++;
                }

                controls.Set(BoxControl.Eq, i % 50 < 25);
                pots.Apply();
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }

            smallest = pass == 0 ? smallest : Math.Min(smallest, allocated);
        }

        Assert.True(gestures > 100, $"the controls worked ({gestures} gestures)");
        Assert.True(pots.Moves > 10, $"the pot moved its parameter ({pots.Moves} times)");
        Assert.True(poller.IsExpanderUp(0) && poller.IsPotBankUp(0));
        Assert.Equal(0, smallest);
    }
}
