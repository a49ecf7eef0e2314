using System.Text.Json;
using HardwareMaster.App.Assistant.Check;

namespace HardwareMaster.App.Tests.Assistant;

/// <summary><c>hardwaremaster check</c>: the JSON shape, the text report and the exit codes.</summary>
[Collection(nameof(ConsoleTests))]
public sealed class CheckCommandTests : IClassFixture<CheckMixes>
{
    private readonly CheckMixes _mixes;

    public CheckCommandTests(CheckMixes mixes)
    {
        _mixes = mixes;
    }

    [Fact]
    public void Check_Json_OneObjectPerFileWithEveryItem()
    {
        (int exitCode, string output, string error) = CliRunner.Run("check", _mixes.Clean, "--json");

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(_mixes.Clean, root.GetProperty("file").GetString());
        Assert.Equal("default", root.GetProperty("genre").GetString());
        JsonElement[] items = [.. root.GetProperty("items").EnumerateArray()];
        Assert.Equal(
            ["headroom", "clipping", "already_limited", "dc_offset", "correlation", "low_end_mono", "spectral_balance", "loudness_range", "format"],
            items.Select(i => i.GetProperty("id").GetString()));
        foreach (JsonElement item in items)
        {
            Assert.Equal("pass", item.GetProperty("verdict").GetString());
            Assert.Equal(JsonValueKind.Number, item.GetProperty("value").ValueKind);
            Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("reason").GetString()));
            Assert.Equal(JsonValueKind.String, item.GetProperty("unit").ValueKind);
            Assert.Equal(JsonValueKind.Object, item.GetProperty("metrics").ValueKind);
        }

        Assert.Equal(9, root.GetProperty("summary").GetProperty("pass").GetInt32());
        Assert.Equal(-5.8, items[0].GetProperty("value").GetDouble(), 0.5);
    }

    [Fact]
    public void Check_JsonWithSeveralFiles_IsAnArrayWithTheVerdictsOfEach()
    {
        (int exitCode, string output, _) = CliRunner.Run("check", _mixes.Clean, _mixes.Clipped, "--json");

        Assert.Equal(0, exitCode);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement[] files = [.. json.RootElement.EnumerateArray()];
        Assert.Equal([_mixes.Clean, _mixes.Clipped], files.Select(f => f.GetProperty("file").GetString()));
        string Verdict(JsonElement file, string id) => file.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id).GetProperty("verdict").GetString()!;
        Assert.Equal("pass", Verdict(files[0], "clipping"));
        Assert.Equal("fail", Verdict(files[1], "clipping"));
        Assert.True(files[1].GetProperty("summary").GetProperty("fail").GetInt32() > 0);
    }

    [Fact]
    public void Check_FailedItems_StillExitZero()
    {
        (int exitCode, string output, string error) = CliRunner.Run("check", _mixes.Clipped);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        Assert.Contains("FAIL  clipping", output);
        Assert.Contains("fix the failed items in the mix before mastering", output);
    }

    [Fact]
    public void Check_UnreadableFile_ExitsOneAndStillReportsTheOthers()
    {
        string broken = _mixes.PathOf("broken.wav");
        File.WriteAllText(broken, "this is not a wave file");

        (int exitCode, string output, string error) = CliRunner.Run("check", broken, _mixes.Hot, "--json");

        Assert.Equal(1, exitCode);
        string line = CliRunner.SingleLine(error);
        Assert.Contains(broken, line);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement hot = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(_mixes.Hot, hot.GetProperty("file").GetString());
        Assert.Equal("warn", hot.GetProperty("items")[0].GetProperty("verdict").GetString());
    }

    [Fact]
    public void Check_MissingFileInText_ExitsOneAndReportsTheOthers()
    {
        string missing = _mixes.PathOf("missing.wav");

        (int exitCode, string output, string error) = CliRunner.Run("check", _mixes.Muddy, missing);

        Assert.Equal(1, exitCode);
        Assert.Contains(missing, CliRunner.SingleLine(error));
        Assert.Contains("muddy 150–400 Hz", output);
    }

    [Fact]
    public void Check_UnknownGenre_IsAUsageErrorListingTheValidNames()
    {
        (int exitCode, string output, string error) = CliRunner.Run("check", _mixes.Clean, "--genre", "polka");

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        string line = CliRunner.SingleLine(error);
        Assert.Contains("'polka'", line);
        Assert.All(GenreProfile.All, genre => Assert.Contains(genre.Name, line));
    }

    [Fact]
    public void Check_GenreOption_ComparesWithThatGenre()
    {
        (int exitCode, string output, _) = CliRunner.Run("check", _mixes.Clean, "--genre", "edm-club", "--json");

        Assert.Equal(0, exitCode);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal("edm-club", json.RootElement.GetProperty("genre").GetString());
        JsonElement range = json.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "loudness_range");
        Assert.Equal("warn", range.GetProperty("verdict").GetString());
    }
}
