using BenchmarkDotNet.Attributes;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Benchmarks.Chain;

/// <summary>
/// Each chain stage and the whole chain at 48 kHz stereo. Each invocation processes <see cref="FramesPerInvoke"/>
/// frames in blocks of <see cref="BlockFrames"/>, and OperationsPerInvoke makes the reported Mean the time per
/// frame: × real time = 20 833 ns / Mean.
/// </summary>
[MemoryDiagnoser]
public class ChainBenchmarks
{
    /// <summary>Frames per benchmark invocation (0.1 s).</summary>
    public const int FramesPerInvoke = 4800;

    private IAudioProcessor _processor = null!;
    private float[] _left = [];
    private float[] _right = [];
    private float[] _sourceLeft = [];
    private float[] _sourceRight = [];

    /// <summary>Block size in frames.</summary>
    [Params(64, 512)]
    public int BlockFrames { get; set; }

    /// <summary>Which processor.</summary>
    [Params("Trim", "HighPass", "Eq", "Compressor", "Width", "LoudnessGain", "Limiter", "Dither", "Chain", "ChainWithMeters", "ChainWithMeterPair", "ChainAnalysis")]
    public string Stage { get; set; } = "Chain";

    /// <summary>Builds and warms up the processor.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _processor = Stage switch
        {
            "Trim" => Gain(-2),
            "HighPass" => new HighPassFilter(),
            "Eq" => Eq(),
            "Compressor" => new GlueCompressor { Settings = new CompressorSettings { ThresholdDb = -24, SidechainHighPassHz = 80 } },
            "Width" => new StereoWidth { Settings = new WidthSettings { WidthPercent = 120, MonoBelowHz = 120 } },
            "LoudnessGain" => Gain(6),
            "Limiter" => new TruePeakLimiter(),
            "Dither" => new TpdfDither { Settings = new DitherSettings { Bits = 16, NoiseShaping = NoiseShaping.Lipshitz5 } },
            "ChainWithMeters" => FullChainWithMeters(),
            "ChainWithMeterPair" => FullChainWithMeterPair(BlockFrames),
            "ChainAnalysis" => new AnalysisPass(FullChain()),
            _ => FullChain(),
        };
        _processor.Prepare(new ProcessSpec(48000, BlockFrames, 2));
        var random = new Random(1);
        _sourceLeft = new float[FramesPerInvoke];
        _sourceRight = new float[FramesPerInvoke];
        for (int i = 0; i < FramesPerInvoke; i++)
        {
            double t = i / 48000.0;
            _sourceLeft[i] = (float)((0.5 * Math.Sin(2 * Math.PI * 110 * t)) + (0.3 * ((2 * random.NextDouble()) - 1)));
            _sourceRight[i] = (float)((0.5 * Math.Sin(2 * Math.PI * 220 * t)) + (0.3 * ((2 * random.NextDouble()) - 1)));
        }

        _left = new float[FramesPerInvoke];
        _right = new float[FramesPerInvoke];
        for (int i = 0; i < 50; i++)
        {
            Run();
        }
    }

    /// <summary>Processes 4800 frames.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public void Run()
    {
        _sourceLeft.CopyTo(_left, 0);
        _sourceRight.CopyTo(_right, 0);
        int block = BlockFrames;
        for (int start = 0; start < FramesPerInvoke; start += block)
        {
            int n = Math.Min(block, FramesPerInvoke - start);
            _processor.Process(new AudioBlock(_left.AsSpan(start, n), _right.AsSpan(start, n)));
        }
    }

    private static GainProcessor Gain(double db)
    {
        var g = new GainProcessor(-60, 40);
        g.SetGainDb(db);
        return g;
    }

    /// <summary>The EQ with the high-pass on and every band at +2 dB (every section runs).</summary>
    internal static ParametricEq Eq()
    {
        var eq = new ParametricEq();
        eq.SetBand(0, eq.GetBand(0) with { Enabled = true });
        for (int band = 1; band < 6; band++)
        {
            eq.SetBand(band, eq.GetBand(band) with { GainDb = 2 });
        }

        return eq;
    }

    /// <summary>The whole chain with a <see cref="ProgramMeter"/> on its input and one on its output tap.</summary>
    internal static MasteringChain FullChainWithMeters()
    {
        var chain = FullChain();
        chain.SetInputTap(new MeterTap(new ProgramMeter(48000, 2)));
        chain.SetOutputTap(new MeterTap(new ProgramMeter(48000, 2)));
        return chain;
    }

    /// <summary>The whole chain with input and output meters as a <see cref="ProgramMeterPair"/> (one fused pass for both).</summary>
    internal static MasteringChain FullChainWithMeterPair(int maxBlockFrames)
    {
        var chain = FullChain();
        var pair = new ProgramMeterPair(new ProgramMeter(48000, 2), new ProgramMeter(48000, 2), maxBlockFrames);
        chain.SetInputTap(pair.InputTap);
        chain.SetOutputTap(pair.OutputTap);
        return chain;
    }

    /// <summary>The chain as configured in every whole-chain benchmark.</summary>
    internal static MasteringChain FullChain()
    {
        var chain = new MasteringChain();
        for (int band = 1; band < 6; band++)
        {
            chain.SetEqBand(band, chain.GetEqBand(band) with { GainDb = 2 });
        }

        chain.SetCompressor(new CompressorSettings { ThresholdDb = -24, SidechainHighPassHz = 80 });
        chain.SetWidth(new WidthSettings { WidthPercent = 120, MonoBelowHz = 120 });
        chain.SetLoudnessGainDb(6);
        chain.SetDither(new DitherSettings { Bits = 16 });
        return chain;
    }
}

/// <summary>Adapter: a <see cref="ProgramMeter"/> as a chain tap.</summary>
internal sealed class MeterTap(ProgramMeter meter) : IAudioTap
{
    /// <inheritdoc />
    public void Process(AudioBlock block) => meter.Process(block);
}

/// <summary>Adapter: the chain's analysis fast path (<see cref="MasteringChain.ProcessUntil"/> up to the loudness gain) as a processor.</summary>
internal sealed class AnalysisPass(MasteringChain chain) : IAudioProcessor
{
    /// <inheritdoc />
    public int LatencyFrames => 0;

    /// <inheritdoc />
    public void Prepare(in ProcessSpec spec) => chain.Prepare(spec);

    /// <inheritdoc />
    public void Process(AudioBlock block) => chain.ProcessUntil(ChainStage.LoudnessGain, block);

    /// <inheritdoc />
    public void Reset() => chain.Reset();
}
