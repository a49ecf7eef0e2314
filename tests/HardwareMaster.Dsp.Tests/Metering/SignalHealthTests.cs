using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.Dsp.Tests.Metering;

[Collection(nameof(AllocationMeasurements))]
public class SignalHealthTests
{
    private static float[] Sine(int frames, double amplitude, double offset = 0, double hz = 997, double phase = 0)
    {
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)(offset + (amplitude * Math.Sin((2 * Math.PI * hz * i / 48000) + phase)));
        }

        return x;
    }

    [Fact]
    public void Process_CleanStereoSine_NoDcNoFullScaleCorrelationOne()
    {
        float[] x = Sine(48000, 0.5);
        var health = new SignalHealth(2);
        health.Process(x, x);
        SignalHealthReport report = health.GetReport();
        Assert.Equal(48000, report.Frames);
        Assert.True(report.DcOffsetDbfs < -80, $"{report.DcOffsetDbfs}");
        Assert.Equal(0, report.FullScaleSamples);
        Assert.Equal(0, report.ClippedRuns);
        Assert.Equal(1.0, report.Correlation, 6);
        Assert.True(double.IsNegativeInfinity(report.SideToMidDb));
    }

    [Fact]
    public void Process_OffsetSine_MeanIsTheOffsetPerChannel()
    {
        var health = new SignalHealth(2);
        health.Process(Sine(48000, 0.3, offset: 0.01), Sine(48000, 0.3, offset: -0.001));
        SignalHealthReport report = health.GetReport();
        Assert.Equal(0.01, report.DcLeft, 5);
        Assert.Equal(-0.001, report.DcRight, 5);
        Assert.Equal(-40.0, report.DcOffsetDbfs, 2);
    }

    [Fact]
    public void Process_ClippedRunsAcrossBlocks_CountsSamplesRunsLongestAndOvers()
    {
        var left = new float[1000];
        var right = new float[1000];
        for (int i = 100; i < 110; i++)
        {
            left[i] = 1f; // a 10-sample run at full scale
        }

        right[200] = -1f; // two lone full-scale samples: not runs
        right[300] = -1f;
        for (int i = 995; i < 1000; i++)
        {
            right[i] = 1.5f; // a run of 5 overs still open at the block's end…
        }

        var health = new SignalHealth(2);
        health.Process(left.AsSpan(0, 105), right.AsSpan(0, 105)); // …and the first run split across two blocks
        health.Process(left.AsSpan(105), right.AsSpan(105));
        SignalHealthReport report = health.GetReport();
        Assert.Equal(17, report.FullScaleSamples);
        Assert.Equal(5, report.OverSamples);
        Assert.Equal(17, report.ZeroDbfsSamples);
        Assert.Equal(2, report.ClippedRuns);
        Assert.Equal(10, report.LongestClippedRun);
    }

    [Fact]
    public void Process_Largest24BitSample_CountsAsFullScale()
    {
        var health = new SignalHealth(1);
        health.Process([8388607f / 8388608f, 32766f / 32768f], []);
        Assert.Equal(1, health.GetReport().FullScaleSamples);
        Assert.Equal(0, health.GetReport().ZeroDbfsSamples); // at full scale of the word, but under 0 dBFS
    }

    [Fact]
    public void Process_PolarityInvertedRight_NegativeCorrelationSideOverMid()
    {
        float[] l = Sine(48000, 0.5);
        float[] r = Sine(48000, 0.4, phase: Math.PI);
        var health = new SignalHealth(2);
        health.Process(l, r);
        SignalHealthReport report = health.GetReport();
        Assert.Equal(-1.0, report.Correlation, 6);
        // mid = (0.5 − 0.4)/2, side = (0.5 + 0.4)/2: side is 9× mid, +19.1 dB.
        Assert.Equal(20 * Math.Log10(9), report.SideToMidDb, 2);
    }

    [Fact]
    public void Process_NonFiniteAndMono_TreatedAsZeroAndNoCorrelation()
    {
        var health = new SignalHealth(1);
        health.Process([float.NaN, float.PositiveInfinity, 0.5f, 0.5f], []);
        SignalHealthReport report = health.GetReport();
        Assert.Equal(0.25, report.DcLeft, 9);
        Assert.Equal(0, report.FullScaleSamples);
        Assert.True(double.IsNaN(report.Correlation));
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        float[] x = Sine(512, 0.5);
        var health = new SignalHealth(2);
        health.Process(x, x);
        Assert.Equal(0, AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                health.Process(x, x);
            }
        }));
    }
}
