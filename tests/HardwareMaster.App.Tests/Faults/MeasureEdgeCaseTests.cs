using System.Text.Json;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Faults;

/// <summary><c>measure</c> says why a loudness is undefined instead of calling everything "silent".</summary>
[Collection("ConsoleTests")]
public class MeasureEdgeCaseTests
{
    private static string Sine(TestFiles files, string name, double seconds, double amplitude, SampleEncoding encoding = SampleEncoding.Float32, Action<float[]>? edit = null)
    {
        int frames = (int)(seconds * 48000);
        var left = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            left[i] = (float)(amplitude * Math.Sin(2 * Math.PI * 997 * i / 48000.0));
        }

        edit?.Invoke(left);
        string path = files.PathOf(name);
        TestFiles.Write(path, left, (float[])left.Clone(), 48000, encoding);
        return path;
    }

    private static JsonElement MeasureJson(string path)
    {
        var output = new StringWriter();
        Assert.Equal(0, MeasureCommand.Execute([path], asJson: true, output));
        return JsonDocument.Parse(output.ToString()).RootElement.Clone();
    }

    private static string MeasureText(string path)
    {
        var output = new StringWriter();
        Assert.Equal(0, MeasureCommand.Execute([path], asJson: false, output));
        return output.ToString();
    }

    [Fact]
    public void Measure_TenMillisecondFile_SaysTooShortToGate()
    {
        using var files = new TestFiles();
        string path = Sine(files, "short.wav", 0.01, 0.5);
        Assert.Contains("Integrated      too short to gate (< 400 ms)  Loudness range  too short (< 3 s)", MeasureText(path));
        JsonElement json = MeasureJson(path);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("integrated_lufs").ValueKind);
        Assert.Equal("too short to gate (< 400 ms)", json.GetProperty("integrated_status").GetString());
        Assert.Equal("too short (< 3 s)", json.GetProperty("loudness_range_status").GetString());
        Assert.Contains("integrated loudness: too short to gate (< 400 ms)", json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public void Measure_DigitalSilence_SaysSilent()
    {
        using var files = new TestFiles();
        string path = Sine(files, "silence.wav", 1.0, 0.0, SampleEncoding.Pcm24);
        Assert.Contains("Integrated      silent", MeasureText(path));
        Assert.Equal("silent", MeasureJson(path).GetProperty("integrated_status").GetString());
    }

    [Fact]
    public void Measure_SineScaledBy1e30_IsMeasuredNotSilent()
    {
        using var files = new TestFiles();
        double reference = MeasureJson(Sine(files, "unit.wav", 4.0, 0.5)).GetProperty("integrated_lufs").GetDouble();
        JsonElement json = MeasureJson(Sine(files, "huge.wav", 4.0, 0.5e30));
        double integrated = json.GetProperty("integrated_lufs").GetDouble();
        Assert.Equal(reference + 600.0, integrated, 0.01);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("integrated_status").ValueKind);
        Assert.Equal(0.0, json.GetProperty("loudness_range_lu").GetDouble(), 0.01);
        Assert.DoesNotContain("silent", MeasureText(files.PathOf("huge.wav")));
    }

    [Fact]
    public void Measure_NonFiniteSamples_SaysNotFinite()
    {
        using var files = new TestFiles();
        string path = Sine(files, "nan.wav", 1.0, 0.5, edit: x =>
        {
            x[100] = float.NaN;
            x[200] = float.PositiveInfinity;
        });
        Assert.Contains("Note            not finite: 4 samples are NaN or infinite and were measured as 0", MeasureText(path));
        JsonElement json = MeasureJson(path);
        Assert.Equal(4, json.GetProperty("non_finite_samples").GetInt64());
        Assert.True(json.GetProperty("integrated_lufs").GetDouble() < 0);
    }

    [Fact]
    public void Measure_AllSamplesNonFinite_SaysNotFiniteAndSilent()
    {
        using var files = new TestFiles();
        string path = Sine(files, "allnan.wav", 1.0, 0.5, edit: x => Array.Fill(x, float.NaN));
        JsonElement json = MeasureJson(path);
        string[] notes = json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToArray();
        Assert.Contains(notes, n => n.StartsWith("not finite: 96000 samples", StringComparison.Ordinal));
        Assert.Equal("silent", json.GetProperty("integrated_status").GetString());
    }

    [Fact]
    public void Measure_PeakBeyondFloat_SaysOutOfRange()
    {
        using var files = new TestFiles();
        string path = Sine(files, "max.wav", 1.0, 3.3e38);
        string text = MeasureText(path);
        (_, LoudnessReport report) = MeasureCommand.Measure(path);

        // The 32-bit true-peak interpolator overflows on samples this close to float.MaxValue: say so, not "n/a".
        Assert.True(double.IsPositiveInfinity(report.TruePeakDbtp));
        Assert.Contains("True peak       +inf dBTP (out of range)", text);
        Assert.Contains("Note            peak out of range: beyond the largest 32-bit float", text);
        Assert.True(report.IntegratedLufs > 700);
    }

    [Fact]
    public void Measure_NormalProgramme_HasNoNotes()
    {
        using var files = new TestFiles();
        JsonElement json = MeasureJson(files.DemoMix(seconds: 4));
        Assert.Empty(json.GetProperty("notes").EnumerateArray());
        Assert.Equal(0, json.GetProperty("non_finite_samples").GetInt64());
    }
}
