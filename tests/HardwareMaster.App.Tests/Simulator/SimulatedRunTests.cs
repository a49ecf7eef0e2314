using System.Text.Json;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Simulator;
using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Tests.Simulator;

/// <summary>
/// Scripted sessions of <c>run --simulate</c> over a file device (deterministic: the device waits at each gesture):
/// a knob turn changes the right parameter and the output; the buttons, the LEDs and the parameters in stats-json;
/// a failing or missing display never changes the audio; snapshots. Redirects the Console, so serial.
/// </summary>
[Collection(nameof(ConsoleTests))]
public sealed class SimulatedRunTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Script_ValueTurnOnWidth_SetsTheParameterAndTheEngineHearsIt()
    {
        string mix = _files.DemoMix("mix.wav", seconds: 4);
        int width = ParameterRegistry.Chain.IndexOf("width.width");
        Run turned = await RunAsync(mix, $"0.5 param cw {width}\n1.0 value cw 50\n", "turned");
        Run still = await RunAsync(mix, $"0.5 param cw {width}\n1.0 page ccw\n", "still"); // same length, no edit

        Assert.Equal(0, turned.Code);
        Assert.Equal(0, still.Code);
        Assert.Equal(150, turned.Parameters["width.width"]);
        Assert.Equal(100, still.Parameters["width.width"]);
        Assert.Equal(turned.Blocks, still.Blocks);

        (float[] l1, float[] r1) = TestFiles.Read(turned.Output);
        (float[] l2, float[] r2) = TestFiles.Read(still.Output);
        int change = 48000; // the gesture at 1.0 s lands on the block starting there (output aligned with the input)
        Assert.True(l1.AsSpan(0, change - 64).SequenceEqual(l2.AsSpan(0, change - 64)), "before the turn the outputs are identical");
        double sideTurned = SideDb(l1, r1, change + 4800, l1.Length - 480);
        double sideStill = SideDb(l2, r2, change + 4800, l2.Length - 480);
        Assert.True(sideTurned - sideStill > 2, $"width 150 % must raise the side signal (got {sideTurned:0.00} vs {sideStill:0.00} dB)");
    }

    [Fact]
    public async Task Script_StageButtonsAndBypass_LedsAndParametersInStatsJson()
    {
        string mix = _files.DemoMix("mix.wav", seconds: 3);
        Run pressed = await RunAsync(mix, "0.2 eq press\n0.3 limit press\n0.4 bypass press\n", "pressed");
        Assert.Equal(0, pressed.Code);
        Assert.Equal(1, pressed.Parameters["eq.bypass"]);
        Assert.Equal(1, pressed.Parameters["limiter.bypass"]);
        Assert.Equal(0, pressed.Parameters["comp.bypass"]);
        JsonElement leds = pressed.Ui.GetProperty("leds");
        Assert.False(leds.GetProperty("eq").GetBoolean());
        Assert.False(leds.GetProperty("limit").GetBoolean());
        Assert.True(leds.GetProperty("comp").GetBoolean());
        Assert.True(leds.GetProperty("bypass").GetBoolean());
        Assert.True(pressed.Ui.TryGetProperty("bypass_match_db", out _));
        Assert.Equal("main", pressed.Ui.GetProperty("page").GetString());
        Assert.Equal(3, pressed.Ui.GetProperty("scriptSteps").GetInt32());

        Run twice = await RunAsync(mix, "0.2 eq press 2\n0.3 limit press\n0.4 limit press\n", "twice");
        Assert.Equal(0, twice.Parameters["eq.bypass"]);
        Assert.Equal(0, twice.Parameters["limiter.bypass"]);
        Assert.True(twice.Ui.GetProperty("leds").GetProperty("eq").GetBoolean());
        Assert.True(twice.Ui.GetProperty("leds").GetProperty("limit").GetBoolean());
        Assert.False(twice.Ui.GetProperty("leds").GetProperty("bypass").GetBoolean());
    }

    [Fact]
    public async Task Display_BusErrorsOrMissing_AudioIdenticalAndComplete()
    {
        string mix = _files.DemoMix("mix.wav", seconds: 3);
        const string script = "0.1 page cw\n0.3 value cw 3\n0.5 eq press\n0.7 page ccw\n";
        Run healthy = await RunAsync(mix, script, "healthy");
        var flaky = new RecordingI2cDevice { IsRecording = false };
        flaky.FailWriteAfter(12); // part-way through the first frames
        Run failing = await RunAsync(mix, script, "failing", box => box with { DisplayDevice = flaky });
        Run missing = await RunAsync(mix, script, "missing", box => box with { DisplayDevice = new RecordingI2cDevice { IsPresent = false } });

        foreach (Run run in new[] { healthy, failing, missing })
        {
            Assert.Equal(0, run.Code);
            Assert.Equal("completed", run.FinalState);
            Assert.Equal(healthy.Blocks, run.Blocks);
            Assert.Equal(4, run.Ui.GetProperty("scriptSteps").GetInt32());
        }

        Assert.Equal(0, healthy.Ui.GetProperty("displayFailures").GetInt64());
        Assert.True(failing.Ui.GetProperty("displayFailures").GetInt64() >= 1);
        Assert.True(failing.Ui.GetProperty("displayFrames").GetInt64() >= 1, "the display came back after the bus error");
        Assert.True(missing.Ui.GetProperty("displayFailures").GetInt64() >= 1);
        Assert.Equal(0, missing.Ui.GetProperty("displayFrames").GetInt64());
        Assert.Equal(0, missing.Ui.GetProperty("displayBytes").GetInt64());
        Assert.True(healthy.Ui.GetProperty("displayBytes").GetInt64() > 0);
        Assert.Equal(File.ReadAllBytes(healthy.Output), File.ReadAllBytes(failing.Output));
        Assert.Equal(File.ReadAllBytes(healthy.Output), File.ReadAllBytes(missing.Output));
    }

    [Fact]
    public async Task SnapshotDir_WritesEachNewScreenAsNumberedPng()
    {
        string mix = _files.DemoMix("mix.wav", seconds: 3);
        string dir = _files.PathOf("snaps");
        Run run = await RunAsync(mix, "0.2 page cw\n0.4 value cw\n0.6 page ccw\n", "snap", snapshots: dir);

        Assert.Equal(0, run.Code);
        string[] pngs = Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        int written = run.Ui.GetProperty("snapshots").GetInt32();
        Assert.True(written >= 3, $"at least the three screens the script shows ({written})");
        Assert.Equal(Enumerable.Range(1, written).Select(n => $"screen-{n:00000}.png"), pngs); // no temporary left behind
        foreach (string png in pngs)
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(dir, png));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }

        Assert.False(File.ReadAllBytes(Path.Combine(dir, pngs[0])).SequenceEqual(File.ReadAllBytes(Path.Combine(dir, pngs[1]))));
    }

    [Fact]
    public async Task NoScriptNoTerminal_PlaysTheTourAndEnds()
    {
        string mix = _files.DemoMix("long.wav", seconds: BoxScript.Tour.EndSeconds + 4);
        Run run = await RunAsync(mix, null, "tour");
        Assert.Equal(0, run.Code);
        Assert.Equal(BoxScript.Tour.Steps.Count, run.Ui.GetProperty("scriptSteps").GetInt32());
        Assert.Equal(BoxScript.Tour.EndSeconds + BoxRequest.HoldSeconds, run.AudioSeconds, 2);
    }

    [Fact]
    public void Cli_RealFaceScript_WidthPageEditAndGlobalBypassReachTheEngine()
    {
        string mix = _files.DemoMix("mix.wav", seconds: 4);
        (JsonElement edited, string editedOut) = RunCli(mix, "edited", "0.2 page cw 4\n0.3 param cw\n0.5 value cw 10\n1.0 bypass press\n");
        (JsonElement plain, string plainOut) = RunCli(mix, "plain", "0.2 page cw 4\n0.3 param cw\n1.0 param cw\n"); // same length, no edit, no bypass

        Assert.Equal("width", edited.GetProperty("ui").GetProperty("page").GetString());
        Assert.True(edited.GetProperty("parameters").GetProperty("width.width").GetDouble() > 100);
        Assert.Equal(100, plain.GetProperty("parameters").GetProperty("width.width").GetDouble());
        Assert.True(edited.GetProperty("ui").GetProperty("leds").GetProperty("bypass").GetBoolean());
        Assert.False(plain.GetProperty("ui").GetProperty("leds").GetProperty("bypass").GetBoolean());
        Assert.Equal(JsonValueKind.Number, edited.GetProperty("ui").GetProperty("bypass_match_db").ValueKind);
        Assert.Equal(plain.GetProperty("blocks").GetInt64(), edited.GetProperty("blocks").GetInt64());

        (float[] l1, float[] r1) = TestFiles.Read(editedOut);
        (float[] l2, float[] r2) = TestFiles.Read(plainOut);
        int turn = 24000; // 0.5 s
        Assert.True(l1.AsSpan(0, turn - 64).SequenceEqual(l2.AsSpan(0, turn - 64)), "identical until the value turn");
        double sideEdited = SideDb(l1, r1, turn + 2400, 48000 - 480);
        double sidePlain = SideDb(l2, r2, turn + 2400, 48000 - 480);
        Assert.True(sideEdited - sidePlain > 0.5, $"a wider image has more side signal ({sideEdited:0.00} vs {sidePlain:0.00} dB)");
        Assert.False(l1.AsSpan(48000 + 4800).SequenceEqual(l2.AsSpan(48000 + 4800)), "the global bypass changes the output");
    }

    [Fact]
    public void Cli_RealFaceTour_VisitsEveryPageAndEndsOnMain()
    {
        string mix = _files.DemoMix("long.wav", seconds: BoxScript.Tour.EndSeconds + 3);
        string stats = _files.PathOf("tour.json");
        (int code, _, string error) = CliRunner.Run("run", "--simulate", "--device", "file:" + mix, "--output", _files.PathOf("tour.wav"), "--rt-priority", "0", "--stats-json", stats);
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(stats));
        JsonElement ui = json.RootElement.GetProperty("ui");
        string[] visited = ui.GetProperty("pagesVisited").EnumerateArray().Select(p => p.GetString()!).ToArray();
        Assert.Equal(new[] { "main", "loudness", "eq", "comp", "width", "limiter", "target", "presets", "system" }, visited);
        Assert.Equal("main", ui.GetProperty("page").GetString());
        Assert.Equal(0, ui.GetProperty("uiFailures").GetInt64());
    }

    [Fact]
    public void Cli_SimulatedWithoutGestures_OutputBitIdenticalToPlainRun()
    {
        string mix = _files.DemoMix("mix.wav", seconds: 3);
        string script = _files.PathOf("empty.script");
        File.WriteAllText(script, "# nothing to do\n");
        string simulated = _files.PathOf("simulated.wav");
        string plain = _files.PathOf("plain.wav");
        (int code, _, string error) = CliRunner.Run("run", "--simulate", "--device", "file:" + mix, "--output", simulated, "--rt-priority", "0", "--script", script);
        Assert.True(code == 0, error);
        (code, _, error) = CliRunner.Run("run", "--device", "file:" + mix, "--output", plain, "--rt-priority", "0", "--duration", BoxRequest.HoldSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(simulated)); // the simulator's device wrapper is transparent
    }

    [Fact]
    public void Cli_ScriptWithoutSimulate_IsAUsageError()
    {
        (int code, _, string error) = CliRunner.Run("run", "--device", "gen:silence", "--script", "s.txt");
        Assert.Equal(2, code);
        Assert.Contains("--script needs --simulate or --box", CliRunner.SingleLine(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_BadScriptLine_OneLineNamingFileAndLine()
    {
        string script = _files.PathOf("bad.txt");
        File.WriteAllText(script, "0.5 page cw\n1.0 knob cw\n");
        (int code, _, string error) = CliRunner.Run("run", "--simulate", "--device", "gen:silence", "--script", script);
        Assert.Equal(2, code);
        Assert.StartsWith($"hardwaremaster: {script}:2: unknown control 'knob'", CliRunner.SingleLine(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_MissingScriptOrSnapshotDirIsAFile_OneLine()
    {
        string missing = _files.PathOf("nope.txt");
        (int code, _, string error) = CliRunner.Run("run", "--simulate", "--device", "gen:silence", "--script", missing);
        Assert.Equal(2, code);
        Assert.Contains($"--script {missing}: cannot read it: no such file", CliRunner.SingleLine(error), StringComparison.Ordinal);

        string file = _files.PathOf("afile");
        File.WriteAllText(file, "x");
        (code, _, error) = CliRunner.Run("run", "--simulate", "--device", "gen:silence", "--snapshot-dir", file);
        Assert.Equal(2, code);
        Assert.Contains($"--snapshot-dir {file}: is a file, not a folder", CliRunner.SingleLine(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_BoxProfileProblems_OneLineExitTwo()
    {
        (int code, _, string error) = CliRunner.Run("run", "--simulate", "--box", "no-such-board", "--device", "gen:silence");
        Assert.Equal(2, code);
        Assert.Contains("--box no-such-board: no such shipped profile", CliRunner.SingleLine(error), StringComparison.Ordinal);

        string profile = _files.PathOf("profile.json");
        File.WriteAllText(profile, "{ \"encoders\": 3 }");
        (code, _, error) = CliRunner.Run("run", "--box", profile, "--device", "gen:silence");
        Assert.Equal(2, code);
        string line = CliRunner.SingleLine(error);
        Assert.StartsWith("hardwaremaster: --box", line, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, System.Text.RegularExpressions.Regex.Escape(profile))); // named once

        (code, _, error) = CliRunner.Run("run", "--box", "default", "--script", "s.txt", "--device", "gen:silence");
        Assert.Equal(2, code);
        Assert.Contains("--script needs --simulate", CliRunner.SingleLine(error), StringComparison.Ordinal);
    }

    private (JsonElement Stats, string Output) RunCli(string input, string name, string script)
    {
        string scriptPath = _files.PathOf(name + ".script");
        File.WriteAllText(scriptPath, script);
        string output = _files.PathOf(name + ".out.wav");
        string stats = _files.PathOf(name + ".stats.json");
        (int code, _, string error) = CliRunner.Run("run", "--simulate", "--device", "file:" + input, "--output", output, "--rt-priority", "0", "--script", scriptPath, "--stats-json", stats);
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(stats));
        return (json.RootElement.Clone(), output);
    }

    private static double SideDb(float[] left, float[] right, int from, int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++)
        {
            double side = (left[i] - right[i]) * 0.5;
            sum += side * side;
        }

        return 10 * Math.Log10(sum / (to - from) + 1e-30);
    }

    private async Task<Run> RunAsync(string input, string? script, string name, Func<BoxRequest, BoxRequest>? tweak = null, string? snapshots = null)
    {
        string? scriptPath = null;
        if (script is not null)
        {
            scriptPath = _files.PathOf(name + ".script");
            File.WriteAllText(scriptPath, script);
        }

        string output = _files.PathOf(name + ".out.wav");
        string stats = _files.PathOf(name + ".stats.json");
        RunRequest? request = RunCommand.Build(
            null,
            new RunConfigurationOverrides("file:" + input, output, null, null, null, 0, null),
            null,
            stats,
            0,
            out IReadOnlyList<string> problems,
            simulate: new SimulateOptions(true, scriptPath, snapshots, null, Interactive: false));
        Assert.Empty(problems);
        BoxRequest box = request!.Box! with { FaceFactory = context => new PlaceholderFace(context.Backend) };
        request = request with { Box = tweak is null ? box : tweak(box) };
        (int code, _, string error) = await CliRunner.CaptureAsync(() => RunHost.RunAsync(request, logging => logging.ClearProviders()).WaitAsync(Patience));
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(stats));
        JsonElement root = json.RootElement;
        var parameters = root.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        return new Run(code, output, root.GetProperty("blocks").GetInt64(), root.GetProperty("audioSeconds").GetDouble(), root.GetProperty("finalState").GetString()!, parameters, root.GetProperty("ui").Clone());
    }

    private sealed record Run(int Code, string Output, long Blocks, double AudioSeconds, string FinalState, Dictionary<string, double> Parameters, JsonElement Ui);
}
