using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Host.Protection;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Tests.Host;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Processors;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.Audio.SimulatedDevice;
using Microsoft.Extensions.Time.Testing;

namespace HardwareMaster.App.Tests.Host.Protection;

/// <summary>
/// The self-protecting engine on a simulated interface: xruns are injected deterministically (the simulated hardware
/// counts them at its next block), the protection's clock is fake, and every wait is on a condition. Nothing here
/// depends on how fast the machine is.
/// </summary>
public sealed class EngineProtectionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _thermal = Directory.CreateTempSubdirectory("hm-thermal-").FullName;

    public void Dispose() => Directory.Delete(_thermal, recursive: true);

    private sealed class Rig : IDisposable
    {
        public required SimulatedAudioHardware Hardware { get; init; }
        public required AudioSupervisor Supervisor { get; init; }
        public required EngineController Controller { get; init; }
        public required EngineProtection Protection { get; init; }
        public required AudioSupervisorTests.ListLogger Logger { get; init; }
        public required FakeTimeProvider Time { get; init; }
        public required CancellationTokenSource Stop { get; init; }
        public required Task<SupervisorState> Run { get; init; }

        public AudioEngine Engine => Supervisor.Engine;

        public void Poll()
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            Protection.Poll();
        }

        public void WaitFor(Func<bool> condition, string because) => Assert.True(SpinWait.SpinUntil(condition, Patience), because);

        public void WaitForBlocks(int blockFrames)
        {
            WaitFor(() => Supervisor.State == SupervisorState.Running && Engine.BlockFrames == blockFrames, $"not running with {blockFrames}-frame blocks");
            long now = Engine.BlocksProcessed;
            WaitFor(() => Engine.BlocksProcessed > now + 20, "no audio after the reopen");
        }

        public void Dispose()
        {
            Stop.Cancel();
            Assert.True(Run.Wait(Patience), "the loop did not stop");
            Protection.Dispose();
            Stop.Dispose();
        }
    }

    private Rig Start(int xrunsPerMinute = 8, LatencyMode mode = LatencyMode.Standard, IEngineBlockObserver? probe = null)
    {
        string name = "protect-" + Guid.NewGuid().ToString("N")[..6];
        SimulatedAudioHardware hardware = SimulatedAudioHardware.Get(name);
        hardware.InputFactory = rate => new ToneSignal(1000, -12, rate);
        var engine = new AudioEngine(new MasteringChain());
        if (probe is not null)
        {
            engine.AttachObserver(EngineObserverSlot.Auxiliary, probe);
        }

        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        var logger = new AudioSupervisorTests.ListLogger();
        var options = new SupervisorOptions(
            "sim:" + name,
            new AudioDeviceOptions(SampleRateHz: 48000, BlockFrames: LatencyModes.BlockFrames(mode, 64), RealtimePriority: 0, LockMemory: false, Paced: true),
            FadeMs: 20,
            RetryInterval: TimeSpan.FromMilliseconds(100),
            WarmBlocks: 200);
        var supervisor = new AudioSupervisor(controller, options, logger);
        var time = new FakeTimeProvider();
        var protection = new EngineProtection(supervisor, controller, new ProtectionOptions(XrunsPerMinute: xrunsPerMinute, ThermalRoot: _thermal), logger, mode, 64, controller.Values[ParameterIds.LimiterLookahead], time);
        var stop = new CancellationTokenSource();
        var rig = new Rig
        {
            Hardware = hardware,
            Supervisor = supervisor,
            Controller = controller,
            Protection = protection,
            Logger = logger,
            Time = time,
            Stop = stop,
            Run = supervisor.RunAsync(stop.Token),
        };
        rig.WaitForBlocks(options.Device.BlockFrames);
        rig.Protection.Poll();
        return rig;
    }

    private static void Inject(Rig rig, int xruns)
    {
        long before = rig.Supervisor.XrunCount;
        rig.Hardware.InjectXruns(xruns);
        rig.WaitFor(() => rig.Supervisor.XrunCount >= before + xruns, "the injected xruns were not counted");
    }

    [Fact]
    public void Poll_XrunStorm_StepsToABiggerBlockWithANoticeAndOffersToStepBack()
    {
        using Rig rig = Start();
        Inject(rig, 3);
        rig.Poll();
        Assert.Equal(64, rig.Protection.Status.BlockFrames); // a few xruns are no burst

        Inject(rig, 20);
        rig.Poll();
        ProtectionStatus status = rig.Protection.Status;
        Assert.Equal(128, status.BlockFrames);
        Assert.True(status.CanStepBack);
        Assert.Equal("xruns: block 128", status.Notice);
        rig.WaitForBlocks(128);
        Assert.Equal(1, rig.Supervisor.Reopens);
        Assert.Contains(rig.Logger.Lines, m => m.Contains("protection: 23 xruns in a minute: safer block 128 frames", StringComparison.Ordinal));

        // Another storm: the next step; then stepping back twice returns to the configured block, and no further.
        Inject(rig, 9);
        rig.Poll();
        rig.WaitForBlocks(256);
        Assert.True(rig.Protection.StepBack());
        rig.WaitForBlocks(128);
        Assert.True(rig.Protection.StepBack());
        rig.WaitForBlocks(64);
        Assert.False(rig.Protection.StepBack());
        Assert.False(rig.Protection.Status.CanStepBack);

        ProtectionStatistics stats = rig.Protection.Collect();
        Assert.Equal((2, 2, 2, 4), (stats.XrunBursts, stats.StepDowns, stats.StepBacks, stats.Reopens));
        Assert.Equal(64, stats.BlockFrames);
        Assert.Equal(4, stats.Notices.Count);
    }

    [Fact]
    public void Poll_StormAtTheBiggestBlock_StepsToTheCheaperDetectorThenWarnsAndStaysThere()
    {
        using Rig rig = Start(xrunsPerMinute: 2);
        var protection = new EngineProtection(rig.Supervisor, rig.Controller, new ProtectionOptions(XrunsPerMinute: 2, MaxBlockFrames: 64, ThermalRoot: _thermal), rig.Logger, LatencyMode.Standard, 64, 1.0, rig.Time);
        protection.Poll();
        Inject(rig, 5);
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        protection.Poll();
        Assert.Equal("xruns: limiter TP 4x", protection.Status.Notice); // the block cannot grow: the detector steps down
        Inject(rig, 5);
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        protection.Poll();
        Assert.Equal(64, protection.Status.BlockFrames);
        Assert.Equal("xruns at max block", protection.Status.Notice);
        Assert.Equal(0, rig.Supervisor.Reopens);
        protection.Dispose();
    }

    [Fact]
    public void Poll_XrunStormAtTheLargestBlock_StepsTheLimiterDetectorTo4xWithANoticeAndStepsBack()
    {
        using Rig rig = Start(xrunsPerMinute: 4);
        var protection = new EngineProtection(rig.Supervisor, rig.Controller, new ProtectionOptions(XrunsPerMinute: 4, MaxBlockFrames: 128, ThermalRoot: _thermal), rig.Logger, LatencyMode.Standard, 64, 1.0, rig.Time);
        protection.Poll();
        void Storm()
        {
            Inject(rig, 10);
            rig.Time.Advance(TimeSpan.FromSeconds(1));
            protection.Poll();
        }

        Storm(); // first: the bigger block
        rig.WaitForBlocks(128);
        Assert.Equal(TruePeakLimiter.FullDetectorOversampling, rig.Engine.Chain.LimiterDetectorOversampling);

        Storm(); // at the largest block: the cheaper detector, with no reopen
        ProtectionStatus status = protection.Status;
        Assert.True(status.EconomyDetector);
        Assert.True(status.CanStepBack);
        Assert.Equal("xruns: limiter TP 4x", status.Notice);
        Assert.Equal(TruePeakLimiter.EconomyDetectorOversampling, rig.Engine.Chain.LimiterDetectorOversampling);
        Assert.Equal(1, rig.Supervisor.Reopens);
        Assert.Contains(rig.Logger.Lines, m => m.Contains("protection: 10 xruns in a minute: limiter true-peak detector 4x instead of 8x", StringComparison.Ordinal));
        long blocks = rig.Engine.BlocksProcessed;
        rig.WaitFor(() => rig.Engine.BlocksProcessed > blocks + 20, "audio stopped at the detector step");
        ProtectionStatistics during = protection.Collect();
        Assert.Equal((4, 1, 1), (during.LimiterDetectorOversampling, during.DetectorStepDowns, during.StepDowns));

        // Step back: the detector first (the latest step), then the block; then nothing.
        Assert.True(protection.StepBack());
        Assert.Equal(TruePeakLimiter.FullDetectorOversampling, rig.Engine.Chain.LimiterDetectorOversampling);
        Assert.Equal("back to TP 8x", protection.Status.Notice);
        Assert.Equal(128, protection.Status.BlockFrames);
        Assert.True(protection.Status.CanStepBack);
        Assert.True(protection.StepBack());
        rig.WaitForBlocks(64);
        Assert.False(protection.StepBack());
        ProtectionStatistics stats = protection.Collect();
        Assert.Equal((8, 1, 1, 1, 1), (stats.LimiterDetectorOversampling, stats.DetectorStepDowns, stats.DetectorStepBacks, stats.StepDowns, stats.StepBacks));
        Assert.Equal(4, stats.Notices.Count);
        protection.Dispose();
    }

    [Fact]
    public void Poll_XrunStormInLiveMode_StepsTheDetectorFirstAndKeepsTheShortBlock()
    {
        using Rig rig = Start(xrunsPerMinute: 4, mode: LatencyMode.Live);
        var protection = rig.Protection;
        Inject(rig, 10);
        rig.Poll();
        Assert.Equal(LatencyModes.LiveBlockFrames, protection.Status.BlockFrames);
        Assert.True(protection.Status.EconomyDetector);
        Assert.Equal(TruePeakLimiter.EconomyDetectorOversampling, rig.Engine.Chain.LimiterDetectorOversampling);
        Assert.Equal(0, rig.Supervisor.Reopens);

        Inject(rig, 10);
        rig.Poll(); // then the block
        rig.WaitForBlocks(2 * LatencyModes.LiveBlockFrames);
        Assert.True(protection.StepBack()); // the block first (the latest step)
        rig.WaitForBlocks(LatencyModes.LiveBlockFrames);
        Assert.Equal(TruePeakLimiter.EconomyDetectorOversampling, rig.Engine.Chain.LimiterDetectorOversampling);
        Assert.True(protection.StepBack());
        Assert.Equal(TruePeakLimiter.FullDetectorOversampling, rig.Engine.Chain.LimiterDetectorOversampling);
        Assert.False(protection.Status.CanStepBack);

        // A mode switch starts from full quality.
        Inject(rig, 10);
        rig.Poll();
        Assert.True(protection.Status.EconomyDetector);
        Assert.True(protection.SetLatencyMode(LatencyMode.Standard));
        Assert.False(protection.Status.EconomyDetector);
        Assert.Equal(TruePeakLimiter.FullDetectorOversampling, rig.Engine.Chain.LimiterDetectorOversampling);
    }

    [Fact]
    public void Poll_FakeThermalZone_WarnsBeforeThrottlingAndClearsWithHysteresis()
    {
        string zone = Path.Combine(_thermal, "thermal_zone0");
        Directory.CreateDirectory(zone);
        File.WriteAllText(Path.Combine(zone, "type"), "cpu-thermal\n");
        string temp = Path.Combine(zone, "temp");
        File.WriteAllText(temp, "61500\n");
        using Rig rig = Start();
        Assert.Equal(61.5, rig.Protection.Status.TemperatureC, 3);
        Assert.Equal(ThermalState.Normal, rig.Protection.Status.Thermal);

        File.WriteAllText(temp, "76200\n");
        rig.Poll();
        Assert.Equal(ThermalState.Warm, rig.Protection.Status.Thermal);
        Assert.Equal("CPU hot 76 C", rig.Protection.Status.Notice);
        Assert.Contains(rig.Logger.Lines, m => m.Contains("CPU 76 °C: throttling starts at 80 °C", StringComparison.Ordinal));

        File.WriteAllText(temp, "73000\n"); // below the warning, within the hysteresis: still warm
        rig.Poll();
        Assert.Equal(ThermalState.Warm, rig.Protection.Status.Thermal);
        File.WriteAllText(temp, "81000\n");
        rig.Poll();
        Assert.Equal(ThermalState.Throttling, rig.Protection.Status.Thermal);
        File.WriteAllText(temp, "70000\n");
        rig.Poll();
        Assert.Equal(ThermalState.Normal, rig.Protection.Status.Thermal);

        ProtectionStatistics stats = rig.Protection.Collect();
        Assert.Equal(2, stats.ThermalWarnings);
        Assert.Equal(81.0, stats.MaxTemperatureC);
    }

    [Theory]
    [InlineData(LatencyMode.Studio, 5.0, 64)]
    [InlineData(LatencyMode.Live, 0.5, 32)]
    [InlineData(LatencyMode.Standard, 1.0, 64)]
    public void SetLatencyMode_Reopens_WithTheModesLookaheadAndBlock_AndTheChainLatencyItImplies(LatencyMode mode, double lookaheadMs, int blockFrames)
    {
        using Rig rig = Start(mode: mode == LatencyMode.Standard ? LatencyMode.Studio : LatencyMode.Standard);
        Assert.True(rig.Protection.SetLatencyMode(mode));
        rig.WaitForBlocks(blockFrames);
        rig.WaitFor(() => rig.Supervisor.Reopens == 1, "no reopen");
        Assert.Equal(lookaheadMs, rig.Controller.Values[ParameterIds.LimiterLookahead]);
        // What the box reports (the engine's latency after the reopen) is where an impulse comes out, per mode.
        Assert.Equal(LatencyProbe.MeasureImpulseDelayFrames(lookaheadMs, blockFrames), rig.Engine.LatencyFrames);
        Assert.Equal(lookaheadMs, rig.Engine.Chain.Limiter.LookaheadMs);
        Assert.Equal(mode, rig.Protection.Status.Mode);
        Assert.False(rig.Protection.SetLatencyMode(mode));
    }

    [Fact]
    public void ImpulseDelay_PerMode_StudioLongestLiveShortest_AsReported()
    {
        int live = LatencyProbe.MeasureImpulseDelayFrames(LatencyModes.LiveLookaheadMs, 32);
        int standard = LatencyProbe.MeasureImpulseDelayFrames(1.0, 64);
        int studio = LatencyProbe.MeasureImpulseDelayFrames(LatencyModes.StudioLookaheadMs, 64);
        Console.WriteLine($"impulse delay at 48 kHz: live {live}, standard {standard}, studio {studio} frames");
        Assert.True(live < standard && standard < studio, $"{live} {standard} {studio}");
        Assert.Equal(TruePeakLimiter.LatencyFor(new LimiterSettings { LookaheadMs = 5 }, 48000) - TruePeakLimiter.LatencyFor(new LimiterSettings { LookaheadMs = 0.5 }, 48000), studio - live);
    }

    /// <summary>Records how many master frames are silent in a row around a switch (the muted gap, in audio).</summary>
    private sealed class GapProbe : IEngineBlockObserver
    {
        private long _run;
        private long _lastTicks;

        public long LongestSilentRun;
        public long LongestWallGapTicks;
        public long Blocks;

        public void OnBlock(in EngineBlockView view)
        {
            for (int i = 0; i < view.Frames; i++)
            {
                // −60 dBFS against a −12 dBFS tone: muted.
                if (Math.Abs(view.MasterLeft[i]) < 0.001f && Math.Abs(view.MasterRight[i]) < 0.001f)
                {
                    _run++;
                }
                else
                {
                    LongestSilentRun = Math.Max(LongestSilentRun, _run);
                    _run = 0;
                }
            }

            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (_lastTicks != 0)
            {
                LongestWallGapTicks = Math.Max(LongestWallGapTicks, now - _lastTicks);
            }

            _lastTicks = now;
            Blocks++;
        }
    }

    [Fact]
    public void SetLatencyMode_Switch_IsMutedForLessThan50MsOfAudio()
    {
        var probe = new GapProbe();
        using Rig rig = Start(probe: probe);
        rig.WaitFor(() => Volatile.Read(ref probe.Blocks) > 200, "no audio");
        long before = Volatile.Read(ref probe.LongestSilentRun);
        rig.Protection.SetLatencyMode(LatencyMode.Studio);
        rig.WaitForBlocks(64);
        rig.WaitFor(() => rig.Supervisor.Reopens == 1, "no reopen");
        long blocks = Volatile.Read(ref probe.Blocks);
        rig.WaitFor(() => Volatile.Read(ref probe.Blocks) > blocks + 100, "no audio after the switch");
        long gapFrames = Volatile.Read(ref probe.LongestSilentRun);

        // The tone's zero crossings are single samples; the gap is the two 5 ms fades' quiet ends plus the fresh
        // limiter's look-ahead (the new delay line starts empty).
        Assert.True(gapFrames > before, "the switch was not muted at all");
        double gapMs = gapFrames * 1000.0 / 48000;
        Assert.True(gapMs < 50, $"muted for {gapMs:0.0} ms of audio");
        Console.WriteLine($"latency switch: muted {gapMs:0.0} ms of audio; longest wall-clock pause between two blocks {Volatile.Read(ref probe.LongestWallGapTicks) * 1000.0 / System.Diagnostics.Stopwatch.Frequency:0.0} ms (the reopen; not asserted)");
    }
}

/// <summary>The impulse delay through the engine, measured: where an impulse comes out.</summary>
internal static class LatencyProbe
{
    public static int MeasureImpulseDelayFrames(double lookaheadMs, int blockFrames, int rate = 48000)
    {
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), ditherBits: 0);
        controller.Set(ParameterIds.LimiterLookahead, lookaheadMs);
        engine.Prepare(rate, blockFrames, paced: false, fadeInMs: 0);
        float[] inL = new float[blockFrames], inR = new float[blockFrames], outL = new float[blockFrames], outR = new float[blockFrames];
        int impulseAt = 1000, best = -1;
        float peak = 0;
        for (int b = 0; b * blockFrames < impulseAt + 2000; b++)
        {
            for (int i = 0; i < blockFrames; i++)
            {
                inL[i] = inR[i] = (b * blockFrames) + i == impulseAt ? 0.1f : 0f; // −20 dBFS: the limiter does not act
            }

            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            for (int i = 0; i < blockFrames; i++)
            {
                if (MathF.Abs(outL[i]) > peak)
                {
                    peak = MathF.Abs(outL[i]);
                    best = (b * blockFrames) + i;
                }
            }
        }

        Assert.True(engine.LatencyFrames >= 0);
        return best - impulseAt;
    }
}
