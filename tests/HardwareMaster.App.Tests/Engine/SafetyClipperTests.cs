using HardwareMaster.App.Engine;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;

namespace HardwareMaster.App.Tests.Engine;

/// <summary>No over ever reaches the device: the engine's 0 dBFS safety clipper behind the chain.</summary>
public class SafetyClipperTests
{
    private const int Rate = 48000;
    private const int Block = 64;

    private static (float MaxAbs, long Clipped) Run(bool limiterBypassed, bool bypassWhileRunning)
    {
        var chain = new MasteringChain();
        chain.SetLoudnessGainDb(8);
        chain.SetBypass(ChainStage.Compressor, true); // nothing but the limiter between the +8 dB and the device
        var engine = new AudioEngine(chain);
        engine.Prepare(Rate, Block, paced: false, fadeInMs: 0);
        if (limiterBypassed && !bypassWhileRunning)
        {
            chain.SetBypass(ChainStage.Limiter, true);
            chain.Reset();
        }

        var tone = new ToneSignal(997, -3, Rate); // +8 dB of loudness gain: +5 dBFS into the limiter
        float[] inL = new float[Block], inR = new float[Block], outL = new float[Block], outR = new float[Block];
        float maxAbs = 0;
        for (long frame = 0; frame < 2L * Rate; frame += Block)
        {
            if (limiterBypassed && bypassWhileRunning && frame == Rate)
            {
                chain.SetBypass(ChainStage.Limiter, true); // mid-stream: through the limiter's bypass crossfade
            }

            tone.Render(inL, inR, frame);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, frame / Block));
            for (int i = 0; i < Block; i++)
            {
                maxAbs = Math.Max(maxAbs, Math.Max(Math.Abs(outL[i]), Math.Abs(outR[i])));
            }
        }

        Assert.True(engine.ReadMeters().OutputPeakLeftDbfs <= 0);
        return (maxAbs, engine.ReadStatistics().ClippedSamples);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ProcessBlock_LimiterBypassedWithEightDbLoudnessGain_NoSampleBeyondFullScale(bool bypassWhileRunning)
    {
        (float maxAbs, long clipped) = Run(limiterBypassed: true, bypassWhileRunning);
        Assert.True(maxAbs <= 1f, $"output peak {maxAbs}");
        Assert.True(clipped > 0, "the +5 dBFS sine must have been clipped (and counted)");
    }

    [Fact]
    public void ProcessBlock_LimiterIn_ClipsNothing()
    {
        (float maxAbs, long clipped) = Run(limiterBypassed: false, bypassWhileRunning: false);
        Assert.True(maxAbs <= 0.9f, $"output peak {maxAbs} (the limiter's -1 dBTP ceiling)");
        Assert.Equal(0, clipped);
    }
}
