using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

public class StereoWidthTests
{
    private static (float[] L, float[] R) Run(WidthSettings settings, float[] l, float[] r)
    {
        var w = new StereoWidth { Settings = settings };
        w.Prepare(new ProcessSpec(48000, 256, 2));
        var a = (float[])l.Clone();
        var b = (float[])r.Clone();
        TestSignals.ProcessInBlocks(w, a, b, 256);
        return (a, b);
    }

    [Fact]
    public void Process_WidthZero_GivesMono()
    {
        var (l, r) = Run(new WidthSettings { WidthPercent = 0 }, TestSignals.Noise(4800, 0.5, 1), TestSignals.Noise(4800, 0.5, 2));
        for (int i = 0; i < l.Length; i++)
        {
            Assert.Equal(l[i], r[i]);
        }
    }

    [Fact]
    public void Process_Width200_DoublesSide()
    {
        var l0 = TestSignals.Noise(4800, 0.3, 1);
        var r0 = TestSignals.Noise(4800, 0.3, 2);
        var (l, r) = Run(new WidthSettings { WidthPercent = 200 }, l0, r0);
        for (int i = 0; i < l.Length; i++)
        {
            Assert.True(Math.Abs(((l0[i] - (double)r0[i]) * 2.0) - (l[i] - (double)r[i])) < 1e-6);
            Assert.True(Math.Abs(l0[i] + (double)r0[i] - (l[i] + (double)r[i])) < 1e-6);
        }
    }

    [Fact]
    public void Process_Default_IsExactPassThrough()
    {
        var l0 = TestSignals.Noise(4800, 0.3, 1);
        var r0 = TestSignals.Noise(4800, 0.3, 2);
        var (l, r) = Run(new WidthSettings(), l0, r0);
        Assert.Equal(l0, l);
        Assert.Equal(r0, r);
    }

    [Fact]
    public void Process_MonoBelow_RemovesLowSideButKeepsHighSide()
    {
        int n = 48000;
        var low = TestSignals.Sine(n, 40, 48000, 0.5);
        var high = TestSignals.Sine(n, 2000, 48000, 0.5);
        double SideRms(float[] x)
        {
            var inverted = x.Select(v => -v).ToArray();
            var (l, r) = Run(new WidthSettings { MonoBelowHz = 150 }, x, inverted);
            var side = l.Zip(r, (a, b) => (a - b) / 2).Skip(n / 2).ToArray();
            return TestSignals.Rms(side);
        }

        Assert.True(SideRms(low) < 0.5 * 0.7071 * 0.1); // 40 Hz is > 2 octaves below 150 Hz: < −20 dB
        Assert.InRange(SideRms(high), 0.5 * 0.7071 * 0.98, 0.5 * 0.7071 * 1.02);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(61)]
    [InlineData(1)]
    public void Process_SettledWidth_BitIdenticalToTheMidSideFormula(int blockFrames)
    {
        // The settled, mono-below-off fast path (two frames per vector) against the per-sample formula in double.
        var w = new StereoWidth { Settings = new WidthSettings { WidthPercent = 110 } };
        w.Prepare(new ProcessSpec(48000, 512, 2));
        TestSignals.ProcessInBlocks(w, TestSignals.Noise(48000, 0.3, 3), TestSignals.Noise(48000, 0.3, 4), 512); // settles
        float[] l0 = TestSignals.Noise(4801, 0.5, 5), r0 = TestSignals.Noise(4801, 0.5, 6);
        l0[10] = 1e-31f;
        r0[10] = 1e-31f; // a result below 1e-30 is flushed to 0
        var l = (float[])l0.Clone();
        var r = (float[])r0.Clone();
        TestSignals.ProcessInBlocks(w, l, r, blockFrames);
        for (int i = 0; i < l0.Length; i++)
        {
            double mid = (l0[i] + (double)r0[i]) * 0.5;
            double side = (l0[i] - (double)r0[i]) * 0.5 * 1.1;
            float el = Math.Abs(mid + side) < 1e-30 ? 0f : (float)(mid + side);
            float er = Math.Abs(mid - side) < 1e-30 ? 0f : (float)(mid - side);
            Assert.Equal(BitConverter.SingleToInt32Bits(el), BitConverter.SingleToInt32Bits(l[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(er), BitConverter.SingleToInt32Bits(r[i]));
        }
    }
}
