using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;

namespace HardwareMaster.App.Tests.Presets;

public class PresetTests
{
    private static readonly ParameterRegistry Registry = ParameterRegistry.Chain;

    [Fact]
    public void FactoryPresets_AllGenresShipWithDescriptionsAndTargets()
    {
        var library = new PresetLibrary(Registry);
        var expected = new Dictionary<string, (double Min, double Max)>
        {
            ["streaming-pop-rock"] = (-14, -14),
            ["edm-club"] = (-10, -6),
            ["hip-hop"] = (-12, -8),
            ["acoustic-folk"] = (-18, -14),
            ["jazz-classical"] = (-18, -16),
            ["broadcast-r128"] = (-23, -23),
            ["podcast-speech"] = (-16, -16),
        };
        Assert.Equal(expected.Count, library.Factory.Count);
        foreach ((string name, (double min, double max)) in expected)
        {
            Assert.True(library.TryGetFactory(name, out Preset preset), name);
            Assert.False(string.IsNullOrWhiteSpace(preset.Description));
            Assert.DoesNotContain('\n', preset.Description);
            double target = preset.Values["target.lufs"];
            Assert.InRange(target, min, max);
            Assert.Equal(-1.0, preset.Values["limiter.ceiling"]);
        }

        Assert.True(library.TryGetFactory("edm-club", out Preset edm));
        Assert.True(edm.Values.IsOn("width.monobass"));
        Assert.True(edm.Values["comp.ratio"] > library.Factory.Single(p => p.Name == "acoustic-folk").Values["comp.ratio"]);
    }

    [Fact]
    public void Parse_EveryProblem_IsReportedWithIdValueAndRange()
    {
        const string json = """
            { "schema": 1, "name": "bad",
              "parameters": { "comp.ratio": 12, "eq.bell9.gain": 1, "comp.detector": "loud", "width.width": [1], "limiter.ceiling": -1 } }
            """;
        var error = Assert.Throws<PresetException>(() => PresetSerializer.Parse(json, "bad.json", Registry));
        Assert.Equal(4, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains("'comp.ratio' = 12 is outside 1..10 :1"));
        Assert.Contains(error.Problems, p => p.StartsWith("line 2: unknown parameter 'eq.bell9.gain'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("'comp.detector' = 'loud'") && p.Contains("peak|rms"));
        Assert.Contains(error.Problems, p => p.Contains("'width.width' has a array value"));
        Assert.StartsWith("bad.json: 4 problems", error.Message);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "top level must be a JSON object")]
    [InlineData("{\"name\":\"x\"}", "missing integer \"schema\"")]
    [InlineData("{\"schema\":2,\"name\":\"x\"}", "schema 2 is not supported")]
    [InlineData("{\"schema\":1}", "missing string \"name\"")]
    public void Parse_MalformedDocument_GivesOneClearProblem(string json, string expected)
    {
        var error = Assert.Throws<PresetException>(() => PresetSerializer.Parse(json, "p.json", Registry));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("p.json: ", error.Message);
    }

    [Fact]
    public void SerializeThenParse_RoundTripsEveryValue()
    {
        var values = new ParameterSet(Registry);
        values["comp.ratio"] = 3.5;
        values["comp.detector"] = 0;
        values["width.monobass"] = 1;
        values["eq.bell2.gain"] = -2.25;
        var saved = new Preset("mine", "my snapshot", values);

        Preset loaded = PresetSerializer.Parse(PresetSerializer.Serialize(saved), "mine.json", Registry);

        Assert.Equal("mine", loaded.Name);
        for (int i = 0; i < Registry.Count; i++)
        {
            Assert.Equal(values.Get(i), loaded.Values.Get(i), 6);
        }
    }

    [Fact]
    public void Save_WritesAtomicallyAndLeavesNoTemporaryFile()
    {
        string directory = Directory.CreateTempSubdirectory("hm-preset").FullName;
        try
        {
            string path = Path.Combine(directory, "user.json");
            File.WriteAllText(path, "old");
            var preset = new Preset("user", "u", new ParameterSet(Registry));
            PresetLibrary.Save(path, preset);
            Assert.Equal("user", new PresetLibrary(Registry).LoadFile(path).Name);
            Assert.Single(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [Fact]
    public void LoadFile_Missing_SaysFileNotFound()
    {
        var error = Assert.Throws<PresetException>(() => new PresetLibrary(Registry).LoadFile("/nonexistent/p.json"));
        Assert.Equal("/nonexistent/p.json: file not found", error.Message);
    }
}
