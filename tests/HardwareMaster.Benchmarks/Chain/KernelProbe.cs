using System.Diagnostics;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Benchmarks.Chain;

/// <summary>
/// <c>-- kernels [SECONDS] [ROUNDS]</c>: the render's hot stages one at a time on SECONDS of 48 kHz stereo programme in
/// 512-frame blocks (the render's block), ROUNDS rounds, printing each stage's median process CPU time per second of
/// audio. A quick A/B of two builds' kernels (run both, interleaved); BenchmarkDotNet's <see cref="ChainBenchmarks"/>
/// is the careful measurement.
/// </summary>
public static class KernelProbe
{
    /// <summary>Runs the probe.</summary>
    public static void Run(string[] args)
    {
        int seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20;
        int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        int frames = seconds * 48000;
        var random = new Random(1);
        var sourceLeft = new float[frames];
        var sourceRight = new float[frames];
        double pinkL = 0, pinkR = 0;
        for (int i = 0; i < frames; i++)
        {
            double t = i / 48000.0;
            double env = 0.6 + (0.4 * Math.Sin(2 * Math.PI * 2 * t));
            pinkL = (0.97 * pinkL) + (0.03 * ((2 * random.NextDouble()) - 1));
            pinkR = (0.97 * pinkR) + (0.03 * ((2 * random.NextDouble()) - 1));
            sourceLeft[i] = (float)(env * ((0.3 * Math.Sin(2 * Math.PI * 110 * t)) + (4 * pinkL) + (0.05 * ((2 * random.NextDouble()) - 1))));
            sourceRight[i] = (float)(env * ((0.3 * Math.Sin(2 * Math.PI * 165 * t)) + (4 * pinkR) + (0.05 * ((2 * random.NextDouble()) - 1))));
        }

        var left = new float[frames];
        var right = new float[frames];
        (string Name, Func<IAudioProcessor?> Make, Action? Meter)[] stages =
        [
            ("eq", () => ChainBenchmarks.Eq(), null),
            ("compressor", () => new GlueCompressor { Settings = new CompressorSettings { ThresholdDb = -24, SidechainHighPassHz = 80 } }, null),
            ("width", () => new StereoWidth { Settings = new WidthSettings { WidthPercent = 110, MonoBelowHz = 120 } }, null),
            ("limiter", () => new TruePeakLimiter(), null),
            ("dither24", () => new TpdfDither { Settings = new DitherSettings { Bits = 24, NoiseShaping = NoiseShaping.None } }, null),
            ("meter", () => null, null),
        ];
        var results = new double[stages.Length][];
        for (int s = 0; s < stages.Length; s++)
        {
            results[s] = new double[rounds];
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int s = 0; s < stages.Length; s++)
            {
                sourceLeft.CopyTo(left, 0);
                sourceRight.CopyTo(right, 0);
                IAudioProcessor? p = stages[s].Make();
                p?.Prepare(new ProcessSpec(48000, 512, 2));
                var meter = p is null ? new ProgramMeter(48000, 2) : null;
                TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
                for (int start = 0; start < frames; start += 512)
                {
                    int n = Math.Min(512, frames - start);
                    if (p is not null)
                    {
                        p.Process(new AudioBlock(left.AsSpan(start, n), right.AsSpan(start, n)));
                    }
                    else
                    {
                        meter!.Process(left.AsSpan(start, n), right.AsSpan(start, n));
                    }
                }

                results[s][round] = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds / seconds;
            }
        }

        for (int s = 0; s < stages.Length; s++)
        {
            Array.Sort(results[s]);
            Console.WriteLine($"{stages[s].Name,-11} {results[s][rounds / 2],7:F2} ms CPU per s of audio (min {results[s][0]:F2}, max {results[s][rounds - 1]:F2})");
        }
    }
}
