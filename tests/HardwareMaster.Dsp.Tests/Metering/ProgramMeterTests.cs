using HardwareMaster.Hal.Tests.AudioFiles;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Dsp.Tests.Conformance;

namespace HardwareMaster.Dsp.Tests.Metering;

[Collection(nameof(AllocationMeasurements))]
public class ProgramMeterTests
{
    private static float[] Tone(int rate, double levelDbfs, double seconds) =>
        TestSignals.ToneSequence(rate, new Conformance.Tone(levelDbfs, seconds));

    [Theory]
    [InlineData(7999, 2)]
    [InlineData(384001, 2)]
    [InlineData(48000, 0)]
    [InlineData(48000, 3)]
    public void Constructor_OutOfRange_Throws(int rate, int channels)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgramMeter(rate, channels));
    }

    [Theory]
    [InlineData(44100, 105)]
    [InlineData(48000, 120)]
    [InlineData(96000, 240)]
    [InlineData(22050, 49)]
    public void SubBlockFrames_ByRate_AtMost2Point5MsAndDividesHop(int rate, int expected)
    {
        var meter = new ProgramMeter(rate, 2);
        Assert.Equal(expected, meter.SubBlockFrames);
        Assert.True(meter.SubBlockFrames <= 0.0025 * rate);
        Assert.Equal(0, ((rate + 5) / 10) % meter.SubBlockFrames);
    }

    [Fact]
    public void GetReport_DigitalSilence_UndefinedLoudnessAndMinusInfinityPeaks()
    {
        var meter = new ProgramMeter(48000, 2);
        var silence = new float[48000 * 5];
        meter.Process(silence, silence);
        LoudnessReport report = meter.GetReport();
        Assert.Null(report.IntegratedLufs);
        Assert.Null(report.LoudnessRangeLu);
        Assert.Null(report.MaxMomentaryLufs);
        Assert.Null(report.MaxShortTermLufs);
        Assert.Null(report.PlrDb);
        Assert.Equal(double.NegativeInfinity, report.TruePeakDbtp);
        Assert.Equal(double.NegativeInfinity, report.SamplePeakDbfs);
        Assert.Equal(double.NegativeInfinity, meter.MomentaryLufs);
        Assert.Equal(double.NegativeInfinity, meter.ShortTermLufs);
        Assert.Equal(48000L * 5, report.DurationFrames);
        Assert.Equal(48000, report.SampleRateHz);
    }

    [Fact]
    public void GetReport_ShorterThan400Ms_NoIntegratedButMomentaryMaximum()
    {
        float[] x = Tone(48000, -20, 0.3);
        var meter = new ProgramMeter(48000, 2);
        meter.Process(x, x);
        LoudnessReport report = meter.GetReport();
        Assert.Null(report.IntegratedLufs);
        Assert.Null(report.LoudnessRangeLu);
        Assert.NotNull(report.MaxMomentaryLufs);
        Assert.Null(report.PlrDb);
    }

    [Fact]
    public void GetReport_SteadyTone_PeaksAndPlrConsistent()
    {
        float[] x = Tone(48000, -20, 10);
        var meter = new ProgramMeter(48000, 2);
        meter.Process(x, x);
        LoudnessReport report = meter.GetReport();
        Assert.Equal(-20.0, report.SamplePeakDbfs, 0.01);
        Assert.Equal(-20.0, report.TruePeakDbtp, 0.05);
        Assert.Equal(-20.0, report.IntegratedLufs!.Value, 0.05);
        Assert.Equal(report.TruePeakDbtp - report.IntegratedLufs.Value, report.PlrDb!.Value, 1e-9);
        Assert.Equal(0.0, report.LoudnessRangeLu!.Value, 0.05);
    }

    [Fact]
    public void Process_MonoAndDualMono_MonoReads3LuLower()
    {
        float[] x = Tone(48000, -20, 5);
        var mono = new ProgramMeter(48000, 1);
        mono.Process(new AudioBlock(x));
        var stereo = new ProgramMeter(48000, 2);
        stereo.Process(new AudioBlock(x, (float[])x.Clone()));
        Assert.Equal(10.0 * Math.Log10(2.0), stereo.GetReport().IntegratedLufs!.Value - mono.GetReport().IntegratedLufs!.Value, 0.001);
    }

    [Fact]
    public void Process_ChannelMismatch_ThrowsArgumentException()
    {
        var x = new float[10];
        Assert.Throws<ArgumentException>(() => new ProgramMeter(48000, 2).Process(new AudioBlock(x)));
        Assert.Throws<ArgumentException>(() => new ProgramMeter(48000, 1).Process(new AudioBlock(x, new float[10])));
        Assert.Throws<ArgumentException>(() => new ProgramMeter(48000, 2).Process(x, new float[9]));
    }

    [Fact]
    public void Process_DifferentBlockSizes_IdenticalReports()
    {
        (float[] left, float[] right) = TestSignals.Programme(44100, 12.0, 77, true);
        LoudnessReport? first = null;
        foreach (int block in new[] { 1, 7, 64, 512, 4410, 100000 })
        {
            ProgramMeter meter = MeterHarness.Run(44100, left, right, 2, block);
            LoudnessReport report = meter.GetReport();
            first ??= report;
            Assert.Equal(first.Value, report);
        }
    }

    [Fact]
    public void Reset_AfterProgramme_SameAsNewMeter()
    {
        (float[] left, float[] right) = TestSignals.Programme(48000, 6.0, 3, false);
        var meter = new ProgramMeter(48000, 2);
        meter.Process(left, right);
        meter.Reset();
        Assert.Equal(double.NegativeInfinity, meter.MomentaryLufs);
        Assert.Equal(new ProgramMeter(48000, 2).GetReport(), meter.GetReport());
        meter.Process(left, right);
        ProgramMeter fresh = MeterHarness.Run(48000, left, right, 2, left.Length);
        Assert.Equal(fresh.GetReport(), meter.GetReport());
    }

    [Fact]
    public void GetReport_PeakInLastSamples_IncludesInterpolatorTailWithoutChangingState()
    {
        var x = new float[48000];
        x[^1] = 0.5f;
        var meter = new ProgramMeter(48000, 1);
        meter.Process(x, default);
        LoudnessReport first = meter.GetReport();
        Assert.True(first.TruePeakDbtp >= first.SamplePeakDbfs, $"{first.TruePeakDbtp} < {first.SamplePeakDbfs}");
        Assert.Equal(first, meter.GetReport());
    }

    [Fact]
    public void Process_NonFiniteSamples_CountedAndMetersStayFinite()
    {
        float[] x = Tone(48000, -20, 5);
        float[] right = (float[])x.Clone();
        x[1000] = float.NaN;
        x[2000] = float.PositiveInfinity;
        right[3000] = float.NegativeInfinity;
        var meter = new ProgramMeter(48000, 2);
        meter.Process(x, right);
        LoudnessReport report = meter.GetReport();
        Assert.Equal(3, meter.NonFiniteSampleCount);
        Assert.True(double.IsFinite(meter.MomentaryLufs));
        Assert.True(double.IsFinite(meter.ShortTermLufs));
        Assert.Equal(-20.0, report.IntegratedLufs!.Value, 0.05);
        Assert.Equal(-20.0, report.SamplePeakDbfs, 0.01);
        // The zeroed samples are steps in the sine, so the interpolated waveform overshoots a little.
        Assert.InRange(report.TruePeakDbtp, report.SamplePeakDbfs, -17.0);
        Assert.True(double.IsFinite(report.MaxMomentaryLufs!.Value));
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        (float[] left, float[] right) = TestSignals.Programme(48000, 2.0, 9, true);
        var meter = new ProgramMeter(48000, 2);
        for (int start = 0; start + 256 <= left.Length; start += 256)
        {
            meter.Process(new AudioBlock(left.AsSpan(start, 256), right.AsSpan(start, 256)));
        }

        meter.GetReport();
        void Blocks()
        {
            for (int i = 0; i < 1250; i++)
            {
                int start = (i * 256) % (left.Length - 256);
                meter.Process(new AudioBlock(left.AsSpan(start, 256), right.AsSpan(start, 256)));
                if (i % 40 == 0)
                {
                    meter.GetReport();
                }
            }
        }

        Assert.Equal(0, AllocationProbe.SmallestBytesAllocated(Blocks));
    }

    [Fact]
    public void Process_TenMinutesVersusTenSeconds_NoMemoryGrowth()
    {
        // The same meter object measures 10 s and then 10 min: nothing is allocated after
        // construction, so memory cannot depend on duration.
        var block = new float[4800];
        var random = new Random(1);
        for (int i = 0; i < block.Length; i++)
        {
            block[i] = (float)(0.2 * ((random.NextDouble() * 2.0) - 1.0));
        }

        // One-time type initialisation (static tables of the runtime's vector code) happens on a
        // throw-away meter first.
        new ProgramMeter(48000, 2).Process(block, block);
        long constructionStart = GC.GetAllocatedBytesForCurrentThread();
        var meter = new ProgramMeter(48000, 2);
        long afterConstruction = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            meter.Process(block, block);
        }

        long afterTenSeconds = GC.GetAllocatedBytesForCurrentThread();

        // The per-thread counter can jump once by the unused rest of the thread's allocation context
        // (up to ~8 KB) when another thread's GC retires it, without this thread allocating. So the ten
        // minutes are measured as four segments: growth with duration would show in every segment.
        long smallestSegment = long.MaxValue;
        long total = 0;
        for (int segment = 0; segment < 4; segment++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1500; i++)
            {
                meter.Process(block, block);
            }

            long delta = GC.GetAllocatedBytesForCurrentThread() - before;
            smallestSegment = Math.Min(smallestSegment, delta);
            total += delta;
        }

        Assert.InRange(afterTenSeconds - afterConstruction, 0, 8192);
        Assert.Equal(0, smallestSegment);
        Assert.InRange(total, 0, 16384);
        Assert.InRange(afterConstruction - constructionStart, 1, 1_000_000);
        Assert.Equal(6100L * 4800, meter.GetReport().DurationFrames);
    }
}
