using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>A knob detent on one EQ band designs that band only; an unchanged band costs nothing; the result is the same as a full design.</summary>
public class ParametricEqRedesignTests
{
    private static ParametricEq AllBandsEngaged(int sampleRateHz)
    {
        var eq = new ParametricEq();
        eq.SetBand(0, eq.GetBand(0) with { Enabled = true, FrequencyHz = 25, SlopeDbPerOctave = 48 });
        eq.SetBand(1, eq.GetBand(1) with { GainDb = 2, FrequencyHz = 90 });
        eq.SetBand(2, eq.GetBand(2) with { GainDb = -1.5, FrequencyHz = 250, Q = 1.2 });
        eq.SetBand(3, eq.GetBand(3) with { GainDb = 1, FrequencyHz = 1200, Q = 0.8 });
        eq.SetBand(4, eq.GetBand(4) with { GainDb = -2, FrequencyHz = 3500, Q = 2 });
        eq.SetBand(5, eq.GetBand(5) with { GainDb = 1.5, FrequencyHz = 12000 });
        eq.SetBand(6, eq.GetBand(6) with { Enabled = true, FrequencyHz = 20000, SlopeDbPerOctave = 24 });
        eq.Prepare(new ProcessSpec(sampleRateHz, 512, 2));
        return eq;
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void SetBand_OneDetentOnOneBand_DesignsOnlyThatBand(int sampleRateHz)
    {
        ParametricEq eq = AllBandsEngaged(sampleRateHz);
        long before = eq.BandDesignCount;

        eq.SetBand(3, eq.GetBand(3) with { GainDb = 1.1 });

        Assert.Equal(before + 1, eq.BandDesignCount);
    }

    [Fact]
    public void SetBand_SameValuesAsBefore_DesignsNothing()
    {
        ParametricEq eq = AllBandsEngaged(48000);
        long before = eq.BandDesignCount;

        for (int band = 0; band < ParametricEq.BandCount; band++)
        {
            eq.SetBand(band, eq.GetBand(band) with { }); // an equal copy, as the binder builds on every apply
        }

        Assert.Equal(before, eq.BandDesignCount);
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(96000)]
    public void SetBand_IncrementalDesigns_SameResponseAndOutputAsAFreshFullDesign(int sampleRateHz)
    {
        ParametricEq incremental = AllBandsEngaged(sampleRateHz);
        for (int step = 0; step < 20; step++)
        {
            incremental.SetBand(step % ParametricEq.BandCount, incremental.GetBand(step % ParametricEq.BandCount) with { FrequencyHz = incremental.GetBand(step % ParametricEq.BandCount).FrequencyHz * 1.01 });
        }

        var fresh = new ParametricEq();
        for (int band = 0; band < ParametricEq.BandCount; band++)
        {
            fresh.SetBand(band, incremental.GetBand(band));
        }

        fresh.Prepare(new ProcessSpec(sampleRateHz, 512, 2));
        foreach (double f in new[] { 20.0, 60, 200, 1000, 4000, 10000, 18000 })
        {
            Assert.Equal(fresh.MagnitudeDb(f, sampleRateHz), incremental.MagnitudeDb(f, sampleRateHz), 12);
        }

        float[] aLeft = TestSignals.Sine(4096, 997, sampleRateHz, 0.3);
        float[] aRight = TestSignals.Sine(4096, 61, sampleRateHz, 0.3);
        float[] bLeft = (float[])aLeft.Clone();
        float[] bRight = (float[])aRight.Clone();
        TestSignals.ProcessInBlocks(fresh, aLeft, aRight, 512);
        TestSignals.ProcessInBlocks(incremental, bLeft, bRight, 512);
        Assert.Equal(aLeft, bLeft);
        Assert.Equal(aRight, bRight);
    }

    [Fact]
    public void MagnitudeDb_AtThePreparedRate_ReadsThePublishedDesignWithoutDesigning()
    {
        ParametricEq eq = AllBandsEngaged(48000);
        long before = eq.BandDesignCount;
        double[] curve = new double[128];
        for (int i = 0; i < curve.Length; i++)
        {
            curve[i] = eq.MagnitudeDb(20 * Math.Pow(1000, i / 127.0), 48000);
        }

        Assert.Equal(before, eq.BandDesignCount);

        // The same curve as designing the bands afresh (an unprepared EQ with the same bands designs per call).
        var unprepared = new ParametricEq();
        for (int band = 0; band < ParametricEq.BandCount; band++)
        {
            unprepared.SetBand(band, eq.GetBand(band));
        }

        for (int i = 0; i < curve.Length; i++)
        {
            Assert.Equal(unprepared.MagnitudeDb(20 * Math.Pow(1000, i / 127.0), 48000), curve[i], 12);
        }

        Assert.True(Math.Abs(curve[64]) > 0.1, "the curve is not flat: the bands are in it");
    }

    [Fact]
    public void MagnitudeDb_AtAnotherRate_DesignsForThatRateAndLeavesThePublishedDesign()
    {
        ParametricEq eq = AllBandsEngaged(48000);
        var reference = new ParametricEq();
        for (int band = 0; band < ParametricEq.BandCount; band++)
        {
            reference.SetBand(band, eq.GetBand(band));
        }

        reference.Prepare(new ProcessSpec(96000, 512, 2));
        Assert.Equal(reference.MagnitudeDb(15000, 96000), eq.MagnitudeDb(15000, 96000), 12);

        long before = eq.BandDesignCount;
        eq.SetBand(2, eq.GetBand(2) with { GainDb = -1 });
        Assert.Equal(before + 1, eq.BandDesignCount); // the 48 kHz cache survived the 96 kHz query
    }
}
