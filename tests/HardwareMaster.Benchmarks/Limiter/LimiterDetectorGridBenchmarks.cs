using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Benchmarks.Limiter;

/// <summary>
/// What the limiter's cheaper detector grid (<see cref="TruePeakLimiter.DetectorOversampling"/> 8× → 4×, the engine's
/// protection step) saves, per frame at 48 kHz stereo, for the limiter alone and the whole chain. BenchmarkDotNet:
/// <c>-- --filter '*LimiterDetectorGrid*'</c>; a quick Stopwatch probe: <c>-- limiter-grid [seconds]</c>.
/// </summary>
[MemoryDiagnoser]
public class LimiterDetectorGridBenchmarks
{
    private const int FramesPerInvoke = 4800;
    private IAudioProcessor _processor = null!;
    private float[] _left = [];
    private float[] _right = [];
    private float[] _sourceLeft = [];
    private float[] _sourceRight = [];

    /// <summary>Detector grid.</summary>
    [Params(8, 4)]
    public int Oversampling { get; set; }

    /// <summary>The limiter alone or the whole chain.</summary>
    [Params("Limiter", "Chain")]
    public string Stage { get; set; } = "Limiter";

    /// <summary>Block size.</summary>
    [Params(64, 1024)]
    public int BlockFrames { get; set; }

    /// <summary>Builds and warms up.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_processor, _sourceLeft, _sourceRight) = Build(Stage, Oversampling, BlockFrames);
        _left = new float[FramesPerInvoke];
        _right = new float[FramesPerInvoke];
        for (int i = 0; i < 50; i++)
        {
            Run();
        }
    }

    /// <summary>Processes 4800 frames (Mean is per frame).</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public void Run() => Process(_processor, _sourceLeft, _sourceRight, _left, _right, BlockFrames);

    /// <summary>The quick probe: interleaved rounds of each configuration, best round per configuration, ns/frame.</summary>
    /// <param name="args">Optional seconds per configuration (default 2).</param>
    public static void Probe(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2;
        foreach (string stage in new[] { "Limiter", "Chain" })
        {
            foreach (int block in new[] { 64, 1024 })
            {
                double[] best = [double.MaxValue, double.MaxValue];
                var built = new[] { Build(stage, 8, block), Build(stage, 4, block) };
                var left = new float[FramesPerInvoke];
                var right = new float[FramesPerInvoke];
                var deadline = Stopwatch.GetTimestamp() + (long)(seconds * 2 * Stopwatch.Frequency);
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    for (int k = 0; k < 2; k++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        for (int r = 0; r < 10; r++)
                        {
                            Process(built[k].Processor, built[k].Left, built[k].Right, left, right, block);
                        }

                        double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / (10.0 * FramesPerInvoke);
                        best[k] = Math.Min(best[k], ns);
                    }
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage,-8} block {block,4}: 8x {best[0],6:0.0} ns/frame, 4x {best[1],6:0.0} ns/frame, saves {100 * (1 - (best[1] / best[0])),4:0} % ({20833 / best[0],5:0}x / {20833 / best[1],5:0}x real time)"));
            }
        }
    }

    private static (IAudioProcessor Processor, float[] Left, float[] Right) Build(string stage, int oversampling, int block)
    {
        IAudioProcessor processor;
        if (stage == "Chain")
        {
            var chain = Chain.ChainBenchmarks.FullChain();
            chain.LimiterDetectorOversampling = oversampling;
            processor = chain;
        }
        else
        {
            processor = new TruePeakLimiter { DetectorOversampling = oversampling };
        }

        processor.Prepare(new ProcessSpec(48000, block, 2));
        var random = new Random(1);
        var l = new float[FramesPerInvoke];
        var r = new float[FramesPerInvoke];
        for (int i = 0; i < FramesPerInvoke; i++)
        {
            double t = i / 48000.0;
            l[i] = (float)((0.5 * Math.Sin(2 * Math.PI * 110 * t)) + (0.3 * ((2 * random.NextDouble()) - 1)));
            r[i] = (float)((0.5 * Math.Sin(2 * Math.PI * 220 * t)) + (0.3 * ((2 * random.NextDouble()) - 1)));
        }

        return (processor, l, r);
    }

    private static void Process(IAudioProcessor processor, float[] sourceLeft, float[] sourceRight, float[] left, float[] right, int block)
    {
        sourceLeft.CopyTo(left, 0);
        sourceRight.CopyTo(right, 0);
        for (int start = 0; start < FramesPerInvoke; start += block)
        {
            int n = Math.Min(block, FramesPerInvoke - start);
            processor.Process(new AudioBlock(left.AsSpan(start, n), right.AsSpan(start, n)));
        }
    }
}
