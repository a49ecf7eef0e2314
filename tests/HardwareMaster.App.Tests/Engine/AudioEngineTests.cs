using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;

namespace HardwareMaster.App.Tests.Engine;

[Collection(nameof(HardwareMaster.Hal.Tests.AudioFiles.AllocationMeasurements))] // allocation counts: run alone (other tests' GCs disturb the per-thread counter)
public class AudioEngineTests
{
    private static (AudioEngine Engine, EngineController Controller) Create(int sampleRateHz = 48000, int blockFrames = 64, float fadeInMs = 0)
    {
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), ditherBits: 0);
        engine.Prepare(sampleRateHz, blockFrames, paced: false, fadeInMs);
        return (engine, controller);
    }

    private static void Sine(float[] left, float[] right, long startFrame, double amplitude, double frequencyHz = 997, int sampleRateHz = 48000)
    {
        for (int i = 0; i < left.Length; i++)
        {
            left[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequencyHz * (startFrame + i) / sampleRateHz));
            right[i] = left[i];
        }
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void ProcessBlock_ThousandsOfBlocksWithMessagesAndMeterReads_AllocatesNothing(int sampleRateHz)
    {
        (AudioEngine engine, EngineController controller) = Create(sampleRateHz);
        engine.Warm(500);
        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        for (int b = 0; b < 200; b++)
        {
            Sine(inL, inR, b * 64L, 0.5, sampleRateHz: sampleRateHz);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
        }

        var messages = new EngineMessage[]
        {
            new(EngineMessageKind.FadeOut, 0, 20),
            new(EngineMessageKind.FadeIn, 0, 20),
        };
        int block = 0;
        void Blocks()
        {
            for (int i = 0; i < 1250; i++, block++)
            {
                if (block % 100 == 0)
                {
                    engine.TryPost(messages[(block / 100) % messages.Length]); // same thread: the ring allows it when calls do not overlap
                }

                if (block % 30 == 0)
                {
                    _ = engine.ReadMeters(); // the reader's path (histogram scans included) allocates nothing either
                }

                if (block % 100 == 50)
                {
                    controller.Set(ParameterIds.EqBypass, (block / 100) % 2); // stage bypass crossfades
                    controller.Set(ParameterIds.LoudnessGain, (block / 100) % 7);
                }

                if (block % 400 == 0)
                {
                    engine.GlobalBypass = !engine.GlobalBypass; // crossfade, dry and match paths
                }

                if (block % 1000 == 500)
                {
                    engine.ResetLoudness();
                }

                Sine(inL, inR, block * 64L, 0.5, sampleRateHz: sampleRateHz);
                engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, block));
            }
        }

        // Smallest of several 1 250-block runs: another thread's GC can retire this thread's allocation
        // context (a one-off jump of up to ~8 KB without any allocation here); a real allocation shows in every run.
        long allocated = HardwareMaster.Hal.Tests.AudioFiles.AllocationProbe.SmallestBytesAllocated(Blocks);
        Assert.Equal(0, allocated);
        Assert.True(engine.BlocksProcessed >= 5000);
        GC.KeepAlive(controller);
    }

    [Fact]
    public void ProcessBlock_NoFade_EqualsTheChainRunOffline()
    {
        (AudioEngine engine, EngineController controller) = Create();
        var reference = new MasteringChain();
        ChainBinder.ApplyAll(controller.Values, reference, 0);
        reference.Prepare(new ProcessSpec(48000, 64, 2));
        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        for (int b = 0; b < 300; b++)
        {
            Sine(inL, inR, b * 64L, 0.9);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            float[] refL = (float[])inL.Clone(), refR = (float[])inR.Clone();
            reference.Process(new AudioBlock(refL, refR));
            Assert.Equal(refL, outL);
            Assert.Equal(refR, outR);
        }
    }

    [Fact]
    public void Set_Bypass_GoesThroughTheChainSetterAtOnce()
    {
        (AudioEngine engine, EngineController controller) = Create();
        Assert.False(engine.Chain.IsBypassed(ChainStage.Compressor));
        Assert.True(controller.Set("comp.bypass", 1));
        Assert.True(engine.Chain.IsBypassed(ChainStage.Compressor)); // the chain's flag, which the audio thread reads at block start
        float[] buffer = new float[64];
        engine.ProcessBlock(new AudioBuffers(buffer, buffer, new float[64], new float[64], 0));
        Assert.True(engine.Chain.IsBypassed(ChainStage.Compressor));
    }

    [Fact]
    public void Set_StructuralParameter_GoesThroughTheChainSetterNotTheRing()
    {
        (AudioEngine engine, EngineController controller) = Create();
        Assert.True(controller.Set("comp.threshold", -30));
        Assert.Equal(-30, engine.Chain.Compressor.ThresholdDb);
        Assert.True(controller.Set("loudness.gain", 4));
        engine.ProcessBlock(new AudioBuffers(new float[64], new float[64], new float[64], new float[64], 0));
        Assert.Equal(4, engine.Chain.LoudnessGainDb, 6);
    }

    [Fact]
    public void Set_TrimGain_GoesThroughTheChainSetterAtOnce()
    {
        (AudioEngine engine, EngineController controller) = Create();
        Assert.True(controller.Set("trim.gain", -6.5));
        Assert.Equal(-6.5, engine.Chain.Trim.GainDb); // the chain's target, which the audio thread ramps to
        engine.ProcessBlock(new AudioBuffers(new float[64], new float[64], new float[64], new float[64], 0));
        Assert.Equal(-6.5, engine.Chain.Trim.GainDb);
        Assert.Equal(-6.5, controller.Values["trim.gain"]);
    }

    [Fact]
    public void Set_TrimAndLoudness_OutputEqualsChainWithTheSameChangesAtTheSameBlock()
    {
        (AudioEngine engine, EngineController controller) = Create();
        var reference = new MasteringChain();
        ChainBinder.ApplyAll(controller.Values, reference, 0);
        reference.Prepare(new ProcessSpec(48000, 64, 2));
        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        int mismatches = 0;
        for (int b = 0; b < 400; b++)
        {
            if (b == 100)
            {
                Assert.True(controller.Set("trim.gain", 9));
                reference.SetTrim(new TrimSettings { GainDb = 9 });
            }

            if (b == 250)
            {
                Assert.True(controller.Set("trim.gain", -3.3));
                Assert.True(controller.Set("loudness.gain", 2.5));
                reference.SetTrim(new TrimSettings { GainDb = -3.3 });
                reference.SetLoudnessGainDb(2.5);
            }

            Sine(inL, inR, b * 64L, 0.4);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            float[] refL = (float[])inL.Clone(), refR = (float[])inR.Clone();
            reference.Process(new AudioBlock(refL, refR));
            mismatches += refL.AsSpan().SequenceEqual(outL) && refR.AsSpan().SequenceEqual(outR) ? 0 : 1;
        }

        Assert.Equal(0, mismatches);
        Assert.Equal(-3.3, engine.Chain.Trim.GainDb);
    }

    [Fact]
    public void ProcessBlock_TrimChangesFromAControlThread_AllocatesNothingAndEndsAtTheLastValue()
    {
        (AudioEngine engine, EngineController controller) = Create();
        engine.Warm(500);
        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        for (int b = 0; b < 200; b++)
        {
            Sine(inL, inR, b * 64L, 0.5);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
        }

        // The control thread (the only producer) turns the trim knob; this thread is the audio thread (the consumer).
        const int changes = 2000;
        int dropped = 0;
        var knob = new Thread(() =>
        {
            for (int i = 0; i < changes; i++)
            {
                dropped += controller.Set("trim.gain", ((i * 7) % 480 / 10.0) - 24) ? 0 : 1;
                if (i % 32 == 31)
                {
                    // Let the audio thread start a block after these posts, so the ring (256) never fills on a busy machine.
                    long seen = engine.BlocksProcessed;
                    while (engine.BlocksProcessed < seen + 2)
                    {
                        Thread.Yield();
                    }
                }
            }
        }) { IsBackground = true, Name = "trim-knob" };

        knob.Start();
        long before = GC.GetAllocatedBytesForCurrentThread();
        long blocks = 0;
        while (knob.IsAlive || blocks < 5000)
        {
            Sine(inL, inR, blocks * 64L, 0.5);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, blocks));
            blocks++;
        }

        engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, blocks)); // drain the last messages
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        knob.Join();

        // The knob thread allocates (it builds trim records), so its GCs may retire this thread's allocation
        // context once or twice: a jump of up to ~8 KB each without any allocation here. One allocation per
        // block, the smallest being 24 bytes, would be at least 24 x 5 000 = 120 000 bytes.
        Assert.InRange(allocated, 0, 16_384);
        Assert.Equal(0, dropped);
        Assert.Equal((((changes - 1) * 7) % 480 / 10.0) - 24, engine.Chain.Trim.GainDb);
    }

    [Fact]
    public void TryPost_RingFull_DropsAndCounts()
    {
        var engine = new AudioEngine(new MasteringChain(), queueCapacity: 4);
        engine.Prepare(48000, 64, paced: false, 0);
        int accepted = 0;
        for (int i = 0; i < 6; i++)
        {
            accepted += engine.TryPost(new EngineMessage(i % 2 == 0 ? EngineMessageKind.FadeOut : EngineMessageKind.FadeIn, 0, 20)) ? 1 : 0;
        }

        Assert.Equal(4, accepted);
        Assert.Equal(2, engine.ReadStatistics().DroppedMessages);
    }

    [Fact]
    public void ReadMeters_PeakBetweenReads_IsReportedOnceThenReset()
    {
        (AudioEngine engine, _) = Create();
        engine.Chain.SetBypass(ChainStage.Limiter, true);
        engine.Chain.Reset();
        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        for (int b = 0; b < 50; b++)
        {
            Array.Clear(inL);
            Array.Clear(inR);
            if (b == 10)
            {
                inL[5] = 0.5f; // one sample at -6 dBFS, then silence: a slow reader must still see it
            }

            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
        }

        MeterSnapshot first = engine.ReadMeters();
        MeterSnapshot second = engine.ReadMeters();
        Assert.Equal(-6.02, first.InputPeakLeftDbfs, 2);
        Assert.Equal(double.NegativeInfinity, first.InputPeakRightDbfs);
        Assert.True(first.OutputPeakLeftDbfs > -7, $"output peak {first.OutputPeakLeftDbfs}");
        Assert.Equal(double.NegativeInfinity, second.InputPeakLeftDbfs);
        Assert.Equal(50, first.Blocks);
    }

    [Fact]
    public void ReadMeters_SteadySine_GivesLoudnessNearTheory()
    {
        var engine = new AudioEngine(new MasteringChain()) { LoudnessReportIntervalMs = 100 };
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        foreach (string id in new[] { "hpf.bypass", "eq.bypass", "comp.bypass", "width.bypass", "limiter.bypass" })
        {
            controller.Set(id, 1);
        }

        engine.Prepare(48000, 64, paced: false, 0);
        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        for (int b = 0; b < 48000 * 3 / 64; b++)
        {
            Sine(inL, inR, b * 64L, 0.1, 997);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
        }

        MeterSnapshot meters = engine.ReadMeters();

        // A 997 Hz sine at -20 dBFS peak in both channels reads -20 + 3.01 - 3.01 + 0.69 (K-weighting) ≈ -19.3 LUFS... as stereo: -20 - 3.01 + 3.01 + ~0.7.
        Assert.InRange(meters.MomentaryLufs, -23.5, -19);
        Assert.InRange(meters.IntegratedLufs, -23.5, -19);
        Assert.InRange(meters.TruePeakMaxDbtp, -20.5, -19.5);
    }

    [Fact]
    public void FadeOut_RampsSmoothlyToSilenceAndFlagsIt()
    {
        (AudioEngine engine, EngineController controller) = Create();
        foreach (string id in new[] { "hpf.bypass", "eq.bypass", "comp.bypass", "width.bypass", "limiter.bypass" })
        {
            controller.Set(id, 1);
        }

        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        var output = new List<float>();
        for (int b = 0; b < 200; b++)
        {
            if (b == 100)
            {
                controller.FadeOut(20);
            }

            Array.Fill(inL, 0.9f); // DC at -1 dBFS: any step in the gain shows up directly in the output
            Array.Fill(inR, 0.9f);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            output.AddRange(outL);
        }

        Assert.True(engine.IsFadedOut);
        Assert.All(output.Skip(output.Count - 64 * 40), s => Assert.Equal(0f, s));
        float largestStep = 0;
        for (int i = 64 * 100; i < output.Count; i++)
        {
            largestStep = Math.Max(largestStep, Math.Abs(output[i] - output[i - 1]));
        }

        // 20 ms raised-cosine from 0.9 to 0: the steepest step is 0.9·π/2/960 ≈ 0.0015 per sample.
        Assert.True(largestStep < 0.002f, $"largest step {largestStep}");
    }

    [Fact]
    public void Prepare_WithFadeIn_StartsFromSilence()
    {
        var engine = new AudioEngine(new MasteringChain());
        _ = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        engine.Chain.SetBypass(ChainStage.Limiter, true);
        engine.Prepare(48000, 64, paced: false, fadeInMs: 10);
        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        var output = new List<float>();
        for (int b = 0; b < 30; b++)
        {
            Sine(inL, inR, b * 64L, 0.5);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            output.AddRange(outL);
        }

        int latency = engine.LatencyFrames;
        float firstSound = output.First(s => s != 0); // the fade runs on the output, so the signal (after the latency) rises from near 0
        float early = output.Skip(latency).Take(24).Max(Math.Abs);
        float late = output.Skip(latency + 960).Take(480).Max(Math.Abs); // well after the 10 ms fade
        Assert.True(Math.Abs(firstSound) < 0.02f, $"first non-zero output {firstSound}");
        Assert.True(early < 0.15f, $"early {early}");
        float steady = output.Skip(output.Count - 480).Max(Math.Abs);
        Assert.InRange(late, 0.9f * steady, 1.1f * steady);
        Assert.True(steady > 0.2f, $"steady {steady}");
    }

    [Fact]
    public void ProcessBlock_ComputeTime_IsRecordedPerBlock()
    {
        (AudioEngine engine, _) = Create();
        engine.Warm(200);
        float[] buffer = new float[64];
        for (int b = 0; b < 1000; b++)
        {
            engine.ProcessBlock(new AudioBuffers(buffer, buffer, new float[64], new float[64], b));
        }

        EngineStatistics stats = engine.ReadStatistics();
        Assert.Equal(1000, stats.Blocks);
        Assert.Equal(1000, stats.ComputeTime.Blocks);
        Assert.True(stats.ComputeTime.MinPercent > 0);
        Assert.True(stats.ComputeTime.MaxPercent >= stats.ComputeTime.P99Percent - 0.1);
        Assert.Equal(0, stats.LateCallbacks); // unpaced: never counted
    }
}
