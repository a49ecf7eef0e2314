using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Rendering;
using HardwareMaster.App.Commands;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Rendering;

public class OfflineRendererTests
{
    private static readonly PresetLibrary Library = new(ParameterRegistry.Chain);

    private static ParameterSet PresetValues(string name)
    {
        Assert.True(Library.TryGetFactory(name, out Preset preset));
        return preset.Values.Clone();
    }

    [Theory]
    [InlineData("streaming-pop-rock", -14.0, 48000)]
    [InlineData("acoustic-folk", -16.0, 44100)]
    [InlineData("broadcast-r128", -23.0, 48000)]
    [InlineData("podcast-speech", -16.0, 96000)]
    [InlineData("jazz-classical", -18.0, 44100)]
    [InlineData("hip-hop", -10.0, 48000)]
    public void Render_GenreTargets_LandWithinHalfLuAndHoldTheCeiling(string presetName, double target, int sampleRateHz)
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("in.wav", 12, sampleRateHz);
        string output = files.PathOf("out.wav");
        ParameterSet values = PresetValues(presetName);

        RenderResult result = OfflineRenderer.Render(new RenderRequest(input, output, values, target, SampleEncoding.Pcm24, 512, MaxLimitingLu: 6));

        (_, LoudnessReport measured) = MeasureCommand.Measure(output);
        Assert.InRange(measured.IntegratedLufs!.Value, target - 0.5, target + 0.5);
        Assert.True(measured.TruePeakDbtp <= values["limiter.ceiling"], $"true peak {measured.TruePeakDbtp:0.000} dBTP above the ceiling");
        Assert.Equal(result.Output.IntegratedLufs!.Value, measured.IntegratedLufs!.Value, 2);
        Assert.Equal(result.Input.DurationFrames, measured.DurationFrames);
    }

    [Fact]
    public void Render_FixedParameters_OutputIsBitIdenticalForAnyBlockSize()
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("in.wav", 4, 44100);
        ParameterSet values = PresetValues("edm-club");
        var outputs = new List<(float[] Left, float[] Right)>();
        foreach (int block in new[] { 7, 64, 4096 })
        {
            string output = files.PathOf($"out{block}.wav");
            OfflineRenderer.Render(new RenderRequest(input, output, values, TargetLufs: -10, SampleEncoding.Float32, block));
            outputs.Add(TestFiles.Read(output));
        }

        for (int i = 1; i < outputs.Count; i++)
        {
            Assert.Equal(outputs[0].Left, outputs[i].Left);
            Assert.Equal(outputs[0].Right, outputs[i].Right);
        }
    }

    [Fact]
    public void Render_EveryStageBypassedNoTarget_OutputEqualsInputSampleForSample()
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("in.wav", 3, 48000);
        ParameterSet values = new(ParameterRegistry.Chain);
        foreach (string id in new[] { "hpf.bypass", "eq.bypass", "comp.bypass", "width.bypass", "limiter.bypass" })
        {
            values[id] = 1;
        }

        values["dither.enabled"] = 0;
        string output = files.PathOf("out.wav");
        RenderResult result = OfflineRenderer.Render(new RenderRequest(input, output, values, TargetLufs: null, SampleEncoding.Float32, 333));

        Assert.True(result.LatencyFrames > 0, "the limiter's look-ahead is latency the render must compensate");
        (float[] inL, float[] inR) = TestFiles.Read(input);
        (float[] outL, float[] outR) = TestFiles.Read(output);
        Assert.Equal(inL, outL);
        Assert.Equal(inR, outR);
    }

    [Fact]
    public void Render_TargetNeedingTooMuchLimiting_BacksOffAndWarnsWithTheAchievedValue()
    {
        using var files = new TestFiles();
        string input = files.DynamicMaterial("in.wav", 10, 48000);
        ParameterSet values = PresetValues("streaming-pop-rock");
        values.Set("comp.threshold", -18); // the back-off scenario, independent of the preset's glue tuning (issue 12 item 3)
        string output = files.PathOf("out.wav");

        RenderResult result = OfflineRenderer.Render(new RenderRequest(input, output, values, TargetLufs: -5, SampleEncoding.Pcm16, 512, MaxLimitingLu: 2));

        Assert.Contains(result.Warnings, w => w.Contains("would make the limiter take away") && w.Contains("--max-limiting"));
        Assert.Contains(result.Warnings, w => w.StartsWith("target -5.0 LUFS not reached: the master is"));
        Assert.True(result.Output.IntegratedLufs < -5.5);
        Assert.True(result.Output.TruePeakDbtp <= -1.0);
    }

    [Fact]
    public void Render_NonFiniteInputSamples_GiveFiniteOutputAndAWarning()
    {
        using var files = new TestFiles();
        var left = new float[48000];
        var right = new float[48000];
        HardwareMaster.Hal.Audio.Generators.DemoMix.Render(left, right, 0, 48000);
        left[1000] = float.NaN;
        right[2000] = float.PositiveInfinity;
        left[3000] = float.NegativeInfinity;
        string input = files.PathOf("bad.wav");
        TestFiles.Write(input, left, right, 48000, SampleEncoding.Float32);
        string output = files.PathOf("out.wav");

        RenderResult result = OfflineRenderer.Render(new RenderRequest(input, output, PresetValues("streaming-pop-rock"), -14, SampleEncoding.Float32));

        (float[] outL, float[] outR) = TestFiles.Read(output);
        Assert.All(outL, x => Assert.True(float.IsFinite(x)));
        Assert.All(outR, x => Assert.True(float.IsFinite(x)));
        Assert.Contains(result.Warnings, w => w.StartsWith("3 NaN/Inf input samples"));
    }

    [Fact]
    public void Render_SilentInput_SkipsTargetingWithAWarning()
    {
        using var files = new TestFiles();
        string input = files.PathOf("silence.wav");
        TestFiles.Write(input, new float[24000], new float[24000], 48000, SampleEncoding.Pcm24);
        string output = files.PathOf("out.wav");

        RenderResult result = OfflineRenderer.Render(new RenderRequest(input, output, PresetValues("streaming-pop-rock"), -14, SampleEncoding.Pcm24));

        Assert.Contains(result.Warnings, w => w.Contains("silent"));
        Assert.Null(result.Output.IntegratedLufs);
        Assert.Equal(24000, result.Output.DurationFrames);
    }

    [Fact]
    public void Render_TenMillisecondInput_SaysTooShortToGateNotSilent()
    {
        using var files = new TestFiles();
        string input = files.PathOf("short.wav");
        float[] left = new float[480];
        float[] right = new float[480];
        for (int i = 0; i < left.Length; i++)
        {
            left[i] = right[i] = 0.5f * MathF.Sin(2 * MathF.PI * 997 * i / 48000f);
        }

        TestFiles.Write(input, left, right, 48000, SampleEncoding.Pcm24);
        string output = files.PathOf("out.wav");

        RenderResult result = OfflineRenderer.Render(new RenderRequest(input, output, PresetValues("streaming-pop-rock"), -14, SampleEncoding.Pcm24));

        Assert.Contains(result.Warnings, w => w.Contains("too short to gate", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Warnings, w => w.Contains("silent", StringComparison.Ordinal));
        Assert.Equal(480, result.Output.DurationFrames);
    }
}
