using System.Text.Json;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Rendering;
using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Reports;

/// <summary>Each input warning of <c>measure</c> (and of render's input pass) fired by a crafted file and not by a clean one.</summary>
public class InputWarningTests
{
    private const int Rate = 48000;

    private static (float[] Left, float[] Right) Demo(double seconds = 6)
    {
        var left = new float[(int)(seconds * Rate)];
        var right = new float[left.Length];
        HardwareMaster.Hal.Audio.Generators.DemoMix.Render(left, right, 0, Rate);
        return (left, right);
    }

    // A clean programme with real macro-dynamics: the demo mix (PLR about 12 dB) quiet for the first half, full for the second (LRA about 8 LU).
    private static (float[] Left, float[] Right) Varied(double seconds = 10)
    {
        (float[] l, float[] r) = Demo(seconds);
        for (int i = 0; i < l.Length / 2; i++)
        {
            l[i] *= 0.4f;
            r[i] *= 0.4f;
        }

        return (l, r);
    }

    private static string Write(TestFiles files, string name, float[] left, float[] right, SampleEncoding encoding = SampleEncoding.Float32)
    {
        string path = files.PathOf(name);
        TestFiles.Write(path, left, right, Rate, encoding);
        return path;
    }

    private static (string[] Warnings, JsonElement Json) Measure(string path)
    {
        var text = new StringWriter();
        Assert.Equal(0, MeasureCommand.Execute([path], asJson: true, text));
        JsonElement json = JsonDocument.Parse(text.ToString()).RootElement.Clone();
        return (json.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray(), json);
    }

    private static float[] Map(float[] x, Func<int, float, float> f) => x.Select((v, i) => f(i, v)).ToArray();

