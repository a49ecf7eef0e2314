using System.Text.Json;
using HardwareMaster.App.Tests.Rendering;

namespace HardwareMaster.App.Tests.Simulator;

/// <summary>
/// <c>run --simulate --record DIR --script</c> with the real face: the script's <c>rec press</c> ends the take the run
/// started, a second one starts the next; the REC page is reachable and the REC LED is in stats-json. Serial (Console).
/// </summary>
[Collection(nameof(ConsoleTests))]
public sealed class SimulatedRecordRunTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Cli_RecPress_StopsAndStartsTakes_TheFilesExistAndOpen()
    {
        string mix = _files.DemoMix("mix.wav", seconds: 5);
        string folder = _files.PathOf("takes");
        Directory.CreateDirectory(folder);
        string script = _files.PathOf("rec.script");
        File.WriteAllText(script, "0.5 page ccw\n1.0 rec press\n2.0 rec press\n");
        string stats = _files.PathOf("rec.stats.json");
        (int code, _, string error) = CliRunner.Run("run", "--simulate", "--device", "file:" + mix, "--output", _files.PathOf("rec.out.wav"), "--rt-priority", "0", "--record", folder, "--script", script, "--stats-json", stats);
        Assert.True(code == 0, error);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(stats));
        JsonElement ui = json.RootElement.GetProperty("ui");
        Assert.Equal("rec", ui.GetProperty("page").GetString()); // page ccw from MAIN wraps to REC, the last page
        Assert.True(ui.GetProperty("leds").GetProperty("rec").ValueKind is JsonValueKind.True or JsonValueKind.False); // the REC LED is reported
        double audioSeconds = json.RootElement.GetProperty("audioSeconds").GetDouble();

        // The writer thread acts on a press when it next wakes, so which take a press hits depends on scheduling; what
        // does not: take-0001 exists, is closed, opens, and is shorter than the run because a press stopped it (or,
        // when the first press came before its first block, the second one started it late).
        string[] wavs = Directory.GetFiles(folder, "take-*.wav").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Contains("take-0001-input.wav", wavs);
        Assert.Contains("take-0001-master.wav", wavs);
        Assert.Empty(Directory.GetFiles(folder, ".take-*.recording")); // every take was closed
        foreach (string wav in wavs)
        {
            (float[] left, _) = TestFiles.Read(Path.Combine(folder, wav));
            Assert.True(left.Length > 0, $"{wav} holds audio");
        }

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "take-0001.json")));
        double seconds = report.RootElement.GetProperty("duration_s").GetDouble();
        Assert.True(seconds > 0 && seconds < audioSeconds - 1.5, $"take-0001 lasts {seconds:0.00} s of a {audioSeconds:0.00} s run: a rec press cut it");
        if (wavs.Contains("take-0002-master.wav"))
        {
            Assert.Equal("stopped", report.RootElement.GetProperty("end_reason").GetString());
        }
    }
}
