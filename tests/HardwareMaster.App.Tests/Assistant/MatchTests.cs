using System.Text.Json;
using HardwareMaster.App.Assistant.Match;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Dsp.Processors;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Assistant;

/// <summary>
/// The generated programme the match tests share (made once per class: CI time): a music-like mix (pink noise in mid
/// and side, tones), a reference made from it through the chain with a known EQ, 130 % width and −6 dB, and an
/// "extreme" reference (a +12 dB bell and noise +15 dB above 19.5 kHz).
/// </summary>
public sealed class MatchFixture : IDisposable
{
    /// <summary>Sample rate of every file.</summary>
    public const int RateHz = 48000;

    private readonly TestFiles _files = new();
    private readonly Lazy<(string Json, string Preset)> _full;

    public MatchFixture()
    {
        (float[] left, float[] right) = Mix(seconds: 7, seed: 3);
        MixPath = _files.PathOf("mix.wav");
        TestFiles.Write(MixPath, left, right, RateHz, SampleEncoding.Float32);

        KnownEq = Known();
        ParameterSet referenceValues = KnownEq.Clone();
        referenceValues[ParameterIds.Width] = 130;
        MasteringChain chain = Chain(referenceValues, width: true);
        (float[] l, float[] r) = Process(chain, left, right);
        Scale(l, r, 0.5f); // −6 dB: the loudness normalisation must take it out
        ReferencePath = _files.PathOf("reference.wav");
        TestFiles.Write(ReferencePath, l, r, RateHz, SampleEncoding.Float32);

        // Extreme: a +12 dB bell at 1 kHz (beyond the ±6 dB bound) and independent noise only above 19.5 kHz at +15 dB.
        var extreme = new MasteringChain();
        ChainBinder.ApplyAll(BypassAllButEq(new ParameterSet(ParameterRegistry.Chain)), extreme, 0);
        extreme.SetEqBand(3, new EqBandSettings { Type = EqBandType.Bell, FrequencyHz = 1000, GainDb = 12, Q = 1 });
        (float[] el, float[] er) = Process(extreme, left, right);
        var noise = new MasteringChain();
        ChainBinder.ApplyAll(BypassAllButEq(new ParameterSet(ParameterRegistry.Chain)), noise, 0);
        noise.SetEqBand(0, new EqBandSettings { Type = EqBandType.HighPass, FrequencyHz = 19500, SlopeDbPerOctave = 48 });
        noise.SetEqBand(6, new EqBandSettings { Type = EqBandType.HighPass, FrequencyHz = 19500, SlopeDbPerOctave = 48 });
        var random = new Random(11);
        float[] nl = left.Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        float[] nr = left.Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        (nl, nr) = Process(noise, nl, nr);
        double gain = Math.Sqrt(Math.Pow(10, 1.5) * BandPower(el, er, 20000, 23000) / BandPower(nl, nr, 20000, 23000));
        for (int i = 0; i < el.Length; i++)
        {
            el[i] += (float)(gain * nl[i]);
            er[i] += (float)(gain * nr[i]);
        }

        ExtremePath = _files.PathOf("extreme.wav");
        TestFiles.Write(ExtremePath, el, er, RateHz, SampleEncoding.Float32);
        _full = new(() =>
        {
            string preset = PathOf("full.json");
            (int code, string text, string error) = CliRunner.Run("match", MixPath, ReferencePath, "--out", preset, "--json");
            Assert.True(code == 0, error);
            return (text, preset);
        });
    }

    public string MixPath { get; }

    public string ReferencePath { get; }

    public string ExtremePath { get; }

    /// <summary>The known EQ the reference went through: low shelf +3 dB at 120 Hz, bell −2.5 dB at 2.5 kHz Q 1, high shelf +2 dB at 8 kHz.</summary>
    public ParameterSet KnownEq { get; }

    /// <summary>The full-strength match of mix to reference through the CLI (--out, --json), run once: its JSON report and preset path.</summary>
    public (string Json, string Preset) Full => _full.Value;

