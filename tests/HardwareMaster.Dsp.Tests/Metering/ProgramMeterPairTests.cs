using HardwareMaster.Hal.Tests.AudioFiles;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Tests.Metering;

public class ProgramMeterPairTests
{
    private static (float[] Left, float[] Right) Noise(int frames, int seed, float scale)
    {
        var random = new Random(seed);
        var left = new float[frames];
        var right = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            double t = i / 48000.0;
            left[i] = scale * (float)((0.5 * Math.Sin(2 * Math.PI * 997 * t)) + (0.3 * ((2 * random.NextDouble()) - 1)));
            right[i] = scale * (float)((0.4 * Math.Sin(2 * Math.PI * 60 * t)) + (0.3 * ((2 * random.NextDouble()) - 1)));
        }

        return (left, right);
    }

    private static void AssertSameMeasurement(ProgramMeter expected, ProgramMeter actual)
    {
        Assert.Equal(expected.GetReport(), actual.GetReport());
        Assert.Equal(expected.MomentaryLufs, actual.MomentaryLufs);
        Assert.Equal(expected.ShortTermLufs, actual.ShortTermLufs);
        Assert.Equal(expected.NonFiniteSampleCount, actual.NonFiniteSampleCount);
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void Taps_VaryingBlockSizes_BitIdenticalToSeparateMeters(int rate)
    {
        const int maxBlock = 512;
        int frames = rate * 4;
        var (inLeft, inRight) = Noise(frames, 1, 1f);
        var (outLeft, outRight) = Noise(frames, 2, 0.7f);
        var separateInput = new ProgramMeter(rate, 2);
        var separateOutput = new ProgramMeter(rate, 2);
        var pair = new ProgramMeterPair(new ProgramMeter(rate, 2), new ProgramMeter(rate, 2), maxBlock);
        var sizes = new Random(3);
        for (int start = 0; start < frames;)
        {
            int n = Math.Min(frames - start, sizes.Next(1, maxBlock + 1));
            var inBlock = new AudioBlock(inLeft.AsSpan(start, n), inRight.AsSpan(start, n));
            var outBlock = new AudioBlock(outLeft.AsSpan(start, n), outRight.AsSpan(start, n));
            separateInput.Process(inBlock);
            separateOutput.Process(outBlock);
            pair.InputTap.Process(inBlock);
            pair.OutputTap.Process(outBlock);
            start += n;
        }

        AssertSameMeasurement(separateInput, pair.Input);
        AssertSameMeasurement(separateOutput, pair.Output);
        Assert.NotNull(pair.Output.GetReport().IntegratedLufs);
    }

    [Fact]
    public void Taps_NonFiniteOutputAndOversizedBlocks_FallBackAndStayIdentical()
    {
        const int frames = 48000 * 2;
        var (inLeft, inRight) = Noise(frames, 4, 1f);
        var (outLeft, outRight) = Noise(frames, 5, 1f);
        outLeft[1000] = float.NaN;
        outRight[30000] = float.PositiveInfinity;
        var separateInput = new ProgramMeter(48000, 2);
        var separateOutput = new ProgramMeter(48000, 2);
        var pair = new ProgramMeterPair(new ProgramMeter(48000, 2), new ProgramMeter(48000, 2), 256);
        int[] sizes = [64, 300, 17, 256, 1000, 5];
        int k = 0;
        for (int start = 0; start < frames; k++)
        {
            int n = Math.Min(frames - start, sizes[k % sizes.Length]);
            var inBlock = new AudioBlock(inLeft.AsSpan(start, n), inRight.AsSpan(start, n));
            var outBlock = new AudioBlock(outLeft.AsSpan(start, n), outRight.AsSpan(start, n));
            separateInput.Process(inBlock);
            separateOutput.Process(outBlock);
            pair.InputTap.Process(inBlock);
            pair.OutputTap.Process(outBlock);
            start += n;
        }

        AssertSameMeasurement(separateInput, pair.Input);
        AssertSameMeasurement(separateOutput, pair.Output);
        Assert.Equal(2, pair.Output.NonFiniteSampleCount);
    }

    [Fact]
    public void Flush_AfterInputOnly_MeasuresPendingBlock()
    {
        var (left, right) = Noise(4800, 6, 1f);
        var pair = new ProgramMeterPair(new ProgramMeter(48000, 2), new ProgramMeter(48000, 2), 4800);
        pair.InputTap.Process(new AudioBlock(left, right));
        Assert.Equal(0, pair.Input.GetReport().DurationFrames);
        pair.Flush();
        var expected = new ProgramMeter(48000, 2);
        expected.Process(left, right);
        AssertSameMeasurement(expected, pair.Input);
        Assert.Equal(0, pair.Output.GetReport().DurationFrames);
    }

    [Fact]
    public void Taps_OnChain_IdenticalToSeparateMeterTapsAndAllocationFree()
    {
        var (left, right) = Noise(48000, 7, 1f);
        var separate = new MasteringChain();
        var separateInput = new ProgramMeter(48000, 2);
        var separateOutput = new ProgramMeter(48000, 2);
        separate.SetInputTap(new MeterTap(separateInput));
        separate.SetOutputTap(new MeterTap(separateOutput));
        var fused = new MasteringChain();
        var pair = new ProgramMeterPair(new ProgramMeter(48000, 2), new ProgramMeter(48000, 2), 64);
        fused.SetInputTap(pair.InputTap);
        fused.SetOutputTap(pair.OutputTap);
        var spec = new ProcessSpec(48000, 64, 2);
        separate.Prepare(spec);
        fused.Prepare(spec);
        var a = new float[2][];
        var b = new float[2][];
        for (int c = 0; c < 2; c++)
        {
            a[c] = new float[64];
            b[c] = new float[64];
        }

        for (int start = 0; start + 64 <= left.Length; start += 64)
        {
            left.AsSpan(start, 64).CopyTo(a[0]);
            right.AsSpan(start, 64).CopyTo(a[1]);
            left.AsSpan(start, 64).CopyTo(b[0]);
            right.AsSpan(start, 64).CopyTo(b[1]);
            separate.Process(new AudioBlock(a[0], a[1]));
            fused.Process(new AudioBlock(b[0], b[1]));
            Assert.Equal(a[0], b[0]);
            Assert.Equal(a[1], b[1]);
        }

        AssertSameMeasurement(separateInput, pair.Input);
        AssertSameMeasurement(separateOutput, pair.Output);

        // Allocation, measured apart from the comparisons as the smallest of several runs (AllocationProbe's remarks).
        long allocated = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int start = 0; start + 64 <= left.Length; start += 64)
            {
                fused.Process(new AudioBlock(b[0], b[1]));
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Constructor_CapacityOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgramMeterPair(new ProgramMeter(48000, 2), new ProgramMeter(48000, 2), 0));
    }

    private sealed class MeterTap(ProgramMeter meter) : IAudioTap
    {
        public void Process(AudioBlock block) => meter.Process(block);
    }
}
