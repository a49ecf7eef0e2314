using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Tests.AudioFiles;
using Xunit;

namespace HardwareMaster.Dsp.Tests.Metering;

[Collection(nameof(AllocationMeasurements))]
public sealed class SubsonicMeterTests
{
    private const int Rate = 48000;

    [Fact]
    public void SubsonicToTotalDb_RumbleUnderMusic_ReadsHighAndMusicAloneLow()
    {
        float[] music = Tones(Rate * 4, (40, 0.3), (220, 0.2), (2500, 0.1));
        float[] rumble = Tones(Rate * 4, (40, 0.3), (220, 0.2), (2500, 0.1), (8, 0.25));

        Assert.InRange(Measure(music), double.NegativeInfinity, -30);
        Assert.InRange(Measure(rumble), -6, 0);
    }

    [Fact]
    public void SubsonicToTotalDb_DcOffset_IsNotSubsonicEnergy()
    {
        float[] offset = Tones(Rate * 4, (100, 0.3));
        for (int i = 0; i < offset.Length; i++)
        {
            offset[i] += 0.2f;
        }

        Assert.InRange(Measure(offset), double.NegativeInfinity, -30);
    }

    [Fact]
    public void SubsonicToTotalDb_WhiteNoise_ReadsItsTrueShareSoNothingFoldsDown()
    {
        var random = new Random(5);
        float[] noise = new float[Rate * 8];
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] = (float)((random.NextDouble() * 2) - 1) * 0.5f;
        }

        // 20 Hz of a 24 kHz band: 10·log10(20/24000) = −30.8 dB; aliasing by the decimation would read higher.
        Assert.InRange(Measure(noise), -32.5, -29.5);
    }

    [Fact]
    public void Process_AfterConstruction_AllocatesNothing()
    {
        var meter = new SubsonicMeter(Rate);
        float[] block = Tones(512, (100, 0.3));
        meter.Process(block, block);
        Assert.Equal(0, AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                meter.Process(block, block);
            }
        }));
        Assert.Equal(double.NegativeInfinity, new SubsonicMeter(Rate).SubsonicToTotalDb);
    }

    [Fact]
    public void Process_WholeGroupsAndFrameByFrame_ReadTheSame()
    {
        // Whole averaging groups of a stereo block run two frames per vector; one frame at a time (and a group with a NaN)
        // runs frame by frame: the same reading to far below the 0.1 dB the report shows.
        float[] left = Tones(Rate * 3, (8, 0.2), (60, 0.3), (1000, 0.1));
        float[] right = Tones(Rate * 3, (11, 0.1), (90, 0.3), (3000, 0.1));
        left[Rate + 5] = float.NaN;
        var blocks = new SubsonicMeter(Rate);
        var frames = new SubsonicMeter(Rate);
        for (int i = 0; i < left.Length; i += 4096)
        {
            int n = Math.Min(4096, left.Length - i);
            blocks.Process(left.AsSpan(i, n), right.AsSpan(i, n));
        }

        for (int i = 0; i < left.Length; i++)
        {
            frames.Process(left.AsSpan(i, 1), right.AsSpan(i, 1));
        }

        Assert.InRange(blocks.SubsonicToTotalDb, -20, -1);
        Assert.Equal(frames.SubsonicToTotalDb, blocks.SubsonicToTotalDb, 1e-6);
    }

    private static double Measure(float[] samples)
    {
        var meter = new SubsonicMeter(Rate);
        for (int i = 0; i < samples.Length; i += 1000)
        {
            int n = Math.Min(1000, samples.Length - i);
            meter.Process(samples.AsSpan(i, n), samples.AsSpan(i, n));
        }

        return meter.SubsonicToTotalDb;
    }

    private static float[] Tones(int frames, params (double Hz, double Amplitude)[] tones)
    {
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            double v = 0;
            foreach ((double hz, double amplitude) in tones)
            {
                v += amplitude * Math.Sin(2 * Math.PI * hz * i / Rate);
            }

            x[i] = (float)v;
        }

        return x;
    }
}
