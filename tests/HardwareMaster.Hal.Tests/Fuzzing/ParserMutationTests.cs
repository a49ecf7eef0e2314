using HardwareMaster.Fuzzing;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Profile;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.Hal.Tests.Fuzzing;

/// <summary>
/// CI's deterministic fuzz pass of the audio-file header parser and the hardware-profile parser: a fixed-seed
/// mutation of every seed in tests/HardwareMaster.Fuzz/corpus (the engine scripts/fuzz.sh falls back to), and
/// every saved crash input in tests/HardwareMaster.Fuzz/crashes. The only assertion: each input either parses or
/// throws the parser's documented exception.
/// </summary>
public sealed class ParserMutationTests : ParserMutationTestBase<ParserMutationTests>, IFuzzedParsers
{
    /// <inheritdoc/>
    public static IReadOnlyList<FuzzedParser> Parsers { get; } =
    [
        new("audio", typeof(AudioFileException), Json: false, Count: 6000, ReadAudio),
        new("profile", typeof(HardwareProfileException), Json: true, Count: 4000, ParseProfile),
    ];

    [Fact]
    public void AudioFileReader_MutatedHeaders_ParseOrThrowAudioFileException() => AssertPassSucceeds(Parsers[0]);

    [Fact]
    public void HardwareProfileLoader_MutatedProfiles_ParseOrThrowHardwareProfileException() => AssertPassSucceeds(Parsers[1]);

    /// <summary>Opens the bytes as a seekable file and as a pipe, and decodes every frame.</summary>
    private static void ReadAudio(byte[] data)
    {
        ReadAll(new MemoryStream(data, writable: false), data.Length);
        ReadAll(new TrickleStream(data, maxChunk: 4096), data.Length);
    }

    private static void ReadAll(Stream stream, int inputBytes)
    {
        using AudioFileReader reader = AudioFileReader.Open(stream, "fuzz.wav");
        Assert.InRange(reader.Format.Channels, 1, 2);
        Assert.InRange(reader.Format.SampleRateHz, 8000, 384000);
        var buffer = new float[1024];
        long frames = 0;
        int read;
        while ((read = reader.Read(buffer)) > 0)
        {
            frames += read;
            Assert.True(frames <= inputBytes, $"{frames} frames out of a {inputBytes}-byte input");
        }
    }

    /// <summary>Reads the bytes as <see cref="HardwareProfileLoader.Load"/> reads a file (BOM detection, UTF-8).</summary>
    private static void ParseProfile(byte[] data)
    {
        HardwareProfile profile = HardwareProfileLoader.Parse(MutationPass.DecodeText(data), "fuzz.json");
        _ = HardwareProfileLoader.ToJson(profile);
    }
}
