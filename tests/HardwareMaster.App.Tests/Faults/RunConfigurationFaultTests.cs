using HardwareMaster.App.Commands;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Host;

namespace HardwareMaster.App.Tests.Faults;

/// <summary>Hostile run configurations: size, non-regular files, surrogates, duplicates, types, ranges, nesting.</summary>
public class RunConfigurationFaultTests
{
    private static string Single(string json)
    {
        var error = Assert.Throws<ConfigurationException>(() => RunConfiguration.Parse(json, "cfg.json"));
        string problem = Assert.Single(error.Problems);
        Assert.DoesNotContain('\n', problem);
        return problem;
    }

    [Fact]
    public void Parse_DuplicateKey_IsAnErrorNamingKeyAndLine()
    {
        Assert.Equal(
            "cfg.json: line 3: duplicate key \"device\"; each key may appear once",
            Single("{\n \"device\": \"alsa:default\",\n \"device\": \"file:x.wav\"\n}"));
    }

    [Theory]
    [InlineData("{ \"device\": \"\\udc00\" }")]
    [InlineData("{ \"dev\\ud800ice\": \"x\" }")]
    public void Parse_LoneSurrogate_OneLine(string json)
    {
        Assert.StartsWith("cfg.json: line 1: a string is not valid Unicode", Single(json));
    }

    [Theory]
    [InlineData("{ \"periods\": 1e99 }", "cfg.json: line 1: periods must be an integer from 2 to 16 (got 1e99)")]
    [InlineData("{ \"sampleRateHz\": 4294967296 }", "cfg.json: line 1: sampleRateHz must be an integer from 8000 to 384000 (got 4294967296)")]
    [InlineData("{\n\n \"blockFrames\": 100000 }", "cfg.json: line 3: blockFrames must be an integer from 16 to 8192 (got 100000)")]
    [InlineData("{ \"realtimePriority\": true }", "cfg.json: line 1: realtimePriority must be an integer (got true)")]
    [InlineData("{ \"output\": {} }", "cfg.json: line 1: output must be a string or null (got an object)")]
    [InlineData("{\n \"colour\": 1 }", "cfg.json: line 2: unknown key \"colour\" (known keys: device, output, sampleRateHz, blockFrames, periods, realtimePriority, preset, remote, stateDir, record, midi, midiMap, osc, oscAllow, monitor, referenceDir, channelMap)")]
    [InlineData("[]", "cfg.json: line 1: the configuration must be a JSON object { \"device\": …, \"sampleRateHz\": … } (got an array)")]
    public void Parse_WrongTypeOrRange_OneLineWithTheLine(string json, string expected)
    {
        Assert.Equal(expected, Single(json));
    }

    [Fact]
    public void Parse_DeepNesting_OneLine()
    {
        string problem = Single("{ \"device\": " + new string('[', 100000) + " }");
        Assert.StartsWith("cfg.json: line 1: not valid JSON", problem);
    }

    [Fact]
    public void Load_DevZero_EndsAtOnceWithOneLine()
    {
        var error = Assert.Throws<ConfigurationException>(() => RunConfiguration.Load("/dev/zero"));
        Assert.Equal("/dev/zero: cannot read the configuration: not a regular file (a character device)", Assert.Single(error.Problems));
    }

    [Fact]
    public void Load_FifoWithoutWriter_RefusedWithoutOpening()
    {
        using var files = new FaultFiles();
        string fifo = files.Fifo("config.json");
        var error = Assert.Throws<ConfigurationException>(() => RunConfiguration.Load(fifo));
        Assert.Equal($"{fifo}: cannot read the configuration: not a regular file (a FIFO)", Assert.Single(error.Problems));
    }

    [Fact]
    public void Load_LargerThanTheCap_OneLine()
    {
        using var files = new FaultFiles();
        string big = files.Spaces("big.json", (1 << 20) + 1);
        var error = Assert.Throws<ConfigurationException>(() => RunConfiguration.Load(big));
        Assert.Equal($"{big}: cannot read the configuration: larger than 1 MiB; this is not a settings file", Assert.Single(error.Problems));
    }

    [Fact]
    public void Load_Utf8ByteOrderMark_IsAccepted()
    {
        using var files = new FaultFiles();
        string path = files.PathOf("bom.json");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "{ \"blockFrames\": 128 }"u8.ToArray()]);
        Assert.Equal(128, RunConfiguration.Load(path).BlockFrames);
    }

    [Fact]
    public void Load_InvalidUtf8_OneLine()
    {
        using var files = new FaultFiles();
        string path = files.PathOf("latin1.json");
        File.WriteAllBytes(path, [.. "{ \"device\": \"caf"u8.ToArray(), 0xE9, .. "\" }"u8.ToArray()]);
        var error = Assert.Throws<ConfigurationException>(() => RunConfiguration.Load(path));
        string problem = Assert.Single(error.Problems);
        Assert.StartsWith($"{path}: line 1: ", problem);
    }

    [Fact]
    public void RunBuild_ConfigOnDevZero_OneProblemLine()
    {
        RunRequest? request = RunCommand.Build("/dev/zero", new RunConfigurationOverrides(null, null, null, null, null, null, null), 1, null, 50, out IReadOnlyList<string> problems);
        Assert.Null(request);
        Assert.Equal("/dev/zero: cannot read the configuration: not a regular file (a character device)", Assert.Single(problems));
    }
}
