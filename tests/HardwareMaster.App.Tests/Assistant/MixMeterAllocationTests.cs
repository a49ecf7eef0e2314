using HardwareMaster.App.Assistant.Check;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.App.Tests.Assistant;

/// <summary>The box can feed its input to the checklist's meters on a live thread: a block allocates nothing.</summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class MixMeterAllocationTests
{
    [Fact]
    public void Process_StereoBlocks_AllocatesNothing()
    {
        var meter = new MixMeter(48000, 2);
        var left = new float[512];
        var right = new float[512];
        var random = new Random(3);
        for (int i = 0; i < left.Length; i++)
        {
            left[i] = (float)(0.3 * ((random.NextDouble() * 2) - 1));
            right[i] = (float)(0.3 * ((random.NextDouble() * 2) - 1));
        }

        // 200 blocks of 512 frames (2.1 s): every meter's windows close (100 ms peaks, 400 ms loudness, FFT segments).
        long bytes = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int block = 0; block < 200; block++)
            {
                meter.Process(left, right);
            }
        });

        Assert.Equal(0, bytes);
        MixMeasurement mix = meter.GetMeasurement(new MixFormat(48000, 2, 24, false, "test"));
        Assert.True(mix.Spectrum.Segments > 0);
        Assert.True(mix.Peaks.Windows > 0);
        Assert.True(mix.Loudness.IntegratedLufs.HasValue);
    }
}
