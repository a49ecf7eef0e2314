using HardwareMaster.App.Engine;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.App.Tests.Engine;

public class ComputeTimeHistogramTests
{
    [Fact]
    public void Summarize_UniformSamples_GivesPercentilesWithinOneBin()
    {
        var histogram = new ComputeTimeHistogram();
        for (int i = 1; i <= 1000; i++)
        {
            histogram.Record(i * 0.05); // 0.05 % … 50 %
        }

        ComputeTimeSummary s = histogram.Summarize();
        Assert.Equal(1000, s.Blocks);
        Assert.Equal(0.05, s.MinPercent, 9);
        Assert.Equal(50, s.MaxPercent, 9);
        Assert.InRange(s.MedianPercent, 25.0, 25.1);
        Assert.InRange(s.P99Percent, 49.5, 49.6);
    }

    [Fact]
    public void Record_OverflowAndGarbage_AreClampedNotLost()
    {
        var histogram = new ComputeTimeHistogram();
        histogram.Record(double.NaN);
        histogram.Record(-3);
        histogram.Record(1000);
        ComputeTimeSummary s = histogram.Summarize();
        Assert.Equal(3, s.Blocks);
        Assert.Equal(0, s.MinPercent);
        Assert.Equal(1000, s.MaxPercent);
        Assert.Equal(1000, histogram.Percentile(1.0));
    }

    [Fact]
    public void Record_SteadyState_AllocatesNothing()
    {
        var histogram = new ComputeTimeHistogram();
        histogram.Record(1);
        long smallest = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 2_500; i++)
            {
                histogram.Record(i % 300);
            }
        });

        Assert.Equal(0, smallest);
    }

    [Fact]
    public void AtomicFloatMax_ConcurrentWritersAndTakingReader_NeverLosesTheLargestValue()
    {
        int cell = 0;
        float observedMax = 0;
        var writer = new Thread(() =>
        {
            for (int i = 1; i <= 200_000; i++)
            {
                AtomicFloat.Max(ref cell, i == 150_000 ? 10f : (i % 1000) / 1000f);
            }
        });
        writer.Start();
        while (writer.IsAlive)
        {
            observedMax = Math.Max(observedMax, AtomicFloat.Take(ref cell));
        }

        observedMax = Math.Max(observedMax, AtomicFloat.Take(ref cell));
        Assert.Equal(10f, observedMax);
        Assert.Equal(0f, AtomicFloat.Take(ref cell));
    }
}
