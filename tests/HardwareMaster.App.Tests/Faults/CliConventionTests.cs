using System.CommandLine;
using HardwareMaster.App.Tests.Rendering;

namespace HardwareMaster.App.Tests.Faults;

/// <summary>GNU-style usage errors: one line on stderr naming the bad argument plus "(see hardwaremaster VERB --help)", exit 2; --help on stdout, exit 0.</summary>
[Collection("ConsoleTests")]
public class CliConventionTests
{
    [Theory]
    [InlineData(new[] { "bogus" }, "hardwaremaster: unknown verb 'bogus' (see hardwaremaster --help)")]
    [InlineData(new string[0], "hardwaremaster: no verb given; one of: measure, render, check, match, album, demo, params, run, devices, selftest, remote, monitor-eq (see hardwaremaster --help)")]
    [InlineData(new[] { "measure" }, "hardwaremaster: measure: missing FILE (see hardwaremaster measure --help)")]
    [InlineData(new[] { "render", "in.wav" }, "hardwaremaster: render: missing OUT (see hardwaremaster render --help)")]
    [InlineData(new[] { "render", "in.wav", "out.wav", "extra" }, "hardwaremaster: render: unexpected argument 'extra' (see hardwaremaster render --help)")]
    [InlineData(new[] { "render", "in.wav", "out.wav", "--block", "abc" }, "hardwaremaster: render: --block: 'abc' is not an integer (see hardwaremaster render --help)")]
    [InlineData(new[] { "render", "in.wav", "out.wav", "--block" }, "hardwaremaster: render: --block needs a value (see hardwaremaster render --help)")]
    [InlineData(new[] { "run", "--rate", "fast" }, "hardwaremaster: run: --rate: 'fast' is not an integer (see hardwaremaster run --help)")]
    [InlineData(new[] { "demo", "--seconds", "x" }, "hardwaremaster: demo: --seconds: 'x' is not a number (see hardwaremaster demo --help)")]
    [InlineData(new[] { "params", "--nope" }, "hardwaremaster: params: unknown option '--nope' (see hardwaremaster params --help)")]
    [InlineData(new[] { "devices", "extra" }, "hardwaremaster: devices: unexpected argument 'extra' (see hardwaremaster devices --help)")]
    public void Run_UsageError_OneLineOnStderrExitTwo(string[] args, string expected)
    {
        (int code, string output, string error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Equal(expected, CliRunner.SingleLine(error));
    }

    [Theory]
    [InlineData("measure", "x.wav", "--bogus")]
    [InlineData("measure", "--bogus", "x.wav")]
    [InlineData("measure", "-q", "x.wav")]
    public void Measure_UnknownOption_IsAUsageErrorNotAFile(params string[] args)
    {
        (int code, _, string error) = CliRunner.Run(args);
        Assert.Equal(2, code);
        string bad = args.First(a => a.StartsWith('-'));
        Assert.Equal($"hardwaremaster: measure: unknown option '{bad}' (see hardwaremaster measure --help)", CliRunner.SingleLine(error));
    }

    [Fact]
    public void Render_UnknownOptionBeforeTheFiles_IsAUsageError()
    {
        (int code, _, string error) = CliRunner.Run("render", "--bogus", "in.wav", "out.wav");
        Assert.Equal(2, code);
        Assert.Equal("hardwaremaster: render: unknown option '--bogus' (see hardwaremaster render --help)", CliRunner.SingleLine(error));
    }

    [Fact]
    public void Measure_FileNamedLikeAnOptionAfterDoubleDash_IsAFile()
    {
        using var files = new TestFiles();
        string input = files.DemoMix("-dash.wav", seconds: 1);
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = files.Directory;
        try
        {
            (int code, string output, string error) = CliRunner.Run("measure", "--", "-dash.wav");
            Assert.True(code == 0, error);
            Assert.Contains("-dash.wav", output);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }

        Assert.True(File.Exists(input));
    }

    [Fact]
    public void Measure_AtSign_IsAFileNameNotAResponseFile()
    {
        (int code, _, string error) = CliRunner.Run("measure", "@/dev/zero");
        Assert.Equal(1, code);
        Assert.StartsWith("hardwaremaster: @/dev/zero: ", CliRunner.SingleLine(error));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("measure", "--help")]
    [InlineData("render", "--help")]
    [InlineData("run", "-h")]
    public void Run_Help_PrintsHelpOnStdoutExitZero(params string[] args)
    {
        (int code, string output, string error) = CliRunner.Run(args);
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output);
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public void Run_UnhandledExceptionInAVerb_OneLineExitSeventyNoStackTrace()
    {
        var verb = new Command("explode", "test verb");
        verb.SetAction(new Func<ParseResult, int>(_ => throw new InvalidOperationException("something broke\nsecond line")));
        string? debug = Environment.GetEnvironmentVariable("HM_DEBUG");
        Environment.SetEnvironmentVariable("HM_DEBUG", null);
        try
        {
            (int code, _, string error) = CliRunner.RunWith(verb, "explode");
            Assert.Equal(70, code);
            Assert.Equal("hardwaremaster: internal error: InvalidOperationException: something broke", CliRunner.SingleLine(error));
        }
        finally
        {
            Environment.SetEnvironmentVariable("HM_DEBUG", debug);
        }
    }

    [Fact]
    public void Run_UnhandledExceptionWithDebug_AddsTheStackTrace()
    {
        var verb = new Command("explode", "test verb");
        verb.SetAction(new Func<ParseResult, int>(_ => throw new InvalidOperationException("boom")));
        string? debug = Environment.GetEnvironmentVariable("HM_DEBUG");
        Environment.SetEnvironmentVariable("HM_DEBUG", "1");
        try
        {
            (int code, _, string error) = CliRunner.RunWith(verb, "explode");
            Assert.Equal(70, code);
            Assert.StartsWith("hardwaremaster: internal error: InvalidOperationException: boom", error);
            Assert.Contains("   at ", error);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HM_DEBUG", debug);
        }
    }
}
