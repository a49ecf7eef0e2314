using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.App.Tests.Parameters;

public class ChainBinderTests
{
    [Fact]
    public void ApplyAll_OneValueAStageRejects_ThrowsBeforeAnyStageChanges()
    {
        // A registry wider than the compressor (comp.schpf from 10 Hz, as before issue 10) lets a rejected value through.
        var registry = ParameterRegistry.Create(ParameterRegistry.Chain.All
            .Select(p => p.Id == "comp.schpf" ? p with { Minimum = 10 } : p)
            .ToList());
        var chain = new MasteringChain();
        chain.Prepare(new ProcessSpec(48000, 256, 2));
        var values = new ParameterSet(registry);
        ChainBinder.ApplyAll(values, chain, 24);
        values.Set("trim.gain", -3);      // applied before the compressor
        values.Set("hpf.freq", 40);       // applied before the compressor
        values.Set("limiter.ceiling", -2); // applied after it
        values.Set("comp.schpf", 15);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ChainBinder.ApplyAll(values, chain, 24));

        Assert.Contains("SidechainHighPassHz", error.Message);
        Assert.Equal(0, chain.Trim.GainDb);
        Assert.Equal(20, chain.HighPass.FrequencyHz);
        Assert.Equal(90, chain.Compressor.SidechainHighPassHz);
        Assert.Equal(-1, chain.Limiter.CeilingDbtp);
    }

    [Fact]
    public void SlopeChoices_AreTheFiltersSupportedSlopes()
    {
        Assert.Equal(ButterworthSlopes(), ChainBinder.SlopesDbPerOctave);
        foreach (string id in new[] { "hpf.slope", "eq.lowcut.slope", "eq.highcut.slope" })
        {
            ParameterDefinition p = ParameterRegistry.Chain[id];
            Assert.Equal(ChainBinder.SlopesDbPerOctave.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)), p.Choices);
        }
    }

    [Theory]
    [InlineData("comp.schpf", CompressorSettings.MinSidechainHighPassHz, CompressorSettings.MaxSidechainHighPassHz)]
    [InlineData("comp.threshold", CompressorSettings.MinThresholdDb, CompressorSettings.MaxThresholdDb)]
    [InlineData("comp.ratio", CompressorSettings.MinRatio, CompressorSettings.MaxRatio)]
    [InlineData("comp.attack", CompressorSettings.MinAttackMs, CompressorSettings.MaxAttackMs)]
    [InlineData("comp.release", CompressorSettings.MinReleaseMs, CompressorSettings.MaxReleaseMs)]
    [InlineData("width.monofreq", WidthSettings.MinMonoBelowHz, WidthSettings.MaxMonoBelowHz)]
    [InlineData("limiter.ceiling", LimiterSettings.MinCeilingDbtp, LimiterSettings.MaxCeilingDbtp)]
    [InlineData("limiter.lookahead", LimiterSettings.MinLookaheadMs, LimiterSettings.MaxLookaheadMs)]
    [InlineData("trim.gain", TrimSettings.MinGainDb, TrimSettings.MaxGainDb)]
    public void Registry_RangeAtTheStagesOwnLimits_IsTheStagesConstants(string id, double min, double max)
    {
        ParameterDefinition p = ParameterRegistry.Chain[id];
        Assert.Equal(min, p.Minimum);
        Assert.Equal(max, p.Maximum);
    }

    [Fact]
    public void CompressorSettings_SidechainHighPassLimits_AreWhatValidateAccepts()
    {
        new CompressorSettings { SidechainHighPassHz = CompressorSettings.MinSidechainHighPassHz }.Validate();
        new CompressorSettings { SidechainHighPassHz = CompressorSettings.MaxSidechainHighPassHz }.Validate();
        new CompressorSettings { SidechainHighPassHz = 0 }.Validate();
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompressorSettings { SidechainHighPassHz = Math.BitDecrement(CompressorSettings.MinSidechainHighPassHz) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompressorSettings { SidechainHighPassHz = Math.BitIncrement(CompressorSettings.MaxSidechainHighPassHz) }.Validate());
    }

    private static int[] ButterworthSlopes() => HardwareMaster.Dsp.Filters.ButterworthDesign.SupportedSlopesDbPerOctave.ToArray();
}
