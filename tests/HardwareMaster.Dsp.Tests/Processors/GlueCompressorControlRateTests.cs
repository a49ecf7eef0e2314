using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>
/// The glue compressor runs its gain computer once per control period (up to 32 frames, at least 32 control points
/// per follower time constant) and ramps the gain linearly between control points. These tests hold it to the
/// per-sample compressor it replaces (written out here independently) and to the period rule.
/// </summary>
public class GlueCompressorControlRateTests
{
    private const int Fs = 48000;

    [Theory]
    [InlineData(30.0, 48000, 32)]  // the presets' glue: 1440 frames / 32 = 45 → 32
    [InlineData(10.0, 48000, 8)]   // 480 / 32 = 15 → 8
    [InlineData(2.0, 48000, 2)]    // 96 / 32 = 3 → 2
    [InlineData(1.0, 48000, 1)]    // 48 / 32 = 1.5 → 1: the per-sample compressor
    [InlineData(0.1, 48000, 1)]
    [InlineData(30.0, 192000, 32)] // capped at 32 frames
    [InlineData(5.0, 44100, 4)]    // 220.5 / 32 = 6.9 → 4
    public void ControlPeriodFor_IsTheLargestPowerOfTwoFitting32TimesIntoTheShortestTimeConstant(double shortestMs, int rate, int expected)
    {
        Assert.Equal(expected, GlueCompressor.ControlPeriodFor(shortestMs, rate));
    }

    [Theory]
    [InlineData(30.0, 100.0, false, 32)]
    [InlineData(30.0, 100.0, true, 32)]  // auto release: the fast follower runs at 25 ms
    [InlineData(30.0, 20.0, true, 4)]    // auto release at max(5, 20/4) = 5 ms → 240 / 32 = 7.5 → 4
    [InlineData(10.0, 300.0, false, 8)]
    [InlineData(1.0, 100.0, false, 1)]
    public void Settings_ChooseThePeriodFromAttackAndRelease(double attackMs, double releaseMs, bool autoRelease, int expected)
    {
        var peak = new GlueCompressor { Settings = new CompressorSettings { AttackMs = attackMs, ReleaseMs = releaseMs, AutoRelease = autoRelease, Detector = DetectorMode.Peak } };
        peak.Prepare(new ProcessSpec(Fs, 512, 2));
        peak.Process(new AudioBlock(new float[512], new float[512]));
        Assert.Equal(1, peak.ControlPeriodFrames); // the peak detector: every frame

        var c = new GlueCompressor { Settings = new CompressorSettings { AttackMs = attackMs, ReleaseMs = releaseMs, AutoRelease = autoRelease } };
        c.Prepare(new ProcessSpec(Fs, 512, 2));
        c.Process(new AudioBlock(new float[512], new float[512]));
        Assert.Equal(expected, c.ControlPeriodFrames);
    }

    // The per-sample compressor (fully linked stereo, RMS or peak detector, no side-chain filter, makeup and mix off):
    // the level of the larger channel power, the Giannoulis soft-knee curve, the attack/release (and slow auto-release)
    // followers and the gain, every frame. Returns the gain in dB applied to each frame.
    private static double[] PerSampleGainDb(float[] left, float[] right, CompressorSettings s)
    {
        static double Coefficient(double ms) => 1 - Math.Exp(-1000.0 / (ms * Fs));
        double rmsC = Coefficient(10), attack = Coefficient(s.AttackMs), release = Coefficient(s.AutoRelease ? Math.Max(5, s.ReleaseMs / 4) : s.ReleaseMs), slow = Coefficient(2 * s.ReleaseMs);
        double ms0 = 0, ms1 = 0, r = 0, rs = 0;
        var gainDb = new double[left.Length];
        for (int i = 0; i < left.Length; i++)
        {
            double p0 = (double)left[i] * left[i], p1 = (double)right[i] * right[i];
            if (s.Detector == DetectorMode.Rms)
            {
                ms0 += (p0 - ms0) * rmsC;
                ms1 += (p1 - ms1) * rmsC;
                p0 = ms0;
                p1 = ms1;
            }

            double level = 10 * Math.Log10(Math.Max(p0, p1) + 1e-30);
            double target = GlueCompressor.StaticReductionDb(level, s.ThresholdDb, s.Ratio, s.KneeDb);
            r += (target - r) * (target > r ? attack : release);
            double used = r;
            if (s.AutoRelease)
            {
                rs += (target - rs) * slow;
                used = Math.Max(r, rs);
            }

            gainDb[i] = -used;
        }

        return gainDb;
    }

