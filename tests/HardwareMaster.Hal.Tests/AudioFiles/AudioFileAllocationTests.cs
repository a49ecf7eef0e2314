using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.AudioFiles;

[Collection(nameof(AllocationMeasurements))]
public class AudioFileAllocationTests
{
    [Theory]
    [InlineData(AudioContainer.Wav, SampleEncoding.Pcm24)]
    [InlineData(AudioContainer.Wav, SampleEncoding.Float32)]
    [InlineData(AudioContainer.Aifc, SampleEncoding.Pcm16)]
    public void Read_AfterWarmUp_AllocatesNothing(AudioContainer container, SampleEncoding encoding)
    {
        float[] signal = TestAudio.ExactSignal(encoding, 600_000, 2, seed: 4);
        byte[] file = TestAudio.WriteToBytes(container, encoding, 48000, 2, signal);
        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "alloc");
        float[] block = new float[512 * 2];
        float[] left = new float[512];
        float[] right = new float[512];
        for (int i = 0; i < 40; i++)
        {
            reader.Read(block);
            reader.ReadPlanar(left, right);
        }

        long frames = 0;
        long allocated = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                frames += reader.Read(block);
                frames += reader.ReadPlanar(left, right);
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(0, frames % (50 * 1024));
        Assert.True(frames > 0);
        Assert.True(reader.PositionFrames < 600_000, "the file must not run out during the measurement");
    }

    [Fact]
    public void Read_FromFileAfterWarmUp_AllocatesNothing()
    {
        string path = Path.Combine(Path.GetTempPath(), "hm-alloc-" + Guid.NewGuid().ToString("N") + ".wav");
        try
        {
            using (AudioFileWriter writer = AudioFileWriter.Create(path, AudioContainer.Wav, SampleEncoding.Pcm24, 48000, 2))
            {
                writer.Write(TestAudio.ExactSignal(SampleEncoding.Pcm24, 1_200_000, 2, seed: 6));
            }

            using AudioFileReader reader = AudioFileReader.Open(path);
            float[] block = new float[1024 * 2];
            for (int i = 0; i < 40; i++)
            {
                reader.Read(block);
            }

            long frames = 0;
            long allocated = AllocationProbe.SmallestBytesAllocated(() =>
            {
                for (int i = 0; i < 100; i++)
                {
                    frames += reader.Read(block);
                }
            });

            Assert.Equal(0, allocated);
            Assert.True(reader.PositionFrames < 1_200_000, "the file must not run out during the measurement");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(AudioContainer.Wav, SampleEncoding.Pcm24)]
    [InlineData(AudioContainer.Aiff, SampleEncoding.Pcm16)]
    [InlineData(AudioContainer.Aifc, SampleEncoding.Float64)]
    public void Write_AfterWarmUp_AllocatesNothing(AudioContainer container, SampleEncoding encoding)
    {
        var stream = new MemoryStream(64 * 1024 * 1024); // pre-sized so the stream itself does not grow
        using AudioFileWriter writer = AudioFileWriter.Create(stream, "alloc", container, encoding, 48000, 2);
        float[] block = TestAudio.ExactSignal(encoding, 512, 2, seed: 8);
        float[] left = block[..512];
        float[] right = block[512..];
        for (int i = 0; i < 40; i++)
        {
            writer.Write(block);
            writer.WritePlanar(left, right);
        }

        long allocated = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                writer.Write(block);
                writer.WritePlanar(left, right);
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(0, writer.FramesWritten % 1024);
    }
}