    [Fact]
    public void Measure_CleanDemoMix_NoWarningsInJsonOrText()
    {
        using var files = new TestFiles();
        (float[] l, float[] r) = Varied();
        string path = Write(files, "clean.wav", l, r, SampleEncoding.Pcm24);

        (string[] warnings, JsonElement json) = Measure(path);
        Assert.Empty(warnings);
        Assert.Equal(0, json.GetProperty("signal").GetProperty("full_scale_samples").GetInt64());
        Assert.True(json.GetProperty("signal").GetProperty("correlation").GetDouble() > 0);

        var text = new StringWriter();
        Assert.Equal(0, MeasureCommand.Execute([path], asJson: false, text));
        Assert.DoesNotContain("Warning", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_DcOffset_WarnsWithTheMeanAndOnlyAboveTheThreshold()
    {
        using var files = new TestFiles();
        (float[] l, float[] r) = Demo();
        string offset = Write(files, "dc.wav", Map(l, (_, v) => v + 0.01f), Map(r, (_, v) => v + 0.01f));
        string small = Write(files, "small.wav", Map(l, (_, v) => v + 0.001f), Map(r, (_, v) => v + 0.001f)); // −60 dBFS: below −50

        (string[] warnings, JsonElement json) = Measure(offset);
        string dc = Assert.Single(warnings, w => w.StartsWith("DC offset", StringComparison.Ordinal));
        double left = 20 * Math.Log10(l.Average(v => (double)v + 0.01f)), right = 20 * Math.Log10(r.Average(v => (double)v + 0.01f));
        Assert.InRange(left, -41, -39); // the demo mix has a little DC of its own
        Assert.Contains(FormattableString.Invariant($"the mean is {left:0.0} dBFS left, {right:0.0} dBFS right"), dc, StringComparison.Ordinal);
        Assert.Equal(Math.Max(left, right), json.GetProperty("signal").GetProperty("dc_offset_dbfs").GetDouble(), 0.01);
        Assert.DoesNotContain(Measure(small).Warnings, w => w.StartsWith("DC offset", StringComparison.Ordinal));
    }

    [Fact]
    public void Measure_Clipped24BitFile_CountsFullScaleSamplesAndRuns()
    {
        using var files = new TestFiles();
        (float[] l, float[] r) = Demo();
        string path = Write(files, "clipped.wav", Map(l, (_, v) => Math.Clamp(v * 4, -1f, 1f)), Map(r, (_, v) => Math.Clamp(v * 4, -1f, 1f)), SampleEncoding.Pcm24);
        (float[] readL, float[] readR) = TestFiles.Read(path);
        long expected = readL.Concat(readR).Count(v => Math.Abs(v) >= SignalHealth.FullScale);
        Assert.True(expected > 100);

        (string[] warnings, JsonElement json) = Measure(path);
        string clip = Assert.Single(warnings, w => w.Contains("at or over full scale", StringComparison.Ordinal));
        Assert.StartsWith($"{expected} samples at or over full scale (0 dBFS); clipped: ", clip, StringComparison.Ordinal);
        Assert.True(json.GetProperty("signal").GetProperty("clipped_runs").GetInt64() > 0);
        Assert.Equal(0, json.GetProperty("signal").GetProperty("over_samples").GetInt64()); // PCM cannot hold overs
    }

    [Fact]
    public void Measure_FloatOvers_CountsOversWithoutClippedRuns()
    {
        using var files = new TestFiles();
        (float[] l, float[] r) = Demo();
        float[] hot = Map(l, (i, v) => i % 20000 == 10000 ? 1.25f : v); // 14 lone overs in 6 s
        string path = Write(files, "overs.wav", hot, r);
        int overs = hot.Count(v => v > 1f);

        string[] warnings = Measure(path).Warnings;
        Assert.Contains($"{overs} samples at or over full scale (0 dBFS), {overs} over 0 dBFS", warnings);
    }

    [Fact]
    public void Measure_SaturatedSteadyNoise_AlreadyLimited()
    {
        using var files = new TestFiles();
        var random = new Random(3);
        float[] l = new float[6 * Rate], r = new float[6 * Rate];
        for (int i = 0; i < l.Length; i++)
        {
            l[i] = (float)(0.5 * Math.Tanh(3 * ((2 * random.NextDouble()) - 1)));
            r[i] = (float)(0.5 * Math.Tanh(3 * ((2 * random.NextDouble()) - 1)));
        }

        (string[] warnings, JsonElement json) = Measure(Write(files, "limited.wav", l, r));
        Assert.True(json.GetProperty("plr_db").GetDouble() < HardwareMaster.App.Reports.SignalWarnings.LimitedPlrDb);
        Assert.Contains(warnings, w => w.StartsWith("already limited: PLR ", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("full scale", StringComparison.Ordinal));
    }

    [Fact]
    public void Measure_SteadyToneWithClicks_LowLoudnessRangeButNotLimited()
    {
        using var files = new TestFiles();
        float[] l = new float[6 * Rate];
        for (int i = 0; i < l.Length; i++)
        {
            l[i] = i % Rate == 100 ? 0.9f : (float)(0.05 * Math.Sin(2 * Math.PI * 440 * i / Rate));
        }

        (string[] warnings, JsonElement json) = Measure(Write(files, "steady.wav", l, (float[])l.Clone()));
        Assert.True(json.GetProperty("plr_db").GetDouble() > HardwareMaster.App.Reports.SignalWarnings.LimitedPlrDb);
        Assert.Contains(warnings, w => w.StartsWith("low loudness range: ", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.StartsWith("already limited", StringComparison.Ordinal));
    }

    [Fact]
    public void Measure_PolarityInvertedChannel_PhaseTrouble()
    {
        using var files = new TestFiles();
        (float[] l, _) = Demo();
        (string[] warnings, JsonElement json) = Measure(Write(files, "phase.wav", l, Map(l, (_, v) => -0.8f * v)));
        Assert.Equal(-1.0, json.GetProperty("signal").GetProperty("correlation").GetDouble(), 3);
        string phase = Assert.Single(warnings, w => w.StartsWith("phase trouble", StringComparison.Ordinal));
        Assert.Contains("correlation -1.00", phase, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_LoudMaster_EveryPlatformTurnsItDown()
    {
        using var files = new TestFiles();
        (float[] l, float[] r) = Demo();
        (string[] warnings, JsonElement json) = Measure(Write(files, "loud.wav", Map(l, (_, v) => v * 3.5f), Map(r, (_, v) => v * 3.5f)));
        double integrated = json.GetProperty("integrated_lufs").GetDouble();
        Assert.True(integrated > -13);
        string down = Assert.Single(warnings, w => w.StartsWith("every platform turns this", StringComparison.Ordinal));
        Assert.Contains(FormattableString.Invariant($"YouTube {-14 - integrated:+0.0;-0.0} dB"), down, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DcOffsetInput_InputWarningOnTheRenderOnlyForTheCraftedInput()
    {
        using var files = new TestFiles();
        (float[] l, float[] r) = Varied();
        string clean = Write(files, "clean.wav", l, r);
        string offset = Write(files, "dc.wav", Map(l, (_, v) => v + 0.02f), Map(r, (_, v) => v + 0.02f));
        ParameterSet values = new ParameterSet(ParameterRegistry.Chain);

        RenderResult dirty = OfflineRenderer.Render(new RenderRequest(offset, files.PathOf("o1.wav"), values, -14));
        RenderResult good = OfflineRenderer.Render(new RenderRequest(clean, files.PathOf("o2.wav"), values, -14));

        Assert.Contains(dirty.Warnings, w => w.StartsWith("input: DC offset: the mean is -3", StringComparison.Ordinal));
        Assert.DoesNotContain(good.Warnings, w => w.StartsWith("input: ", StringComparison.Ordinal));
        Assert.True(good.InputHealth.DcOffsetDbfs < HardwareMaster.App.Reports.SignalWarnings.DcOffsetDbfs);
    }

    [Fact]
    public void MeasureAndRender_SubsonicRumble_WarnsAndRecommendsTheHighPassOnlyForTheCraftedInput()
    {
        using var files = new TestFiles();
        (float[] l, float[] r) = Varied();
        float Rumble(int i) => (float)(0.2 * Math.Sin(2 * Math.PI * 7 * i / Rate));
        string rumble = Write(files, "rumble.wav", Map(l, (i, v) => (0.7f * v) + Rumble(i)), Map(r, (i, v) => (0.7f * v) + Rumble(i)));
        string clean = Write(files, "clean.wav", l, r);

        string warning = Assert.Single(Measure(rumble).Warnings, w => w.StartsWith("subsonic energy", StringComparison.Ordinal));
        Assert.Contains("--set hpf.bypass=off", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(Measure(clean).Warnings, w => w.StartsWith("subsonic", StringComparison.Ordinal));

        RenderResult render = OfflineRenderer.Render(new RenderRequest(rumble, files.PathOf("o.wav"), new ParameterSet(ParameterRegistry.Chain), -14));
        Assert.Contains(render.Warnings, w => w.StartsWith("input: subsonic energy", StringComparison.Ordinal));
        Assert.True(render.InputHealth.SubsonicToTotalDb >= HardwareMaster.App.Reports.SignalWarnings.SubsonicDb);
        Assert.True(Measure(rumble).Json.GetProperty("signal").GetProperty("subsonic_db").GetDouble() >= HardwareMaster.App.Reports.SignalWarnings.SubsonicDb);
    }
}
