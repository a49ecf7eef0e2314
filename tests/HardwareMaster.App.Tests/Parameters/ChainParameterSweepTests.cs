using System.Globalization;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;

namespace HardwareMaster.App.Tests.Parameters;

/// <summary>
/// Walks every parameter of the registry through its whole range (min, max, default, the encoder step off each edge and
/// a sweep along the knob's travel) through <see cref="ChainBinder"/> onto a prepared <see cref="MasteringChain"/> at
/// the rates the box and the files use, and processes audio after each value: everything the registry accepts the
/// chain must accept too, and what it makes of it must stay finite.
/// </summary>
public class ChainParameterSweepTests
{
    private const int BlockFrames = 256;
    private const int SweepPoints = 50;
    private static readonly int[] SampleRates = [44100, 48000, 96000];

    public static TheoryData<string, int> EveryParameterAtEveryRate()
    {
        var data = new TheoryData<string, int>();
        foreach (ParameterDefinition p in ParameterRegistry.Chain.All)
        {
            foreach (int rate in SampleRates)
            {
                data.Add(p.Id, rate);
            }
        }

        return data;
    }

    /// <summary>The values a knob, a preset or <c>--set</c> can give <paramref name="p"/>.</summary>
    internal static List<double> ValuesOf(ParameterDefinition p)
    {
        var values = new List<double> { p.Minimum, p.Maximum, p.Default, p.Nudge(p.Minimum, 1), p.Nudge(p.Maximum, -1) };
        if (p.Taper is Taper.Toggle or Taper.Choice)
        {
            for (double v = p.Minimum; v <= p.Maximum; v++)
            {
                values.Add(v);
            }
        }
        else
        {
            for (int i = 0; i < SweepPoints; i++)
            {
                values.Add(p.FromNormalized(i / (double)(SweepPoints - 1)));
            }
        }

        return values;
    }

    /// <summary>
    /// Defaults with whatever gates <paramref name="p"/> engaged, so its value is designed rather than skipped: its EQ
    /// band enabled or given gain, mono bass switched on. Null when nothing gates it.
    /// </summary>
    internal static ParameterSet? Engaged(ParameterDefinition p)
    {
        var values = new ParameterSet(ParameterRegistry.Chain);
        string group = p.Id[..p.Id.LastIndexOf('.')];
        bool changed = false;
        foreach (string gate in new[] { group + ".enabled", group + ".gain", "width.monobass" })
        {
            if (gate != p.Id && gate.StartsWith(group + ".", StringComparison.Ordinal) && values.Registry.TryGetIndex(gate, out _))
            {
                values.Set(gate, gate.EndsWith(".gain", StringComparison.Ordinal) ? 6 : 1);
                changed = true;
            }
        }

        return changed ? values : null;
    }

