using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Tests.Metering;

/// <summary>Levels far above full scale (a float file scaled by 1e30) are measured, not reported as ungated.</summary>
public class ProgramMeterOverRangeTests
{
    private static LoudnessReport Measure(double amplitude, double seconds, Action<float[]>? edit = null)
    {
        int frames = (int)(seconds * 48000);
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * 997 * i / 48000.0));
        }

        edit?.Invoke(x);
        var meter = new ProgramMeter(48000, 2);
        for (int start = 0; start < frames; start += 4096)
        {
            int n = Math.Min(4096, frames - start);
            meter.Process(x.AsSpan(start, n), x.AsSpan(start, n));
        }

        return meter.GetReport();
    }

    [Theory]
    [InlineData(1e30)]
    [InlineData(1e5)]
    [InlineData(1e15)]
    public void GetReport_SineFarAboveFullScale_IntegratedIsTheTrueLevel(double scale)
    {
        LoudnessReport unit = Measure(0.5, 4);
        LoudnessReport scaled = Measure(0.5 * scale, 4);
        double expected = unit.IntegratedLufs!.Value + (20 * Math.Log10(scale));
        Assert.NotNull(scaled.IntegratedLufs);
        Assert.Equal(expected, scaled.IntegratedLufs!.Value, 0.01);
        Assert.Equal(0.0, scaled.LoudnessRangeLu!.Value, 0.01);
        Assert.Equal(unit.SamplePeakDbfs + (20 * Math.Log10(scale)), scaled.SamplePeakDbfs, 0.01);
    }

    [Fact]
    public void GetReport_LoudBurstAboveTenLufsAmongQuietBlocks_GatesAsBs1770()
    {
        // 2 s at about +40 LUFS then 2 s 60 dB lower: the quiet half is below the relative gate (−10 LU) and must not
        // count (ungated, the mean would be 3 dB lower). Above +10 LUFS the histogram gates its top bin as a whole, so
        // only a bound is asserted.
        LoudnessReport loud = Measure(100, 2);
        LoudnessReport mixed = Measure(100, 4, x =>
        {
            for (int i = x.Length / 2; i < x.Length; i++)
            {
                x[i] *= 0.001f;
            }
        });
        Assert.NotNull(mixed.IntegratedLufs);
        Assert.InRange(mixed.IntegratedLufs!.Value, loud.IntegratedLufs!.Value - 1.0, loud.IntegratedLufs.Value + 0.01);
    }

    [Fact]
    public void GetReport_NonFiniteSamples_AreCountedInTheReport()
    {
        LoudnessReport report = Measure(0.5, 1, x =>
        {
            x[10] = float.NaN;
            x[20] = float.NegativeInfinity;
        });
        Assert.Equal(4, report.NonFiniteSamples);
        Assert.True(double.IsFinite(report.IntegratedLufs!.Value));
    }
}
