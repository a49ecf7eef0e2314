using HardwareMaster.App.Commands;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Tests.Rendering;

namespace HardwareMaster.App.Tests.Faults;

/// <summary>Hand-edited and hostile preset files: every failure is one PresetException line "FILE: line N: what".</summary>
[Collection("ConsoleTests")]
public class PresetParserFaultTests
{
    private static readonly ParameterRegistry Registry = ParameterRegistry.Chain;

    private static PresetException ParseFails(string json) =>
        Assert.Throws<PresetException>(() => PresetSerializer.Parse(json, "p.json", Registry));

    [Theory]
    [InlineData("{\"schema\":\"1\",\"name\":\"x\"}", "p.json: line 1: \"schema\" must be the integer 1 (got a string)")]
    [InlineData("{\"schema\":1.5,\"name\":\"x\"}", "p.json: line 1: \"schema\" must be the integer 1 (got a number 1.5)")]
    [InlineData("{\"schema\":null,\"name\":\"x\"}", "p.json: line 1: \"schema\" must be the integer 1 (got null)")]
    [InlineData("{\"schema\":1,\n\"name\":7}", "p.json: line 2: \"name\" must be a string (got a number)")]
    [InlineData("{\"schema\":1,\"name\":\"x\",\n\n\"description\":[1]}", "p.json: line 3: \"description\" must be a string (got an array)")]
    [InlineData("{\"schema\":1,\"name\":\"x\",\n\"parameters\":[]}", "p.json: line 2: \"parameters\" must be an object of id: value (got an array)")]
    [InlineData("{\"schema\":1,\"name\":\"   \"}", "p.json: line 1: \"name\" must not be empty")]
    [InlineData("\"just a string\"", "p.json: line 1: the top level must be a JSON object (got a string)")]
    public void Parse_WrongJsonType_OneLineNamingKeyAndLine(string json, string expected)
    {
        PresetException error = ParseFails(json);
        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("{\"schema\":1,\"name\":\"x\\udc00\"}")]
    [InlineData("{\"schema\":1,\"name\":\"x\",\"description\":\"\\ud800 alone\"}")]
    [InlineData("{\"schema\":1,\"name\":\"x\",\"parameters\":{\"comp.ratio\\udc00\":2}}")]
    [InlineData("{\"schema\":1,\"name\":\"x\",\"parameters\":{\"comp.detector\":\"\\udc00\"}}")]
    public void Parse_LoneSurrogateInAnyString_OneLineNotAStackTrace(string json)
    {
        PresetException error = ParseFails(json);
        Assert.StartsWith("p.json: line 1: a string is not valid Unicode", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_LoneSurrogateInTheCallersString_OneLine()
    {
        PresetException error = ParseFails("{\"schema\":1,\"name\":\"x\uDC00\"}");
        Assert.Equal("p.json: line 1: the text holds a lone UTF-16 surrogate; it is not valid Unicode", error.Message);
    }

    [Fact]
    public void Parse_MisspelledParametersSection_IsAnErrorNamingKeyAndLine()
    {
        PresetException error = ParseFails("{\n  \"schema\": 1,\n  \"name\": \"x\",\n  \"paramters\": { \"comp.ratio\": 4 }\n}");
        Assert.Equal(
            "p.json: line 4: unknown key \"paramters\" (did you mean \"parameters\"? known keys: schema, name, description, parameters)",
            error.Message);
    }

    [Fact]
    public void Parse_UnknownParameterInSection_NamesTheLine()
    {
        PresetException error = ParseFails("{\"schema\":1,\"name\":\"x\",\"parameters\":{\n\"comp.ratio\":2,\n\"comp.ratoi\":3}}");
        Assert.StartsWith("p.json: line 3: unknown parameter 'comp.ratoi'", error.Message);
    }

    [Theory]
    [InlineData("{\"schema\":1,\"name\":\"x\",\n\"name\":\"y\"}", "p.json: line 2: duplicate key \"name\"; each key may appear once")]
    [InlineData("{\"schema\":1,\"name\":\"x\",\"parameters\":{\"comp.ratio\":2,\n\n\"comp.ratio\":4}}", "p.json: line 3: duplicate key \"comp.ratio\" in \"parameters\"; each key may appear once")]
    public void Parse_DuplicateKey_IsAnErrorNamingTheKey(string json, string expected)
    {
        Assert.Equal(expected, ParseFails(json).Message);
    }

    [Fact]
    public void Parse_DeepNesting_OneLine()
    {
        string json = "{\"schema\":1,\"name\":\"x\",\"parameters\":{\"comp.ratio\":" + new string('[', 5000) + new string(']', 5000) + "}}";
        PresetException error = ParseFails(json);
        Assert.StartsWith("p.json: line 1: not valid JSON", error.Message);
        Assert.Contains("depth", error.Message);
    }

    [Fact]
    public void Parse_HugeNumber_IsOutOfRangeNotACrash()
    {
        PresetException error = ParseFails("{\"schema\":1,\"name\":\"x\",\"parameters\":{\"comp.ratio\":1e400}}");
        Assert.StartsWith("p.json: line 1: parameter 'comp.ratio'", error.Message);
    }

    [Fact]
    public void FactoryPresets_StillLoadUnderTheStrictRules()
    {
        var library = new PresetLibrary(Registry);
        Assert.True(library.Factory.Count >= 7);
    }

    [Fact]
    public void LoadFile_DevZero_EndsAtOnceWithOneLine()
    {
        PresetException error = Assert.Throws<PresetException>(() => new PresetLibrary(Registry).LoadFile("/dev/zero"));
        Assert.Equal("/dev/zero: not a regular file (a character device)", error.Message);
    }

    [Fact]
    public void LoadFile_FifoWithoutWriter_RefusedWithoutOpening()
    {
        using var files = new FaultFiles();
        string fifo = files.Fifo("preset.json");
        PresetException error = Assert.Throws<PresetException>(() => new PresetLibrary(Registry).LoadFile(fifo));
        Assert.Equal($"{fifo}: not a regular file (a FIFO)", error.Message);
    }

    [Fact]
    public void LoadFile_Directory_OneLine()
    {
        using var files = new FaultFiles();
        PresetException error = Assert.Throws<PresetException>(() => new PresetLibrary(Registry).LoadFile(files.Directory));
        Assert.Equal($"{files.Directory}: not a regular file (a directory)", error.Message);
    }

    [Fact]
    public void LoadFile_LargerThanOneMebibyte_RefusedWithOneLine()
    {
        using var files = new FaultFiles();
        string big = files.Spaces("big.json", (1 << 20) + 1);
        PresetException error = Assert.Throws<PresetException>(() => new PresetLibrary(Registry).LoadFile(big));
        Assert.Equal($"{big}: larger than 1 MiB; this is not a settings file", error.Message);
    }

    [Fact]
    public void LoadFile_ExactlyOneMebibyteOfValidJson_Loads()
    {
        using var files = new FaultFiles();
        string json = "{\"schema\":1,\"name\":\"padded\"}";
        string path = files.PathOf("padded.json");
        File.WriteAllText(path, json + new string(' ', (1 << 20) - json.Length));
        Assert.Equal("padded", new PresetLibrary(Registry).LoadFile(path).Name);
    }

    [Fact]
    public void LoadFile_EmptyName_OneLine()
    {
        PresetException error = Assert.Throws<PresetException>(() => new PresetLibrary(Registry).LoadFile(string.Empty));
        Assert.Equal("(empty file name): the file name is empty", error.Message);
    }

    [Theory]
    [InlineData("schema-string")]
    [InlineData("surrogate")]
    [InlineData("typo")]
    [InlineData("duplicate")]
    [InlineData("/dev/zero")]
    [InlineData("fifo")]
    public void RenderPresetFile_BadPreset_OneLineExitTwo(string kind)
    {
        using var files = new FaultFiles();
        using var audio = new TestFiles();
        string input = audio.DemoMix(seconds: 1);
        string preset = PresetFor(kind, files);
        (int code, _, string error) = CliRunner.Run("render", input, audio.PathOf("out.wav"), "--preset-file", preset);
        Assert.Equal(2, code);
        string line = CliRunner.SingleLine(error);
        Assert.StartsWith($"hardwaremaster: {preset}: ", line);
        Assert.False(File.Exists(audio.PathOf("out.wav")));
    }

    [Theory]
    [InlineData("schema-string")]
    [InlineData("surrogate")]
    [InlineData("typo")]
    [InlineData("duplicate")]
    [InlineData("/dev/zero")]
    [InlineData("fifo")]
    public void RunPreset_BadPresetFile_OneProblemLine(string kind)
    {
        using var files = new FaultFiles();
        string preset = PresetFor(kind, files);
        RunRequest? request = RunCommand.Build(null, new RunConfigurationOverrides("gen:tone", null, null, null, null, null, preset), 1, null, 50, out IReadOnlyList<string> problems);
        Assert.Null(request);
        string problem = Assert.Single(problems);
        Assert.StartsWith($"{preset}: ", problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void Resolve_PresetFileWithTwoProblems_OneLineListingBoth()
    {
        using var files = new FaultFiles();
        string preset = files.Text("two.json", "{\"schema\":1,\"name\":\"x\",\"parameters\":{\"comp.ratio\":0,\n\"width.width\":300}}");
        var error = Assert.Throws<ConfigurationException>(() => PresetResolver.Resolve(preset, files.Directory));
        string line = Assert.Single(error.Problems);
        Assert.StartsWith($"{preset}: 2 problems: line 1: parameter 'comp.ratio'", line);
        Assert.Contains("line 2: parameter 'width.width'", line);
    }

    private static string PresetFor(string kind, FaultFiles files) => kind switch
    {
        "schema-string" => files.Text("s.json", "{\"schema\":\"1\",\"name\":\"x\"}"),
        "surrogate" => files.Text("u.json", "{\"schema\":1,\"name\":\"\\udc00\"}"),
        "typo" => files.Text("t.json", "{\"schema\":1,\"name\":\"x\",\"paramters\":{\"comp.ratio\":4}}"),
        "duplicate" => files.Text("d.json", "{\"schema\":1,\"name\":\"x\",\"parameters\":{\"comp.ratio\":2,\"comp.ratio\":4}}"),
        "fifo" => files.Fifo("f.json"),
        _ => kind,
    };
}
