using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.AudioFiles;

public class WavReaderTests
{
    private static readonly short[] FourFrames = [100, -100, 200, -200, 300, -300, 400, -400];

    private static float[] Expected(short[] samples)
    {
        float[] result = new float[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            result[i] = samples[i] / 32768f;
        }

        return result;
    }

    private static AudioFileException OpenFails(byte[] file, string name = "mix.wav")
    {
        var error = Assert.Throws<AudioFileException>(() => AudioFileReader.Open(new MemoryStream(file), name).Dispose());
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith(name + ": ", error.Message, StringComparison.Ordinal);
        Assert.Equal(name, error.FilePath);
        return error;
    }

    [Fact]
    public void Open_UnknownOddSizedChunksAroundFmtAndData_SkipsThemWithPadding()
    {
        byte[] file = TestAudio.Riff(
            new Chunk("LIST", [1, 2, 3]), // odd: followed by a pad byte
            new Chunk("bext", new byte[7]),
            TestAudio.PcmFmt(2, 48000, 16),
            new Chunk("junk", [9]),
            new Chunk("data", TestAudio.Pcm16Le(FourFrames)),
            new Chunk("id3 ", [0x49, 0x44, 0x33, 0x04, 0x00])); // after data: must not be read as samples

        foreach (Stream stream in new Stream[] { new MemoryStream(file), new TrickleStream(file) })
        {
            using AudioFileReader reader = AudioFileReader.Open(stream, "chunks.wav");
            Assert.Equal(new AudioFileFormat(AudioContainer.Wav, SampleEncoding.Pcm16, 48000, 2, 4), reader.Format);
            Assert.Equal(Expected(FourFrames), TestAudio.ReadAll(reader, blockFrames: 3));
        }
    }

    [Fact]
    public void Open_DataBeforeFmtOnSeekableStream_ReadsTheData()
    {
        byte[] file = TestAudio.Riff(new Chunk("data", TestAudio.Pcm16Le(FourFrames)), TestAudio.PcmFmt(2, 44100, 16));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "late-fmt.wav");
        Assert.Equal(4, reader.Format.LengthFrames);
        Assert.Equal(Expected(FourFrames), TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Open_DataBeforeFmtOnPipe_SaysSo()
    {
        byte[] file = TestAudio.Riff(new Chunk("data", TestAudio.Pcm16Le(FourFrames)), TestAudio.PcmFmt(2, 44100, 16));
        var error = Assert.Throws<AudioFileException>(() => AudioFileReader.Open(new TrickleStream(file), "pipe"));
        Assert.Contains("data chunk comes before the fmt chunk", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16, SampleEncoding.Pcm16)]
    [InlineData(24, SampleEncoding.Pcm24)]
    [InlineData(32, SampleEncoding.Pcm32)]
    public void Open_ExtensiblePcm_ReadsAsPcm(int bits, SampleEncoding expected)
    {
        byte[] data = new byte[2 * bits / 8 * 3];
        data[bits / 8 - 1] = 0x40; // first sample = +0.5 (most significant byte last, little-endian)
        byte[] file = TestAudio.Riff(TestAudio.ExtensibleFmt(1, 2, 96000, bits, bits), new Chunk("data", data));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "ext.wav");
        Assert.Equal(new AudioFileFormat(AudioContainer.Wav, expected, 96000, 2, 3), reader.Format);
        float[] samples = TestAudio.ReadAll(reader);
        Assert.Equal(0.5f, samples[0]);
        Assert.All(samples[1..], s => Assert.Equal(0f, s));
    }

