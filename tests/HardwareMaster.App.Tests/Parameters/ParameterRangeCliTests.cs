using HardwareMaster.App.Tests.Rendering;

namespace HardwareMaster.App.Tests.Parameters;

/// <summary>The derived ranges as the CLI shows and enforces them (the CLI redirects Console: never in parallel with the other console tests).</summary>
[Collection(nameof(ConsoleTests))]
public class ParameterRangeCliTests
{
    [Fact]
    public void Render_SidechainHighPassBelowTheCompressorsRange_RejectedUpFrontWithExit2()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        string output = files.PathOf("out.wav");

        (int code, string text, string error) = CliRunner.Run("render", input, output, "--set", "comp.schpf=15");

        Assert.Equal(2, code);
        string line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Equal("hardwaremaster: --set: parameter 'comp.schpf' = 15 is outside 20..500 Hz", line.TrimEnd());
        Assert.DoesNotContain("   at ", text + error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Render_SidechainHighPassAtTheBottomOfItsRange_Renders()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        string output = files.PathOf("out.wav");

        (int code, _, string error) = CliRunner.Run("render", input, output, "--set", "comp.schpf=20");

        Assert.True(code == 0, error);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void Params_SidechainHighPass_ShowsTheCompressorsRange()
    {
        (int code, string text, string error) = CliRunner.Run("params");

        Assert.True(code == 0, error);
        string line = Assert.Single(text.Split('\n'), l => l.StartsWith("comp.schpf ", StringComparison.Ordinal));
        Assert.Contains("20..500 Hz", line);
    }
}
