using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.AudioFiles;

public class MalformedFileTests
{
    private const int SmallFrames = 10;

    public static TheoryData<AudioContainer, SampleEncoding, int> SmallFiles() => new()
    {
        { AudioContainer.Wav, SampleEncoding.Pcm16, 2 },
        { AudioContainer.Wav, SampleEncoding.Pcm24, 1 },
        { AudioContainer.Wav, SampleEncoding.Float32, 2 },
        { AudioContainer.Rf64, SampleEncoding.Float64, 1 },
        { AudioContainer.Aiff, SampleEncoding.Pcm24, 2 },
        { AudioContainer.Aifc, SampleEncoding.Float32, 2 },
        { AudioContainer.Aifc, SampleEncoding.Pcm16, 1 },
    };

    [Theory]
    [MemberData(nameof(SmallFiles))]
    public void Open_EveryPrefixOfAValidFile_FailsCleanlyOrReadsTheFramesThatExist(AudioContainer container, SampleEncoding encoding, int channels)
    {
        float[] signal = TestAudio.ExactSignal(encoding, SmallFrames, channels, seed: 11);
        byte[] file = TestAudio.WriteToBytes(container, encoding, 44100, channels, signal);
        long dataStart;
        using (AudioFileReader full = AudioFileReader.Open(new MemoryStream(file), "full"))
        {
            dataStart = full.DataOffsetBytes;
        }

        int blockAlign = SampleEncodings.BytesPerSample(encoding) * channels;
        for (int length = 0; length < file.Length; length++)
        {
            byte[] prefix = file[..length];
            foreach (bool seekable in new[] { true, false })
            {
                Stream stream = seekable ? new MemoryStream(prefix) : new TrickleStream(prefix, maxChunk: 5, seed: length);
                string name = $"prefix{length}";
                if (length < dataStart)
                {
                    var error = Assert.Throws<AudioFileException>(() => AudioFileReader.Open(stream, name));
                    Assert.StartsWith(name + ": ", error.Message, StringComparison.Ordinal);
                    continue;
                }

                using AudioFileReader reader = AudioFileReader.Open(stream, name);
                int present = (int)Math.Min(SmallFrames, (length - dataStart) / blockAlign);
                float[] read = TestAudio.ReadAll(reader, blockFrames: 3);
                Assert.Equal(signal[..(present * channels)], read);
                Assert.Equal(present < SmallFrames, reader.Truncated);
            }
        }
    }

    [Theory]
    [MemberData(nameof(SmallFiles))]
    public void Open_RandomlyCorruptedFiles_OnlyEverThrowAudioFileException(AudioContainer container, SampleEncoding encoding, int channels)
    {
        float[] signal = TestAudio.ExactSignal(encoding, 40, channels, seed: 12);
        byte[] original = TestAudio.WriteToBytes(container, encoding, 48000, channels, signal);
        var random = new Random((int)container * 31 + (int)encoding * 7 + channels);
        uint[] nastyValues = [0, 1, 7, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 28, 16];
        int opened = 0;
        int rejected = 0;
        for (int iteration = 0; iteration < 600; iteration++)
        {
            byte[] file = (byte[])original.Clone();
            int headerSpan = Math.Min(file.Length, 120);
            switch (random.Next(4))
            {
                case 0: // flip a few bytes, mostly in the header
                    for (int k = random.Next(1, 6); k > 0; k--)
                    {
                        file[random.Next(headerSpan)] ^= (byte)random.Next(1, 256);
                    }

                    break;
                case 1: // plant a nasty 32-bit value (both byte orders) where a size or count might be
                    {
                        int at = random.Next(headerSpan - 4);
                        uint value = nastyValues[random.Next(nastyValues.Length)];
                        bool bigEndian = random.Next(2) == 0;
                        for (int b = 0; b < 4; b++)
                        {
                            file[at + b] = (byte)(value >> (bigEndian ? 24 - (8 * b) : 8 * b));
                        }

                        break;
                    }

                case 2: // cut it short and corrupt
                    file = file[..random.Next(file.Length)];
                    if (file.Length > 0)
                    {
                        file[random.Next(file.Length)] = (byte)random.Next(256);
                    }

                    break;
                default: // random garbage after a valid magic
                    random.NextBytes(file.AsSpan(12, headerSpan - 12));
                    break;
            }

            foreach (bool seekable in new[] { true, false })
            {
                Stream stream = seekable ? new MemoryStream(file) : new TrickleStream(file, maxChunk: 64, seed: iteration);
                try
                {
                    using AudioFileReader reader = AudioFileReader.Open(stream, "fuzz.bin");
                    float[] block = new float[256];
                    long total = 0;
                    int frames;
                    while ((frames = reader.Read(block)) > 0)
                    {
                        total += frames;
                        Assert.True(total <= file.Length, "the reader delivered more frames than the file has bytes");
                    }

                    Assert.Equal(total, reader.PositionFrames);
                    opened++;
                }
                catch (AudioFileException error)
                {
                    Assert.StartsWith("fuzz.bin: ", error.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain('\n', error.Message);
                    rejected++;
                }
            }
        }

        // Both outcomes must occur, or the fuzzing is not reaching the parser.
        Assert.True(opened > 0 && rejected > 0, $"opened {opened}, rejected {rejected}");
    }
}
