using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Host.Protection;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Tests.Host;
using HardwareMaster.App.Ui;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Processors;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.Audio.SimulatedDevice;
using Microsoft.Extensions.Time.Testing;

namespace HardwareMaster.App.Tests.Host.Protection;

/// <summary>
/// Issue 14: "latency reported equals impulse delay". The box as <c>run</c> builds it (supervisor, controller, protection
/// in a latency mode, the SYSTEM page's backend) on a simulated interface whose input is an impulse every 100 ms and
/// whose output is tapped at the device: the delay from the device's input to its output is measured per impulse and
/// compared with the SYSTEM page's latency (<see cref="EngineBoxBackend.ReadSystem"/>), exactly, in frames. A simulated
/// device has no buffering of its own (input and output of a block are the same callback), so the figure is the
/// chain's; the block is no delay of its own. Every wait is on a condition.
/// </summary>
public sealed class LatencyReportTests : IDisposable
{
    private const int Rate = 48000;
    private const int Period = 4800;
    private const int Offset = 1000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _thermal = Directory.CreateTempSubdirectory("hm-latency-").FullName;

    public void Dispose() => Directory.Delete(_thermal, recursive: true);

    /// <summary>−20 dBFS impulses at frames k·<see cref="Period"/> + <see cref="Offset"/> (the limiter does not act).</summary>
    private sealed class ImpulseTrain : IAudioSignal
    {
        public void Render(Span<float> left, Span<float> right, long startFrame)
        {
            left.Clear();
            right.Clear();
            for (int i = 0; i < left.Length; i++)
            {
                if ((startFrame + i) % Period == Offset)
                {
                    left[i] = right[i] = 0.1f;
                }
            }
        }
    }

    /// <summary>At the device's output: per 100 ms window after an impulse, where the output peaks, re the impulse.</summary>
    private sealed class DelayTap
    {
        private readonly int[] _delays = new int[4096];
        private int _count;
        private long _window = -1;
        private float _peak;
        private long _peakFrame;

        public int Count => Volatile.Read(ref _count);

        public void OnBlock(ReadOnlySpan<float> left, ReadOnlySpan<float> right, long startFrame)
        {
            for (int i = 0; i < left.Length; i++)
            {
                long frame = startFrame + i;
                long window = frame < Offset ? -1 : (frame - Offset) / Period;
                if (window != _window)
                {
                    if (_window >= 0 && _count < _delays.Length)
                    {
                        _delays[_count] = (int)(_peakFrame - ((_window * Period) + Offset));
                        Volatile.Write(ref _count, _count + 1);
                    }

                    _window = window;
                    _peak = 0;
                }

                float v = MathF.Abs(left[i]);
                if (v > _peak)
                {
                    _peak = v;
                    _peakFrame = frame;
                }
            }
        }

        /// <summary>The delays of the windows after the first <paramref name="skip"/> (the fade-in), all of them.</summary>
        public int[] Delays(int skip) => _delays.AsSpan(skip, Count - skip).ToArray();
    }

    private sealed class Rig : IDisposable
    {
        private DelayTap? _tap;

        public required AudioSupervisor Supervisor { get; init; }
        public required EngineController Controller { get; init; }
        public required EngineProtection Protection { get; init; }
        public required EngineBoxBackend Backend { get; init; }
        public required CancellationTokenSource Stop { get; init; }
        public Task<SupervisorState>? Run { get; set; }

        public DelayTap Tap => Volatile.Read(ref _tap)!;

        public DelayTap NewTap()
        {
            var tap = new DelayTap();
            Volatile.Write(ref _tap, tap);
            return tap;
        }

        public void WaitFor(Func<bool> condition, string because) => Assert.True(SpinWait.SpinUntil(condition, Patience), because);

        /// <summary>Waits for 8 impulses through the device now open; returns their delay (all equal) and the page's figure.</summary>
        public (int MeasuredFrames, int ReportedFrames) Measure(int blockFrames)
        {
            WaitFor(() => Supervisor.State == SupervisorState.Running && Supervisor.Engine.BlockFrames == blockFrames, $"not running with {blockFrames}-frame blocks");
            DelayTap tap = Tap;
            WaitFor(() => tap.Count >= 10, "fewer than 10 impulses came through");
            int[] delays = tap.Delays(2);
            Assert.All(delays, d => Assert.Equal(delays[0], d));
            SystemStatus status = Backend.ReadSystem();
            Assert.Equal(Rate, status.SampleRateHz);
            Assert.Equal(blockFrames, status.BlockFrames);
            double reported = status.LatencyMs * Rate / 1000;
            Assert.Equal(Math.Round(reported), reported, 6); // a whole number of frames
            return (delays[0], (int)Math.Round(reported));
        }

