using System.Globalization;
using System.Text.Json;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Rendering;
using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Reports;

/// <summary>The render report says only what is so: no GR for bypassed stages, clipping and missed targets said, the render reproducible from it.</summary>
[Collection(nameof(ConsoleTests))]
public class HonestReportTests
{
    private const int Rate = 48000;

    private static JsonElement RenderJson(params string[] args)
    {
        (int code, string text, string error) = CliRunner.Run(["render", .. args, "--json"]);
        Assert.True(code == 0, error);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string[] Warnings(JsonElement json) => json.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray();

    // The demo mix times `gain`; with `varied`, its first half 8 dB quieter (a clean input with a real loudness range).
    private static string Scaled(TestFiles files, string name, double seconds, double gain, bool varied = false)
    {
        var left = new float[(int)(seconds * Rate)];
        var right = new float[left.Length];
        HardwareMaster.Hal.Audio.Generators.DemoMix.Render(left, right, 0, Rate);
        for (int i = 0; i < left.Length; i++)
        {
            float g = (float)(varied && i < left.Length / 2 ? 0.4 * gain : gain);
            left[i] *= g;
            right[i] *= g;
        }

        string path = files.PathOf(name);
        TestFiles.Write(path, left, right, Rate, SampleEncoding.Float32);
        return path;
    }

    [Fact]
    public void Render_JazzClassicalCompressorBypassed_ReportsBypassedNotGainReduction()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 4);

