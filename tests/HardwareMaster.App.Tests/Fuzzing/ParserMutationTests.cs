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
    private static readonly FuzzedParser[] Parsers =
    [
        new("preset", typeof(PresetException), Json: true, Count: 4000, ParsePreset),
        new("config", typeof(ConfigurationException), Json: true, Count: 4000, ParseConfig),
    ];

    /// <summary>Saved crash inputs of the parsers this project tests.</summary>
    public static IEnumerable<object[]> CrashFiles => MutationPass.CrashFiles(Parsers);

    [Fact]
    public void PresetSerializer_MutatedPresets_ParseOrThrowPresetException()
    {
        string failures = MutationPass.Run(Parsers[0]);

        Assert.True(failures.Length == 0, failures);
    }

    [Fact]
    public void RunConfiguration_MutatedConfigs_ParseOrThrowConfigurationException()
    {
        string failures = MutationPass.Run(Parsers[1]);

        Assert.True(failures.Length == 0, failures);
    }

    [Theory]
    [MemberData(nameof(CrashFiles))]
    public void Parser_SavedCrashInput_ParsesOrThrowsDocumentedException(string parser, string fileName)
    {
        string failure = MutationPass.RunCrashInput(Parsers, parser, fileName);

        Assert.True(failure.Length == 0, failure);
    }

    private static void ParsePreset(byte[] data)
    {
        Preset preset = PresetSerializer.Parse(MutationPass.DecodeText(data), "fuzz.json", ParameterRegistry.Chain);
        _ = PresetSerializer.Serialize(preset);
    }

    private static void ParseConfig(byte[] data) => _ = RunConfiguration.Parse(MutationPass.DecodeText(data), "fuzz.json");
}