    // Programme-like stereo: noise whose level jumps by 6–14 dB every 50–300 ms (transients, sustained loud and quiet
    // passages), a 90 Hz tone under it, channels different.
    private static (float[] L, float[] R) Programme(int frames, int seed)
    {
        var random = new Random(seed);
        var l = new float[frames];
        var r = new float[frames];
        double level = 0.2;
        int next = 0;
        for (int i = 0; i < frames; i++)
        {
            if (i == next)
            {
                level = 0.02 + (random.NextDouble() * 0.5);
                next += random.Next(Fs / 20, Fs * 3 / 10);
            }

            double tone = 0.15 * Math.Sin(2 * Math.PI * 90 * i / Fs);
            l[i] = (float)((level * ((random.NextDouble() * 2) - 1)) + tone);
            r[i] = (float)((level * 0.7 * ((random.NextDouble() * 2) - 1)) + tone);
        }

        return (l, r);
    }

    [Theory]
    [InlineData(DetectorMode.Rms, false, 30.0, 100.0)]
    [InlineData(DetectorMode.Rms, true, 30.0, 100.0)]
    [InlineData(DetectorMode.Peak, false, 30.0, 100.0)] // per sample (period 1)
    [InlineData(DetectorMode.Rms, false, 10.0, 50.0)]
    public void Process_Programme_GainTracksThePerSampleCompressor(DetectorMode detector, bool autoRelease, double attackMs, double releaseMs)
    {
        var settings = new CompressorSettings { ThresholdDb = -24, Ratio = 3, KneeDb = 6, Detector = detector, AutoRelease = autoRelease, AttackMs = attackMs, ReleaseMs = releaseMs };
        var (l, r) = Programme(4 * Fs, 5);
        double[] reference = PerSampleGainDb(l, r, settings);
        var c = new GlueCompressor { Settings = settings };
        c.Prepare(new ProcessSpec(Fs, 512, 2));
        var outL = (float[])l.Clone();
        var outR = (float[])r.Clone();
        TestSignals.ProcessInBlocks(c, outL, outR, 512);
        // The RMS detector runs decimated; the peak detector every frame (its followers' attack/release choice follows the
        // raw power frame by frame).
        Assert.Equal(detector == DetectorMode.Peak, c.ControlPeriodFrames == 1);

        double maxDifference = 0, sumDifference = 0, sumReduction = 0;
        int counted = 0;
        for (int i = Fs / 10; i < l.Length; i++)
        {
            if (Math.Abs(l[i]) < 1e-3)
            {
                continue; // the gain of a near-zero sample is not measurable from float output
            }

            double gainDb = 20 * Math.Log10(outL[i] / l[i]);
            double difference = gainDb - reference[i];
            maxDifference = Math.Max(maxDifference, Math.Abs(difference));
            sumDifference += difference;
            sumReduction += -reference[i];
            counted++;
        }

        double meanDifference = sumDifference / counted, meanReduction = sumReduction / counted;
        Assert.True(meanReduction > 1.5, $"the programme is compressed (mean reduction {meanReduction:F2} dB)");
        double meanBound = c.ControlPeriodFrames == 1 ? 1e-4 : 0.005, maxBound = c.ControlPeriodFrames == 1 ? 1e-3 : 0.1; // measured: mean ≤ 0.0001 dB, max 0.017–0.036 dB
        Assert.True(Math.Abs(meanDifference) < meanBound, $"mean gain difference {meanDifference:F4} dB (mean reduction {meanReduction:F2} dB), max {maxDifference:F3} dB");
        Assert.True(maxDifference < maxBound, $"max gain difference {maxDifference:F3} dB, mean {meanDifference:F4} dB");
    }
}
