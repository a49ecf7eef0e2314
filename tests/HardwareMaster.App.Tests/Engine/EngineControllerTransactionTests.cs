using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;

namespace HardwareMaster.App.Tests.Engine;

/// <summary>
/// <see cref="EngineController"/> applies each change all or nothing: a value the chain rejects leaves the previous
/// state in force (values and chain), the call reports it, and the controller keeps working (it used to keep the bad
/// value, so every later structural set threw again).
/// </summary>
public class EngineControllerTransactionTests
{
    /// <summary>The chain's registry with <c>comp.schpf</c> as it was before issue 10: 10..500 Hz, wider than the compressor takes.</summary>
    private static ParameterRegistry WiderThanTheCompressor()
    {
        var definitions = ParameterRegistry.Chain.All
            .Select(p => p.Id == "comp.schpf" ? p with { Minimum = 10 } : p)
            .ToList();
        return ParameterRegistry.Create(definitions);
    }

    private static (AudioEngine Engine, EngineController Controller) Create(ParameterRegistry registry)
    {
        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, new ParameterSet(registry), ditherBits: 0);
        engine.Prepare(48000, 64, paced: false, 0);
        return (engine, controller);
    }

    private static void AssertProcessesFinite(AudioEngine engine)
    {
        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        for (int b = 0; b < 8; b++)
        {
            for (int i = 0; i < 64; i++)
            {
                inL[i] = inR[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 440 * ((b * 64) + i) / 48000.0));
            }

            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            Assert.All(outL, x => Assert.True(float.IsFinite(x)));
            Assert.All(outR, x => Assert.True(float.IsFinite(x)));
        }
    }

    [Fact]
    public void Set_ValueTheChainRejects_ThrowsAndKeepsThePreviousValueInValuesAndChain()
    {
        (AudioEngine engine, EngineController controller) = Create(WiderThanTheCompressor());
        Assert.True(controller.Set("comp.schpf", 40));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => controller.Set("comp.schpf", 15));

        Assert.Contains("comp.schpf = 15 is not accepted by the chain", error.Message);
        Assert.Contains("20..500", error.Message);
        Assert.Contains("nothing changed", error.Message);
        Assert.Equal(40, controller.Values["comp.schpf"]);
        Assert.Equal(40, engine.Chain.Compressor.SidechainHighPassHz);
        AssertProcessesFinite(engine);
    }

    [Fact]
    public void Set_AfterARejectedValue_LaterStructuralAndFastSetsWork()
    {
        (AudioEngine engine, EngineController controller) = Create(WiderThanTheCompressor());
        Assert.Throws<ArgumentOutOfRangeException>(() => controller.Set("comp.schpf", 15));

        Assert.True(controller.Set("comp.threshold", -30));
        Assert.True(controller.Set("eq.bell2.gain", 3));
        Assert.True(controller.Set("comp.bypass", 1));
        controller.SetDitherBits(16);

        Assert.Equal(-30, engine.Chain.Compressor.ThresholdDb);
        Assert.Equal(90, engine.Chain.Compressor.SidechainHighPassHz);
        Assert.Equal(3, engine.Chain.GetEqBand(3).GainDb);
        Assert.Equal(16, engine.Chain.Dither.Bits);
        Assert.Equal(90, controller.Values["comp.schpf"]);
        Assert.Equal(-30, controller.Values["comp.threshold"]);
        AssertProcessesFinite(engine);
        Assert.True(engine.Chain.IsBypassed(ChainStage.Compressor));
    }

    [Fact]
    public void Set_EveryParameterAtItsEdgesAndOneEncoderStepIn_IsAcceptedAndApplied()
    {
        (AudioEngine engine, EngineController controller) = Create(ParameterRegistry.Chain);
        foreach (ParameterDefinition p in ParameterRegistry.Chain.All)
        {
            foreach (double value in new[] { p.Minimum, p.Nudge(p.Minimum, 1), p.Nudge(p.Minimum, -1), p.Maximum, p.Nudge(p.Maximum, -1), p.Default })
            {
                Exception? error = Record.Exception(() => controller.Set(p.Id, value));
                Assert.True(error is null, $"{p.Id} = {value}: {error?.Message}");
                Assert.Equal(p.Clamp(value), controller.Values[p.Id]);
            }
        }

        Assert.Equal(ParameterRegistry.Chain["comp.schpf"].Default, engine.Chain.Compressor.SidechainHighPassHz);
        AssertProcessesFinite(engine);
    }
}