    [Fact]
    public void Open_Extensible20BitIn24BitContainer_DecodesByContainerSize()
    {
        byte[] data = [0x00, 0x00, 0xC0]; // -0.5 in a 24-bit container, low 4 bits unused
        byte[] file = TestAudio.Riff(TestAudio.ExtensibleFmt(1, 1, 48000, 24, 20), new Chunk("data", data));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "20bit.wav");
        Assert.Equal(SampleEncoding.Pcm24, reader.Format.Encoding);
        Assert.Equal([-0.5f], TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Open_ExtensibleFloat_ReadsAsFloat()
    {
        byte[] data = BitConverter.GetBytes(0.75f);
        byte[] file = TestAudio.Riff(TestAudio.ExtensibleFmt(3, 1, 48000, 32, 32), new Chunk("fact", new byte[4]), new Chunk("data", data));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "extf.wav");
        Assert.Equal(SampleEncoding.Float32, reader.Format.Encoding);
        Assert.Equal([0.75f], TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Open_ExtensibleWithForeignGuid_IsUnsupportedCodec()
    {
        // Ambisonic B-format GUIDs differ in the tail ({...-0000-0721-...}).
        byte[] tail = [0x00, 0x00, 0x21, 0x07, 0xD3, 0x11, 0x86, 0x44, 0xC8, 0xC1, 0xCA, 0x00, 0x00, 0x00];
        byte[] file = TestAudio.Riff(TestAudio.ExtensibleFmt(1, 2, 48000, 16, 16, tail), new Chunk("data", new byte[4]));
        Assert.Contains("unsupported codec: WAVE_FORMAT_EXTENSIBLE sub-format", OpenFails(file).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ExtensibleFmtTooShort_SaysSo()
    {
        byte[] file = TestAudio.Riff(TestAudio.Fmt(0xFFFE, 2, 48000, 4, 16), new Chunk("data", new byte[4]));
        Assert.Equal("WAVE_FORMAT_EXTENSIBLE fmt chunk is 16 bytes, needs 40", OpenFails(file).Problem);
    }

    [Fact]
    public void Open_ZeroChannels_SaysFmtChunkSaysZeroChannels()
    {
        byte[] file = TestAudio.Riff(TestAudio.Fmt(1, 0, 48000, 4, 16), new Chunk("data", new byte[4]));
        Assert.Equal("mix.wav: fmt chunk says 0 channels", OpenFails(file).Message);
    }

    [Fact]
    public void Open_SevenChannels_SaysOnlyMonoAndStereo()
    {
        byte[] file = TestAudio.Riff(TestAudio.PcmFmt(7, 48000, 16), new Chunk("data", new byte[14]));
        Assert.Equal("mix.wav: 7 channels: only mono and stereo are supported", OpenFails(file).Message);
    }

    [Theory]
    [InlineData(0x0055, "MP3 (format tag 0x0055)")]
    [InlineData(0x0002, "Microsoft ADPCM (format tag 0x0002)")]
    [InlineData(0x1234, "unknown codec (format tag 0x1234)")]
    public void Open_UnsupportedCodec_NamesTheCodec(int tag, string expected)
    {
        byte[] file = TestAudio.Riff(TestAudio.Fmt((ushort)tag, 2, 44100, 4, 16), new Chunk("data", new byte[4]));
        string problem = OpenFails(file).Problem;
        Assert.StartsWith("unsupported codec: " + expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EightBitPcm_SaysNotSupported()
    {
        byte[] file = TestAudio.Riff(TestAudio.PcmFmt(1, 8000, 8), new Chunk("data", new byte[4]));
        Assert.StartsWith("8-bit PCM is not supported", OpenFails(file).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_BlockAlignInconsistent_SaysExpectedValue()
    {
        byte[] file = TestAudio.Riff(TestAudio.Fmt(1, 2, 48000, 5, 16), new Chunk("data", new byte[20]));
        Assert.Equal("block align 5 does not match 2 channel(s) of 16 bits (expected 4)", OpenFails(file).Problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7999)]
    [InlineData(384001)]
    public void Open_SampleRateOutOfRange_SaysSo(int rateHz)
    {
        byte[] file = TestAudio.Riff(TestAudio.PcmFmt(2, rateHz, 16), new Chunk("data", new byte[4]));
        Assert.Equal($"sample rate {rateHz} Hz is outside the supported 8000-384000 Hz", OpenFails(file).Problem);
    }

    [Fact]
    public void Open_NoFmtChunk_SaysSo()
    {
        Assert.Equal("no fmt chunk", OpenFails(TestAudio.Riff(new Chunk("LIST", new byte[4]))).Problem);
    }

    [Fact]
    public void Open_NoDataChunk_SaysSo()
    {
        Assert.Equal("no data chunk", OpenFails(TestAudio.Riff(TestAudio.PcmFmt(2, 48000, 16))).Problem);
    }

    [Fact]
    public void Open_EmptyFile_SaysEmpty()
    {
        Assert.Equal("file is empty", OpenFails([]).Problem);
    }

    [Fact]
    public void Open_TextFile_SaysNotWavOrAiff()
    {
        byte[] file = "hello, this is not audio"u8.ToArray();
        Assert.Equal("not a WAV or AIFF file (starts with 'hell')", OpenFails(file).Problem);
    }

    [Fact]
    public void Open_RiffThatIsNotWave_NamesTheFormType()
    {
        byte[] file = TestAudio.Container("RIFF", "AVI ", bigEndian: false, new Chunk("LIST", new byte[4]));
        Assert.Equal("RIFF file is not WAVE (form type 'AVI ')", OpenFails(file).Problem);
    }

    [Fact]
    public void Open_ChunkSizePastEndOfFile_NamesTheChunk()
    {
        byte[] file = TestAudio.Riff(new Chunk("LIST", new byte[4], SizeOverride: 1_000_000), TestAudio.PcmFmt(2, 48000, 16), new Chunk("data", new byte[4]));
        Assert.Equal("chunk 'LIST' at byte 12 declares 1000000 bytes, past the end of the file (60 bytes)", OpenFails(file).Problem);
    }

    [Fact]
    public void Open_ChunkSizePastEndOfPipe_NamesTheChunk()
    {
        byte[] file = TestAudio.Riff(new Chunk("LIST", new byte[4], SizeOverride: 1_000_000), TestAudio.PcmFmt(2, 48000, 16), new Chunk("data", new byte[4]));
        var error = Assert.Throws<AudioFileException>(() => AudioFileReader.Open(new TrickleStream(file), "pipe"));
        Assert.Equal("pipe: chunk 'LIST' at byte 12 declares 1000000 bytes, past the end of the file", error.Message);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0xFFFFFFF8u)]
    [InlineData(0x7FFFFFFFu)]
    public void Open_HugeChunkSizeOnPipe_EndsWithAnErrorInsteadOfLooping(uint size)
    {
        byte[] file = TestAudio.Riff(TestAudio.PcmFmt(2, 48000, 16), new Chunk("LIST", new byte[40], SizeOverride: size), new Chunk("data", new byte[4]));
        var error = Assert.Throws<AudioFileException>(() => AudioFileReader.Open(new TrickleStream(file, maxChunk: 4096), "loop.wav"));
        Assert.Contains("past the end of the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ZeroSizedChunks_AreSkipped()
    {
        byte[] file = TestAudio.Riff(new Chunk("zero", []), TestAudio.PcmFmt(2, 48000, 16), new Chunk("nil ", []), new Chunk("data", TestAudio.Pcm16Le(FourFrames)));
        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "zero.wav");
        Assert.Equal(Expected(FourFrames), TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Open_DataChunkLongerThanFile_ClampsAndFlagsTruncated()
    {
        byte[] file = TestAudio.Riff(TestAudio.PcmFmt(2, 48000, 16), new Chunk("data", TestAudio.Pcm16Le(FourFrames), SizeOverride: 4000));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "cut.wav");
        Assert.True(reader.Truncated);
        Assert.Equal(4, reader.Format.LengthFrames);
        Assert.Equal(Expected(FourFrames), TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Read_DataChunkLongerThanPipe_StopsAndFlagsTruncated()
    {
        byte[] file = TestAudio.Riff(TestAudio.PcmFmt(2, 48000, 16), new Chunk("data", TestAudio.Pcm16Le(FourFrames), SizeOverride: 4000));
        file = file[..^1]; // and a half frame at the end

        using AudioFileReader reader = AudioFileReader.Open(new TrickleStream(file), "pipe");
        Assert.False(reader.Truncated);
        Assert.Equal(1000, reader.Format.LengthFrames); // what the header declares: a pipe cannot know better
        Assert.Equal(Expected(FourFrames)[..6], TestAudio.ReadAll(reader));
        Assert.True(reader.Truncated);
    }

    [Fact]
    public void Open_DataSizeUnknown_ReadsToEndWithoutTruncationFlag()
    {
        byte[] file = TestAudio.Riff(TestAudio.PcmFmt(2, 48000, 16), new Chunk("data", TestAudio.Pcm16Le(FourFrames), SizeOverride: uint.MaxValue));

        foreach (Stream stream in new Stream[] { new MemoryStream(file), new TrickleStream(file) })
        {
            using AudioFileReader reader = AudioFileReader.Open(stream, "stream.wav");
            Assert.Equal(Expected(FourFrames), TestAudio.ReadAll(reader));
            Assert.False(reader.Truncated);
        }
    }

    [Fact]
    public void Open_MissingFile_SaysFileNotFound()
    {
        string path = Path.Combine(Path.GetTempPath(), "hm-no-such-file-" + Guid.NewGuid().ToString("N") + ".wav");
        var error = Assert.Throws<AudioFileException>(() => AudioFileReader.Open(path));
        Assert.Equal(path + ": file not found", error.Message);
    }

    [Fact]
    public void Open_Directory_GivesAudioFileException()
    {
        string dir = Directory.CreateTempSubdirectory("hm-dir-").FullName;
        try
        {
            var error = Assert.Throws<AudioFileException>(() => AudioFileReader.Open(dir));
            Assert.StartsWith(dir + ": ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void Read_AfterDispose_ThrowsObjectDisposed()
    {
        byte[] file = TestAudio.Riff(TestAudio.PcmFmt(2, 48000, 16), new Chunk("data", TestAudio.Pcm16Le(FourFrames)));
        AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "x.wav");
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.Read(new float[8]));
    }

    [Fact]
    public void Open_StreamWithLeaveOpen_DoesNotCloseIt()
    {
        byte[] file = TestAudio.Riff(TestAudio.PcmFmt(2, 48000, 16), new Chunk("data", TestAudio.Pcm16Le(FourFrames)));
        var stream = new MemoryStream(file);
        AudioFileReader.Open(stream, "x.wav", leaveOpen: true).Dispose();
        Assert.True(stream.CanRead);
        AudioFileReader.Open(new MemoryStream(file), "x.wav").Dispose();
        stream.Position = 0;
        AudioFileReader.Open(stream, "x.wav").Dispose();
        Assert.False(stream.CanRead);
    }
}
