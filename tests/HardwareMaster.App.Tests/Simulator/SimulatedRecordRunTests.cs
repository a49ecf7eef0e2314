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

        // A press takes effect at the audio frame it was made at (the gate holds the audio at each gesture), however far
        // the writer lags: take-0001 is the first second, take-0002 runs from 2.0 s to the end.
        string[] wavs = Directory.GetFiles(folder, "take-*.wav").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(new[] { "take-0001-input.wav", "take-0001-master.wav", "take-0002-input.wav", "take-0002-master.wav" }, wavs);
        Assert.Empty(Directory.GetFiles(folder, ".take-*.recording")); // every take was closed
        (float[] first, _) = TestFiles.Read(Path.Combine(folder, "take-0001-master.wav"));
        Assert.InRange(first.Length, 48000 - 1024, 48000 + 1024);
        (float[] second, _) = TestFiles.Read(Path.Combine(folder, "take-0002-input.wav"));
        (float[] output, _) = TestFiles.Read(_files.PathOf("rec.out.wav"));
        Assert.InRange(second.Length, output.Length - 96000 - 1024, output.Length - 96000 + 1024); // the rest of the run
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "take-0001.json")));
        Assert.Equal("stopped", report.RootElement.GetProperty("end_reason").GetString());
    }
}
