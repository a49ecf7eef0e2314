using System.Text;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.Fuzzing;

namespace HardwareMaster.App.Tests.Fuzzing;

/// <summary>
/// CI's deterministic fuzz pass of the preset parser and the run-configuration parser: a fixed-seed mutation
/// (binary and JSON token-level) of every seed in tests/HardwareMaster.Fuzz/corpus, and every saved crash input in
/// tests/HardwareMaster.Fuzz/crashes. The only assertion: each input either parses or throws the parser's
/// documented exception (<see cref="PresetException"/>, <see cref="ConfigurationException"/>).
/// </summary>
public sealed class ParserMutationTests
{
    private const int Seed = 20261201;

    /// <summary>Saved crash inputs of the parsers this project tests.</summary>
    public static IEnumerable<object[]> CrashFiles => MutationPass.CrashFiles("preset", "config");

    [Fact]
    public void PresetSerializer_MutatedPresets_ParseOrThrowPresetException()
    {
        string failures = MutationPass.Run<PresetException>("preset", count: 4000, Seed, json: true, ParsePreset);

        Assert.True(failures.Length == 0, failures);
    }

    [Fact]
    public void RunConfiguration_MutatedConfigs_ParseOrThrowConfigurationException()
    {
        string failures = MutationPass.Run<ConfigurationException>("config", count: 4000, Seed, json: true, ParseConfig);

        Assert.True(failures.Length == 0, failures);
    }

    [Theory]
    [MemberData(nameof(CrashFiles))]
    public void Parser_SavedCrashInput_ParsesOrThrowsDocumentedException(string parser, string fileName)
    {
        byte[] input = MutationPass.CrashInput(parser, fileName);

        Exception? thrown = Record.Exception(() =>
        {
            if (parser == "preset")
            {
                ParsePreset(input);
            }
            else
            {
                ParseConfig(input);
            }
        });

        Assert.True(
            thrown is null or PresetException or ConfigurationException,
            $"{parser}/{fileName}: {thrown?.GetType().FullName}: {thrown?.Message}\n{thrown?.StackTrace}");
    }

    private static void ParsePreset(byte[] data)
    {
        Preset preset = PresetSerializer.Parse(Decode(data), "fuzz.json", ParameterRegistry.Chain);
        _ = PresetSerializer.Serialize(preset);
    }

    private static void ParseConfig(byte[] data) => _ = RunConfiguration.Parse(Decode(data), "fuzz.json");

    /// <summary>Decodes as <see cref="File.ReadAllText(string)"/> does: BOM detection, UTF-8 with replacement.</summary>
    private static string Decode(byte[] data)
    {
        using var reader = new StreamReader(new MemoryStream(data, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
