using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;

namespace HardwareMaster.App.Tests.Parameters;

/// <summary><see cref="ChainBinder.ApplyParameter"/> (one stage) leaves the chain exactly as <see cref="ChainBinder.ApplyAll"/> (everything) would.</summary>
public class ChainBinderApplyParameterTests
{
    public static TheoryData<string> EveryParameter()
    {
        var data = new TheoryData<string>();
        foreach (ParameterDefinition p in ParameterRegistry.Chain.All)
        {
            data.Add(p.Id);
        }

        return data;
    }

    private static string State(MasteringChain chain)
    {
        var parts = new List<string>
        {
            chain.Trim.ToString(), chain.HighPass.ToString(), chain.Compressor.ToString(), chain.Width.ToString(),
            chain.LoudnessGainDb.ToString("R", System.Globalization.CultureInfo.InvariantCulture), chain.Limiter.ToString(), chain.Dither.ToString(),
        };
        for (int band = 0; band < 7; band++)
        {
            parts.Add(chain.GetEqBand(band).ToString());
        }

        foreach (ChainStage stage in new[] { ChainStage.HighPass, ChainStage.Eq, ChainStage.Compressor, ChainStage.Width, ChainStage.Limiter })
        {
            parts.Add(stage + "=" + chain.IsBypassed(stage));
        }

        return string.Join('\n', parts);
    }

    [Theory]
    [MemberData(nameof(EveryParameter))]
    public void ApplyParameter_OneChangedValue_GivesTheSameChainAsApplyAll(string id)
    {
        var values = new ParameterSet(ParameterRegistry.Chain);
        values.Set(ParameterIds.EqLowCutEnabled, 1); // so the cut bands' frequency and slope are live
        values.Set(ParameterIds.EqHighCutEnabled, 1);
        values.Set(ParameterIds.WidthMonoBass, 1);
        var incremental = new MasteringChain();
        ChainBinder.ApplyAll(values, incremental, 24);

        ParameterDefinition p = ParameterRegistry.Chain[id];
        double changed = p.Nudge(values[id], values[id] >= p.Maximum ? -3 : 3);
        values.Set(id, changed);
        ChainBinder.ApplyParameter(values, id, incremental, 24);
        var full = new MasteringChain();
        ChainBinder.ApplyAll(values, full, 24);

        Assert.Equal(State(full), State(incremental));
    }
}
