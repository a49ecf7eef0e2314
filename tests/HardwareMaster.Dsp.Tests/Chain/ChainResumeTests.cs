using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Processors;
using HardwareMaster.Dsp.Tests.Processors;

namespace HardwareMaster.Dsp.Tests.Chain;

public class ChainResumeTests
{
    private static MasteringChain Configure(int block)
    {
        var chain = new MasteringChain();
        chain.SetTrim(new TrimSettings { GainDb = 2 });
        chain.SetEqBand(2, chain.GetEqBand(2) with { GainDb = 4 });
        chain.SetCompressor(new CompressorSettings { ThresholdDb = -24, SidechainHighPassHz = 80 });
        chain.SetWidth(new WidthSettings { WidthPercent = 120, MonoBelowHz = 120 });
        chain.SetLoudnessGainDb(9);
        chain.SetLimiter(new LimiterSettings { CeilingDbtp = -1 });
        chain.SetDither(new DitherSettings { Bits = 16 });
        chain.Prepare(new ProcessSpec(48000, block, 2));
        return chain;
    }

    [Theory]
    [InlineData(ChainStage.Compressor, 256)]
    [InlineData(ChainStage.LoudnessGain, 64)]
    public void ProcessStages_AfterProcessUntilOfTheSameBlocks_EqualsProcess(ChainStage split, int block)
    {
        float[] l = TestSignals.ClippedMix(30000, 48000, 0.9, 1, 5);
        float[] r = TestSignals.ClippedMix(30000, 48000, 0.8, 1, 6);
        l[777] = float.NaN;
        float[] referenceL = (float[])l.Clone(), referenceR = (float[])r.Clone();
        TestSignals.ProcessInBlocks(Configure(block), referenceL, referenceR, block);

        // First group of stages over the whole signal, then the rest from the kept output, each on its own chain.
        MasteringChain head = Configure(block), tail = Configure(block);
        for (int start = 0; start < l.Length; start += block)
        {
            int n = Math.Min(block, l.Length - start);
            head.ProcessUntil(split, new AudioBlock(l.AsSpan(start, n), r.AsSpan(start, n)));
        }

        for (int start = 0; start < l.Length; start += block)
        {
            int n = Math.Min(block, l.Length - start);
            tail.ProcessStages(split, ChainStage.Dither + 1, new AudioBlock(l.AsSpan(start, n), r.AsSpan(start, n)));
        }

        Assert.Equal(referenceL, l);
        Assert.Equal(referenceR, r);
        Assert.Equal(1, head.NonFiniteSampleCount);
        Assert.Equal(0, tail.NonFiniteSampleCount); // not sanitised again
        Assert.True(tail.ReadLimiterGainReduction().MaxSinceLastReadDb != 0, "the limiter ran in the second group");
    }
}