        (int code, string text, string error) = CliRunner.Run("render", input, files.PathOf("a.wav"), "--preset", "jazz-classical");
        Assert.True(code == 0, error);
        Assert.Contains("  Compressor GR   bypassed\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Matches(@"Limiter GR      max \d", text);

        JsonElement json = RenderJson(input, files.PathOf("b.wav"), "--preset", "jazz-classical");
        Assert.Equal(JsonValueKind.Null, json.GetProperty("compressor_gr").ValueKind);
        Assert.True(json.GetProperty("compressor_bypassed").GetBoolean());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("limiter_gr").ValueKind);
        Assert.False(json.GetProperty("limiter_bypassed").GetBoolean());
    }

    [Fact]
    public void Render_StagesRunning_ReportGainReductionNumbers()
    {
        using var files = new TestFiles();
        JsonElement json = RenderJson(files.DemoMix(seconds: 4), files.PathOf("a.wav"), "--preset", "streaming-pop-rock");
        Assert.Equal(JsonValueKind.Object, json.GetProperty("compressor_gr").ValueKind);
        Assert.False(json.GetProperty("compressor_bypassed").GetBoolean());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("limiter_gr").ValueKind);
    }

    [Fact]
    public void Render_LimiterBypassedAndHot_NoLimiterGrAndWarnsThatTheMasterClips()
    {
        using var files = new TestFiles();
        string output = files.PathOf("hot.wav");
        JsonElement json = RenderJson(files.DemoMix(seconds: 4), output, "--target", "-8", "--set", "limiter.bypass=on");

        Assert.Equal(JsonValueKind.Null, json.GetProperty("limiter_gr").ValueKind);
        Assert.True(json.GetProperty("limiter_bypassed").GetBoolean());
        (float[] l, float[] r) = TestFiles.Read(output);
        Assert.Contains(l.Concat(r), v => Math.Abs(v) >= SignalHealth.FullScale); // the 24-bit file really clips
        long clipped = json.GetProperty("output_meters").GetProperty("signal").GetProperty("zero_dbfs_samples").GetInt64();
        Assert.True(clipped > 0);
        Assert.Contains(Warnings(json), w => w.StartsWith($"the master clips: {clipped} output samples at or over 0 dBFS", StringComparison.Ordinal));
        Assert.Contains(Warnings(json), w => w.Contains("ceiling is not held (limiter.bypass is on)", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_CleanMaster_NoRenderWarnings()
    {
        using var files = new TestFiles();
        JsonElement json = RenderJson(Scaled(files, "varied.wav", 10, 1.0, varied: true), files.PathOf("a.wav"), "--target", "-14");
        Assert.Empty(Warnings(json));
        Assert.Equal(0, json.GetProperty("output_meters").GetProperty("signal").GetProperty("zero_dbfs_samples").GetInt64());
    }

    [Fact]
    public void Render_TargetJustOutOfTheGainRange_SaysSoWithTheAchievedLoudness()
    {
        // Every stage but the loudness gain off: the master is the input + the gain, and the gain stops at +24 dB, so an
        // input at -38.3 LUFS lands about 0.3 LU under a -14 LUFS target (inside the old 0.5 LU silence).
        using var files = new TestFiles();
        string probe = Scaled(files, "probe.wav", 4, 1.0);
        double probeLufs = MeasureCommand.Measure(probe).Report.IntegratedLufs!.Value;
        string input = Scaled(files, "quiet.wav", 4, Math.Pow(10, (-38.3 - probeLufs) / 20));
        var values = new ParameterSet(ParameterRegistry.Chain);
        foreach (string id in new[] { ParameterIds.HpfBypass, ParameterIds.EqBypass, ParameterIds.CompBypass, ParameterIds.WidthBypass })
        {
            values[id] = 1;
        }

        RenderResult result = OfflineRenderer.Render(new RenderRequest(input, files.PathOf("out.wav"), values, -14));

        double achieved = result.Output.IntegratedLufs!.Value;
        Assert.InRange(-14 - achieved, 0.21, 0.49);
        Assert.Contains(result.Warnings, w => w.StartsWith(
            FormattableString.Invariant($"target -14.0 LUFS not reached: the master is {achieved:0.00} LUFS ({achieved + 14:+0.00;-0.00} LU) after {result.Passes} passes"),
            StringComparison.Ordinal));
    }

    [Fact]
    public void Render_LimitingOverTheAllowanceOnTheFinalPass_WarnsWithTheAchievedLoudness()
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("dyn.wav", 8, Rate);
        var values = new ParameterSet(ParameterRegistry.Chain);

        // The back-off converges within its passes (RenderPassTests); the final-pass warning is for when the passes run
        // out first, so this flow allows one writing pass only.
        RenderResult crushed;
        OfflineRenderer.MaxWritePasses = 1;
        try
        {
            crushed = OfflineRenderer.Render(new RenderRequest(input, files.PathOf("a.wav"), values, -5, MaxLimitingLu: 1.0));
        }
        finally
        {
            OfflineRenderer.MaxWritePasses = 5;
        }

        RenderResult gentle = OfflineRenderer.Render(new RenderRequest(files.DemoMix(seconds: 4), files.PathOf("b.wav"), values, -14));

        double achieved = crushed.Output.IntegratedLufs!.Value;
        string final = Assert.Single(crushed.Warnings, w => w.StartsWith("the limiter took away ", StringComparison.Ordinal));
        Assert.Contains("on the final pass (more than the 1.0 LU allowed by --max-limiting)", final, StringComparison.Ordinal);
        Assert.EndsWith(FormattableString.Invariant($"the master is {achieved:0.00} LUFS"), final, StringComparison.Ordinal);
        Assert.DoesNotContain(gentle.Warnings, w => w.StartsWith("the limiter took away ", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_DrivenHard_HeavyLimitingAndPlrDropWarnedOnlyWhenTheyHappen()
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("dyn.wav", 8, Rate);
        var values = new ParameterSet(ParameterRegistry.Chain);

        RenderResult hard = OfflineRenderer.Render(new RenderRequest(input, files.PathOf("a.wav"), values, -6, MaxLimitingLu: 20));
        RenderResult gentle = OfflineRenderer.Render(new RenderRequest(input, files.PathOf("b.wav"), values, -20, MaxLimitingLu: 20));

        double peak = hard.Limiter!.Value.MaxDb;
        Assert.True(peak > HardwareMaster.App.Reports.SignalWarnings.HeavyLimitingDb, $"limiter peak {peak}");
        Assert.Contains(FormattableString.Invariant($"heavy limiting: up to {peak:0.0} dB of limiter gain reduction (> 6 dB)"), hard.Warnings);
        double drop = hard.Input.PlrDb!.Value - hard.Output.PlrDb!.Value;
        Assert.True(drop > HardwareMaster.App.Reports.SignalWarnings.PlrDropDb, $"PLR drop {drop}");
        Assert.Contains(hard.Warnings, w => w.StartsWith(FormattableString.Invariant($"PLR dropped by {drop:0.0} dB"), StringComparison.Ordinal));

        Assert.True(gentle.Limiter!.Value.MaxDb <= HardwareMaster.App.Reports.SignalWarnings.HeavyLimitingDb);
        Assert.DoesNotContain(gentle.Warnings, w => w.StartsWith("heavy limiting", StringComparison.Ordinal) || w.StartsWith("PLR dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ReportParameters_ReproduceTheRenderFromJsonAndFromText()
    {
        using var files = new TestFiles();
        string input = files.DemoMix(seconds: 3);
        string first = files.PathOf("first.wav");
        (int code, string text, string error) = CliRunner.Run("render", input, first, "--preset", "hip-hop", "--set", "eq.bell2.gain=+1.5", "--set", "comp.ratio=3.3", "--ceiling", "-1.5");
        Assert.True(code == 0, error);
        Assert.Contains("  Preset          hip-hop", text, StringComparison.Ordinal);

        // Text: every id=value after "Parameters", given back as --set on another preset.
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith("  Parameters      ", StringComparison.Ordinal));
        string[] assignments = lines.Skip(start).TakeWhile((l, i) => i == 0 || l.StartsWith("                  ", StringComparison.Ordinal))
            .SelectMany(l => l[18..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.Equal(ParameterRegistry.Chain.Count, assignments.Length);
        Assert.Contains("eq.bell2.gain=1.5", assignments);
        string fromText = files.PathOf("text.wav");
        (code, _, error) = CliRunner.Run(["render", input, fromText, "--preset", "acoustic-folk", .. assignments.SelectMany(a => new[] { "--set", a })]);
        Assert.True(code == 0, error);

        // JSON: the "parameters" object is a preset file's "parameters".
        JsonElement json = RenderJson(input, files.PathOf("json-run.wav"), "--preset", "hip-hop", "--set", "eq.bell2.gain=+1.5", "--set", "comp.ratio=3.3", "--ceiling", "-1.5");
        Assert.Equal("hip-hop", json.GetProperty("preset").GetString());
        Assert.Equal(3.3, json.GetProperty("parameters").GetProperty("comp.ratio").GetDouble());
        string presetFile = files.PathOf("from-report.json");
        File.WriteAllText(presetFile, "{\"schema\": 1, \"name\": \"from-report\", \"description\": \"\", \"parameters\": " + json.GetProperty("parameters").GetRawText() + "}");
        string fromJson = files.PathOf("json.wav");
        (code, _, error) = CliRunner.Run("render", input, fromJson, "--preset-file", presetFile);
        Assert.True(code == 0, error);

        byte[] reference = File.ReadAllBytes(first);
        Assert.Equal(reference, File.ReadAllBytes(fromText));
        Assert.Equal(reference, File.ReadAllBytes(fromJson));
    }
}