    public string PathOf(string name) => _files.PathOf(name);

    /// <summary>The EQ response of a parameter set, dB, through the chain itself (ChainBinder, ParametricEq's published design).</summary>
    public static double EqResponseDb(ParameterSet values, double hz)
    {
        MasteringChain chain = Chain(values, width: false);
        return chain.EqMagnitudeDb(hz);
    }

    /// <summary>Log-spaced grid, 1/12 octave.</summary>
    public static double[] Grid(double lowHz, double highHz) =>
        Enumerable.Range(0, (int)(Math.Log2(highHz / lowHz) * 12) + 1).Select(i => lowHz * Math.Pow(2, i / 12.0)).ToArray();

    public static ParameterSet BypassAllButEq(ParameterSet values)
    {
        foreach (string id in new[] { ParameterIds.HpfBypass, ParameterIds.CompBypass, ParameterIds.WidthBypass, ParameterIds.LimiterBypass })
        {
            values[id] = 1;
        }

        values[ParameterIds.DitherEnabled] = 0;
        return values;
    }

    public void Dispose() => _files.Dispose();

    private static ParameterSet Known()
    {
        var values = new ParameterSet(ParameterRegistry.Chain);
        values[ParameterIds.EqLowShelfFreq] = 120;
        values[ParameterIds.EqLowShelfGain] = 3;
        values[ParameterIds.EqLowShelfQ] = 0.707;
        values[ParameterIds.EqBell2Freq] = 2500;
        values[ParameterIds.EqBell2Gain] = -2.5;
        values[ParameterIds.EqBell2Q] = 1;
        values[ParameterIds.EqHighShelfFreq] = 8000;
        values[ParameterIds.EqHighShelfGain] = 2;
        values[ParameterIds.EqHighShelfQ] = 0.707;
        return values;
    }

    private static MasteringChain Chain(ParameterSet values, bool width)
    {
        ParameterSet v = BypassAllButEq(values.Clone());
        v[ParameterIds.WidthBypass] = width ? 0 : 1;
        var chain = new MasteringChain();
        ChainBinder.ApplyAll(v, chain, 0);
        chain.Prepare(new ProcessSpec(RateHz, 512, 2));
        return chain;
    }

    private static (float[] Left, float[] Right) Process(MasteringChain chain, float[] left, float[] right)
    {
        chain.Prepare(new ProcessSpec(RateHz, 512, 2));
        float[] l = (float[])left.Clone(), r = (float[])right.Clone();
        for (int start = 0; start < l.Length; start += 512)
        {
            int n = Math.Min(512, l.Length - start);
            chain.Process(new AudioBlock(l.AsSpan(start, n), r.AsSpan(start, n)));
        }

        return (l, r);
    }

    private static void Scale(float[] l, float[] r, float gain)
    {
        for (int i = 0; i < l.Length; i++)
        {
            l[i] *= gain;
            r[i] *= gain;
        }
    }

    private static double BandPower(float[] l, float[] r, double lowHz, double highHz)
    {
        var spectrum = new LongTermSpectrum(RateHz);
        spectrum.Process(l, r);
        return Math.Pow(10, spectrum.BandLevelDb(lowHz, highHz) / 10);
    }

    // Music-like: pink noise (Kellet's filter) in mid, quieter independent pink noise in side, three tones, slow level changes.
    private static (float[] Left, float[] Right) Mix(double seconds, int seed)
    {
        int frames = (int)(seconds * RateHz);
        var random = new Random(seed);
        var left = new float[frames];
        var right = new float[frames];
        var mid = new PinkNoise(random);
        var side = new PinkNoise(random);
        for (int n = 0; n < frames; n++)
        {
            double t = (double)n / RateHz;
            double envelope = 0.75 + (0.25 * Math.Sin(2 * Math.PI * 0.7 * t));
            double m = (0.12 * envelope * mid.Next()) + (0.05 * Math.Sin(2 * Math.PI * 110 * t)) + (0.03 * Math.Sin(2 * Math.PI * 660 * t));
            double s = (0.05 * side.Next()) + (0.02 * Math.Sin(2 * Math.PI * 1320 * t));
            left[n] = (float)(m + s);
            right[n] = (float)(m - s);
        }

        return (left, right);
    }

