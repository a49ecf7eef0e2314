using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

public class GlueCompressorTests
{
    private const int Fs = 48000;

    /// <summary>Formula (Giannoulis et al. 2012) written independently for the test.</summary>
    private static double ExpectedOutputDb(double inDb, double t, double ratio, double knee)
    {
        if (2 * (inDb - t) < -knee)
        {
            return inDb;
        }

        if (knee > 0 && 2 * Math.Abs(inDb - t) <= knee)
        {
            return inDb + ((1 / ratio) - 1) * Math.Pow(inDb - t + (knee / 2), 2) / (2 * knee);
        }

        return t + ((inDb - t) / ratio);
    }

    [Theory]
    [InlineData(2.0, 6.0, DetectorMode.Peak)]
    [InlineData(4.0, 0.0, DetectorMode.Peak)]
    [InlineData(10.0, 12.0, DetectorMode.Rms)]
    [InlineData(1.5, 24.0, DetectorMode.Rms)]
    public void Process_ConstantLevel_FollowsStaticCurveWithinTenthDecibel(double ratio, double knee, DetectorMode detector)
    {
        const double threshold = -20;
        for (double inDb = -40; inDb <= 0; inDb += 2.5)
        {
            var c = new GlueCompressor
            {
                Settings = new CompressorSettings { ThresholdDb = threshold, Ratio = ratio, KneeDb = knee, Detector = detector, AttackMs = 1, ReleaseMs = 10 },
            };
            c.Prepare(new ProcessSpec(Fs, 4800, 1));
            // DC: peak and RMS detectors both read exactly the level.
            float level = (float)Math.Pow(10, inDb / 20);
            var x = Enumerable.Repeat(level, Fs / 2).ToArray();
            TestSignals.ProcessInBlocks(c, x, null, 4800);
            double outDb = TestSignals.Db(x[^1]);
            Assert.True(Math.Abs(outDb - ExpectedOutputDb(inDb, threshold, ratio, knee)) < 0.1, $"in {inDb} dB: out {outDb:F3}, expected {ExpectedOutputDb(inDb, threshold, ratio, knee):F3}");
        }
    }

    [Theory]
    [InlineData(10.0, 100.0)]
    [InlineData(1.0, 500.0)]
    [InlineData(30.0, 50.0)]
    public void Process_LevelStep_AttackAndReleaseTimeConstantsAsSet(double attackMs, double releaseMs)
    {
        var c = new GlueCompressor
        {
            Settings = new CompressorSettings { ThresholdDb = -30, Ratio = 10, KneeDb = 0, Detector = DetectorMode.Peak, AttackMs = attackMs, ReleaseMs = releaseMs },
        };
        c.Prepare(new ProcessSpec(Fs, 1, 1));
        var reduction = new List<double>();
        int loud = (int)(Fs * attackMs * 10 / 1000) + Fs / 10;
        int total = loud + (int)(Fs * releaseMs * 10 / 1000);
        var sample = new float[1];
        for (int i = 0; i < total; i++)
        {
            sample[0] = i < loud ? 0.5f : 0.01f; // −6 dBFS: 24 dB over → 21.6 dB GR; −40 dBFS: none
            float input = sample[0];
            c.Process(new AudioBlock(sample));
            reduction.Add(TestSignals.Db(input) - TestSignals.Db(sample[0]));
        }

        double full = reduction[loud - 1];
        Assert.InRange(full, 21.5, 21.7);
        int attackFrames = reduction.FindIndex(r => r >= full * (1 - Math.Exp(-1)));
        Assert.InRange(attackFrames / (Fs / 1000.0), attackMs * 0.95 - 0.05, attackMs * 1.05 + 0.05);
        int releaseFrames = reduction.FindIndex(loud, r => r <= full * Math.Exp(-1)) - loud;
        Assert.InRange(releaseFrames / (Fs / 1000.0), releaseMs * 0.95, releaseMs * 1.05);
    }