    [Theory]
    [MemberData(nameof(EveryParameterAtEveryRate))]
    public void ApplyAll_EveryValueInTheRange_ChainAcceptsItAndOutputStaysFinite(string id, int sampleRateHz)
    {
        ParameterDefinition p = ParameterRegistry.Chain[id];
        ParameterSet?[] starts = [new ParameterSet(ParameterRegistry.Chain), Engaged(p)];
        foreach (ParameterSet? start in starts)
        {
            if (start is null)
            {
                continue;
            }

            var chain = new MasteringChain();
            chain.Prepare(new ProcessSpec(sampleRateHz, BlockFrames, 2));
            ChainBinder.ApplyAll(start, chain, 24);
            var left = new float[BlockFrames];
            var right = new float[BlockFrames];
            long frame = 0;
            foreach (double value in ValuesOf(p))
            {
                string where = string.Create(CultureInfo.InvariantCulture, $"{id} = {value} at {sampleRateHz} Hz");
                Assert.True(p.IsValid(value), $"{where}: the sweep left the registry's range {p.RangeText}");
                ParameterSet values = start.Clone();
                values.Set(id, value);
                Exception? error = Record.Exception(() => ChainBinder.ApplyAll(values, chain, 24));
                Assert.True(error is null, $"{where} is inside the registry's {p.RangeText} but the chain rejects it: {error?.Message}");

                for (int block = 0; block < 4; block++)
                {
                    Signal(left, right, frame, sampleRateHz);
                    frame += BlockFrames;
                    chain.Process(new AudioBlock(left, right));
                    AssertFinite(left, where);
                    AssertFinite(right, where);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(EveryParameterAtEveryRate))]
    public void ApplyAllThenPrepare_EachEdgeOfTheRange_PreparesAndOutputStaysFinite(string id, int sampleRateHz)
    {
        // The offline render's order: every setting first, then Prepare designs for the file's rate.
        ParameterDefinition p = ParameterRegistry.Chain[id];
        foreach (double value in new[] { p.Minimum, p.Maximum })
        {
            string where = string.Create(CultureInfo.InvariantCulture, $"{id} = {value} at {sampleRateHz} Hz, set before Prepare");
            ParameterSet values = Engaged(p) ?? new ParameterSet(ParameterRegistry.Chain);
            values.Set(id, value);
            var chain = new MasteringChain();
            ChainBinder.ApplyAll(values, chain, 16);

            chain.Prepare(new ProcessSpec(sampleRateHz, BlockFrames, 2));

            var left = new float[BlockFrames];
            var right = new float[BlockFrames];
            for (int block = 0; block < 4; block++)
            {
                Signal(left, right, block * (long)BlockFrames, sampleRateHz);
                chain.Process(new AudioBlock(left, right));
                AssertFinite(left, where);
                AssertFinite(right, where);
            }
        }
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void ApplyAll_EqHighCutAtItsMaximum_IsDesignedBelowNyquistAndCuts(int sampleRateHz)
    {
        // 22 kHz is above Nyquist at 44.1 kHz: the chain must clamp the design there (not throw, not blow up).
        ParameterDefinition highCut = ParameterRegistry.Chain["eq.highcut.freq"];
        var values = new ParameterSet(ParameterRegistry.Chain);
        values.Set("eq.highcut.enabled", 1);
        values.Set("eq.highcut.freq", highCut.Maximum);
        values.Set("eq.highcut.slope", ParameterRegistry.Chain["eq.highcut.slope"].Maximum); // 48 dB/octave
        var chain = new MasteringChain();
        chain.Prepare(new ProcessSpec(sampleRateHz, BlockFrames, 2));

        ChainBinder.ApplyAll(values, chain, 24);

        Assert.Equal(highCut.Maximum, chain.GetEqBand(6).FrequencyHz);
        double passband = chain.EqMagnitudeDb(1000);
        double nearNyquist = chain.EqMagnitudeDb(0.499 * sampleRateHz);
        Assert.True(double.IsFinite(passband) && double.IsFinite(nearNyquist), $"{passband} / {nearNyquist}");
        Assert.InRange(passband, -0.1, 0.1);
        Assert.True(nearNyquist < -3, $"the high cut at {highCut.Maximum} Hz should still cut at {0.499 * sampleRateHz} Hz: {nearNyquist:0.0} dB");
    }

    private static void Signal(float[] left, float[] right, long start, int sampleRateHz)
    {
        // Bass, a mid tone, an air tone and a little deterministic noise, around -10 dBFS: every stage has work.
        uint seed = (uint)(start * 2654435761u) | 1;
        for (int i = 0; i < left.Length; i++)
        {
            double t = (start + i) / (double)sampleRateHz;
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            double noise = ((seed / (double)uint.MaxValue) - 0.5) * 0.02;
            double x = (0.15 * Math.Sin(2 * Math.PI * 45 * t)) + (0.1 * Math.Sin(2 * Math.PI * 1000 * t)) + (0.05 * Math.Sin(2 * Math.PI * 15000 * t));
            left[i] = (float)(x + noise);
            right[i] = (float)((0.8 * x) - noise);
        }
    }

    private static void AssertFinite(float[] samples, string where)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            Assert.True(float.IsFinite(samples[i]) && Math.Abs(samples[i]) < 100, $"{where}: sample {i} is {samples[i]}");
        }
    }
}
