using System.Globalization;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Rendering;
using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.Hal.AudioFiles;
using Xunit.Abstractions;

namespace HardwareMaster.App.Tests.Presets;

/// <summary>Issue 12 item 3: the factory presets are tuned for finished masters (measured on dynamic material).</summary>
public class FactoryPresetTuningTests(ITestOutputHelper output)
{
    private const int SampleRateHz = 48000;
    private const double Seconds = 20;
    private static readonly PresetLibrary Library = new(ParameterRegistry.Chain);

    private static ParameterSet PresetValues(string name)
    {
        Assert.True(Library.TryGetFactory(name, out Preset preset), name);
        return preset.Values.Clone();
    }

    private RenderResult RenderDynamic(TestFiles files, string presetName)
    {
        ParameterSet values = PresetValues(presetName);
        string input = files.DynamicMaterial("dynamic-source.wav", Seconds, SampleRateHz);
        RenderResult result = OfflineRenderer.Render(new RenderRequest(input, files.PathOf("out.wav"), values, values["target.lufs"], SampleEncoding.Float32, 512, MaxLimitingLu: 6));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{presetName}: mean GR {result.Compressor?.MeanDb ?? 0:0.00} dB (max {result.Compressor?.MaxDb ?? 0:0.0}), LRA {result.Input.LoudnessRangeLu:0.0} -> {result.Output.LoudnessRangeLu:0.0} LU, output {result.Output.IntegratedLufs:0.00} LUFS, TP {result.Output.TruePeakDbtp:0.00} dBTP"));
        return result;
    }

    [Fact]
    public void FactoryPresets_NonSpeech_HighPassBypassedFrequencyKept()
    {
        foreach (Preset preset in Library.Factory)
        {
            bool speech = preset.Name == "podcast-speech";
            Assert.True(speech != preset.Values.IsOn("hpf.bypass"), $"{preset.Name}: hpf.bypass should be {(speech ? "off" : "on")}");
            Assert.InRange(preset.Values["hpf.freq"], 15, speech ? 120 : 30);
        }
    }

    [Fact]
    public void FactoryPresets_Descriptions_OneLineJustification()
    {
        foreach (Preset preset in Library.Factory)
        {
            Assert.DoesNotContain('\n', preset.Description);
            Assert.InRange(preset.Description.Length, 40, 170);
        }
    }

    [Fact]
    public void Render_BroadcastR128OnDynamicMaterial_LoudnessRangeWithinOneLu()
    {
        using var files = new TestFiles();
        RenderResult result = RenderDynamic(files, "broadcast-r128");
        double lraIn = result.Input.LoudnessRangeLu!.Value;
        double lraOut = result.Output.LoudnessRangeLu!.Value;
        Assert.True(lraIn > 3, $"the material should be dynamic: LRA {lraIn:0.0} LU");
        Assert.True(Math.Abs(lraOut - lraIn) <= 1.0, $"LRA {lraIn:0.0} -> {lraOut:0.0} LU");
    }

    [Theory]
    [InlineData("streaming-pop-rock", 0.3, 3.0)]
    [InlineData("hip-hop", 1.0, 4.0)]
    [InlineData("edm-club", 1.0, 4.0)]
    [InlineData("acoustic-folk", 0.05, 1.0)]
    [InlineData("jazz-classical", 0.0, 1.0)]
    [InlineData("broadcast-r128", 0.0, 0.5)]
    [InlineData("podcast-speech", 0.3, 6.0)]
    public void Render_FactoryPresetOnDynamicMaterial_MeanGainReductionInBandOnTargetUnderCeiling(string presetName, double minDb, double maxDb)
    {
        using var files = new TestFiles();
        ParameterSet values = PresetValues(presetName);
        RenderResult result = RenderDynamic(files, presetName);
        double meanDb = result.Compressor?.MeanDb ?? 0;
        Assert.InRange(meanDb, minDb, maxDb);
        Assert.InRange(result.Output.IntegratedLufs!.Value, values["target.lufs"] - 0.5, values["target.lufs"] + 0.5);
        Assert.True(result.Output.TruePeakDbtp <= values["limiter.ceiling"], $"true peak {result.Output.TruePeakDbtp:0.00} dBTP over the {values["limiter.ceiling"]:0.0} dBTP ceiling");
    }
}
