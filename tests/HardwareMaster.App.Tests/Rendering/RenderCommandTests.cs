using HardwareMaster.App.Commands;

namespace HardwareMaster.App.Tests.Rendering;

[Collection(nameof(ConsoleTests))]
public class RenderCommandTests
{
    [Fact]
    public void Render_ValidArguments_WritesMasterAndReportsLoudness()
    {
        using var files = new TestFiles();
        string input = files.DemoMix();
        string output = files.PathOf("master.wav");

        (int code, string text, string error) = CliRunner.Run("render", input, output, "--preset", "broadcast-r128", "--bits", "16", "--set", "eq.bell2.gain=+1.5");

        Assert.True(code == 0, error);
        Assert.Contains("Target          -23.0 LUFS, ceiling -1.0 dBTP", text);
        Assert.Contains("Limiter GR", text);
        Assert.True(File.Exists(output));
        Assert.Empty(Directory.GetFiles(files.Directory, ".*part*"));
        (var format, var report) = MeasureCommand.Measure(output);
        Assert.Equal(HardwareMaster.Hal.AudioFiles.SampleEncoding.Pcm16, format.Encoding);
        Assert.InRange(report.IntegratedLufs!.Value, -23.5, -22.5);
    }

    [Theory]
    [InlineData("--preset", "nope", "unknown preset 'nope'")]
    [InlineData("--set", "comp.ratio=50", "--set: parameter 'comp.ratio' = 50 is outside 1..10 :1")]
    [InlineData("--set", "eq.bell7.gain=1", "--set: unknown parameter 'eq.bell7.gain'")]
    [InlineData("--set", "comp.ratio", "must look like ID=VALUE")]
    [InlineData("--target", "loud", "--target 'loud' is neither")]
    [InlineData("--target", "-50", "--target -50 LUFS is outside -36..-5 LUFS")]
    [InlineData("--ceiling", "+2", "--ceiling: parameter 'limiter.ceiling' = 2 is outside -10..0 dBTP")]
    [InlineData("--bits", "20", "--bits '20' must be 16, 24 or 32f")]
    [InlineData("--block", "0", "--block 0 is outside 1..65536")]
    public void Render_BadArgument_OneClearErrorLineAndNonZeroExit(string option, string value, string expected)
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        (int code, _, string error) = CliRunner.Run("render", input, files.PathOf("out.wav"), option, value);
        Assert.NotEqual(0, code);
        string line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("hardwaremaster: ", line);
        Assert.Contains(expected, line);
        Assert.False(File.Exists(files.PathOf("out.wav")));
    }

    [Fact]
    public void Render_OutputIsTheInput_Refuses()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        long before = new FileInfo(input).Length;
        (int code, _, string error) = CliRunner.Run("render", input, input);
        Assert.NotEqual(0, code);
        Assert.Contains("refusing to overwrite the input file", error);
        Assert.Equal(before, new FileInfo(input).Length);
    }

    [Fact]
    public void Render_BadPresetFile_ReportsEveryProblem()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 1);
        string preset = files.PathOf("p.json");
        File.WriteAllText(preset, "{\"schema\":1,\"name\":\"p\",\"parameters\":{\"comp.ratio\":0,\"width.width\":300}}");
        (int code, _, string error) = CliRunner.Run("render", input, files.PathOf("out.wav"), "--preset-file", preset);
        Assert.NotEqual(0, code);
        Assert.Contains("2 problems", error);
        Assert.Contains("'comp.ratio' = 0 is outside 1..10", error);
        Assert.Contains("'width.width' = 300 is outside 0..200 %", error);
    }

    [Fact]
    public void Render_UnreadableInputOrUnwritableOutput_OneErrorLine()
    {
        using var files = new TestFiles();
        (int code, _, string error) = CliRunner.Run("render", files.PathOf("missing.wav"), files.PathOf("out.wav"));
        Assert.Equal(1, code);
        Assert.Equal($"hardwaremaster: {files.PathOf("missing.wav")}: file not found", error.Trim());

        string input = files.DemoMix(seconds: 1);
        (code, _, error) = CliRunner.Run("render", input, "/nonexistent-dir/out.wav");
        Assert.NotEqual(0, code);
        Assert.Contains("/nonexistent-dir/out.wav: directory /nonexistent-dir does not exist", error);

        (code, _, error) = CliRunner.Run("render", input, files.PathOf("out.mp3"));
        Assert.NotEqual(0, code);
        Assert.Contains("out.mp3", error);
    }

    [Fact]
    public void Measure_GoodAndBadFiles_MeasuresGoodOnesAndExitsOne()
    {
        using var files = new TestFiles();
        string good = files.DemoMix(seconds: 2);
        string bad = files.PathOf("bad.wav");
        File.WriteAllBytes(bad, [0x52, 0x49, 0x46, 0x46, 1, 2]);
        (int code, string text, string error) = CliRunner.Run("measure", good, bad);
        Assert.Equal(1, code);
        Assert.Matches(@"Integrated\s+-\d+\.\d LUFS", text);
        string line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith($"hardwaremaster: {bad}: ", line);
    }
}
