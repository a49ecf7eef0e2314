using FsCheck.Xunit;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Dsp.Processors;
using HardwareMaster.Dsp.Tests.Processors;

namespace HardwareMaster.Dsp.Tests.Chain;

public class MasteringChainTests
{
    private sealed class RecordingTap : IAudioTap
    {
        public double MaxAbs;
        public long Frames;

        public void Process(AudioBlock block)
        {
            Frames += block.Frames;
            for (int c = 0; c < block.Channels; c++)
            {
                foreach (float v in block.Channel(c))
                {
                    MaxAbs = Math.Max(MaxAbs, Math.Abs(v));
                }
            }
        }
    }

    [Fact]
    public void Process_NaNAndInfinityInput_NeverProducesNonFiniteOutputAndCountsThem()
    {
        var chain = new MasteringChain();
        chain.Prepare(new ProcessSpec(48000, 256, 2));
        var l = TestSignals.Noise(48000, 0.5, 1);
        var r = TestSignals.Noise(48000, 0.5, 2);
        l[100] = float.NaN;
        r[5000] = float.PositiveInfinity;
        l[9000] = float.NegativeInfinity;
        for (int i = 20000; i < 20100; i++)
        {
            r[i] = float.NaN;
        }

        TestSignals.ProcessInBlocks(chain, l, r, 256);
        Assert.All(l, v => Assert.True(float.IsFinite(v)));
        Assert.All(r, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(103, chain.NonFiniteSampleCount);
    }

    private sealed class CopyTap : IAudioTap
    {
        public readonly List<float> Left = [];

        public void Process(AudioBlock block)
        {
            foreach (float v in block.Channel(0))
            {
                Left.Add(v);
            }
        }
    }

    [Fact]
    public void Process_InputSanitising_MapsEveryKindOfSampleAsSpecifiedWhereverItFallsInTheBlock()
    {
        float[] kinds = [0.5f, -0.0f, 0f, 1e-35f, -1e-35f, 1e-30f, float.Epsilon, 2000f, -5000f, 1000f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.25f];
        var random = new Random(17);
        var input = new float[1003];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.Next(3) == 0 ? kinds[random.Next(kinds.Length)] : (float)(random.NextDouble() - 0.5);
        }

        var chain = new MasteringChain();
        var tap = new CopyTap();
        chain.SetInputTap(tap);
        chain.Prepare(new ProcessSpec(48000, 256, 2));
        var l = (float[])input.Clone();
        var r = (float[])input.Clone();
        TestSignals.ProcessInBlocks(chain, l, r, 101);

        long nonFinite = 0;
        for (int i = 0; i < input.Length; i++)
        {
            float v = input[i];
            float expected = !float.IsFinite(v) ? 0f : Math.Abs(v) < 1e-30f ? 0f : Math.Abs(v) > MasteringChain.InputClampLinear ? MathF.CopySign(MasteringChain.InputClampLinear, v) : v;
            nonFinite += float.IsFinite(v) ? 0 : 1;
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(tap.Left[i]));
        }

