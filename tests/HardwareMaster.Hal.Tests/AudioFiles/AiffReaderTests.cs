using System.Buffers.Binary;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.AudioFiles;

public class AiffReaderTests
{
    private static readonly short[] ThreeFrames = [1000, -1000, 2000, -2000, 3000, -3000];

    private static float[] Expected(short[] samples)
    {
        float[] result = new float[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            result[i] = samples[i] / 32768f;
        }

        return result;
    }

    private static string Problem(byte[] file)
    {
        var error = Assert.Throws<AudioFileException>(() => AudioFileReader.Open(new MemoryStream(file), "a.aif").Dispose());
        Assert.StartsWith("a.aif: ", error.Message, StringComparison.Ordinal);
        return error.Problem;
    }

    [Theory]
    [InlineData("NONE")]
    [InlineData("twos")]
    public void Open_AifcBigEndianPcm_Reads(string compression)
    {
        byte[] file = TestAudio.Form("AIFC", new Chunk("FVER", new byte[4]), TestAudio.Comm(2, 3, 16, TestAudio.Rate80(44100), compression), TestAudio.Ssnd(TestAudio.Pcm16Be(ThreeFrames)));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "a.aifc");
        Assert.Equal(new AudioFileFormat(AudioContainer.Aifc, SampleEncoding.Pcm16, 44100, 2, 3), reader.Format);
        Assert.Equal(Expected(ThreeFrames), TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Open_AifcSowt_ReadsLittleEndianPcm()
    {
        byte[] file = TestAudio.Form("AIFC", TestAudio.Comm(2, 3, 16, TestAudio.Rate80(48000), "sowt"), TestAudio.Ssnd(TestAudio.Pcm16Le(ThreeFrames)));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "sowt.aifc");
        Assert.Equal(Expected(ThreeFrames), TestAudio.ReadAll(reader));
    }

