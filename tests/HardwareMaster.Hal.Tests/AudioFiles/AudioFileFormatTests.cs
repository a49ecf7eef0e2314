using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.AudioFiles;

public class AudioFileFormatTests
{
    [Theory]
    [InlineData(AudioContainer.Wav, SampleEncoding.Pcm24, 48000, 2, "WAV PCM 24-bit, 48000 Hz, stereo")]
    [InlineData(AudioContainer.Rf64, SampleEncoding.Pcm16, 44100, 1, "RF64 PCM 16-bit, 44100 Hz, mono")]
    [InlineData(AudioContainer.Aifc, SampleEncoding.Float32, 96000, 1, "AIFF-C float 32-bit, 96000 Hz, mono")]
    [InlineData(AudioContainer.Aiff, SampleEncoding.Pcm32, 192000, 2, "AIFF PCM 32-bit, 192000 Hz, stereo")]
    [InlineData(AudioContainer.Wav, SampleEncoding.Float64, 32000, 2, "WAV float 64-bit, 32000 Hz, stereo")]
    public void Describe_Formats_ReadsLikeAHuman(AudioContainer container, SampleEncoding encoding, int rateHz, int channels, string expected)
    {
        Assert.Equal(expected, new AudioFileFormat(container, encoding, rateHz, channels, 0).Describe());
    }

    [Fact]
    public void Properties_Stereo24Bit_AreDerivedFromTheEncoding()
    {
        var format = new AudioFileFormat(AudioContainer.Wav, SampleEncoding.Pcm24, 48000, 2, 96000);
        Assert.Equal(24, format.BitsPerSample);
        Assert.Equal(3, format.BytesPerSample);
        Assert.Equal(6, format.BlockAlignBytes);
        Assert.False(format.IsFloat);
        Assert.Equal(2.0, format.DurationSeconds);
    }

    [Theory]
    [InlineData("a.wav", AudioContainer.Wav)]
    [InlineData("/x/y/B.WAVE", AudioContainer.Wav)]
    [InlineData("big.rf64", AudioContainer.Rf64)]
    [InlineData("c.aif", AudioContainer.Aiff)]
    [InlineData("d.AIFF", AudioContainer.Aiff)]
    [InlineData("e.aifc", AudioContainer.Aifc)]
    public void FromExtension_KnownExtensions_PickTheContainer(string path, AudioContainer expected)
    {
        Assert.Equal(expected, AudioContainers.FromExtension(path));
    }

    [Theory]
    [InlineData("song.mp3", "song.mp3: unknown audio file extension '.mp3': use .wav, .wave, .rf64, .aif, .aiff or .aifc")]
    [InlineData("noextension", "noextension: no file extension: use .wav, .wave, .rf64, .aif, .aiff or .aifc")]
    public void FromExtension_Unknown_ThrowsAudioFileException(string path, string message)
    {
        Assert.Equal(message, Assert.Throws<AudioFileException>(() => AudioContainers.FromExtension(path)).Message);
    }

    [Fact]
    public void AudioFileException_MultiLineProblem_BecomesOneLine()
    {
        var error = new AudioFileException("a.wav", "first\nsecond\r\nthird");
        Assert.Equal("a.wav: first second third", error.Message);
        Assert.Equal("a.wav", error.FilePath);
    }

    [Theory]
    [InlineData(0, 48000, "0 channels: only mono and stereo are supported")]
    [InlineData(7, 48000, "7 channels: only mono and stereo are supported")]
    [InlineData(2, 4000, "sample rate 4000 Hz is outside the supported 8000-384000 Hz")]
    public void Create_UnsupportedFormat_ThrowsWithoutCreatingTheFile(int channels, int rateHz, string problem)
    {
        string path = Path.Combine(Path.GetTempPath(), "hm-never-" + Guid.NewGuid().ToString("N") + ".wav");
        var error = Assert.Throws<AudioFileException>(() => AudioFileWriter.Create(path, AudioContainer.Wav, SampleEncoding.Pcm16, rateHz, channels));
        Assert.Equal(problem, error.Problem);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Create_FloatInPlainAiff_PointsToAifc()
    {
        var error = Assert.Throws<AudioFileException>(() => AudioFileWriter.Create(new MemoryStream(), "x.aiff", AudioContainer.Aiff, SampleEncoding.Float32, 48000, 2));
        Assert.Equal("x.aiff: AIFF cannot hold float samples; use AIFF-C (.aifc) or WAV", error.Message);
    }

    [Fact]
    public void Create_InMissingFolder_SaysFolderNotFound()
    {
        string path = Path.Combine(Path.GetTempPath(), "hm-missing-" + Guid.NewGuid().ToString("N"), "out.wav");
        var error = Assert.Throws<AudioFileException>(() => AudioFileWriter.Create(path, AudioContainer.Wav, SampleEncoding.Pcm16, 48000, 2));
        Assert.Equal(path + ": folder not found", error.Message);
    }

    [Fact]
    public void Create_NonSeekableStream_SaysItMustSeek()
    {
        var error = Assert.Throws<AudioFileException>(() => AudioFileWriter.Create(new TrickleStream([]), "pipe", AudioContainer.Wav, SampleEncoding.Pcm16, 48000, 2));
        Assert.StartsWith("pipe: the output must be a writable, seekable file", error.Message, StringComparison.Ordinal);
    }
}
