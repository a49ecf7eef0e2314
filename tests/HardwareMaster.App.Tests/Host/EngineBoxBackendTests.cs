using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Tests.AudioFiles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HardwareMaster.App.Tests.Host;

/// <summary>The face's backend over the engine: values mirrored, sets reach the controller, system figures, no allocation.</summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class EngineBoxBackendTests : IDisposable
{
    private readonly string _thermal = Directory.CreateTempSubdirectory("hm-backend").FullName;

    public void Dispose() => Directory.Delete(_thermal, recursive: true);

    [Fact]
    public void TrySet_ReachesTheControllerAndTheMirror()
    {
        (EngineBoxBackend backend, EngineController controller) = Create();
        int width = backend.Registry.IndexOf("width.width");
        Assert.Equal(100, backend.Get(width));
        Assert.True(backend.TrySet(width, 150));
        Assert.Equal(150, backend.Get(width));
        Assert.Equal(150, controller.Get(width));
        Assert.True(backend.TrySet(width, 1e9)); // clamped, like the controller
        Assert.Equal(backend.Registry.All[width].Maximum, backend.Get(width));
        Assert.Equal(controller.Get(width), backend.Get(width));
    }

    [Fact]
    public void Resync_AfterASetBehindItsBack_ReadsTheController()
    {
        (EngineBoxBackend backend, EngineController controller) = Create();
        int trim = backend.Registry.IndexOf("trim.gain");
        controller.Set(trim, 3);
        Assert.Equal(0, backend.Get(trim));
        backend.Resync();
        Assert.Equal(3, backend.Get(trim));
    }

    [Fact]
    public void GlobalBypass_IsTheEngines()
    {
        (EngineBoxBackend backend, EngineController controller) = Create();
        backend.GlobalBypass = true;
        Assert.True(controller.Engine.GlobalBypass);
        backend.GlobalBypass = false;
        Assert.False(controller.Engine.GlobalBypass);
    }

    [Fact]
    public void ReadSystem_RateBlockLatencyTemperatureUptime()
    {
        string zone = Path.Combine(_thermal, "thermal_zone0");
        Directory.CreateDirectory(zone);
        File.WriteAllText(Path.Combine(zone, "type"), "cpu-thermal\n");
        File.WriteAllText(Path.Combine(zone, "temp"), "47500\n");
        var time = new FakeTimeProvider();
        (EngineBoxBackend backend, EngineController controller) = Create(new CpuThermometer(_thermal, time), time);
        time.Advance(TimeSpan.FromSeconds(90));

        var status = backend.ReadSystem();
        Assert.Equal(48000, status.SampleRateHz);
        Assert.Equal(64, status.BlockFrames);
        Assert.Equal(controller.Engine.LatencyFrames * 1000.0 / 48000, status.LatencyMs, 9); // no device open: 0 device frames; the block is not a delay of its own
        Assert.Equal(47.5, status.CpuTemperatureC, 6);
        Assert.Equal(TimeSpan.FromSeconds(90), status.Uptime);
        Assert.Equal("idle", status.DeviceState);
        Assert.Equal(0, status.Xruns);
    }

    [Fact]
    public void GetTrySetReadSystemReadMeters_AllocateNothing()
    {
        (EngineBoxBackend backend, _) = Create();
        int trim = backend.Registry.IndexOf("trim.gain");
        int loudness = backend.Registry.IndexOf("loudness.gain");
        long sets = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                // loudness.gain: a value the chain takes without a new settings object (trim, EQ… publish an
                // immutable settings snapshot per change: the chain's allocation, not the backend's)
                backend.TrySet(loudness, (i % 7) * 0.5);
                _ = backend.Get(trim);
                _ = backend.Get(loudness);
            }
        });
        long system = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                _ = backend.ReadSystem();
            }
        });
        long meters = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                _ = backend.ReadMeters();
            }
        });
        Assert.Equal((0L, 0L, 0L), (sets, system, meters));
    }

    private (EngineBoxBackend Backend, EngineController Controller) Create(CpuThermometer? thermometer = null, TimeProvider? time = null)
    {
        var engine = new AudioEngine(new MasteringChain());
        engine.Prepare(48000, 64, paced: false);
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        var supervisor = new AudioSupervisor(controller, new SupervisorOptions("gen:silence", new AudioDeviceOptions()), NullLogger.Instance);
        return (new EngineBoxBackend(supervisor, controller, thermometer ?? new CpuThermometer(Path.Combine(_thermal, "none")), time), controller);
    }
}
