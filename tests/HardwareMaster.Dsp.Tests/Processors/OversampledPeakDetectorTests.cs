using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

public class OversampledPeakDetectorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(61)]
    [InlineData(512)]
    public void Process_FoldedPolyphase_MatchesDirectDoubleEvaluationOfThePrototype(int blockFrames)
    {
        // The kernel folds mirrored phases through the prototype's symmetry; the reference evaluates all 8 points
        // of every frame straight from the prototype in double: the same interpolated values up to float rounding.
        const int frames = 3000;
        double[] h = OversampledPeakDetector.DesignPrototype();
        var random = new Random(4);
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)((0.6 * Math.Sin(i * 2.9)) + (0.4 * ((2 * random.NextDouble()) - 1)));
        }

        var detector = new OversampledPeakDetector();
        var peaks = new float[frames];
        for (int start = 0; start < frames; start += blockFrames)
        {
            int n = Math.Min(blockFrames, frames - start);
            detector.Process(x.AsSpan(start, n), peaks.AsSpan(start, n), accumulate: false);
        }

        int taps = OversampledPeakDetector.TapsPerPhase, factor = OversampledPeakDetector.Factor;
        for (int n = taps; n < frames; n++)
        {
            // Output n covers the points between inputs n − 24 and n − 23; phase p uses inputs n − 47 … n.
            double expected = Math.Abs(x[n - (taps / 2)]);
            for (int p = 1; p < factor; p++)
            {
                double y = 0;
                for (int j = 0; j < taps; j++)
                {
                    y += h[((taps - 1 - j) * factor) + p] * x[n - (taps - 1) + j];
                }

                expected = Math.Max(expected, Math.Abs(y));
            }

            Assert.True(Math.Abs(peaks[n] - expected) < 2e-6, $"frame {n}: {peaks[n]} vs {expected}");
        }
    }
}