        Assert.Equal(2 * nonFinite, chain.NonFiniteSampleCount);
    }

    [Theory]
    [InlineData(ChainStage.Limiter)]
    [InlineData(ChainStage.Eq)]
    [InlineData(ChainStage.Compressor)]
    public void SetBypass_WhileRunning_KeepsLatencyAndDoesNotClick(ChainStage stage)
    {
        const int fs = 48000;
        var chain = new MasteringChain();
        chain.SetEqBand(3, chain.GetEqBand(3) with { GainDb = 6 });
        chain.SetCompressor(new CompressorSettings { ThresholdDb = -30, Ratio = 4 });
        chain.SetLoudnessGainDb(6);
        chain.Prepare(new ProcessSpec(fs, 480, 2));
        int latency = chain.LatencyFrames;
        var l = TestSignals.Sine(fs, 1000, fs, 0.5);
        var r = (float[])l.Clone();
        for (int start = 0; start < l.Length; start += 480)
        {
            if (start == fs / 2)
            {
                chain.SetBypass(stage, true);
            }

            chain.Process(new AudioBlock(l.AsSpan(start, 480), r.AsSpan(start, 480)));
        }

        Assert.Equal(latency, chain.LatencyFrames);
        Assert.True(chain.IsBypassed(stage));
        // No click: a 1 kHz sine at ≤ 0 dBFS changes by at most 2π·1000/48000 ≈ 0.131 per sample; allow small extra.
        for (int i = latency + 1; i < l.Length; i++)
        {
            Assert.True(Math.Abs(l[i] - l[i - 1]) < 0.16, $"jump {l[i] - l[i - 1]:F3} at {i}");
        }
    }

    [Fact]
    public void Process_AllBypassed_IsDelayedInput()
    {
        var chain = new MasteringChain();
        foreach (var stage in Enum.GetValues<ChainStage>())
        {
            chain.SetBypass(stage, true);
        }

        chain.Prepare(new ProcessSpec(44100, 128, 2));
        var input = TestSignals.Noise(8000, 0.9, 4);
        var l = (float[])input.Clone();
        var r = (float[])input.Clone();
        TestSignals.ProcessInBlocks(chain, l, r, 100);
        int latency = chain.LatencyFrames;
        for (int i = latency; i < l.Length; i++)
        {
            Assert.Equal(input[i - latency], l[i]);
        }
    }

    // A chain with every stage active except the bypassed ones: EQ boost, 4:1 compressor, wider, +6 dB into the limiter,
    // 24-bit dither.
    private static MasteringChain BypassChain(bool idle, params ChainStage[] bypassed)
    {
        var chain = new MasteringChain { IdleBypassedStages = idle };
        chain.SetHighPass(new HighPassSettings { FrequencyHz = 60, SlopeDbPerOctave = 24 });
        chain.SetEqBand(3, chain.GetEqBand(3) with { GainDb = 6 });
        chain.SetCompressor(new CompressorSettings { ThresholdDb = -30, Ratio = 4 });
        chain.SetWidth(new WidthSettings { WidthPercent = 140 });
        chain.SetLoudnessGainDb(6);
        chain.SetDither(new DitherSettings { Bits = 24 });
        foreach (ChainStage stage in bypassed)
        {
            chain.SetBypass(stage, true);
        }

        chain.Prepare(new ProcessSpec(48000, 256, 2));
        return chain;
    }

    [Theory]
    [InlineData(ChainStage.HighPass, ChainStage.Eq)]
    [InlineData(ChainStage.Trim, ChainStage.Width, ChainStage.Dither)]
    [InlineData(ChainStage.Compressor, ChainStage.Limiter, ChainStage.LoudnessGain)]
    [InlineData(ChainStage.Trim, ChainStage.HighPass, ChainStage.Eq, ChainStage.Compressor, ChainStage.Width, ChainStage.LoudnessGain, ChainStage.Limiter, ChainStage.Dither)]
    public void IdleBypassedStages_BypassedFromTheStart_GivesBitIdenticalOutputAndReadings(params ChainStage[] bypassed)
    {
        var warm = BypassChain(idle: false, bypassed);
        var idle = BypassChain(idle: true, bypassed);
        var l1 = TestSignals.Noise(48000, 0.5, 11);
        var r1 = TestSignals.Noise(48000, 0.5, 12);
        var l2 = (float[])l1.Clone();
        var r2 = (float[])r1.Clone();
        for (int start = 0; start < l1.Length; start += 200)
        {
            int n = Math.Min(200, l1.Length - start);
            warm.Process(new AudioBlock(l1.AsSpan(start, n), r1.AsSpan(start, n)));
            idle.Process(new AudioBlock(l2.AsSpan(start, n), r2.AsSpan(start, n)));
            Assert.Equal(warm.ReadCompressorGainReduction(), idle.ReadCompressorGainReduction());
            Assert.Equal(warm.ReadLimiterGainReduction(), idle.ReadLimiterGainReduction());
        }

        Assert.Equal(l1, l2);
        Assert.Equal(r1, r2);
    }

    [Fact]
    public void IdleBypassedStages_StageReturningFromBypass_StartsColdUnlikeTheBox()
    {
        // What the flag trades away (why the box leaves it off): a stage that was idle returns with the state it had when
        // it went idle, not with the state of having heard the programme all along.
        var warm = BypassChain(idle: false, ChainStage.HighPass, ChainStage.Eq);
        var idle = BypassChain(idle: true, ChainStage.HighPass, ChainStage.Eq);
        var l1 = TestSignals.Noise(24000, 0.5, 21);
        var r1 = TestSignals.Noise(24000, 0.5, 22);
        var l2 = (float[])l1.Clone();
        var r2 = (float[])r1.Clone();
        for (int start = 0; start < l1.Length; start += 240)
        {
            if (start == 12000)
            {
                foreach (var chain in new[] { warm, idle })
                {
                    chain.SetBypass(ChainStage.HighPass, false);
                    chain.SetBypass(ChainStage.Eq, false);
                }
            }

            warm.Process(new AudioBlock(l1.AsSpan(start, 240), r1.AsSpan(start, 240)));
            idle.Process(new AudioBlock(l2.AsSpan(start, 240), r2.AsSpan(start, 240)));
        }

        int latency = warm.LatencyFrames;
        Assert.Equal(l1.AsSpan(0, 12000 + latency).ToArray(), l2.AsSpan(0, 12000 + latency).ToArray());
        Assert.NotEqual(l1.AsSpan(12000 + latency, 480).ToArray(), l2.AsSpan(12000 + latency, 480).ToArray());
    }

    [Theory]
    [InlineData(37)]
    [InlineData(100)]
    [InlineData(480)]
    public void SetBypass_LimiterMidStream_CrossfadesToExactlyDelayedInput(int blockFrames)
    {
        MasteringChain Create()
        {
            var chain = new MasteringChain();
            foreach (var stage in Enum.GetValues<ChainStage>())
            {
                chain.SetBypass(stage, stage != ChainStage.Limiter);
            }

            chain.SetLimiter(new LimiterSettings { CeilingDbtp = -10 });
            chain.Prepare(new ProcessSpec(48000, 512, 2));
            return chain;
        }

        var input = TestSignals.Noise(24000, 0.9, 8);
        var wet = (float[])input.Clone();
        var wetRight = (float[])input.Clone();
        TestSignals.ProcessInBlocks(Create(), wet, wetRight, blockFrames);

        var chain = Create();
        int latency = chain.LatencyFrames;
        var l = (float[])input.Clone();
        var r = (float[])input.Clone();
        const int bypassAt = 9000;
        int bypassedFrom = -1;
        for (int start = 0; start < l.Length; start += blockFrames)
        {
            if (bypassedFrom < 0 && start >= bypassAt)
            {
                chain.SetBypass(ChainStage.Limiter, true);
                bypassedFrom = start;
            }

            int n = Math.Min(blockFrames, l.Length - start);
            chain.Process(new AudioBlock(l.AsSpan(start, n), r.AsSpan(start, n)));
        }

        Assert.True(chain.ReadLimiterGainReduction().MaxSinceLastReadDb > 3); // the limiter was working before
        Assert.Equal(wet.AsSpan(0, bypassedFrom).ToArray(), l.AsSpan(0, bypassedFrom).ToArray());

        // From the request on: the chain's linear crossfade from the limiter's output to its input delayed by the latency.
        double step = 1000.0 / (MasteringChain.BypassFadeMs * 48000), f = 1;
        for (int i = bypassedFrom; i < l.Length; i++)
        {
            f = Math.Max(0, f - step);
            float dry = input[i - latency];
            Assert.Equal((float)(dry + (f * (wet[i] - dry))), l[i]); // float difference, as the chain computes it
        }
    }

    [Fact]
    public void ProcessUntil_LoudnessGain_EqualsChainWithoutLoudnessLimiterAndDither()
    {
        MasteringChain Configure()
        {
            var chain = new MasteringChain();
            chain.SetTrim(new TrimSettings { GainDb = 3 });
            chain.SetEqBand(2, chain.GetEqBand(2) with { GainDb = 4 });
            chain.SetCompressor(new CompressorSettings { ThresholdDb = -24, SidechainHighPassHz = 80 });
            chain.SetWidth(new WidthSettings { WidthPercent = 130, MonoBelowHz = 120 });
            chain.Prepare(new ProcessSpec(48000, 256, 2));
            return chain;
        }

        var analysis = Configure();
        var inputTap = new RecordingTap();
        var outputTap = new RecordingTap();
        analysis.SetInputTap(inputTap);
        analysis.SetOutputTap(outputTap);
        analysis.SetLoudnessGainDb(12); // skipped: must not matter
        analysis.SetDither(new DitherSettings { Bits = 16 });
        var l = TestSignals.ClippedMix(30000, 48000, 0.9, 1, 5);
        var r = TestSignals.ClippedMix(30000, 48000, 0.8, 1, 6);
        var sourceL = (float[])l.Clone();
        var sourceR = (float[])r.Clone();
        for (int start = 0; start < l.Length; start += 300)
        {
            int n = Math.Min(300, l.Length - start);
            analysis.ProcessUntil(ChainStage.LoudnessGain, new AudioBlock(l.AsSpan(start, n), r.AsSpan(start, n)));
        }

        // Reference: the full chain at 0 dB loudness gain, limiter bypassed (a pure delay of LatencyFrames), no dither.
        var reference = Configure();
        reference.SetBypass(ChainStage.Limiter, true);
        reference.Reset();
        TestSignals.ProcessInBlocks(reference, sourceL, sourceR, 256);
        int latency = reference.LatencyFrames;
        Assert.True(latency > 0);
        for (int i = 0; i + latency < l.Length; i++)
        {
            Assert.Equal(sourceL[i + latency], l[i]);
            Assert.Equal(sourceR[i + latency], r[i]);
        }

        Assert.Equal(30000, inputTap.Frames);
        Assert.Equal(0, outputTap.Frames);
        Assert.Equal(0, analysis.ReadLimiterGainReduction().MaxSinceLastReadDb);
    }

    [Fact]
    public void ProcessUntil_DitherPlusOne_IsProcess()
    {
        var a = ProcessorContractTests.Create("Chain");
        var b = (MasteringChain)ProcessorContractTests.Create("Chain");
        a.Prepare(new ProcessSpec(48000, 512, 2));
        b.Prepare(new ProcessSpec(48000, 512, 2));
        var l1 = TestSignals.Noise(6000, 0.7, 12);
        var r1 = TestSignals.Noise(6000, 0.7, 13);
        var l2 = (float[])l1.Clone();
        var r2 = (float[])r1.Clone();
        TestSignals.ProcessInBlocks(a, l1, r1, 512);
        for (int start = 0; start < l2.Length; start += 512)
        {
            int n = Math.Min(512, l2.Length - start);
            b.ProcessUntil(ChainStage.Dither + 1, new AudioBlock(l2.AsSpan(start, n), r2.AsSpan(start, n)));
        }

        Assert.Equal(l1, l2);
        Assert.Equal(r1, r2);
    }

    [Fact]
    public void Setters_BeforePrepare_AreAppliedByPrepare()
    {
        var chain = new MasteringChain();
        chain.SetTrim(new TrimSettings { GainDb = -6 });
        chain.SetHighPass(new HighPassSettings { Enabled = false });
        chain.SetCompressor(new CompressorSettings { Ratio = 1 });
        chain.SetLimiter(new LimiterSettings { CeilingDbtp = -0.1, LookaheadMs = 2 });
        chain.Prepare(new ProcessSpec(48000, 512, 2));
        Assert.Equal(TruePeakLimiter.LatencyFor(chain.Limiter, 48000), chain.LatencyFrames);
        var l = TestSignals.Sine(48000, 1000, 48000, 0.5);
        var r = (float[])l.Clone();
        TestSignals.ProcessInBlocks(chain, l, r, 512);
        Assert.Equal(0.5 * Math.Pow(10, -6 / 20.0), TestSignals.Rms(l.AsSpan(24000)) * Math.Sqrt(2), 4);
    }

    [Fact]
    public void Taps_SeeInputAndOutput()
    {
        var chain = new MasteringChain();
        var input = new RecordingTap();
        var output = new RecordingTap();
        chain.SetInputTap(input);
        chain.SetOutputTap(output);
        chain.SetLoudnessGainDb(20);
        chain.Prepare(new ProcessSpec(48000, 512, 2));
        var l = TestSignals.Sine(48000, 500, 48000, 0.5);
        var r = (float[])l.Clone();
        TestSignals.ProcessInBlocks(chain, l, r, 512);
        Assert.Equal(48000, input.Frames);
        Assert.Equal(48000, output.Frames);
        Assert.InRange(input.MaxAbs, 0.49, 0.51);
        Assert.True(output.MaxAbs <= Math.Pow(10, -1 / 20.0));
        Assert.True(chain.ReadLimiterGainReduction().MaxSinceLastReadDb > 5);
        Assert.True(chain.ReadCompressorGainReduction().MaxSinceLastReadDb > 0.5);
    }

    [Fact]
    public void Process_BlockLongerThanMaxBlock_IsChunkedIdentically()
    {
        float[] Run(int block)
        {
            var chain = new MasteringChain();
            chain.SetLoudnessGainDb(10);
            chain.Prepare(new ProcessSpec(44100, 64, 2));
            var l = TestSignals.ClippedMix(20000, 44100, 1, 1, 3);
            var r = TestSignals.ClippedMix(20000, 44100, 1, 1, 4);
            TestSignals.ProcessInBlocks(chain, l, r, block);
            return l;
        }

        Assert.Equal(Run(64), Run(5000));
    }

    [Property(MaxTest = 25)]
    public bool Process_RandomSettingsAndSignals_HoldCeilingAndStayFinite(int seed)
    {
        var random = new Random(seed);
        int fs = new[] { 44100, 48000, 96000 }[random.Next(3)];
        var chain = new MasteringChain();
        chain.SetTrim(new TrimSettings { GainDb = (random.NextDouble() * 48) - 24 });
        chain.SetHighPass(new HighPassSettings { FrequencyHz = 2 + (random.NextDouble() * 298), SlopeDbPerOctave = new[] { 6, 12, 18, 24, 36, 48 }[random.Next(6)] });
        for (int band = 1; band < 6; band++)
        {
            chain.SetEqBand(band, chain.GetEqBand(band) with { GainDb = (random.NextDouble() * 48) - 24, Q = 0.3 + (random.NextDouble() * 8), FrequencyHz = 20 * Math.Pow(1000, random.NextDouble()) });
        }

        chain.SetCompressor(new CompressorSettings
        {
            ThresholdDb = -random.NextDouble() * 60,
            Ratio = 1 + (random.NextDouble() * 9),
            KneeDb = random.NextDouble() * 24,
            AttackMs = 0.1 + (random.NextDouble() * 99.9),
            ReleaseMs = 10 + (random.NextDouble() * 1990),
            AutoRelease = random.Next(2) == 0,
            Detector = random.Next(2) == 0 ? DetectorMode.Peak : DetectorMode.Rms,
            MakeupDb = random.NextDouble() * 24,
            MixPercent = random.NextDouble() * 100,
        });
        chain.SetWidth(new WidthSettings { WidthPercent = random.NextDouble() * 200, MonoBelowHz = random.Next(2) == 0 ? 0 : 20 + (random.NextDouble() * 480) });
        chain.SetLoudnessGainDb((random.NextDouble() * 60) - 20);
        double ceilingDbtp = -random.NextDouble() * 10;
        chain.SetLimiter(new LimiterSettings { CeilingDbtp = ceilingDbtp, LookaheadMs = 0.5 + (random.NextDouble() * 4.5), ReleaseMs = 1 + (random.NextDouble() * 999), AutoRelease = random.Next(2) == 0 });
        chain.Prepare(new ProcessSpec(fs, 512, 2));

        int frames = fs / 5;
        var l = random.Next(2) == 0 ? TestSignals.Noise(frames, random.NextDouble() * 4, seed) : TestSignals.ClippedMix(frames, fs, random.NextDouble() * 5, 1, seed);
        var r = TestSignals.Square(frames, 50 + (random.NextDouble() * 5000), fs, random.NextDouble() * 3);
        if (random.Next(4) == 0)
        {
            l[random.Next(frames)] = float.NaN;
        }

        TestSignals.ProcessInBlocks(chain, l, r, 1 + random.Next(700));
        double ceiling = Math.Pow(10, ceilingDbtp / 20);
        foreach (var channel in new[] { l, r })
        {
            if (channel.Any(v => !float.IsFinite(v)))
            {
                return false;
            }

            if (new TruePeakDetector(fs).ProcessBlock(channel) > ceiling)
            {
                return false;
            }
        }

        return true;
    }
}
