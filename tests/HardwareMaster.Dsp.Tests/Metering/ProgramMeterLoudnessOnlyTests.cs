using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Tests.Metering;

public class ProgramMeterLoudnessOnlyTests
{
    [Theory]
    [InlineData(48000, 2, 512)]
    [InlineData(44100, 1, 37)]
    public void GetReport_WithoutTruePeak_SameLoudnessAndSamplePeakAsTheFullMeter(int rate, int channels, int block)
    {
        var random = new Random(3);
        int frames = rate * 5;
        var left = new float[frames];
        var right = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            double level = (i / rate) % 2 == 0 ? 0.05 : 0.4; // 1 s quiet, 1 s loud: a loudness range
            left[i] = (float)(level * ((2 * random.NextDouble()) - 1));
            right[i] = (float)(level * Math.Sin(2 * Math.PI * 997 * i / rate));
        }

        left[1234] = float.NaN;
        var full = new ProgramMeter(rate, channels);
        var light = new ProgramMeter(rate, channels, measureTruePeak: false);
        for (int start = 0; start < frames; start += block)
        {
            int n = Math.Min(block, frames - start);
            ReadOnlySpan<float> r = channels == 2 ? right.AsSpan(start, n) : ReadOnlySpan<float>.Empty;
            full.Process(left.AsSpan(start, n), r);
            light.Process(left.AsSpan(start, n), r);
        }

        LoudnessReport expected = full.GetReport();
        LoudnessReport actual = light.GetReport();
        Assert.NotNull(actual.IntegratedLufs);
        Assert.NotNull(actual.LoudnessRangeLu);
        Assert.Equal(expected with { TruePeakDbtp = 0, PlrDb = null }, actual with { TruePeakDbtp = 0 });
        Assert.True(double.IsNaN(actual.TruePeakDbtp));
        Assert.Null(actual.PlrDb);
        Assert.Equal(full.NonFiniteSampleCount, light.NonFiniteSampleCount);
    }

    [Fact]
    public void GetReport_WithoutTruePeakOnSilence_TruePeakIsMinusInfinity()
    {
        var light = new ProgramMeter(48000, 2, measureTruePeak: false);
        var zeros = new float[48000];
        light.Process(zeros, zeros);

        Assert.True(double.IsNegativeInfinity(light.GetReport().TruePeakDbtp));
        Assert.True(double.IsNegativeInfinity(light.GetReport().SamplePeakDbfs));
    }
}
