namespace HardwareMaster.App.Tests.Host;

/// <summary><c>run --box</c> with a profile whose pot names no registry parameter: one line naming the file and JSON path, exit 2.</summary>
public sealed class PotProfileCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hm-pot-cli").FullName;

    [Fact]
    public void Cli_BoxPotOnUnknownParameter_OneLineExitTwo()
    {
        string profile = Path.Combine(_folder, "pots.json");
        File.WriteAllText(profile, """{ "pots": [ { "name": "gain", "parameter": "no.such.knob", "channel": 0 } ] }""");
        (int code, _, string error) = CliRunner.Run("run", "--box", profile, "--device", "gen:silence");
        Assert.Equal(2, code);
        string line = CliRunner.SingleLine(error);
        Assert.Contains($"--box {profile}: $.pots[0].parameter: no parameter \"no.such.knob\"", line, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