    [Theory]
    [InlineData("fl32", SampleEncoding.Float32)]
    [InlineData("FL32", SampleEncoding.Float32)]
    [InlineData("fl64", SampleEncoding.Float64)]
    [InlineData("FL64", SampleEncoding.Float64)]
    public void Open_AifcFloat_ReadsBigEndianFloat(string compression, SampleEncoding encoding)
    {
        int bytes = encoding == SampleEncoding.Float64 ? 8 : 4;
        byte[] data = new byte[2 * bytes];
        if (bytes == 8)
        {
            BinaryPrimitives.WriteDoubleBigEndian(data, 0.25);
            BinaryPrimitives.WriteDoubleBigEndian(data.AsSpan(8), -0.5);
        }
        else
        {
            BinaryPrimitives.WriteSingleBigEndian(data, 0.25f);
            BinaryPrimitives.WriteSingleBigEndian(data.AsSpan(4), -0.5f);
        }

        byte[] file = TestAudio.Form("AIFC", TestAudio.Comm(1, 2, bytes * 8, TestAudio.Rate80(96000), compression), TestAudio.Ssnd(data));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "f.aifc");
        Assert.Equal(encoding, reader.Format.Encoding);
        Assert.Equal([0.25f, -0.5f], TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Open_SsndWithOffsetAndOddChunksBefore_StartsAtTheOffset()
    {
        byte[] file = TestAudio.Form(
            "AIFF",
            new Chunk("NAME", [65, 66, 67]), // odd, padded
            TestAudio.Comm(2, 3, 16, TestAudio.Rate80(44100)),
            new Chunk("ANNO", [1]),
            TestAudio.Ssnd(TestAudio.Pcm16Be(ThreeFrames), offset: 6),
            new Chunk("APPL", [7, 7, 7]));

        foreach (Stream stream in new Stream[] { new MemoryStream(file), new TrickleStream(file, maxChunk: 3) })
        {
            using AudioFileReader reader = AudioFileReader.Open(stream, "offset.aiff");
            Assert.Equal(Expected(ThreeFrames), TestAudio.ReadAll(reader, blockFrames: 2));
        }
    }

    [Fact]
    public void Open_SsndBeforeComm_ReadsOnSeekableStream()
    {
        byte[] file = TestAudio.Form("AIFF", TestAudio.Ssnd(TestAudio.Pcm16Be(ThreeFrames)), TestAudio.Comm(2, 3, 16, TestAudio.Rate80(44100)));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "late.aiff");
        Assert.Equal(Expected(ThreeFrames), TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Open_24BitAiff_ReadsSignExtended()
    {
        byte[] data = [0x80, 0x00, 0x00, 0x40, 0x00, 0x00];
        byte[] file = TestAudio.Form("AIFF", TestAudio.Comm(1, 2, 24, TestAudio.Rate80(48000)), TestAudio.Ssnd(data));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "24.aiff");
        Assert.Equal(SampleEncoding.Pcm24, reader.Format.Encoding);
        Assert.Equal([-1f, 0.5f], TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Open_CommDeclaresMoreFramesThanSsndHolds_FlagsTruncated()
    {
        byte[] file = TestAudio.Form("AIFF", TestAudio.Comm(2, 1000, 16, TestAudio.Rate80(44100)), TestAudio.Ssnd(TestAudio.Pcm16Be(ThreeFrames)));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "short.aiff");
        Assert.True(reader.Truncated);
        Assert.Equal(3, reader.Format.LengthFrames);
        Assert.Equal(Expected(ThreeFrames), TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Open_UnsupportedCompression_NamesIt()
    {
        byte[] file = TestAudio.Form("AIFC", TestAudio.Comm(2, 3, 16, TestAudio.Rate80(44100), "ima4"), TestAudio.Ssnd(new byte[12]));
        Assert.StartsWith("unsupported codec: AIFF-C compression type 'ima4'", Problem(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ZeroChannels_SaysSo()
    {
        byte[] file = TestAudio.Form("AIFF", TestAudio.Comm(0, 3, 16, TestAudio.Rate80(44100)), TestAudio.Ssnd(new byte[12]));
        Assert.Equal("COMM chunk says 0 channels", Problem(file));
    }

    [Fact]
    public void Open_SevenChannels_SaysOnlyMonoAndStereo()
    {
        byte[] file = TestAudio.Form("AIFF", TestAudio.Comm(7, 1, 16, TestAudio.Rate80(44100)), TestAudio.Ssnd(new byte[14]));
        Assert.Equal("7 channels: only mono and stereo are supported", Problem(file));
    }

    [Fact]
    public void Open_InfiniteSampleRate_SaysNotANumber()
    {
        byte[] rate = [0x7F, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0];
        byte[] file = TestAudio.Form("AIFF", TestAudio.Comm(1, 1, 16, rate), TestAudio.Ssnd(new byte[2]));
        Assert.Equal("sample rate not a number is outside the supported 8000-384000 Hz", Problem(file));
    }

    [Fact]
    public void Open_SsndOffsetPastChunk_SaysSo()
    {
        byte[] payload = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(payload, 100);
        byte[] file = TestAudio.Form("AIFF", TestAudio.Comm(1, 2, 16, TestAudio.Rate80(44100)), new Chunk("SSND", payload));
        Assert.Equal("SSND data offset 100 is past the end of its 12-byte chunk", Problem(file));
    }

    [Fact]
    public void Open_NoComm_SaysSo()
    {
        Assert.Equal("no COMM chunk", Problem(TestAudio.Form("AIFF", new Chunk("NAME", [1, 2]))));
    }

    [Fact]
    public void Open_FormNotAiff_NamesTheFormType()
    {
        Assert.Equal("IFF file is not AIFF or AIFF-C (form type '8SVX')", Problem(TestAudio.Form("8SVX", new Chunk("VHDR", new byte[20]))));
    }
}
