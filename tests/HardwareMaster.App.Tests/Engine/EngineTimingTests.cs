using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;

namespace HardwareMaster.App.Tests.Engine;

/// <summary>
/// How the engine tells its own overruns from time its thread was not running, and the internal test signal. The slow
/// blocks are made by a test signal that sleeps, spins or collects garbage inside <see cref="AudioEngine.ProcessBlock"/>.
/// </summary>
[Collection(nameof(EngineTimingCollection))]
public class EngineTimingTests
{
    private const int Rate = 48000;
    private const int Block = 64; // period 1.333 ms

    private static AudioEngine Prepared(bool paced = true)
    {
        var engine = new AudioEngine(new MasteringChain());
        _ = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), ditherBits: 0);
        engine.Prepare(Rate, Block, paced, fadeInMs: 0);
        engine.Warm(200, fadeInMs: 0); // no first-call compilation inside the measured blocks
        return engine;
    }

    private static void RunBlocks(AudioEngine engine, int blocks)
    {
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        for (int b = 0; b < blocks; b++)
        {
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
        }
    }

    [Fact]
    public void ThreadCpuClock_CountsSpinningNotSleeping()
    {
        Assert.True(ThreadCpuClock.IsAvailable, "the thread CPU clock must exist on Linux");
        long sleepStart = ThreadCpuClock.NowNanoseconds();
        Thread.Sleep(50);
        long slept = ThreadCpuClock.NowNanoseconds() - sleepStart;

        long spinStart = ThreadCpuClock.NowNanoseconds();
        SpinCpu(20_000_000);
        long spun = ThreadCpuClock.NowNanoseconds() - spinStart;

        Assert.True(slept < 10_000_000, $"sleeping 50 ms used {slept / 1e6:F2} ms of CPU");
        Assert.True(spun >= 20_000_000, $"spinning used {spun / 1e6:F2} ms of CPU");
    }

    [Fact]
    public void SlowBlocks_AreClassifiedByCause()
    {
        AudioEngine engine = Prepared();
        var signal = new MisbehavingSignal();
        engine.TestSignal = signal;
        foreach (Misbehaviour mode in Enum.GetValues<Misbehaviour>())
        {
            signal.Mode = mode; // compile every path once
            RunBlocks(engine, 1);
        }

        signal.Mode = Misbehaviour.None;
        engine.Restart(0, resetMeter: true);

        RunBlocks(engine, 20); // normal blocks: far below the period
        signal.Mode = Misbehaviour.Sleep; // thread not running, no CPU: preemption-like
        RunBlocks(engine, 3);
        signal.Mode = Misbehaviour.Spin; // the engine itself computes for 3 ms
        RunBlocks(engine, 2);
        signal.Mode = Misbehaviour.CollectAndSleep; // a garbage collection while the block runs
        RunBlocks(engine, 4);
        signal.Mode = Misbehaviour.None;
        RunBlocks(engine, 5);

        EngineStatistics stats = engine.ReadStatistics();
        Assert.Equal(34, stats.Blocks);
        DeadlineMisses misses = stats.DeadlineMisses;
        Assert.Equal(2, misses.ComputeOverruns); // only the spinning blocks used more CPU than the period

        // At least the sleeping and collecting blocks; a normal block may also have been preempted on a busy machine.
        Assert.InRange(misses.GarbageCollection, 4, 6);
        Assert.InRange(misses.Preemption, 3, 5);
        Assert.Equal(misses.Total, misses.ComputeOverruns + misses.GarbageCollection + misses.Preemption);
        Assert.NotNull(stats.ComputeCpuTime);
        Assert.True(stats.ComputeCpuTime.Value.MaxPercent >= 225, $"CPU max {stats.ComputeCpuTime.Value.MaxPercent} % (3 ms of a 1.333 ms period)");
        Assert.True(stats.ComputeCpuTime.Value.MedianPercent < 100);
        Assert.True(stats.ComputeTime.MaxPercent >= stats.ComputeCpuTime.Value.MaxPercent - 1, "wall time includes CPU time");
    }

    [Fact]
    public void LateCallbacks_AfterAGarbageCollection_AreCountedApart()
    {
        AudioEngine engine = Prepared(paced: true);
        RunBlocks(engine, 5);
        Thread.Sleep(10); // a late callback, nothing else happening
        RunBlocks(engine, 1);
        GC.Collect(0);
        Thread.Sleep(10); // a late callback after a collection
        RunBlocks(engine, 1);

        EngineStatistics stats = engine.ReadStatistics();
        Assert.InRange(stats.LateCallbacks, 2, 3); // the two sleeps (plus, rarely, a preempted gap on a busy machine)
        Assert.InRange(stats.LateCallbacksAfterGc, 1, stats.LateCallbacks - 1);
    }

    [Fact]
    public void TestSignal_ReplacesTheInput_AndGoesBackToTheInputWhenCleared()
    {
        AudioEngine engine = Prepared(paced: false);
        foreach (ChainStage stage in Enum.GetValues<ChainStage>())
        {
            engine.Chain.SetBypass(stage, true);
        }

        engine.Restart(0);
        int latency = engine.LatencyFrames;
        engine.TestSignal = new ToneSignal(1000, -6, Rate);
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        Array.Fill(inL, 0.25f);
        Array.Fill(inR, 0.25f);
        var output = new List<float>();
        int blocks = (latency / Block) + 20;
        for (int b = 0; b < blocks; b++)
        {
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            output.AddRange(outL);
        }

        // The output is the tone (delayed by the chain's latency), not the DC input.
        float[] expected = new float[blocks * Block];
        new ToneSignal(1000, -6, Rate).Render(expected, new float[expected.Length], 0);
        for (int i = latency; i < output.Count; i++)
        {
            Assert.Equal(expected[i - latency], output[i], 1e-6f);
        }

        engine.TestSignal = null;
        for (int b = 0; b < (latency / Block) + 2; b++)
        {
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
        }

        Assert.All(outL, s => Assert.Equal(0.25f, s, 1e-6f));
    }

    [Fact]
    public void ProcessBlock_WithTestSignalAndTiming_AllocatesNothing()
    {
        AudioEngine engine = Prepared();
        engine.TestSignal = new DemoMixSignal(Rate);
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        long bytes = HardwareMaster.Hal.Tests.AudioFiles.AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int b = 0; b < 2000; b++)
            {
                engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            }
        });
        Assert.Equal(0, bytes);
    }

    private static void SpinCpu(long nanoseconds)
    {
        long start = ThreadCpuClock.NowNanoseconds();
        double x = 1;
        while (ThreadCpuClock.NowNanoseconds() - start < nanoseconds)
        {
            for (int i = 0; i < 1000; i++)
            {
                x = Math.Sqrt(x + i);
            }
        }

        GC.KeepAlive(x);
    }

    private enum Misbehaviour
    {
        None,
        Sleep,
        Spin,
        CollectAndSleep,
    }

    private sealed class MisbehavingSignal : IAudioSignal
    {
        public Misbehaviour Mode { get; set; }

        public void Render(Span<float> left, Span<float> right, long startFrame)
        {
            left.Clear();
            right.Clear();
            switch (Mode)
            {
                case Misbehaviour.Sleep:
                    Thread.Sleep(5);
                    break;
                case Misbehaviour.Spin:
                    SpinCpu(3_000_000);
                    break;
                case Misbehaviour.CollectAndSleep:
                    // Another thread collects (as the UI's allocations would make the runtime do); this one only waits.
                    Task.Run(() => GC.Collect(0)).Wait();
                    Thread.Sleep(5);
                    break;
            }
        }
    }
}

/// <summary>The timing tests run alone, so other tests' garbage collections do not land in their blocks.</summary>
[CollectionDefinition(nameof(EngineTimingCollection), DisableParallelization = true)]
public sealed class EngineTimingCollection
{
}
