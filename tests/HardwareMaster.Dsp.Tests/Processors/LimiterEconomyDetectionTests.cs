using HardwareMaster.Dsp.Metering;
using HardwareMaster.Dsp.Processors;
using Xunit.Abstractions;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>
/// The limiter's cheaper detector grid (<see cref="TruePeakLimiter.DetectorOversampling"/> = 4, the engine's
/// self-protection step): what it costs in true-peak accuracy, that it is exactly the even phases of the 8× detector,
/// and that switching is allocation-free and seamless.
/// </summary>
public class LimiterEconomyDetectionTests(ITestOutputHelper output)
{
    /// <summary>
    /// The stated accuracy cost: at 4× the output's independent 8× true peak stays within this of the ceiling on the
    /// torture signals (8×: 0.1 dB, see <see cref="TruePeakLimiterTests"/>). Measured worst case +0.12 dB (hot white
    /// noise, 44.1/48 kHz; 8×: −0.10 dB); the BS.1770 meters never read over the ceiling in either grid. A 4× grid
    /// misses up to 1 − cos(π·f/(4·fs)) between its points (0.56 dB at 0.45·fs); the safety margin and the BS.1770
    /// second opinion absorb most of it.
    /// </summary>
    public const double EconomyCeilingMarginDb = 0.2;

    private const double CeilingDbtp = -1.0;

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        foreach (int fs in new[] { 44100, 48000, 96000 })
        {
            foreach (string signal in new[] { "SineQuarter45", "Square", "Impulses", "ClippedMix", "NoiseHot", "SineNearNyquist" })
            {
                data.Add(fs, signal);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Process_EconomyGrid_HoldsTheCeilingWithinTheStatedMargin(int sampleRateHz, string signal)
    {
        double full = WorstReCeiling(sampleRateHz, signal, TruePeakLimiter.FullDetectorOversampling, out double fullMeter);
        double economy = WorstReCeiling(sampleRateHz, signal, TruePeakLimiter.EconomyDetectorOversampling, out double economyMeter);
        output.WriteLine($"{signal} {sampleRateHz} Hz: 8x reference re ceiling {full:+0.000;-0.000} dB at 8x, {economy:+0.000;-0.000} dB at 4x; BS.1770 meter {fullMeter:+0.000;-0.000} / {economyMeter:+0.000;-0.000} dB");
        Assert.True(economy <= EconomyCeilingMarginDb, $"4x: 8x reference {economy:+0.000} dB re ceiling > {EconomyCeilingMarginDb}");

        // The meters' own reading (BS.1770, the second opinion the limiter keeps in both grids) never goes over.
        Assert.True(economyMeter <= 0.0, $"4x: BS.1770 meter {economyMeter:+0.000} dB re ceiling");
    }

    [Fact]
    public void Detector_CoarseGrid_IsTheEvenPhasesOfTheFullGrid()
    {
        const int frames = 4096;
        var random = new Random(9);
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)((0.7 * Math.Sin(i * 2.7)) + (0.3 * ((2 * random.NextDouble()) - 1)));
        }

        var fine = new OversampledPeakDetector();
        var coarse = new OversampledPeakDetector();
        var finePeaks = new float[frames];
        var coarsePeaks = new float[frames];
        fine.Process(x, finePeaks, accumulate: false);
        coarse.Process(x, coarsePeaks, accumulate: false, coarse: true);

        // Reference: phases 0, 2, 4, 6 straight from the prototype in double.
        double[] h = OversampledPeakDetector.DesignPrototype();
        int taps = OversampledPeakDetector.TapsPerPhase, factor = OversampledPeakDetector.Factor;
        int lower = 0;
        for (int n = taps; n < frames; n++)
        {
            double expected = Math.Abs(x[n - (taps / 2)]);
            for (int p = 2; p < factor; p += 2)
            {
                double y = 0;
                for (int j = 0; j < taps; j++)
                {
                    y += h[((taps - 1 - j) * factor) + p] * x[n - (taps - 1) + j];
                }

                expected = Math.Max(expected, Math.Abs(y));
            }

            Assert.True(Math.Abs(coarsePeaks[n] - expected) < 2e-6, $"frame {n}: {coarsePeaks[n]} vs {expected}");
            Assert.True(coarsePeaks[n] <= finePeaks[n] + 1e-6f, $"frame {n}: coarse {coarsePeaks[n]} > fine {finePeaks[n]}");
            lower += coarsePeaks[n] < finePeaks[n] - 1e-6f ? 1 : 0;
        }

        Assert.True(lower > 0, "the coarse grid is a different grid");
    }

