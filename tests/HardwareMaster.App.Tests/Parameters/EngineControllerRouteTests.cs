using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Processors;
using HardwareMaster.Hal.Audio;

namespace HardwareMaster.App.Tests.Parameters;

/// <summary>
/// <see cref="EngineController.Set(string, double)"/> applies only the stage a parameter feeds, and every parameter —
/// bypasses, loudness gain and trim included — reaches the chain through its setters, never through the engine's ring:
/// a full ring cannot make the values (the LEDs) and the chain (the audio) disagree.
/// </summary>
[Collection(nameof(HardwareMaster.Hal.Tests.AudioFiles.AllocationMeasurements))] // allocation counts: run alone (other tests' GCs disturb the per-thread counter)
public class EngineControllerRouteTests
{
    private static (AudioEngine Engine, EngineController Controller) Create(int queueCapacity = 256)
    {
        var engine = new AudioEngine(new MasteringChain(), queueCapacity);
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), ditherBits: 24);
        engine.Prepare(48000, 64, paced: false, 0);
        return (engine, controller);
    }

    private static void FillRing(AudioEngine engine)
    {
        int posted = 0;
        while (engine.TryPost(new EngineMessage(EngineMessageKind.FadeIn, 0, 10)))
        {
            posted++;
            Assert.True(posted < 100_000, "the ring never filled");
        }
    }

    private static void Process(AudioEngine engine, int blocks)
    {
        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        for (int b = 0; b < blocks; b++)
        {
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
        }
    }

    private static readonly (string Id, ChainStage Stage)[] Bypasses =
    [
        (ParameterIds.HpfBypass, ChainStage.HighPass),
        (ParameterIds.EqBypass, ChainStage.Eq),
        (ParameterIds.CompBypass, ChainStage.Compressor),
        (ParameterIds.WidthBypass, ChainStage.Width),
        (ParameterIds.LimiterBypass, ChainStage.Limiter),
    ];

    [Fact]
    public void Set_BypassesWithTheRingFull_ValuesAndChainAlwaysAgree()
    {
        (AudioEngine engine, EngineController controller) = Create(queueCapacity: 16);
        FillRing(engine);
        for (int round = 0; round < 40; round++)
        {
            foreach ((string id, ChainStage stage) in Bypasses)
            {
                controller.Set(id, (round + (int)stage) % 3 == 0 ? 1 : 0);
                foreach ((string otherId, ChainStage otherStage) in Bypasses)
                {
                    Assert.Equal(controller.Values.IsOn(otherId), engine.Chain.IsBypassed(otherStage));
                }
            }

            if (round % 8 == 7)
            {
                Process(engine, 1); // the audio thread drains some commands; the ring fills again below
                FillRing(engine);
            }
        }
    }

    [Fact]
    public void Set_LoudnessGainAndTrimWithTheRingFull_ReachTheChainAndTheAudio()
    {
        (AudioEngine engine, EngineController controller) = Create(queueCapacity: 16);
        FillRing(engine);

        Assert.True(controller.Set(ParameterIds.LoudnessGain, 6.5));
        Assert.True(controller.Set(ParameterIds.TrimGain, -3.2));

        Assert.Equal(6.5, engine.Chain.LoudnessGainDb);
        Assert.Equal(-3.2, engine.Chain.Trim.GainDb);
        Assert.Equal(6.5, controller.Values[ParameterIds.LoudnessGain]);
        Assert.Equal(-3.2, controller.Values[ParameterIds.TrimGain]);
    }

    [Fact]
    public void Set_OneEqBand_LeavesEveryOtherStageAndBandUntouched()
    {
        (AudioEngine engine, EngineController controller) = Create();
        MasteringChain chain = engine.Chain;
        var before = new object[]
        {
            chain.Trim, chain.HighPass, chain.Compressor, chain.Width, chain.Limiter, chain.Dither,
            chain.GetEqBand(0), chain.GetEqBand(1), chain.GetEqBand(2), chain.GetEqBand(4), chain.GetEqBand(5), chain.GetEqBand(6),
        };

        Assert.True(controller.Set(ParameterIds.EqBell2Gain, 2.5));
        Assert.True(controller.Set(ParameterIds.EqBell2Freq, 1200));

        var after = new object[]
        {
            chain.Trim, chain.HighPass, chain.Compressor, chain.Width, chain.Limiter, chain.Dither,
            chain.GetEqBand(0), chain.GetEqBand(1), chain.GetEqBand(2), chain.GetEqBand(4), chain.GetEqBand(5), chain.GetEqBand(6),
        };
        for (int i = 0; i < before.Length; i++)
        {
            if (before[i].GetType().IsValueType || before[i] is TrimSettings)
            {
                Assert.Equal(before[i], after[i]); // EQ bands, the high-pass and the trim (a gain, read back as a record) are values
            }
            else
            {
                Assert.Same(before[i], after[i]); // not even rebuilt
            }
        }

        Assert.Equal(2.5, chain.GetEqBand(3).GainDb);
        Assert.Equal(1200, chain.GetEqBand(3).FrequencyHz);
    }

    [Fact]
    public void Set_CompressorThreshold_LeavesTheOtherStagesUntouched()
    {
        (AudioEngine engine, EngineController controller) = Create();
        MasteringChain chain = engine.Chain;
        object trim = chain.Trim, dither = chain.Dither, width = chain.Width;
        var band = chain.GetEqBand(3);

        Assert.True(controller.Set(ParameterIds.CompThreshold, -24));

        Assert.Equal(trim, chain.Trim); // the trim is a gain, read back as a record
        Assert.Same(dither, chain.Dither);
        Assert.Equal(width, chain.Width);
        Assert.Equal(band, chain.GetEqBand(3));
        Assert.Equal(-24, chain.Compressor.ThresholdDb);
    }

    [Fact]
    public void Set_TheValueItAlreadyHas_ReturnsFalseAndChangesNothing()
    {
        (AudioEngine engine, EngineController controller) = Create();
        CompressorSettings compressor = engine.Chain.Compressor;

        Assert.False(controller.Set(ParameterIds.CompThreshold, ParameterRegistry.Chain[ParameterIds.CompThreshold].Default));
        Assert.True(controller.Set(ParameterIds.CompThreshold, 1e9)); // clamped to the maximum
        Assert.False(controller.Set(ParameterIds.CompThreshold, 2e9)); // the maximum again

        Assert.Equal(ParameterRegistry.Chain[ParameterIds.CompThreshold].Maximum, engine.Chain.Compressor.ThresholdDb);
        Assert.NotEqual(compressor, engine.Chain.Compressor);
    }

    [Fact]
    public void SetByIndex_MatchesSetById()
    {
        (AudioEngine engine, EngineController controller) = Create();
        int index = ParameterRegistry.Chain.IndexOf(ParameterIds.LimiterCeiling);

        Assert.True(controller.Set(index, -2.5));

        Assert.Equal(-2.5, controller.Get(index));
        Assert.Equal(-2.5, controller.Values[ParameterIds.LimiterCeiling]);
        Assert.Equal(-2.5, engine.Chain.Limiter.CeilingDbtp);
    }

    [Theory]
    [InlineData(ParameterIds.CompBypass)]
    [InlineData(ParameterIds.LoudnessGain)]
    [InlineData(ParameterIds.TrimGain)]
    [InlineData(ParameterIds.EqBell2Gain)]
    [InlineData(ParameterIds.EqBell2Freq)]
    [InlineData(ParameterIds.EqLowCutFreq)]
    [InlineData(ParameterIds.HpfFreq)]
    [InlineData(ParameterIds.CompThreshold)]
    [InlineData(ParameterIds.CompAttack)]
    [InlineData(ParameterIds.CompSidechainHighPass)]
    [InlineData(ParameterIds.LimiterCeiling)]
    [InlineData(ParameterIds.LimiterRelease)]
    [InlineData(ParameterIds.Width)]
    [InlineData(ParameterIds.WidthMonoFreq)]
    [InlineData(ParameterIds.WidthMonoBass)]
    public void Set_GainFreqOrBypassDetent_AllocatesNothing(string id)
    {
        (AudioEngine engine, EngineController controller) = Create();
        Assert.True(controller.Set(ParameterIds.EqLowCutEnabled, 1));
        Assert.True(controller.Set(ParameterIds.WidthMonoBass, 1)); // so that a mono-below detent redesigns the crossover
        ParameterDefinition definition = ParameterRegistry.Chain[id];
        double value = definition.Default;

        // One audio block between detents (outside the count), as on the box: the audio thread picks each design up.
        // The first pass warms every path up (JIT); then four segments are counted. The per-thread counter can jump once
        // by the unused rest of the thread's allocation context when another thread's GC retires it (see
        // ProgramMeterTests), so the least-allocating segment must be 0: an allocation per detent shows in every one.
        float[] inL = new float[64], inR = new float[64], outL = new float[64], outR = new float[64];
        long smallest = long.MaxValue;
        for (int pass = 0; pass < 5; pass++)
        {
            long allocated = 0;
            for (int i = 0; i < 400; i++)
            {
                value = definition.Nudge(value, i % 40 < 20 ? 1 : -1);
                long before = GC.GetAllocatedBytesForCurrentThread();
                controller.Set(id, value);
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, i));
            }

            smallest = pass == 0 ? smallest : Math.Min(smallest, allocated);
        }

        Assert.Equal(0, smallest);
    }
}
