namespace HardwareMaster.App.Tests.Host;

public class BoxProfileNameTests
{
    [Fact]
    public void Cli_BoxUnknownShippedName_OneLineExitTwo()
    {
        (int code, _, string error) = CliRunner.Run("run", "--box", "no-such-board", "--device", "gen:silence");
        Assert.Equal(2, code);
        Assert.Contains("--box no-such-board: no such shipped profile", CliRunner.SingleLine(error), StringComparison.Ordinal);
    }
}