    [Fact]
    public void DetectorOversampling_SwitchedEveryBlock_AllocatesNothingAndKeepsTheCeiling()
    {
        const int fs = 48000, block = 64;
        var limiter = new TruePeakLimiter { Settings = new LimiterSettings { CeilingDbtp = CeilingDbtp, LookaheadMs = 1, ReleaseMs = 50 } };
        limiter.Prepare(new ProcessSpec(fs, block, 2));
        int frames = 384 * block; // four whole segments of 96 blocks
        float[] l = TestSignals.ClippedMix(frames, fs, 3, 1.0, 11), r = TestSignals.ClippedMix(frames, fs, 4, 1.0, 12);
        int latency = limiter.LatencyFrames;
        Assert.Equal(latency, TruePeakLimiter.LatencyFor(limiter.Settings, fs));
        long least = long.MaxValue;
        int blocks = frames / block;
        int segment = blocks / 4;
        for (int s = 0; s < 4; s++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int b = s * segment; b < (s + 1) * segment; b++)
            {
                limiter.DetectorOversampling = (b & 1) == 0 ? TruePeakLimiter.EconomyDetectorOversampling : TruePeakLimiter.FullDetectorOversampling;
                limiter.Process(new AudioBlock(l.AsSpan(b * block, block), r.AsSpan(b * block, block)));
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
        Assert.Equal(latency, limiter.LatencyFrames); // the grid never changes the latency
        double ceiling = Math.Pow(10, CeilingDbtp / 20);
        Assert.True(new TruePeakDetector(fs).ProcessBlock(l) <= ceiling);
        Assert.True(TestSignals.Db(TruePeakReference.MaxTruePeak(l)) <= CeilingDbtp + EconomyCeilingMarginDb);
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.DetectorOversampling = 2);
    }

    private static double WorstReCeiling(int fs, string name, int oversampling, out double meterReCeiling)
    {
        var limiter = new TruePeakLimiter { Settings = new LimiterSettings { CeilingDbtp = CeilingDbtp, LookaheadMs = 1, ReleaseMs = 50 }, DetectorOversampling = oversampling };
        limiter.Prepare(new ProcessSpec(fs, 512, 2));
        int frames = fs / 4;
        (float[] l, float[] r) = name switch
        {
            "SineQuarter45" => (TestSignals.Sine(frames, fs / 4.0, fs, 1.0 / Math.Sqrt(0.5), Math.PI / 4), TestSignals.Sine(frames, fs / 4.0, fs, 1.0, Math.PI / 4)),
            "Square" => (TestSignals.Square(frames, 997, fs, 1.0), TestSignals.Square(frames, 3001, fs, 0.9)),
            "Impulses" => (TestSignals.Impulses(frames, 301, 1.0), TestSignals.Impulses(frames, 97, 0.8)),
            "ClippedMix" => (TestSignals.ClippedMix(frames, fs, 3, 1.0, 11), TestSignals.ClippedMix(frames, fs, 4, 1.0, 12)),
            "NoiseHot" => (TestSignals.Noise(frames, 10 * 0.891, 21), TestSignals.Noise(frames, 10 * 0.891, 22)),
            _ => (TestSignals.Sine(frames, 0.45 * fs, fs, 2.0, 0.3), TestSignals.Sine(frames, 0.43 * fs, fs, 2.0, 1.1)),
        };
        TestSignals.ProcessInBlocks(limiter, l, r, 512);
        meterReCeiling = Math.Max(TestSignals.Db(new TruePeakDetector(fs).ProcessBlock(l)), TestSignals.Db(new TruePeakDetector(fs).ProcessBlock(r))) - CeilingDbtp;
        return Math.Max(TestSignals.Db(TruePeakReference.MaxTruePeak(l)), TestSignals.Db(TruePeakReference.MaxTruePeak(r))) - CeilingDbtp;
    }
}
