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
public sealed class ParserMutationTests
{
    private const int Seed = 20261201;

    /// <summary>Saved crash inputs of the parsers this project tests.</summary>
    public static IEnumerable<object[]> CrashFiles => MutationPass.CrashFiles("audio", "profile");

    [Fact]
    public void AudioFileReader_MutatedHeaders_ParseOrThrowAudioFileException()
    {
        string failures = MutationPass.Run<AudioFileException>("audio", count: 6000, Seed, json: false, ReadAudio);

        Assert.True(failures.Length == 0, failures);
    }

    [Fact]
    public void HardwareProfileLoader_MutatedProfiles_ParseOrThrowHardwareProfileException()
    {
        string failures = MutationPass.Run<HardwareProfileException>("profile", count: 4000, Seed, json: true, ParseProfile);

        Assert.True(failures.Length == 0, failures);
    }

    [Theory]
    [MemberData(nameof(CrashFiles))]
    public void Parser_SavedCrashInput_ParsesOrThrowsDocumentedException(string parser, string fileName)
    {
        byte[] input = MutationPass.CrashInput(parser, fileName);

        Exception? thrown = Record.Exception(() =>
        {
            if (parser == "audio")
            {
                ReadAudio(input);
            }
            else
            {
                ParseProfile(input);
            }
        });

        Assert.True(
            thrown is null or AudioFileException or HardwareProfileException,
            $"{parser}/{fileName}: {thrown?.GetType().FullName}: {thrown?.Message}\n{thrown?.StackTrace}");
    }

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
        using var text = new StreamReader(new MemoryStream(data, writable: false), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        HardwareProfile profile = HardwareProfileLoader.Parse(text.ReadToEnd(), "fuzz.json");
        _ = HardwareProfileLoader.ToJson(profile);
    }
}