    private sealed class PinkNoise(Random random)
    {
        private double _b0, _b1, _b2, _b3, _b4, _b5, _b6;

        public double Next()
        {
            double white = (random.NextDouble() * 2) - 1;
            _b0 = (0.99886 * _b0) + (white * 0.0555179);
            _b1 = (0.99332 * _b1) + (white * 0.0750759);
            _b2 = (0.96900 * _b2) + (white * 0.1538520);
            _b3 = (0.86650 * _b3) + (white * 0.3104856);
            _b4 = (0.55000 * _b4) + (white * 0.5329522);
            _b5 = (-0.7616 * _b5) - (white * 0.0168980);
            double pink = _b0 + _b1 + _b2 + _b3 + _b4 + _b5 + _b6 + (white * 0.5362);
            _b6 = white * 0.115926;
            return pink * 0.2;
        }
    }
}

[Collection(nameof(ConsoleTests))]
public class MatchTests(MatchFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<MatchFixture>
{
    [Fact]
    public void Match_ReferenceThroughKnownEq_RecoversThatEqWithinOneDb()
    {
        ParameterSet fitted = new PresetLibrary(ParameterRegistry.Chain).LoadFile(fixture.Full.Preset).Values;
        output.WriteLine(fixture.Full.Json);

        // Loudness normalisation leaves the EQ's absolute level free (the loudness target sets it); the fit breaks that
        // tie towards the EQ that leaves the octave around 1 kHz alone, which is where the known EQ is flat too, so the
        // curves are compared as they are (the mean difference is printed for the record).
        double[] grid = MatchFixture.Grid(50, 15000);
        double[] difference = grid.Select(f => MatchFixture.EqResponseDb(fitted, f) - MatchFixture.EqResponseDb(fixture.KnownEq, f)).ToArray();
        output.WriteLine($"mean difference between the curves {difference.Average():0.000} dB, largest {difference.Max(Math.Abs):0.000} dB");
        for (int i = 0; i < grid.Length; i++)
        {
            Assert.True(Math.Abs(difference[i]) <= 1.0, $"{grid[i]:0} Hz: fitted {MatchFixture.EqResponseDb(fitted, grid[i]):0.00} dB, known {MatchFixture.EqResponseDb(fixture.KnownEq, grid[i]):0.00} dB: {fixture.Full.Json}");
        }

        using JsonDocument report = JsonDocument.Parse(fixture.Full.Json);
        JsonElement distance = report.RootElement.GetProperty("distance_db");
        Assert.True(distance.GetProperty("before").GetDouble() > 1, fixture.Full.Json);
        Assert.True(distance.GetProperty("after_measured").GetDouble() < 0.25, fixture.Full.Json);
    }

    [Fact]
    public void Match_Reference_SetsTargetToTheReferenceLoudnessAndWidthFromTheSideRatio()
    {
        ParameterSet fitted = new PresetLibrary(ParameterRegistry.Chain).LoadFile(fixture.Full.Preset).Values;
        double referenceLufs = MeasureCommand.Measure(fixture.ReferencePath).Report.IntegratedLufs!.Value;

        Assert.InRange(fitted[ParameterIds.TargetLufs], referenceLufs - 0.1, referenceLufs + 0.1);
        Assert.InRange(fitted[ParameterIds.Width], 126, 134); // the reference went through width 130 %
    }

    [Fact]
    public void Match_ExtremeReference_KeepsGainsWithinSixDbAndDoesNotBoostAbove18Khz()
    {
        string preset = fixture.PathOf("extreme.json");
        (int code, string json, string error) = CliRunner.Run("match", fixture.MixPath, fixture.ExtremePath, "--out", preset, "--json");
        Assert.True(code == 0, error);
        ParameterSet fitted = new PresetLibrary(ParameterRegistry.Chain).LoadFile(preset).Values;

        foreach ((string prefix, _, _) in EqModel.ToneBands)
        {
            Assert.InRange(fitted[prefix + ".gain"], -EqFitter.MaxGainDb, EqFitter.MaxGainDb);
        }

        Assert.True(MatchFixture.EqResponseDb(fitted, 1000) > 4, "the +12 dB bell is matched as far as the bound allows");
        double edge = Math.Max(0, MatchFixture.EqResponseDb(fitted, 18000));
        foreach (double f in MatchFixture.Grid(18000, 22000))
        {
            double db = MatchFixture.EqResponseDb(fitted, f);
            Assert.True(db <= edge + EqFitter.EdgeToleranceDb + 0.01, $"{f:0} Hz: {db:0.00} dB (18 kHz: {edge:0.00} dB): {json}");
        }

        // The guard is what holds it: allowed to, the fit does boost the top.
        string extremes = fixture.PathOf("extremes-allowed.json");
        (code, _, error) = CliRunner.Run("match", fixture.MixPath, fixture.ExtremePath, "--out", extremes, "--allow-extremes");
        Assert.True(code == 0, error);
        ParameterSet allowed = new PresetLibrary(ParameterRegistry.Chain).LoadFile(extremes).Values;
        Assert.True(MatchFixture.EqResponseDb(allowed, 20000) - MatchFixture.EqResponseDb(allowed, 17000) > 3);
    }

    [Fact]
    public void Match_Strength_ScalesTheFittedGains()
    {
        var library = new PresetLibrary(ParameterRegistry.Chain);
        ParameterSet full = library.LoadFile(fixture.Full.Preset).Values;
        string half = fixture.PathOf("half.json"), none = fixture.PathOf("none.json");
        Assert.Equal(0, CliRunner.Run("match", fixture.MixPath, fixture.ReferencePath, "--out", half, "--strength", "0.5").ExitCode);
        Assert.Equal(0, CliRunner.Run("match", fixture.MixPath, fixture.ReferencePath, "--out", none, "--strength", "0").ExitCode);
        ParameterSet halfValues = library.LoadFile(half).Values, noneValues = library.LoadFile(none).Values;

        Assert.Contains(EqModel.ToneBands, b => Math.Abs(full[b.Prefix + ".gain"]) > 1);
        foreach ((string prefix, _, _) in EqModel.ToneBands)
        {
            Assert.InRange(halfValues[prefix + ".gain"], (0.5 * full[prefix + ".gain"]) - 0.011, (0.5 * full[prefix + ".gain"]) + 0.011);
            Assert.Equal(full[prefix + ".freq"], halfValues[prefix + ".freq"]);
            Assert.Equal(full[prefix + ".q"], halfValues[prefix + ".q"]);
            Assert.Equal(0, noneValues[prefix + ".gain"]);
        }

        foreach (double f in MatchFixture.Grid(20, 20000))
        {
            Assert.Equal(0, MatchFixture.EqResponseDb(noneValues, f), 6);
        }

        Assert.Equal(full[ParameterIds.TargetLufs], noneValues[ParameterIds.TargetLufs]);
    }

    [Fact]
    public void Match_MixAgainstItself_LeavesTheToneBandsFlatAndWidthAt100()
    {
        (int code, string json, string error) = CliRunner.Run("match", fixture.MixPath, fixture.MixPath, "--json");

        Assert.True(code == 0, error);
        using JsonDocument report = JsonDocument.Parse(json);
        foreach (JsonElement band in report.RootElement.GetProperty("bands").EnumerateArray())
        {
            Assert.Equal(0, band.GetProperty("gain_db").GetDouble());
        }

        Assert.Equal(100, report.RootElement.GetProperty("width").GetProperty("to_percent").GetDouble(), 1);
        Assert.True(report.RootElement.GetProperty("distance_db").GetProperty("before").GetDouble() < 0.01, json);
    }

    [Fact]
    public void Match_WrittenPreset_LoadsAndRenders()
    {
        Preset preset = new PresetLibrary(ParameterRegistry.Chain).LoadFile(fixture.Full.Preset);
        Assert.Equal("match-reference", preset.Name);
        string master = fixture.PathOf("master.wav");

        (int code, _, string error) = CliRunner.Run("render", fixture.MixPath, master, "--preset-file", fixture.Full.Preset);

        Assert.True(code == 0, error);
        double lufs = MeasureCommand.Measure(master).Report.IntegratedLufs!.Value;
        Assert.InRange(lufs, preset.Values[ParameterIds.TargetLufs] - 1, preset.Values[ParameterIds.TargetLufs] + 1);
    }

    [Fact]
    public void Match_UnreadableFile_OneLineAndExit1()
    {
        string missing = fixture.PathOf("missing.wav");
        string notAudio = fixture.PathOf("not-audio.wav");
        File.WriteAllText(notAudio, "this is not a RIFF file");

        (int code, _, string error) = CliRunner.Run("match", missing, fixture.ReferencePath);
        Assert.Equal(1, code);
        Assert.Contains(missing, CliRunner.SingleLine(error));

        (code, _, error) = CliRunner.Run("match", fixture.MixPath, notAudio, "--out", fixture.PathOf("never.json"));
        Assert.Equal(1, code);
        Assert.Contains(notAudio, CliRunner.SingleLine(error));
        Assert.False(File.Exists(fixture.PathOf("never.json")));
    }

    [Fact]
    public void Match_OutIsAnInputOrAFolder_RefusesWithExit2AndLeavesTheInput()
    {
        byte[] mix = File.ReadAllBytes(fixture.MixPath);
        (int code, _, string error) = CliRunner.Run("match", fixture.MixPath, fixture.ReferencePath, "--out", fixture.MixPath);
        Assert.Equal(2, code);
        Assert.Contains("refusing to overwrite the input file", CliRunner.SingleLine(error));
        Assert.Equal(mix, File.ReadAllBytes(fixture.MixPath));

        string folder = fixture.PathOf("folder");
        Directory.CreateDirectory(folder);
        (code, _, error) = CliRunner.Run("match", fixture.MixPath, fixture.ReferencePath, "--out", folder);
        Assert.Equal(2, code);
        Assert.Contains("is a folder", CliRunner.SingleLine(error));
        Assert.True(Directory.Exists(folder));
    }

    [Fact]
    public void Match_InputIsAFifo_RefusesWithExit2WithoutBlocking()
    {
        using var faults = new HardwareMaster.App.Tests.Faults.FaultFiles();
        string fifo = faults.Fifo("pipe.wav");

        (int code, _, string error) = CliRunner.Run("match", fifo, fixture.ReferencePath);
        Assert.Equal(2, code);
        Assert.Contains($"{fifo}: needs a regular file", CliRunner.SingleLine(error));

        (code, _, error) = CliRunner.Run("match", fixture.MixPath, fifo);
        Assert.Equal(2, code);
        Assert.Contains($"{fifo}: needs a regular file", CliRunner.SingleLine(error));
    }

    [Theory]
    [InlineData("1.5", "--strength 1.5 is outside 0..1")]
    [InlineData("-0.1", "--strength -0.1 is outside 0..1")]
    [InlineData("NaN", "--strength NaN is outside 0..1")]
    [InlineData("lots", "--strength: 'lots' is not a number")]
    public void Match_BadStrength_OneLineAndExit2(string value, string expected)
    {
        (int code, _, string error) = CliRunner.Run("match", fixture.MixPath, fixture.ReferencePath, "--strength", value);
        Assert.Equal(2, code);
        Assert.Contains(expected, CliRunner.SingleLine(error));
    }
}
