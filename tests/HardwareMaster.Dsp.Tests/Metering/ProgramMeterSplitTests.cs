using HardwareMaster.Dsp.Metering;
using HardwareMaster.Dsp.Tests.Processors;

namespace HardwareMaster.Dsp.Tests.Metering;

/// <summary>
/// <see cref="ProgramMeter.ProcessSplit"/> measures a programme in memory as two halves at once; the report must be the
/// one of measuring it in one go, and the meter must go on from the end as if it had.
/// </summary>
public class ProgramMeterSplitTests
{
    // Stereo programme: sections of noise 6–20 dB apart, a 50 Hz tone (the K-weighting's high-pass has a long memory
    // there), a stretch of digital silence across the middle, channels different.
    private static (float[] L, float[] R) Programme(int rate, double seconds, int seed)
    {
        int frames = (int)(rate * seconds);
        var random = new Random(seed);
        var l = new float[frames];
        var r = new float[frames];
        double level = 0.3;
        for (int i = 0; i < frames; i++)
        {
            if (i % (rate / 2) == 0)
            {
                level = 0.03 + (random.NextDouble() * 0.4);
            }

            bool silent = i > frames * 0.45 && i < frames * 0.52;
            double tone = 0.2 * Math.Sin(2 * Math.PI * 50 * i / rate);
            l[i] = silent ? 0f : (float)((level * ((random.NextDouble() * 2) - 1)) + tone);
            r[i] = silent ? 0f : (float)((level * 0.6 * ((random.NextDouble() * 2) - 1)) - tone);
        }

        return (l, r);
    }

    [Theory]
    [InlineData(48000, 12.0)]
    [InlineData(44100, 9.7)]
    [InlineData(96000, 5.3)]
    [InlineData(48000, 180.0)]
    public void ProcessSplit_WholeProgramme_SameReportAsOneProcessCallAndContinuesTheSame(int rate, double seconds)
    {
        var (l, r) = Programme(rate, seconds, 3);
        var whole = new ProgramMeter(rate, 2, measureTruePeak: false);
        var split = new ProgramMeter(rate, 2, measureTruePeak: false);
        whole.Process(l, r);
        Assert.True(ProgramMeter.ProcessSplit(split, l, r));
        Assert.Equal(whole.GetReport(), split.GetReport());
        Assert.Equal(whole.MomentaryLufs, split.MomentaryLufs);
        Assert.Equal(whole.ShortTermLufs, split.ShortTermLufs);

        // Both go on from where the programme ended (filters, part-filled sub-block, windows).
        var (moreL, moreR) = Programme(rate, 2.3, 4);
        whole.Process(moreL, moreR);
        split.Process(moreL, moreR);
        Assert.Equal(whole.GetReport(), split.GetReport());
    }

    [Fact]
    public void ProcessSplit_WhereItDoesNotApply_IsOneProcessCall()
    {
        // Too short, a sub-block in progress, non-finite samples, true-peak detection: measured in one go.
        var (l, r) = Programme(48000, 6, 5);
        r[1000] = float.NaN;
        foreach (var (left, right, truePeak, offset) in new[] { (l[..100000], r[..100000], false, 0), (l, r, false, 0), (l[..200000], l[..200000], true, 0), (l[..200000], l[..200000], false, 7) })
        {
            var whole = new ProgramMeter(48000, 2, truePeak);
            var split = new ProgramMeter(48000, 2, truePeak);
            whole.Process(left[..offset], right[..offset]);
            split.Process(left[..offset], right[..offset]);
            whole.Process(left[offset..], right[offset..]);
            Assert.False(ProgramMeter.ProcessSplit(split, left[offset..], right[offset..]));
            Assert.Equal(whole.GetReport(), split.GetReport());
        }
    }
}
