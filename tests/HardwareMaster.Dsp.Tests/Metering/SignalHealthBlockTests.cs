using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Tests.Metering;

public class SignalHealthBlockTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Process_AnyBlockSize_SameReportAsOneSampleAtATime(int channels)
    {
        var random = new Random(11);
        int frames = 20000;
        var left = new float[frames];
        var right = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            left[i] = (float)(0.5 * ((2 * random.NextDouble()) - 1));
            right[i] = (float)((0.3 * left[i]) + (0.2 * ((2 * random.NextDouble()) - 1)));
        }

        // Full-scale runs of 1…6 samples (some across group and block edges), overs and non-finite samples.
        for (int k = 0; k < 60; k++)
        {
            int at = random.Next(frames - 8);
            int length = 1 + random.Next(6);
            float value = random.Next(3) switch { 0 => 1f, 1 => -1.5f, _ => SignalHealth.FullScale };
            for (int j = 0; j < length; j++)
            {
                (k % 2 == 0 ? left : right)[at + j] = value;
            }
        }

        left[123] = float.NaN;
        right[4567] = float.PositiveInfinity;
        left[frames - 1] = 1f; // a run still open at the end

        var reference = new SignalHealth(channels);
        for (int i = 0; i < frames; i++)
        {
            reference.Process(left.AsSpan(i, 1), channels == 2 ? right.AsSpan(i, 1) : ReadOnlySpan<float>.Empty);
        }

        foreach (int block in new[] { 4, 7, 64, 1000, frames })
        {
            var blocked = new SignalHealth(channels);
            for (int start = 0; start < frames; start += block)
            {
                int n = Math.Min(block, frames - start);
                blocked.Process(left.AsSpan(start, n), channels == 2 ? right.AsSpan(start, n) : ReadOnlySpan<float>.Empty);
            }

            // Counters exactly; the sums are added per block (so their last bits depend on the block size, as before).
            SignalHealthReport expected = reference.GetReport(), actual = blocked.GetReport();
            Assert.Equal(expected with { DcLeft = 0, DcRight = 0, Correlation = 0, SideToMidDb = 0 }, actual with { DcLeft = 0, DcRight = 0, Correlation = 0, SideToMidDb = 0 });
            Assert.Equal(expected.DcLeft, actual.DcLeft, 12);
            Assert.Equal(expected.DcRight, actual.DcRight, 12);
            Assert.Equal(expected.Correlation, actual.Correlation, 12);
            Assert.Equal(expected.SideToMidDb, actual.SideToMidDb, 9);
        }

        Assert.True(reference.GetReport().ClippedRuns > 0);
    }
}
