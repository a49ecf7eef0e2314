using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>Issue 12 item 2: the programme loudness offsets only the detector, lands without a click and allocates nothing.</summary>
[Collection(nameof(AllocationMeasurements))]
public class GlueCompressorProgrammeLoudnessTests
{
    private const int Rate = 48000;
    private const int Block = 64;

    private static GlueCompressor Prepared(double programme = double.NaN)
    {
        var compressor = new GlueCompressor { Settings = new CompressorSettings { ThresholdDb = -24, Ratio = 4, KneeDb = 0, AttackMs = 10, ReleaseMs = 100 } };
        compressor.ProgrammeLoudnessLufs = programme;
        compressor.Prepare(new ProcessSpec(Rate, Block, 2));
        return compressor;
    }

    // Gain (dB) the compressor applies to a constant level, per sample, over `blocks` blocks.
    private static double[] Gains(GlueCompressor compressor, double amplitude, int blocks, Action<int>? beforeBlock = null)
    {
        var gains = new double[blocks * Block];
        float[] left = new float[Block], right = new float[Block];
        for (int b = 0; b < blocks; b++)
        {
            beforeBlock?.Invoke(b);
            Array.Fill(left, (float)amplitude);
            Array.Fill(right, (float)amplitude);
            compressor.Process(new AudioBlock(left, right));
            for (int i = 0; i < Block; i++)
            {
                gains[(b * Block) + i] = 20 * Math.Log10(left[i] / amplitude);
            }
        }

        return gains;
    }

    [Fact]
    public void ProgrammeLoudness_LouderProgrammeAndSignal_SameReductionAsReference()
    {
        // A signal 10 dB louder, told it is a programme 10 dB above the reference: the same gain, sample for sample.
        double[] reference = Gains(Prepared(), 0.1, 100);
        double[] loud = Gains(Prepared(GlueCompressor.ReferenceLoudnessLufs + 10), 0.1 * Math.Pow(10, 10 / 20.0), 100);

        Assert.True(reference[^1] < -2.5, $"the reference run must compress: {reference[^1]:0.00} dB");
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.Equal(reference[i], loud[i], 0.001);
        }
    }

    [Fact]
    public void ProgrammeLoudness_SetMidStream_ReductionChangesWithoutAStep()
    {
        GlueCompressor compressor = Prepared();
        double[] gains = Gains(compressor, 0.1, 400, b =>
        {
            if (b == 200)
            {
                compressor.ProgrammeLoudnessLufs = GlueCompressor.ReferenceLoudnessLufs + 6; // threshold effectively −18 dB: the −20 dB level is then under it
            }
        });

        double before = gains[(200 * Block) - 1], after = gains[^1];
        Assert.True(after - before > 2.5, $"the reduction should drop from 3 dB to 0: {before:0.00} → {after:0.00} dB");
        double largestStep = 0;
        for (int i = 1; i < gains.Length; i++)
        {
            largestStep = Math.Max(largestStep, Math.Abs(gains[i] - gains[i - 1]));
        }

        Assert.True(largestStep < 0.05, $"largest per-sample gain step {largestStep:0.000} dB");
    }

    [Theory]
    [InlineData(-70.5)]
    [InlineData(0.5)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void ProgrammeLoudness_OutOfRange_ThrowsAndKeepsTheValue(double lufs)
    {
        GlueCompressor compressor = Prepared(-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => compressor.ProgrammeLoudnessLufs = lufs);
        Assert.Equal(-12, compressor.ProgrammeLoudnessLufs);
    }

    [Fact]
    public void ProgrammeLoudness_NaN_BackToTheReference()
    {
        double[] reference = Gains(Prepared(), 0.1, 50);
        GlueCompressor compressor = Prepared(-8);
        compressor.ProgrammeLoudnessLufs = double.NaN;
        Assert.Equal(reference, Gains(compressor, 0.1, 50));
    }

    [Fact]
    public void ProgrammeLoudness_Changes_AllocateNothing()
    {
        GlueCompressor compressor = Prepared();
        float[] left = new float[Block], right = new float[Block];
        long Change(int i)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            compressor.ProgrammeLoudnessLufs = -20 + (i % 13);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            compressor.Process(new AudioBlock(left, right));
            return allocated;
        }

        for (int i = 0; i < 1000; i++)
        {
            Change(i);
        }

        Assert.Equal(0, FilterStageTripleBufferTests.SmallestSegment(Change));
    }
}
