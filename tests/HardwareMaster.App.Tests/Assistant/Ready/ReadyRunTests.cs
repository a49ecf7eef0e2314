using System.Text.Json;
using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Assistant.Ready;

/// <summary>READY? end to end: the simulated box on a file that was bounced too hot.</summary>
[Collection(nameof(ConsoleTests))]
public sealed class ReadyRunTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Cli_SimulatedBoxOnAHotMix_ReadyPageFailsHeadroomAndClipping_InStatsJson()
    {
        const int rate = 48000;
        int frames = 4 * rate;
        float[] left = new float[frames], right = new float[frames];
        for (int n = 0; n < frames; n++)
        {
            left[n] = Math.Clamp((float)(1.8 * Math.Sin(2 * Math.PI * 220 * n / rate)), -1f, 1f);
            right[n] = Math.Clamp((float)(1.8 * Math.Sin((2 * Math.PI * 330 * n / rate) + 1)), -1f, 1f);
        }

        string mix = _files.PathOf("hot.wav");
        TestFiles.Write(mix, left, right, rate, SampleEncoding.Float32);
        string script = _files.PathOf("ready.txt");
        File.WriteAllText(script, "0.5 page ccw\n"); // MAIN wraps back to the last page, READY?
        string stats = _files.PathOf("stats.json");
        (int code, _, string error) = CliRunner.Run("run", "--simulate", "--device", "file:" + mix, "--output", _files.PathOf("out.wav"), "--rt-priority", "0", "--script", script, "--stats-json", stats);
        Assert.True(code == 0, error);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(stats));
        Assert.Equal("ready", json.RootElement.GetProperty("ui").GetProperty("page").GetString());
        JsonElement ready = json.RootElement.GetProperty("ready");
        // A file runs as fast as the CPU allows, so the worker may fall behind and drop blocks (never waited for): what
        // it heard plus what it dropped is all the audio of the run (it ends 2 s after the last gesture).
        double heard = ready.GetProperty("secondsHeard").GetDouble() + (ready.GetProperty("droppedFrames").GetInt64() / (double)rate);
        double audio = json.RootElement.GetProperty("audioSeconds").GetDouble();
        Assert.InRange(heard, audio - 0.01, audio + 0.01);
        Assert.True(ready.GetProperty("secondsHeard").GetDouble() > 0.5);
        Dictionary<string, string> verdicts = ready.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("verdict").GetString()!);
        Assert.Equal(["headroom", "clipping", "already_limited", "dc_offset", "correlation", "low_end_mono", "spectral_balance"], verdicts.Keys);
        Assert.Equal("fail", verdicts["headroom"]);
        Assert.Equal("fail", verdicts["clipping"]);
        Assert.Equal("pass", verdicts["dc_offset"]);
        Assert.Equal("standard", json.RootElement.GetProperty("protection").GetProperty("latencyMode").GetString());
    }
}
