using HardwareMaster.Dsp.Metering;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>
/// The limiter's detectors interpolate only where a point can exceed the target (the gain computer ignores the rest):
/// readings above the floor are the exact ones, the others at most the floor, and the limiter's output is identical.
/// </summary>
public class ScreenedDetectionTests
{
    // Sections of 4 800 frames from −60 dBFS to +6 dBFS, noise with tones and clicks near full scale: every screening case
    // (whole chunks below the floor, chunks partly above it, isolated peaks) at random block cuts.
    private static float[] VariedSignal(int frames, int seed)
    {
        var random = new Random(seed);
        var x = new float[frames];
        double level = 0.1;
        for (int i = 0; i < frames; i++)
        {
            if (i % 4800 == 0)
            {
                level = Math.Pow(10, (-60 + (66 * random.NextDouble())) / 20);
            }

            double v = level * ((0.6 * ((2 * random.NextDouble()) - 1)) + (0.4 * Math.Sin(i * 0.37)));
            if (random.Next(5000) == 0)
            {
                v = (random.Next(2) == 0 ? 1 : -1) * 1.2;
            }

            x[i] = (float)v;
        }

        return x;
    }

    [Theory]
    [InlineData(0.891f, false, false)]
    [InlineData(0.3f, true, false)]
    [InlineData(0.02f, false, false)]
    [InlineData(0.891f, false, true)]
    [InlineData(0.3f, true, true)]
    public void OversampledDetector_WithFloor_ExactAboveItAndAtMostItElsewhere(float floor, bool accumulate, bool coarse)
    {
        float[] x = VariedSignal(96000, 5);
        var exact = new OversampledPeakDetector();
        var screened = new OversampledPeakDetector();
        var random = new Random(9);
        float[] expected = new float[x.Length];
        float[] actual = new float[x.Length];
        float[] prior = new float[x.Length];
        for (int i = 0; i < prior.Length; i++)
        {
            prior[i] = accumulate ? (float)(random.NextDouble() * 1.5) : 0f;
        }

        prior.CopyTo(expected, 0);
        prior.CopyTo(actual, 0);
        for (int start = 0; start < x.Length;)
        {
            int n = Math.Min(random.Next(1, 700), x.Length - start);
            exact.Process(x.AsSpan(start, n), expected.AsSpan(start, n), accumulate, 0f, coarse);
            screened.Process(x.AsSpan(start, n), actual.AsSpan(start, n), accumulate, floor, coarse);
            start += n;
        }

        int skipped = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (expected[i] > floor)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"frame {i}: {actual[i]} vs {expected[i]}");
            }
            else
            {
                Assert.True(actual[i] <= floor, $"frame {i}: {actual[i]} above the floor {floor}");
                skipped += actual[i] != expected[i] ? 1 : 0;
            }
        }

        Assert.True(skipped > 0, "no frame was screened");
    }

    [Theory]
    [InlineData(48000, 0.891f)]
    [InlineData(44100, 0.1f)]
    [InlineData(96000, 0.5f)]
    public void MeterDetectorPeaks_WithFloor_ExactAboveItAndUnchangedElsewhere(int sampleRateHz, float floor)
    {
        float[] x = VariedSignal(96000, 6);
        var exact = new TruePeakDetector(sampleRateHz);
        var screened = new TruePeakDetector(sampleRateHz);
        var random = new Random(10);
        float[] expected = new float[x.Length];
        float[] actual = new float[x.Length];
        for (int start = 0; start < x.Length;)
        {
            int n = Math.Min(random.Next(1, 700), x.Length - start);
            exact.ProcessBlockPeaks(x.AsSpan(start, n), expected.AsSpan(start, n));
            screened.ProcessBlockPeaks(x.AsSpan(start, n), actual.AsSpan(start, n), floor);
            start += n;
        }

        int skipped = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (expected[i] > floor)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"sample {i}: {actual[i]} vs {expected[i]}");
            }
            else
            {
                Assert.True(actual[i] <= floor, $"sample {i}: {actual[i]} above the floor {floor}");
                skipped += actual[i] != expected[i] ? 1 : 0;
            }
        }

        Assert.True(skipped > 0, "no sample was screened");
    }

    [Theory]
    [InlineData(48000, -1.0, 64)]
    [InlineData(44100, -0.1, 333)]
    [InlineData(96000, -6.0, 512)]
    public void Limiter_ScreenedDetection_OutputBitIdenticalToExact(int sampleRateHz, double ceilingDbtp, int blockFrames)
    {
        float[] left = VariedSignal(3 * sampleRateHz, 7);
        float[] right = VariedSignal(3 * sampleRateHz, 8);
        var settings = new LimiterSettings { CeilingDbtp = ceilingDbtp, LookaheadMs = 1, ReleaseMs = 50 };
        (float[] L, float[] R) Run(bool exactDetection)
        {
            var limiter = new TruePeakLimiter { Settings = settings, ExactDetection = exactDetection };
            limiter.Prepare(new ProcessSpec(sampleRateHz, blockFrames, 2));
            var l = (float[])left.Clone();
            var r = (float[])right.Clone();
            TestSignals.ProcessInBlocks(limiter, l, r, blockFrames);
            return (l, r);
        }

        var (exactLeft, exactRight) = Run(exactDetection: true);
        var (screenedLeft, screenedRight) = Run(exactDetection: false);
        Assert.Equal(exactLeft, screenedLeft);
        Assert.Equal(exactRight, screenedRight);
        Assert.True(left.Max(Math.Abs) > 1.0f && exactLeft.Max(Math.Abs) < 1.0f, "the limiter did not limit"); // it did act on it
    }
}
