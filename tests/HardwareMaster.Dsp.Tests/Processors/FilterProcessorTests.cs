using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

public class FilterProcessorTests
{
    [Theory]
    [InlineData(44100, 16000.0)]
    [InlineData(48000, 100.0)]
    [InlineData(96000, 1000.0)]
    [InlineData(48000, 5000.0)]
    public void ParametricEq_SineThroughBands_MeasuredGainMatchesDesign(int sampleRateHz, double frequencyHz)
    {
        var eq = new ParametricEq();
        eq.SetBand(1, eq.GetBand(1) with { GainDb = 4, FrequencyHz = 120 });
        eq.SetBand(3, eq.GetBand(3) with { GainDb = -6, FrequencyHz = 1000, Q = 2 });
        eq.SetBand(5, eq.GetBand(5) with { GainDb = 3, FrequencyHz = 16000 });
        eq.Prepare(new ProcessSpec(sampleRateHz, 1024, 1));
        var x = TestSignals.Sine(sampleRateHz, frequencyHz, sampleRateHz, 0.25);
        TestSignals.ProcessInBlocks(eq, x, null, 1024);
        double measuredDb = TestSignals.Db(TestSignals.Rms(x.AsSpan(sampleRateHz / 2)) / (0.25 / Math.Sqrt(2)));
        Assert.Equal(eq.MagnitudeDb(frequencyHz, sampleRateHz), measuredDb, 1);
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void ParametricEq_StereoVectorPath_BitIdenticalToMonoPerChannel(int sampleRateHz)
    {
        ParametricEq Build(int channels)
        {
            var eq = new ParametricEq();
            eq.SetBand(0, eq.GetBand(0) with { Enabled = true });
            for (int band = 1; band < 6; band++)
            {
                eq.SetBand(band, eq.GetBand(band) with { GainDb = band - 3.5 });
            }

            eq.Prepare(new ProcessSpec(sampleRateHz, 512, channels));
            return eq;
        }

        var left = TestSignals.Noise(20000, 0.5, 3);
        var right = TestSignals.Sine(20000, 997, sampleRateHz, 0.7);
        var stereoLeft = (float[])left.Clone();
        var stereoRight = (float[])right.Clone();
        TestSignals.ProcessInBlocks(Build(2), stereoLeft, stereoRight, 512);
        TestSignals.ProcessInBlocks(Build(1), left, null, 512);
        TestSignals.ProcessInBlocks(Build(1), right, null, 512);
        Assert.Equal(left, stereoLeft);
        Assert.Equal(right, stereoRight);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    public void ParametricEq_StereoFusedSections_BitIdenticalToMonoForAnySectionCount(int activeBands)
    {
        // Sections run three or two per pass in the stereo path (up to three straight on the float channels, padded with
        // identity sections); every grouping must match the one-section mono path, also through a decay to silence
        // (the flush of tiny outputs to 0).
        ParametricEq Build(int channels)
        {
            var eq = new ParametricEq();
            for (int band = 1; band < 6 && band <= activeBands; band++)
            {
                eq.SetBand(band, eq.GetBand(band) with { GainDb = 2.5 - band });
            }

            if (activeBands > 5)
            {
                eq.SetBand(6, eq.GetBand(6) with { Enabled = true, FrequencyHz = 15000, SlopeDbPerOctave = 24 });
            }

            eq.Prepare(new ProcessSpec(48000, 512, channels));
            return eq;
        }

        var left = TestSignals.Noise(9000, 0.5, 5);
        var right = TestSignals.Noise(9000, 0.4, 6);
        Array.Resize(ref left, 9000 + 48000); // then silence: the filters ring down to 0
        Array.Resize(ref right, 9000 + 48000);
        left[20000] = -0.0f;
        right[30000] = 1e-35f;
        var stereoLeft = (float[])left.Clone();
        var stereoRight = (float[])right.Clone();
        TestSignals.ProcessInBlocks(Build(2), stereoLeft, stereoRight, 300);
        TestSignals.ProcessInBlocks(Build(1), left, null, 300);
        TestSignals.ProcessInBlocks(Build(1), right, null, 300);
        Assert.Equal(left, stereoLeft);
        Assert.Equal(right, stereoRight);
    }

    [Fact]
    public void ParametricEq_SetBandBeforePrepare_IsUsedByPrepare()
    {
        var eq = new ParametricEq();
        eq.SetBand(2, eq.GetBand(2) with { GainDb = 6, FrequencyHz = 300, Q = 1 });
        eq.Prepare(new ProcessSpec(48000, 512, 1));
        var x = TestSignals.Sine(48000, 300, 48000, 0.1);
        TestSignals.ProcessInBlocks(eq, x, null, 512);
        Assert.Equal(6, TestSignals.Db(TestSignals.Rms(x.AsSpan(24000)) / (0.1 / Math.Sqrt(2))), 1);
    }

    [Fact]
    public void ParametricEq_InvalidBand_Throws()
    {
        var eq = new ParametricEq();
        Assert.Throws<ArgumentOutOfRangeException>(() => eq.SetBand(7, new EqBandSettings()));
        Assert.Throws<ArgumentOutOfRangeException>(() => eq.SetBand(0, new EqBandSettings { GainDb = 30 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => eq.SetBand(0, new EqBandSettings { SlopeDbPerOctave = 10 }));
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void HighPassFilter_DcAndLowHz_AreRemoved(int sampleRateHz)
    {
        var hp = new HighPassFilter { Settings = new HighPassSettings { FrequencyHz = 5, SlopeDbPerOctave = 6 } };
        hp.Prepare(new ProcessSpec(sampleRateHz, 512, 1));
        var x = Enumerable.Repeat(0.5f, sampleRateHz * 2).ToArray();
        TestSignals.ProcessInBlocks(hp, x, null, 512);
        Assert.True(Math.Abs(x[^1]) < 1e-4);
    }

    [Fact]
    public void GainProcessor_Step_RampsWithoutJumpAndSettlesExactly()
    {
        var g = new GainProcessor(-24, 24, smoothingMs: 20);
        g.Prepare(new ProcessSpec(48000, 64, 1));
        g.SetGainDb(-12);
        var x = Enumerable.Repeat(1f, 48000).ToArray();
        TestSignals.ProcessInBlocks(g, x, null, 64);
        for (int i = 1; i < x.Length; i++)
        {
            Assert.True(Math.Abs(x[i] - x[i - 1]) < 0.01, "no click");
        }

        Assert.Equal((float)Math.Pow(10, -12 / 20.0), x[^1]);
    }
}
