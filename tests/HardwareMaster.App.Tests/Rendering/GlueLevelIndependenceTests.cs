using System.Globalization;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Rendering;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;
using Xunit.Abstractions;

namespace HardwareMaster.App.Tests.Rendering;

/// <summary>Issue 12 item 2: the same preset takes the same glue from a quiet and a loud mix.</summary>
public class GlueLevelIndependenceTests(ITestOutputHelper output)
{
    private const int SampleRateHz = 48000;
    private const double Seconds = 8;
    private static readonly double[] Levels = [-8, -11, -14, -17, -20];
    private static readonly PresetLibrary Library = new(ParameterRegistry.Chain);

    private static ParameterSet PresetValues(string name)
    {
        Assert.True(Library.TryGetFactory(name, out Preset preset));
        return preset.Values.Clone();
    }

    // The material scaled to `lufs` integrated (float WAV: a −8 LUFS demo mix peaks above 0 dBFS and must not clip).
    private static string Scaled(TestFiles files, string material, double lufs)
    {
        long frames = (long)(Seconds * SampleRateHz);
        var left = new float[frames];
        var right = new float[frames];
        if (material == "demo")
        {
            HardwareMaster.Hal.Audio.Generators.DemoMix.Render(left, right, 0, SampleRateHz);
        }
        else
        {
            (left, right) = TestFiles.Read(files.DynamicMaterial("dynamic-source.wav", Seconds, SampleRateHz));
        }

        var meter = new ProgramMeter(SampleRateHz, 2);
        meter.Process(left, right);
        double gain = Math.Pow(10, (lufs - meter.GetReport().IntegratedLufs!.Value) / 20);
        for (int i = 0; i < frames; i++)
        {
            left[i] = (float)(left[i] * gain);
            right[i] = (float)(right[i] * gain);
        }

        string path = files.PathOf(string.Create(CultureInfo.InvariantCulture, $"{material}{lufs:0}.wav"));
        TestFiles.Write(path, left, right, SampleRateHz, SampleEncoding.Float32);
        return path;
    }

    // Mean compressor reduction of the chain set to `values` over the file, without a programme loudness (the old behaviour).
    private static double MeanReductionWithoutProgramme(string path, ParameterSet values)
    {
        (float[] left, float[] right) = TestFiles.Read(path);
        var chain = new MasteringChain();
        ChainBinder.ApplyAll(values, chain, 0);
        const int block = 512;
        chain.Prepare(new ProcessSpec(SampleRateHz, block, 2));
        double weighted = 0;
        for (int start = 0; start < left.Length; start += block)
        {
            int n = Math.Min(block, left.Length - start);
            chain.ProcessUntil(ChainStage.Width, new AudioBlock(left.AsSpan(start, n), right.AsSpan(start, n)));
            weighted += Math.Abs(chain.ReadCompressorGainReduction().CurrentDb) * n;
        }

        return weighted / left.Length;
    }

    [Theory]
    [InlineData("streaming-pop-rock", "demo")]
    [InlineData("broadcast-r128", "demo")]
    [InlineData("streaming-pop-rock", "dynamic")]
    [InlineData("broadcast-r128", "dynamic")]
    public void Render_InputsFromMinus8ToMinus20Lufs_MeanCompressorReductionWithinOneDb(string presetName, string material)
    {
        using var files = new TestFiles();
        ParameterSet values = PresetValues(presetName);
        double target = values["target.lufs"];
        var reductions = new List<double>();
        foreach (double level in Levels)
        {
            string input = Scaled(files, material, level);
            RenderResult result = OfflineRenderer.Render(new RenderRequest(input, files.PathOf("out.wav"), values, target, SampleEncoding.Float32, 512, MaxLimitingLu: 6));
            double before = MeanReductionWithoutProgramme(input, values);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{presetName} {material} {level:0} LUFS: mean GR before {before:0.00} dB, after {result.Compressor!.Value.MeanDb:0.00} dB (max {result.Compressor!.Value.MaxDb:0.0}), output {result.Output.IntegratedLufs:0.00} LUFS, {result.Passes} passes"));
            reductions.Add(result.Compressor!.Value.MeanDb);
            Assert.InRange(result.Output.IntegratedLufs!.Value, target - 0.5, target + 0.5);
        }

        Assert.True(reductions.Min() > 0.1, $"the compressor should be working: mean GR {string.Join(", ", reductions.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))} dB");
        Assert.True(reductions.Max() - reductions.Min() <= 2.0, $"mean GR across −8…−20 LUFS: {string.Join(", ", reductions.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))} dB (spread over ±1 dB)");
    }

    [Fact]
    public void Chain_WithoutProgrammeLoudness_MeanReductionFollowsTheInputLevel()
    {
        // The sweep discriminates: the old behaviour (threshold in dBFS before the loudness gain) spreads far beyond ±1 dB.
        using var files = new TestFiles();
        ParameterSet values = PresetValues("streaming-pop-rock");
        double loud = MeanReductionWithoutProgramme(Scaled(files, "demo", -8), values);
        double quiet = MeanReductionWithoutProgramme(Scaled(files, "demo", -20), values);
        Assert.True(loud - quiet > 2.0, $"without a programme loudness: {loud:0.00} dB at −8 LUFS, {quiet:0.00} dB at −20 LUFS");
    }

    [Fact]
    public void Chain_ProgrammeLoudnessSet_DetectorOffsetOnlyOutputFollowsInput()
    {
        // The same audio 10 dB louder with its programme loudness told: the same reduction, and the output 10 dB louder
        // (only the detector is offset; the gain structure is unchanged).
        (float[] l, float[] r) = Render(-18, double.NaN, out double reductionAtReference);
        (float[] l10, float[] r10) = Render(-8, -8, out double reductionLoud);
        Assert.Equal(reductionAtReference, reductionLoud, 2);
        double ratio = Math.Sqrt(EnergyOf(l10, r10) / EnergyOf(l, r));
        Assert.Equal(10.0, 20 * Math.Log10(ratio), 1);

        static (float[] L, float[] R) Render(double lufs, double programme, out double meanReduction)
        {
            var left = new float[4 * SampleRateHz];
            var right = new float[left.Length];
            HardwareMaster.Hal.Audio.Generators.DemoMix.Render(left, right, 0, SampleRateHz);
            var meter = new ProgramMeter(SampleRateHz, 2);
            meter.Process(left, right);
            float gain = (float)Math.Pow(10, (lufs - meter.GetReport().IntegratedLufs!.Value) / 20);
            for (int i = 0; i < left.Length; i++)
            {
                left[i] *= gain;
                right[i] *= gain;
            }

            var chain = new MasteringChain();
            chain.SetCompressor(new Dsp.Processors.CompressorSettings { ThresholdDb = -24, Ratio = 3 });
            chain.SetProgrammeLoudness(programme);
            chain.Prepare(new ProcessSpec(SampleRateHz, 256, 2));
            double weighted = 0;
            for (int start = 0; start < left.Length; start += 256)
            {
                chain.ProcessUntil(ChainStage.Width, new AudioBlock(left.AsSpan(start, 256), right.AsSpan(start, 256)));
                weighted += chain.ReadCompressorGainReduction().CurrentDb * 256;
            }

            meanReduction = weighted / left.Length;
            Assert.True(meanReduction > 1, $"mean GR {meanReduction:0.00} dB");
            return (left, right);
        }

        static double EnergyOf(float[] left, float[] right)
        {
            double sum = 0;
            for (int i = 0; i < left.Length; i++)
            {
                sum += (left[i] * (double)left[i]) + (right[i] * (double)right[i]);
            }

            return sum;
        }
    }
}
