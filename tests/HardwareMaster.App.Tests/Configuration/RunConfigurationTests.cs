using HardwareMaster.App.Configuration;

namespace HardwareMaster.App.Tests.Configuration;

public class RunConfigurationTests
{
    [Fact]
    public void Load_ShippedDeployConfig_ParsesAllKeys()
    {
        string path = Path.Combine(FindRepoRoot(), "deploy-pi", "config.json");
        RunConfiguration config = RunConfiguration.Load(path);
        Assert.Equal("alsa:default", config.Device);
        Assert.Null(config.Output);
        Assert.Equal(48000, config.SampleRateHz);
        Assert.Equal(64, config.BlockFrames);
        Assert.Equal(2, config.Periods);
        Assert.Equal(70, config.RealtimePriority);
        Assert.Equal("streaming-pop-rock", config.Preset);
        Assert.Equal("streaming-pop-rock", PresetResolver.Resolve(config.Preset).Name);
    }

    [Fact]
    public void Parse_EveryBadValue_GivesOneLineEach()
    {
        const string json = """
            { "device": 5, "sampleRateHz": "fast", "blockFrames": 3, "periods": 40, "realtimePriority": -1, "colour": "red", "preset": null }
            """;
        var ex = Assert.Throws<ConfigurationException>(() => RunConfiguration.Parse(json, "cfg.json"));
        Assert.Equal(6, ex.Problems.Count);
        Assert.All(ex.Problems, p => Assert.StartsWith("cfg.json: ", p));
        Assert.All(ex.Problems, p => Assert.DoesNotContain('\n', p));
        Assert.Contains(ex.Problems, p => p.Contains("device must be a string", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("sampleRateHz must be an integer (got \"fast\")", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("blockFrames must be an integer from 16 to 8192 (got 3)", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("periods must be an integer from 2 to 16 (got 40)", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("realtimePriority must be an integer from 0 to 99 (got -1)", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("unknown key \"colour\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{ \"device\": ", "not valid JSON")]
    [InlineData("{ \"blockFrames\": 64.5 }", "blockFrames must be an integer")]
    public void Parse_Malformed_IsOneClearLine(string json, string expected)
    {
        var ex = Assert.Throws<ConfigurationException>(() => RunConfiguration.Parse(json, "x.json"));
        Assert.Single(ex.Problems);
        Assert.Contains(expected, ex.Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CommentsAndMissingKeys_KeepDefaults()
    {
        RunConfiguration config = RunConfiguration.Parse("{ // the box\n \"blockFrames\": 128, }", "c.json");
        Assert.Equal(128, config.BlockFrames);
        Assert.Equal(new RunConfiguration().SampleRateHz, config.SampleRateHz);
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        var ex = Assert.Throws<ConfigurationException>(() => RunConfiguration.Load("/nonexistent/hm.json"));
        Assert.Equal("/nonexistent/hm.json: cannot read the configuration: file not found", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Resolve_UnknownPreset_ListsWhereItLooked()
    {
        var ex = Assert.Throws<ConfigurationException>(() => PresetResolver.Resolve("no-such-preset", "/tmp/hm-none"));
        string line = Assert.Single(ex.Problems);
        Assert.Contains("streaming-pop-rock", line, StringComparison.Ordinal);
        Assert.Contains("/tmp/hm-none/presets", line, StringComparison.Ordinal);
    }

    internal static string FindRepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "HardwareMaster.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("repository root not found");
    }
}
