using HardwareMaster.Hal.Tests.AudioFiles;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>STYLE C5 contract suite, run over every processor of the chain and the chain itself.</summary>
public class ProcessorContractTests
{
    private const int SampleRateHz = 48000;
    private const int MaxBlock = 512;

    public static TheoryData<string> Names => new() { "Trim", "HighPass", "Eq", "Compressor", "CompressorAuto", "Width", "LoudnessGain", "Limiter", "Dither", "Chain" };

    internal static IAudioProcessor Create(string name)
    {
        switch (name)
        {
            case "Trim":
                var trim = new GainProcessor(-24, 24);
                trim.SetGainDb(-3.5);
                return trim;
            case "HighPass":
                return new HighPassFilter { Settings = new HighPassSettings { FrequencyHz = 40, SlopeDbPerOctave = 24 } };
            case "Eq":
                var eq = new ParametricEq();
                eq.SetBand(0, eq.GetBand(0) with { Enabled = true, FrequencyHz = 25 });
                eq.SetBand(1, eq.GetBand(1) with { GainDb = 3 });
                eq.SetBand(3, eq.GetBand(3) with { GainDb = -4, Q = 2 });
                eq.SetBand(5, eq.GetBand(5) with { GainDb = 2.5, FrequencyHz = 16000 });
                eq.SetBand(6, eq.GetBand(6) with { Enabled = true, FrequencyHz = 19000, SlopeDbPerOctave = 24 });
                return eq;
            case "Compressor":
                return new GlueCompressor { Settings = new CompressorSettings { ThresholdDb = -30, Ratio = 4, SidechainHighPassHz = 80, MakeupDb = 3, MixPercent = 80, StereoLinkPercent = 50 } };
            case "CompressorAuto":
                return new GlueCompressor { Settings = new CompressorSettings { ThresholdDb = -30, Ratio = 4, Detector = DetectorMode.Peak, AutoRelease = true, AttackMs = 1 } };
            case "Width":
                return new StereoWidth { Settings = new WidthSettings { WidthPercent = 150, MonoBelowHz = 120 } };
            case "LoudnessGain":
                var gain = new GainProcessor(-60, 40, smoothingMs: 50);
                gain.SetGainDb(6);
                return gain;
            case "Limiter":
                return new TruePeakLimiter { Settings = new LimiterSettings { CeilingDbtp = -1, LookaheadMs = 1, ReleaseMs = 40 } };
            case "Dither":
                return new TpdfDither { Settings = new DitherSettings { Bits = 16, NoiseShaping = NoiseShaping.Lipshitz5, Seed = 7 } };
            default:
                var chain = new MasteringChain();
                chain.SetTrim(new TrimSettings { GainDb = 2 });
                chain.SetEqBand(3, chain.GetEqBand(3) with { GainDb = 3 });
                chain.SetCompressor(new CompressorSettings { ThresholdDb = -24, AutoRelease = true });
                chain.SetWidth(new WidthSettings { WidthPercent = 120, MonoBelowHz = 100 });
                chain.SetLoudnessGainDb(8);
                chain.SetDither(new DitherSettings { Bits = 24, Seed = 3 });
                return chain;
        }
    }

    private static (float[] Left, float[] Right) Program(int frames)
    {
        var left = TestSignals.ClippedMix(frames, SampleRateHz, 0.8, 0.95, 1);
        var right = TestSignals.ClippedMix(frames, SampleRateHz, 0.7, 0.95, 2);
        // A step change and silence tail exercise attack, release and decay.
        for (int i = frames / 2; i < (3 * frames) / 4; i++)
        {
            left[i] *= 0.05f;
            right[i] *= 0.05f;
        }

        for (int i = (7 * frames) / 8; i < frames; i++)
        {
            left[i] = right[i] = 0;
        }

        return (left, right);
    }

    private static (float[] Left, float[] Right) Run(string name, int blockFrames, int frames = 24000)
    {
        var p = Create(name);
        p.Prepare(new ProcessSpec(SampleRateHz, MaxBlock, 2));
        var (l, r) = Program(frames);
        TestSignals.ProcessInBlocks(p, l, r, blockFrames);
        return (l, r);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Process_DifferentBlockSizes_GiveBitIdenticalOutput(string name)
    {
        var (refL, refR) = Run(name, 512);
        foreach (int block in new[] { 1, 7, 64, 4096 })
        {
            var (l, r) = Run(name, block);
            Assert.Equal(refL, l);
            Assert.Equal(refR, r);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Process_SteadyState_AllocatesNothing(string name)
    {
        var p = Create(name);
        p.Prepare(new ProcessSpec(SampleRateHz, MaxBlock, 2));
        var (l, r) = Program(MaxBlock * 8);
        var left = new float[MaxBlock];
        var right = new float[MaxBlock];
        void Blocks(int count)
        {
            for (int b = 0; b < count; b++)
            {
                int offset = (b % 8) * MaxBlock;
                l.AsSpan(offset, MaxBlock).CopyTo(left);
                r.AsSpan(offset, MaxBlock).CopyTo(right);
                p.Process(new AudioBlock(left, right));
                p.Process(new AudioBlock(left.AsSpan(0, 64), right.AsSpan(0, 64)));
            }
        }

        Blocks(400); // warm-up: JIT tiering finishes
        Assert.Equal(0, AllocationProbe.SmallestBytesAllocated(() => Blocks(100)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Reset_AfterProcessing_GivesDeterministicOutput(string name)
    {
        var p = Create(name);
        p.Prepare(new ProcessSpec(SampleRateHz, MaxBlock, 2));
        var (l1, r1) = Program(12000);
        TestSignals.ProcessInBlocks(p, l1, r1, 256);
        p.Reset();
        var (l2, r2) = Program(12000);
        TestSignals.ProcessInBlocks(p, l2, r2, 256);
        var fresh = Create(name);
        fresh.Prepare(new ProcessSpec(SampleRateHz, MaxBlock, 2));
        var (l3, r3) = Program(12000);
        TestSignals.ProcessInBlocks(fresh, l3, r3, 256);
        Assert.Equal(l3, l2);
        Assert.Equal(r3, r2);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Process_LoudFiniteInput_NeverGivesNonFiniteOrSubnormalOutput(string name)
    {
        var p = Create(name);
        p.Prepare(new ProcessSpec(SampleRateHz, MaxBlock, 2));
        var l = TestSignals.Noise(24000, 30, 5);
        var r = TestSignals.Square(24000, 3000, SampleRateHz, 50);
        for (int i = 12000; i < 24000; i++)
        {
            l[i] = r[i] = 0; // decaying tail
        }

        TestSignals.ProcessInBlocks(p, l, r, 333);
        foreach (float v in l.Concat(r))
        {
            Assert.True(float.IsFinite(v));
            Assert.False(float.IsSubnormal(v));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Process_Impulse_DelayEqualsLatencyFrames(string name)
    {
        if (name == "Dither")
        {
            name = "DitherOff";
        }

        var p = name == "DitherOff" ? new TpdfDither() : Create(name);
        if (p is MasteringChain chain)
        {
            chain.SetDither(new DitherSettings());
        }

        p.Prepare(new ProcessSpec(SampleRateHz, MaxBlock, 2));
        var l = new float[4096];
        var r = new float[4096];
        l[100] = r[100] = 0.25f;
        TestSignals.ProcessInBlocks(p, l, r, 256);
        int first = Array.FindIndex(l, v => Math.Abs(v) > 1e-6);
        Assert.Equal(100 + p.LatencyFrames, first);
    }
}
