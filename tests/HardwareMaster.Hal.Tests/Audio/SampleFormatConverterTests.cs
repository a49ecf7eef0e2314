using HardwareMaster.Hal.Audio;

namespace HardwareMaster.Hal.Tests.Audio;

public class SampleFormatConverterTests
{
    [Theory]
    [InlineData(AudioSampleFormat.S16LE, 0.5f, new byte[] { 0x00, 0x40 })]
    [InlineData(AudioSampleFormat.S16LE, -1f, new byte[] { 0x00, 0x80 })]
    [InlineData(AudioSampleFormat.S16LE, 1f, new byte[] { 0xFF, 0x7F })]
    [InlineData(AudioSampleFormat.S16LE, float.NaN, new byte[] { 0x00, 0x00 })]
    [InlineData(AudioSampleFormat.S24Packed3LE, 0.5f, new byte[] { 0x00, 0x00, 0x40 })]
    [InlineData(AudioSampleFormat.S24Packed3LE, -1f / 8388608f, new byte[] { 0xFF, 0xFF, 0xFF })]
    [InlineData(AudioSampleFormat.S24Packed3LE, -3f, new byte[] { 0x00, 0x00, 0x80 })]
    [InlineData(AudioSampleFormat.S32LE, 0.5f, new byte[] { 0x00, 0x00, 0x00, 0x40 })]
    [InlineData(AudioSampleFormat.S32LE, 2f, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(AudioSampleFormat.S32LE, float.PositiveInfinity, new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(AudioSampleFormat.Float32LE, 0.25f, new byte[] { 0x00, 0x00, 0x80, 0x3E })]
    public void EncodeChannel_KnownValue_GivesExactLittleEndianBytes(AudioSampleFormat format, float value, byte[] expected)
    {
        var bytes = new byte[expected.Length];
        SampleFormatConverter.EncodeChannel([value], format, 1, 0, bytes);
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(AudioSampleFormat.S16LE, new byte[] { 0x00, 0xC0 }, -0.5f)]
    [InlineData(AudioSampleFormat.S24Packed3LE, new byte[] { 0x00, 0x00, 0xC0 }, -0.5f)]
    [InlineData(AudioSampleFormat.S24Packed3LE, new byte[] { 0x01, 0x00, 0x00 }, 1f / 8388608f)]
    [InlineData(AudioSampleFormat.S32LE, new byte[] { 0x00, 0x00, 0x00, 0x80 }, -1f)]
    [InlineData(AudioSampleFormat.Float32LE, new byte[] { 0x00, 0x00, 0x80, 0xBE }, -0.25f)]
    public void DecodeChannel_KnownBytes_GivesExactFloat(AudioSampleFormat format, byte[] bytes, float expected)
    {
        var value = new float[1];
        SampleFormatConverter.DecodeChannel(bytes, format, 1, 0, value);
        Assert.Equal(expected, value[0]);
    }

    [Theory]
    [InlineData(AudioSampleFormat.S16LE)]
    [InlineData(AudioSampleFormat.S24Packed3LE)]
    [InlineData(AudioSampleFormat.S32LE)]
    [InlineData(AudioSampleFormat.Float32LE)]
    public void Interleave_ThenDeinterleave_RoundTripsRepresentableValuesExactly(AudioSampleFormat format)
    {
        float[] stereo = TestSignals.ExactStereo(format, 1000, seed: 3);
        var left = new float[1000];
        var right = new float[1000];
        for (int i = 0; i < 1000; i++)
        {
            left[i] = stereo[2 * i];
            right[i] = stereo[(2 * i) + 1];
        }

        var bytes = new byte[1000 * 2 * SampleFormatConverter.BytesPerSample(format)];
        SampleFormatConverter.Interleave(left, right, format, 2, bytes);
        var backLeft = new float[1000];
        var backRight = new float[1000];
        SampleFormatConverter.Deinterleave(bytes, format, 2, backLeft, backRight);
        Assert.Equal(left, backLeft);
        Assert.Equal(right, backRight);
    }

    [Fact]
    public void Deinterleave_Mono_DuplicatesTheChannel()
    {
        short[] samples = [16384, -8192];
        byte[] bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.AsSpan()).ToArray();
        var left = new float[2];
        var right = new float[2];
        SampleFormatConverter.Deinterleave(bytes, AudioSampleFormat.S16LE, 1, left, right);
        Assert.Equal([0.5f, -0.25f], left);
        Assert.Equal(left, right);
    }

    [Fact]
    public void Interleave_MonoAndFourChannels_MixesDownAndSilencesExtraChannels()
    {
        float[] left = [0.5f, 1f];
        float[] right = [0.25f, -1f];
        var mono = new byte[2 * 4];
        SampleFormatConverter.Interleave(left, right, AudioSampleFormat.Float32LE, 1, mono);
        Assert.Equal([0.375f, 0f], System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(mono).ToArray());

        var four = new byte[2 * 4 * 4];
        four.AsSpan().Fill(0xAA);
        SampleFormatConverter.Interleave(left, right, AudioSampleFormat.Float32LE, 4, four);
        Assert.Equal([0.5f, 0.25f, 0f, 0f, 1f, -1f, 0f, 0f], System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(four).ToArray());
    }
}
