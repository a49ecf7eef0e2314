using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.AudioFiles;

public class AudioFileRoundTripTests
{
    private const int Frames = 12_011; // stereo 24-bit: 72 KB, so reads cross the 64 KiB buffer mid-frame

    public static TheoryData<AudioContainer, SampleEncoding, int, int> AllFormats()
    {
        var data = new TheoryData<AudioContainer, SampleEncoding, int, int>();
        int[] rates = [32000, 44100, 48000, 96000, 192000];
        foreach (AudioContainer container in Enum.GetValues<AudioContainer>())
        {
            foreach (SampleEncoding encoding in Enum.GetValues<SampleEncoding>())
            {
                if (container == AudioContainer.Aiff && SampleEncodings.IsFloat(encoding))
                {
                    continue; // plain AIFF has no float; AIFF-C does
                }

                foreach (int channels in new[] { 1, 2 })
                {
                    foreach (int rate in rates)
                    {
                        data.Add(container, encoding, rate, channels);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void WriteThenRead_EveryFormat_IsBitExactOnTheGrid(AudioContainer container, SampleEncoding encoding, int rateHz, int channels)
    {
        float[] signal = TestAudio.ExactSignal(encoding, Frames, channels, seed: rateHz + channels);
        byte[] file = TestAudio.WriteToBytes(container, encoding, rateHz, channels, signal);

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "roundtrip");
        Assert.Equal(new AudioFileFormat(container, encoding, rateHz, channels, Frames), reader.Format);
        float[] back = TestAudio.ReadAll(reader);
        Assert.Equal(signal, back);
        Assert.False(reader.Truncated);
        Assert.Equal(Frames, reader.PositionFrames);
        Assert.Equal(0, reader.Read(new float[64]));
    }

    [Theory]
    [InlineData(AudioContainer.Wav, SampleEncoding.Pcm24, 2)]
    [InlineData(AudioContainer.Wav, SampleEncoding.Float64, 1)]
    [InlineData(AudioContainer.Aifc, SampleEncoding.Float32, 2)]
    [InlineData(AudioContainer.Aiff, SampleEncoding.Pcm16, 1)]
    public void Read_NonSeekableTrickleStream_GivesTheSameSamples(AudioContainer container, SampleEncoding encoding, int channels)
    {
        float[] signal = TestAudio.ExactSignal(encoding, Frames, channels, seed: 5);
        byte[] file = TestAudio.WriteToBytes(container, encoding, 48000, channels, signal);

        using AudioFileReader reader = AudioFileReader.Open(new TrickleStream(file, maxChunk: 4099), "pipe");
        Assert.Equal(signal, TestAudio.ReadAll(reader, blockFrames: 1000));
        Assert.False(reader.Truncated);
    }

    [Theory]
    [InlineData("mix.wav", SampleEncoding.Pcm24)]
    [InlineData("mix.aiff", SampleEncoding.Pcm16)]
    [InlineData("mix.aifc", SampleEncoding.Float64)]
    public void CreateAndOpen_ByPath_RoundTripsThroughTheFileSystem(string fileName, SampleEncoding encoding)
    {
        string dir = Directory.CreateTempSubdirectory("hm-audiofiles-").FullName;
        try
        {
            string path = Path.Combine(dir, fileName);
            float[] signal = TestAudio.ExactSignal(encoding, 30_000, 2, seed: 9);
            AudioContainer container = AudioContainers.FromExtension(path);
            using (AudioFileWriter writer = AudioFileWriter.Create(path, container, encoding, 44100, 2))
            {
                writer.Write(signal);
                Assert.Equal(30_000, writer.FramesWritten);
            }

            using AudioFileReader reader = AudioFileReader.Open(path);
            Assert.Equal(container, reader.Format.Container);
            Assert.Equal(signal, TestAudio.ReadAll(reader, blockFrames: 4096));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(AudioContainer.Wav, SampleEncoding.Pcm24)]
    [InlineData(AudioContainer.Aifc, SampleEncoding.Pcm16)]
    public void WritePlanarThenReadPlanar_Stereo_KeepsChannelsApart(AudioContainer container, SampleEncoding encoding)
    {
        const int frames = 10_000;
        float[] left = new float[frames];
        float[] right = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            left[i] = (i % 200) / 256f;
            right[i] = -(i % 100) / 512f;
        }

        var stream = new MemoryStream();
        using (AudioFileWriter writer = AudioFileWriter.Create(stream, "planar", container, encoding, 48000, 2, leaveOpen: true))
        {
            writer.WritePlanar(left.AsSpan(0, 3333), right.AsSpan(0, 3333));
            writer.WritePlanar(left.AsSpan(3333), right.AsSpan(3333));
        }

        stream.Position = 0;
        using AudioFileReader reader = AudioFileReader.Open(stream, "planar");
        float[] readLeft = new float[frames + 10];
        float[] readRight = new float[frames + 10];
        int first = reader.ReadPlanar(readLeft.AsSpan(0, 5000), readRight.AsSpan(0, 5000));
        int second = reader.ReadPlanar(readLeft.AsSpan(5000), readRight.AsSpan(5000));
        Assert.Equal(5000, first);
        Assert.Equal(frames - 5000, second);
        Assert.Equal(left, readLeft[..frames]);
        Assert.Equal(right, readRight[..frames]);
    }

    [Fact]
    public void ReadPlanar_Mono_FillsLeftOnly()
    {
        float[] signal = TestAudio.ExactSignal(SampleEncoding.Pcm16, 500, 1, seed: 3);
        byte[] file = TestAudio.WriteToBytes(AudioContainer.Wav, SampleEncoding.Pcm16, 48000, 1, signal);

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "mono");
        float[] left = new float[600];
        Assert.Equal(500, reader.ReadPlanar(left, Span<float>.Empty));
        Assert.Equal(signal, left[..500]);
    }

    [Fact]
    public void Write_OddByteCountData_IsPaddedAndStillReadable()
    {
        // 24-bit mono, 3 frames = 9 data bytes: the data chunk needs a pad byte.
        float[] signal = [0.5f, -0.25f, 0.125f];
        byte[] file = TestAudio.WriteToBytes(AudioContainer.Wav, SampleEncoding.Pcm24, 48000, 1, signal);

        Assert.Equal(0, file.Length % 2);
        Assert.Equal(file.Length - 8, BitConverter.ToInt32(file, 4)); // RIFF size covers the pad
        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "odd");
        Assert.Equal(signal, TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Write_NoFrames_GivesAValidEmptyFile()
    {
        byte[] file = TestAudio.WriteToBytes(AudioContainer.Aifc, SampleEncoding.Float32, 96000, 2, []);

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "empty.aifc");
        Assert.Equal(0, reader.Format.LengthFrames);
        Assert.Equal(0, reader.Read(new float[16]));
        Assert.False(reader.Truncated);
    }

    [Fact]
    public void Write_AfterComplete_ThrowsInvalidOperation()
    {
        using AudioFileWriter writer = AudioFileWriter.Create(new MemoryStream(), "x.wav", AudioContainer.Wav, SampleEncoding.Pcm16, 48000, 2);
        writer.Complete();
        Assert.Throws<InvalidOperationException>(() => writer.Write(new float[2]));
    }

    [Fact]
    public void Write_LengthNotMultipleOfChannels_ThrowsArgumentException()
    {
        using AudioFileWriter writer = AudioFileWriter.Create(new MemoryStream(), "x.wav", AudioContainer.Wav, SampleEncoding.Pcm16, 48000, 2);
        Assert.Throws<ArgumentException>(() => writer.Write(new float[3]));
    }
}