    [Fact]
    public void Process_AutoRelease_RecoversFasterAfterTransientThanAfterSustainedReduction()
    {
        double RecoveryMs(int loudFrames)
        {
            var c = new GlueCompressor { Settings = new CompressorSettings { ThresholdDb = -30, Ratio = 4, Detector = DetectorMode.Peak, AttackMs = 0.1, ReleaseMs = 400, AutoRelease = true } };
            c.Prepare(new ProcessSpec(Fs, 1, 1));
            var s = new float[1];
            for (int i = 0; i < loudFrames; i++)
            {
                s[0] = 0.5f;
                c.Process(new AudioBlock(s));
            }

            double peak = c.GainReduction.Read().CurrentDb;
            for (int i = 0; i < 4 * Fs; i++)
            {
                s[0] = 0.001f;
                c.Process(new AudioBlock(s));
                if (c.GainReduction.Read().CurrentDb < peak * 0.25)
                {
                    return i * 1000.0 / Fs;
                }
            }

            return double.MaxValue;
        }

        double transient = RecoveryMs(Fs / 100), sustained = RecoveryMs(2 * Fs);
        Assert.True(transient * 3 < sustained, $"transient {transient:F1} ms, sustained {sustained:F1} ms");
    }

    [Fact]
    public void Process_StereoLinked_AppliesSameGainToBothChannels()
    {
        var c = new GlueCompressor { Settings = new CompressorSettings { ThresholdDb = -30, StereoLinkPercent = 100 } };
        c.Prepare(new ProcessSpec(Fs, 512, 2));
        var l = TestSignals.Sine(Fs / 2, 300, Fs, 0.8);
        var r = TestSignals.Sine(Fs / 2, 300, Fs, 0.05);
        var l0 = (float[])l.Clone();
        var r0 = (float[])r.Clone();
        TestSignals.ProcessInBlocks(c, l, r, 512);
        int i = Fs / 2 - 37;
        Assert.Equal(l[i] / l0[i], r[i] / r0[i], 3);
        Assert.True(c.GainReduction.Read().MaxSinceLastReadDb > 5);
    }

    [Theory]
    [InlineData(DetectorMode.Rms, 80.0, false, 6.0)]
    [InlineData(DetectorMode.Peak, 0.0, true, 6.0)]
    [InlineData(DetectorMode.Rms, 0.0, true, 0.0)]
    [InlineData(DetectorMode.Peak, 80.0, false, 24.0)]
    public void Process_LinkedWhileMakeupRampsThenSettles_BitIdenticalForAnyBlockSize(DetectorMode detector, double sidechainHz, bool autoRelease, double kneeDb)
    {
        // While makeup ramps the general loop runs; once it settles the linked steady-state loop takes over at the
        // next block start, so different block sizes switch at different samples: outputs must still agree exactly.
        (float[] L, float[] R) Run(int block)
        {
            var settings = new CompressorSettings { ThresholdDb = -30, Ratio = 3, KneeDb = kneeDb, Detector = detector, SidechainHighPassHz = sidechainHz, AutoRelease = autoRelease, MixPercent = 70 };
            var c = new GlueCompressor { Settings = settings };
            c.Prepare(new ProcessSpec(Fs, 512, 2));
            var l = TestSignals.Noise(Fs, 0.6, 21);
            var r = TestSignals.Noise(Fs, 0.3, 22);
            const int change = 7 * 512 * 2; // a block boundary for every block size tested
            for (int start = 0; start < l.Length; start += block)
            {
                if (start == change)
                {
                    c.Settings = settings with { MakeupDb = 4 };
                }

                int n = Math.Min(block, l.Length - start);
                c.Process(new AudioBlock(l.AsSpan(start, n), r.AsSpan(start, n)));
            }

            return (l, r);
        }

        var (refL, refR) = Run(1);
        foreach (int block in new[] { 7, 64, 512 })
        {
            var (l, r) = Run(block);
            Assert.Equal(refL, l);
            Assert.Equal(refR, r);
        }
    }

    [Fact]
    public void Process_MixZero_IsDry()
    {
        var c = new GlueCompressor { Settings = new CompressorSettings { ThresholdDb = -40, MixPercent = 0 } };
        c.Prepare(new ProcessSpec(Fs, 512, 2));
        var l = TestSignals.Noise(4096, 0.7, 3);
        var r = TestSignals.Noise(4096, 0.7, 4);
        var l0 = (float[])l.Clone();
        TestSignals.ProcessInBlocks(c, l, r, 512);
        Assert.Equal(l0, l);
    }

    [Fact]
    public void Settings_OutOfRange_Throws()
    {
        var c = new GlueCompressor();
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Settings = new CompressorSettings { Ratio = 11 });
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Settings = new CompressorSettings { AttackMs = 0.05 });
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Settings = new CompressorSettings { ReleaseMs = 2500 });
    }
}
