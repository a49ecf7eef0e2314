using System.Buffers.Binary;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.AudioFiles;

public class SampleConversionTests
{
    private static int[] WriteAndGetIntegers(SampleEncoding encoding, float[] samples)
    {
        byte[] file = TestAudio.WriteToBytes(AudioContainer.Wav, encoding, 48000, 1, samples);
        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "q");
        int bytesPerSample = reader.Format.BytesPerSample;
        int[] result = new int[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            ReadOnlySpan<byte> b = file.AsSpan((int)reader.DataOffsetBytes + (i * bytesPerSample), bytesPerSample);
            result[i] = bytesPerSample switch
            {
                2 => BinaryPrimitives.ReadInt16LittleEndian(b),
                3 => (b[0] | (b[1] << 8) | (b[2] << 16)) << 8 >> 8,
                _ => BinaryPrimitives.ReadInt32LittleEndian(b),
            };
        }

        return result;
    }

    [Theory]
    [InlineData(SampleEncoding.Pcm16, 32767, -32768)]
    [InlineData(SampleEncoding.Pcm24, 8388607, -8388608)]
    [InlineData(SampleEncoding.Pcm32, int.MaxValue, int.MinValue)]
    public void Write_FullScaleAndBeyond_ClampsWithoutWraparound(SampleEncoding encoding, int max, int min)
    {
        int[] values = WriteAndGetIntegers(encoding, [1f, 2f, float.PositiveInfinity, -1f, -3f, float.NegativeInfinity]);
        Assert.Equal([max, max, max, min, min, min], values);
    }

    [Theory]
    [InlineData(SampleEncoding.Pcm16)]
    [InlineData(SampleEncoding.Pcm24)]
    [InlineData(SampleEncoding.Pcm32)]
    public void Write_NaN_BecomesZero(SampleEncoding encoding)
    {
        Assert.Equal([0, 0], WriteAndGetIntegers(encoding, [float.NaN, -float.NaN]));
    }

    [Fact]
    public void Decode_Pcm24LittleEndian_EveryLengthAndBitPattern_MatchesTheThreeByteValue()
    {
        // The decoder reads four bytes per sample but the last; against the value assembled from its three bytes, with
        // sign extension, at every length 0 … 40 (the last-sample path) and for the extremes of the 24-bit range.
        var random = new Random(12);
        int[] special = [0, 1, -1, 8388607, -8388608, 0x7FFF00, -0x800000 + 1, 0x00FFFF, -0x10000];
        for (int round = 0; round < 400; round++)
        {
            int length = round % 41;
            var expected = new float[length];
            var bytes = new byte[length * 3];
            for (int i = 0; i < length; i++)
            {
                int value = random.Next(2) == 0 ? special[random.Next(special.Length)] : random.Next(-8388608, 8388608);
                bytes[3 * i] = (byte)value;
                bytes[(3 * i) + 1] = (byte)(value >> 8);
                bytes[(3 * i) + 2] = (byte)(value >> 16);
                expected[i] = value / 8388608f;
            }

            var decoded = new float[length];
            SampleCodec.Decode(SampleEncoding.Pcm24, bigEndian: false, bytes, decoded);
            Assert.Equal(expected, decoded);
        }
    }

    [Fact]
    public void Encode_Pcm24LittleEndian_VectorPathMatchesScalarQuantize()
    {
        // The four-samples-per-vector encoder against Quantize sample by sample: random bit patterns (NaN, ±∞,
        // subnormals, huge values), values near full scale and ties at every length 0 … 40 (all vector/tail splits).
        var random = new Random(11);
        float[] special = [0f, -0f, 1f, -1f, 0.5f / 8388608f, -0.5f / 8388608f, 1.5f / 8388608f, -2.5f / 8388608f, 8388606.5f / 8388608f,
            8388607.5f / 8388608f, -8388607.5f / 8388608f, 8388607f / 8388608f, -8388608.5f / 8388608f, float.NaN, -float.NaN,
            float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.MinValue, float.Epsilon, 4194303.5f / 8388608f, 4194304.5f / 8388608f];
        for (int round = 0; round < 400; round++)
        {
            int length = round % 41;
            float[] source = new float[length];
            for (int i = 0; i < length; i++)
            {
                source[i] = random.Next(3) switch
                {
                    0 => special[random.Next(special.Length)],
                    1 => BitConverter.Int32BitsToSingle(random.Next() * (random.Next(2) == 0 ? 1 : -1)),
                    _ => (float)((Math.Floor(((random.NextDouble() * 2) - 1) * 8388608.0) + (random.Next(2) * 0.5)) / 8388608.0),
                };
            }

            byte[] encoded = new byte[(length * 3) + 1];
            encoded[^1] = 0xA5;
            SampleCodec.Encode(SampleEncoding.Pcm24, bigEndian: false, source, encoded);
            for (int i = 0; i < length; i++)
            {
                int expected = SampleCodec.Quantize(source[i], 24);
                int actual = (encoded[i * 3] | (encoded[(i * 3) + 1] << 8) | (encoded[(i * 3) + 2] << 16)) << 8 >> 8;
                Assert.True(expected == actual, $"sample {i} of {length} ({source[i]:R}): expected {expected}, got {actual}");
            }

            Assert.Equal(0xA5, encoded[^1]); // nothing written past the samples
        }
    }

    [Fact]
    public void RoundToEven_BiasPath_IsBitIdenticalToMathRound()
    {
        // The path the x64 Native AOT baseline (no SSE4.1) runs, called directly; every float times the PCM scales.
        var random = new Random(7);
        foreach (double scale in new[] { 32768.0, 8388608.0, 2147483648.0 })
        {
            for (int i = 0; i < 100000; i++)
            {
                double x = BitConverter.Int32BitsToSingle(random.Next()) * (random.Next(2) == 0 ? 1 : -1) * scale;
                Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Round(x)), BitConverter.DoubleToInt64Bits(SampleCodec.RoundToEvenByBias(x)));
                double tie = Math.Floor(random.NextDouble() * scale) + 0.5;
                Assert.Equal(Math.Round(tie), SampleCodec.RoundToEvenByBias(tie));
                Assert.Equal(Math.Round(-tie), SampleCodec.RoundToEvenByBias(-tie));
            }
        }

        foreach (double x in new[] { -0.0, 0.0, -0.3, 0.5, -0.5, 2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e300 })
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Round(x)), BitConverter.DoubleToInt64Bits(SampleCodec.RoundToEvenByBias(x)));
        }
    }

    [Fact]
    public void Write_Pcm16_RoundsToNearest()
    {
        const float lsb = 1f / 32768f;
        int[] values = WriteAndGetIntegers(SampleEncoding.Pcm16, [0.4f * lsb, 0.6f * lsb, -0.6f * lsb, (100 + 0.49f) * lsb, (100 + 0.51f) * lsb]);
        Assert.Equal([0, 1, -1, 100, 101], values);
    }

    [Fact]
    public void Read_Pcm32_DividesByTwoToThe31()
    {
        float[] back;
        byte[] file = TestAudio.WriteToBytes(AudioContainer.Wav, SampleEncoding.Pcm32, 48000, 1, [0.5f, -1f, 1f]);
        using (AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "p32"))
        {
            back = TestAudio.ReadAll(reader);
        }

        // int.MaxValue / 2^31 rounds to 1.0f in float: the reader promises [-1, 1] after float rounding.
        Assert.Equal([0.5f, -1f, (float)(int.MaxValue / 2147483648.0)], back);
    }

    [Fact]
    public void WriteThenRead_Float32_KeepsOverRangeValues()
    {
        float[] signal = [1.5f, -2.25f, 1e-30f, 0f];
        byte[] file = TestAudio.WriteToBytes(AudioContainer.Wav, SampleEncoding.Float32, 48000, 2, signal);
        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "f");
        Assert.Equal(signal, TestAudio.ReadAll(reader));
    }

    [Theory]
    [InlineData(44100, new byte[] { 0x40, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0 })]
    [InlineData(48000, new byte[] { 0x40, 0x0E, 0xBB, 0x80, 0, 0, 0, 0, 0, 0 })]
    [InlineData(96000, new byte[] { 0x40, 0x0F, 0xBB, 0x80, 0, 0, 0, 0, 0, 0 })]
    [InlineData(8000, new byte[] { 0x40, 0x0B, 0xFA, 0x00, 0, 0, 0, 0, 0, 0 })]
    public void ExtendedFloat_KnownAiffRates_ParseAndFormatExactly(int rateHz, byte[] bytes)
    {
        Assert.Equal(rateHz, ExtendedFloat.Read(bytes));
        byte[] written = new byte[10];
        ExtendedFloat.Write((uint)rateHz, written);
        Assert.Equal(bytes, written);
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void Open_AiffWithRate_ReportsThatRate(int rateHz)
    {
        byte[] file = TestAudio.Form("AIFF", TestAudio.Comm(1, 2, 16, TestAudio.Rate80(rateHz)), TestAudio.Ssnd(TestAudio.Pcm16Be(1, -1)));
        using AudioFileReader reader = AudioFileReader.Open(new MemoryStream(file), "rate.aiff");
        Assert.Equal(rateHz, reader.Format.SampleRateHz);
    }
}
