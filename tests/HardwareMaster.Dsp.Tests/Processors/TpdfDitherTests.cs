using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

public class TpdfDitherTests
{
    private static float[] Dithered(DitherSettings settings, float[] input, int block = 512)
    {
        var d = new TpdfDither { Settings = settings };
        d.Prepare(new ProcessSpec(44100, 512, 1));
        var x = (float[])input.Clone();
        TestSignals.ProcessInBlocks(d, x, null, block);
        return x;
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    public void Process_Tpdf_ErrorHasZeroMeanQuarterLsbVarianceAndLiesOnGrid(int bits)
    {
        double lsb = 1.0 / (1 << (bits - 1));
        var input = TestSignals.Sine(200000, 441, 44100, 37.3 * lsb); // low-level signal, a few LSB
        var output = Dithered(new DitherSettings { Bits = bits, Seed = 42 }, input);
        double mean = 0, variance = 0, correlation = 0;
        for (int i = 0; i < input.Length; i++)
        {
            double q = output[i] / lsb;
            Assert.Equal(Math.Round(q), q); // exactly on the integer grid
            double e = (output[i] - (double)input[i]) / lsb;
            mean += e;
            variance += e * e;
            correlation += e * input[i] / lsb;
        }

        mean /= input.Length;
        variance /= input.Length;
        correlation /= input.Length;
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.25 * 0.97, 0.25 * 1.03); // TPDF (2 LSB wide) + rounding: Δ²/4
        Assert.InRange(correlation, -0.3, 0.3); // error independent of signal (signal RMS ≈ 26 LSB)
    }

    [Fact]
    public void Process_SameSeed_SameOutputAndDifferentSeed_DifferentOutput()
    {
        var input = TestSignals.Noise(10000, 0.5, 9);
        var a = Dithered(new DitherSettings { Bits = 16, Seed = 1 }, input, 64);
        var b = Dithered(new DitherSettings { Bits = 16, Seed = 1 }, input, 1);
        var c = Dithered(new DitherSettings { Bits = 16, Seed = 2 }, input, 64);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Process_BitsZero_IsExactPassThrough()
    {
        var input = TestSignals.Noise(4096, 0.9, 10);
        Assert.Equal(input, Dithered(new DitherSettings { Bits = 0 }, input));
    }

    [Fact]
    public void Process_FullScaleInput_ClipsToIntegerRange()
    {
        var input = Enumerable.Repeat(1.5f, 1000).Concat(Enumerable.Repeat(-1.5f, 1000)).ToArray();
        var output = Dithered(new DitherSettings { Bits = 16, NoiseShaping = NoiseShaping.Lipshitz5 }, input);
        Assert.All(output, v => Assert.InRange(v, -1f, 32767f / 32768f));
    }

    [Theory]
    [InlineData(NoiseShaping.FirstOrder)]
    [InlineData(NoiseShaping.Lipshitz5)]
    public void Process_NoiseShaping_MovesErrorAwayFromLowFrequencies(NoiseShaping shaping)
    {
        var input = TestSignals.Sine(88200, 1000, 44100, 0.25);
        double LowBandErrorPower(NoiseShaping s)
        {
            var output = Dithered(new DitherSettings { Bits = 16, NoiseShaping = s, Seed = 5 }, input);
            // Error through four cascaded one-pole low-passes at 1 kHz (24 dB/octave): power of the error's low band.
            double y1 = 0, y2 = 0, y3 = 0, y4 = 0, power = 0, a = 1 - Math.Exp(-2 * Math.PI * 1000 / 44100);
            for (int i = 0; i < input.Length; i++)
            {
                y1 += ((((double)output[i] - input[i]) * 32768) - y1) * a;
                y2 += (y1 - y2) * a;
                y3 += (y2 - y3) * a;
                y4 += (y3 - y4) * a;
                power += y4 * y4;
            }

            return power / input.Length;
        }

        Assert.True(LowBandErrorPower(shaping) < 0.5 * LowBandErrorPower(NoiseShaping.None));
    }

    [Theory]
    [InlineData(NoiseShaping.None)]
    [InlineData(NoiseShaping.FirstOrder)]
    [InlineData(NoiseShaping.Lipshitz5)]
    public void Process_Stereo_LeftMatchesMonoAndRightDitherIsIndependent(NoiseShaping shaping)
    {
        var settings = new DitherSettings { Bits = 16, NoiseShaping = shaping, Seed = 77 };
        var input = TestSignals.Noise(20000, 0.3, 11);
        var mono = Dithered(settings, input, 100);

        var d = new TpdfDither { Settings = settings };
        d.Prepare(new ProcessSpec(44100, 512, 2));
        var left = (float[])input.Clone();
        var right = (float[])input.Clone();
        TestSignals.ProcessInBlocks(d, left, right, 37);

        Assert.Equal(mono, left);
        double cross = 0, powerLeft = 0, powerRight = 0;
        for (int i = 0; i < input.Length; i++)
        {
            double el = (left[i] - (double)input[i]) * 32768, er = (right[i] - (double)input[i]) * 32768;
            cross += el * er;
            powerLeft += el * el;
            powerRight += er * er;
        }

        Assert.InRange(cross / Math.Sqrt(powerLeft * powerRight), -0.05, 0.05);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    public void Process_StereoFlat_SameForAnyBlockSize(int bits)
    {
        // The flat stereo path runs two frames at a time; one frame per block runs the frame-by-frame loop.
        var settings = new DitherSettings { Bits = bits, NoiseShaping = NoiseShaping.None, Seed = 5 };
        (float[] L, float[] R) Run(int block)
        {
            var d = new TpdfDither { Settings = settings };
            d.Prepare(new ProcessSpec(48000, 512, 2));
            var left = TestSignals.Noise(5000, 0.5, 1);
            var right = TestSignals.Noise(5000, 0.9, 2);
            right[100] = 1.5f; // clipped
            TestSignals.ProcessInBlocks(d, left, right, block);
            return (left, right);
        }

        var (refL, refR) = Run(1);
        foreach (int block in new[] { 2, 37, 512 })
        {
            var (l, r) = Run(block);
            Assert.Equal(refL, l);
            Assert.Equal(refR, r);
        }
    }
}
