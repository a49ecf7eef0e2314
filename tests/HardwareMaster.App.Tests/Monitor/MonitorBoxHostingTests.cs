using HardwareMaster.App.Engine;
using HardwareMaster.App.Monitor;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Monitor;

namespace HardwareMaster.App.Tests.Monitor;

/// <summary>The box always gets a monitor path, and it carries the stored correction EQ from the start.</summary>
public sealed class MonitorBoxHostingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hm-monbox-" + Guid.NewGuid().ToString("N")[..8]);

    public MonitorBoxHostingTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static AudioEngine CreateEngine()
    {
        var engine = new AudioEngine(new MasteringChain());
        _ = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), ditherBits: 0);
        engine.Prepare(48000, 256, paced: false, fadeInMs: 0);
        return engine;
    }

    [Fact]
    public void Attach_WithoutMonitorOption_AddsAMainOutputPath_FunctionOff_WithTheStoredEq()
    {
        MonitorEqStore.Save(_folder, new MonitorCalibration([new MonitorEqFilter(MonitorEqType.Peak, 1000, -6, 2)], new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero), "room.txt"));
        AudioEngine engine = CreateEngine();
        BoxMonitor monitor = BoxMonitorHosting.Attach(engine, _folder);
        Assert.Same(monitor.Path, engine.Monitor);
        Assert.Equal(MonitorRoute.MainOutput, monitor.Path.Route);
        Assert.Equal(MonitorFunction.Off, monitor.Function);
        Assert.True(monitor.Path.IsCalibrated);
        Assert.True(monitor.ReplacesOutput); // a 2-output device with a correction EQ: the output is the monitor
        Assert.Equal("2026-03-04", monitor.CalibrationDate);
        Assert.Equal(1, monitor.CalibrationFilters);
    }

    [Fact]
    public void Attach_WithTheMonitorOptionsPath_KeepsIt_AndWithoutAStoredEq_TheOutputStaysTheMaster()
    {
        AudioEngine engine = CreateEngine();
        var existing = new MonitorPath(MonitorRoute.MainOutput) { Function = MonitorFunction.Side };
        engine.AttachMonitor(existing);
        BoxMonitor monitor = BoxMonitorHosting.Attach(engine, _folder);
        Assert.Same(existing, monitor.Path);
        Assert.Equal(MonitorFunction.Side, monitor.Function);
        Assert.Null(monitor.CalibrationDate);
        Assert.Null(monitor.CalibrationProblem);
        monitor.Function = MonitorFunction.Off;
        Assert.False(monitor.ReplacesOutput);
    }
}