        public void Dispose()
        {
            Stop.Cancel();
            Assert.True(Run!.Wait(Patience), "the loop did not stop");
            Protection.Dispose();
            Backend.Dispose();
            Stop.Dispose();
        }
    }

    /// <summary>What <c>RunHost</c> does for <c>run --latency-mode</c>: the mode's look-ahead and block, then the supervisor.</summary>
    private Rig Start(LatencyMode mode)
    {
        const int configuredBlock = 64;
        SimulatedAudioHardware hardware = SimulatedAudioHardware.Get("latency-" + Guid.NewGuid().ToString("N")[..6]);
        hardware.InputFactory = _ => new ImpulseTrain();
        string scheme = "latency-" + Guid.NewGuid().ToString("N")[..8];
        Rig? rig = null;
        AudioDeviceFactory.Register(scheme, (_, options) =>
        {
            SimulatedAudioDevice device = hardware.CreateDevice(options);
            device.OutputTap = rig!.NewTap().OnBlock;
            return device;
        });

        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        double standardLookahead = controller.Values[ParameterIds.LimiterLookahead];
        controller.Set(ParameterIds.LimiterLookahead, LatencyModes.LookaheadMs(mode, standardLookahead));
        var logger = new AudioSupervisorTests.ListLogger();
        var options = new SupervisorOptions(
            scheme + ":box",
            new AudioDeviceOptions(SampleRateHz: Rate, BlockFrames: LatencyModes.BlockFrames(mode, configuredBlock), RealtimePriority: 0, LockMemory: false, Paced: true),
            FadeMs: 20,
            RetryInterval: TimeSpan.FromMilliseconds(100),
            WarmBlocks: 200);
        var supervisor = new AudioSupervisor(controller, options, logger);
        var time = new FakeTimeProvider();
        var protection = new EngineProtection(supervisor, controller, new ProtectionOptions(ThermalRoot: _thermal), logger, mode, configuredBlock, standardLookahead, time);
        var backend = new EngineBoxBackend(supervisor, controller, new CpuThermometer(Path.Combine(_thermal, "none")), time);
        var stop = new CancellationTokenSource();
        rig = new Rig { Supervisor = supervisor, Controller = controller, Protection = protection, Backend = backend, Stop = stop };
        rig.Run = supervisor.RunAsync(stop.Token);
        return rig;
    }

    [Theory]
    [InlineData(LatencyMode.Standard, 64)]
    [InlineData(LatencyMode.Studio, 64)]
    [InlineData(LatencyMode.Live, 32)]
    public void SystemLatency_PerMode_IsTheImpulseDelayThroughTheDevice(LatencyMode mode, int blockFrames)
    {
        using Rig rig = Start(mode);
        (int measured, int reported) = rig.Measure(blockFrames);
        Console.WriteLine($"{LatencyModes.Names[(int)mode]}: impulse delay {measured} frames, SYSTEM page {reported} frames ({blockFrames}-frame blocks)");
        Assert.Equal(measured, reported);
        Assert.Equal(rig.Supervisor.Engine.LatencyFrames, measured); // the chain's look-ahead and filters, nothing else
        Assert.Equal(0, rig.Supervisor.DeviceLatencyFrames);
    }

    [Fact]
    public void SwitchStudioToLive_ReportAndImpulseDelayChangeTogether()
    {
        using Rig rig = Start(LatencyMode.Studio);
        (int studioMeasured, int studioReported) = rig.Measure(64);
        Assert.Equal(studioMeasured, studioReported);

        Assert.True(rig.Protection.SetLatencyMode(LatencyMode.Live));
        rig.WaitFor(() => rig.Supervisor.Reopens == 1, "no reopen");
        (int liveMeasured, int liveReported) = rig.Measure(32);
        Console.WriteLine($"studio → live: impulse delay {studioMeasured} → {liveMeasured} frames, SYSTEM page {studioReported} → {liveReported} frames");
        Assert.Equal(liveMeasured, liveReported);

        // Both moved by the limiter's look-ahead difference (5 ms − 0.5 ms at 48 kHz); the smaller block moves neither.
        int lookaheadDifference = TruePeakLimiter.LatencyFor(new LimiterSettings { LookaheadMs = LatencyModes.StudioLookaheadMs }, Rate)
            - TruePeakLimiter.LatencyFor(new LimiterSettings { LookaheadMs = LatencyModes.LiveLookaheadMs }, Rate);
        Assert.Equal(lookaheadDifference, studioMeasured - liveMeasured);
        Assert.Equal(lookaheadDifference, studioReported - liveReported);
    }
}
