using System.Buffers.Binary;
using System.Text;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.AudioFiles;

public class Rf64Tests
{
    private static string Tag(byte[] file, int at) => Encoding.ASCII.GetString(file, at, 4);

    [Fact]
    public void Complete_WavBelowThreshold_StaysRiffWithJunkReservation()
    {
        float[] signal = TestAudio.ExactSignal(SampleEncoding.Pcm24, 1000, 2, seed: 1);
        byte[] file = TestAudio.WriteToBytes(AudioContainer.Wav, SampleEncoding.Pcm24, 48000, 2, signal);

        Assert.Equal("RIFF", Tag(file, 0));
        Assert.Equal("JUNK", Tag(file, 12));
        Assert.Equal(28u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16)));
        Assert.Equal((uint)(file.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)));
    }

    [Theory]
    [InlineData(SampleEncoding.Pcm16, 1)]
    [InlineData(SampleEncoding.Pcm24, 2)]
    [InlineData(SampleEncoding.Float32, 2)]
    public void Complete_WavPastThreshold_UpgradesInPlaceToRf64(SampleEncoding encoding, int channels)
    {
        const int frames = 5001;
        float[] signal = TestAudio.ExactSignal(encoding, frames, channels, seed: 2);
        byte[] file = TestAudio.WriteToBytes(AudioContainer.Wav, encoding, 48000, channels, signal, writer =>
        {
            writer.Rf64ThresholdBytes = 1000; // pretend 4 GiB is 1000 bytes
        });

        Assert.Equal("RF64", Tag(file, 0));
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)));
        Assert.Equal("ds64", Tag(file, 12));
        Assert.Equal(file.Length - 8, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(20)));
        long dataBytes = (long)frames * channels * SampleEncodings.BytesPerSample(encoding);
        Assert.Equal(dataBytes, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(28)));
        Assert.Equal(frames, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(36)));

        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "big.wav");
        Assert.Equal(AudioContainer.Rf64, reader.Format.Container);
        Assert.Equal(frames, reader.Format.LengthFrames);
        Assert.Equal(signal, TestAudio.ReadAll(reader));
    }

    [Fact]
    public void Container_AfterUpgrade_ReportsRf64()
    {
        var stream = new MemoryStream();
        using AudioFileWriter writer = AudioFileWriter.Create(stream, "w.wav", AudioContainer.Wav, SampleEncoding.Pcm16, 48000, 2);
        writer.Rf64ThresholdBytes = 100;
        writer.Write(new float[200]);
        Assert.Equal(AudioContainer.Wav, writer.Container);
        writer.Complete();
        Assert.Equal(AudioContainer.Rf64, writer.Container);
    }

    [Fact]
    public void Open_HandMadeRf64WithDs64Table_UsesTheSixtyFourBitSizes()
    {
        // ds64: riffSize, dataSize = 8, sampleCount = 2, table of one entry for a 'LIST' chunk of 6 bytes.
        byte[] ds64 = new byte[28 + 12];
        BinaryPrimitives.WriteInt64LittleEndian(ds64.AsSpan(8), 8);
        BinaryPrimitives.WriteInt64LittleEndian(ds64.AsSpan(16), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(ds64.AsSpan(24), 1);
        Encoding.ASCII.GetBytes("LIST").CopyTo(ds64, 28);
        BinaryPrimitives.WriteInt64LittleEndian(ds64.AsSpan(32), 6);
        byte[] file = TestAudio.Container(
            "RF64",
            "WAVE",
            bigEndian: false,
            new Chunk("ds64", ds64),
            TestAudio.PcmFmt(2, 48000, 16),
            new Chunk("LIST", new byte[6], SizeOverride: uint.MaxValue),
            new Chunk("data", TestAudio.Pcm16Le(16384, -16384, 8192, -8192, 99, 99), SizeOverride: uint.MaxValue));

        foreach (Stream stream in new Stream[] { new MemoryStream(file), new TrickleStream(file) })
        {
            using AudioFileReader reader = AudioFileReader.Open(stream, "hand.rf64");
            Assert.Equal(new AudioFileFormat(AudioContainer.Rf64, SampleEncoding.Pcm16, 48000, 2, 2), reader.Format);
            Assert.Equal([0.5f, -0.5f, 0.25f, -0.25f], TestAudio.ReadAll(reader)); // the 3rd frame is outside dataSize
        }
    }

    [Fact]
    public void Open_Rf64ChunkWithUnlistedSixtyFourBitSize_SaysSo()
    {
        byte[] ds64 = new byte[28];
        byte[] file = TestAudio.Container("RF64", "WAVE", bigEndian: false, new Chunk("ds64", ds64), new Chunk("bext", new byte[2], SizeOverride: uint.MaxValue));
        var error = Assert.Throws<AudioFileException>(() => AudioFileReader.Open(new MemoryStream(file), "x.wav"));
        Assert.Equal("x.wav: chunk 'bext' at byte 48 has a 64-bit size but the ds64 chunk does not list it", error.Message);
    }

    [Fact]
    public void Open_Ds64TooSmall_SaysSo()
    {
        byte[] file = TestAudio.Container("RF64", "WAVE", bigEndian: false, new Chunk("ds64", new byte[8]));
        var error = Assert.Throws<AudioFileException>(() => AudioFileReader.Open(new MemoryStream(file), "x.wav"));
        Assert.Equal("x.wav: ds64 chunk is 8 bytes, needs at least 28", error.Message);
    }
}
