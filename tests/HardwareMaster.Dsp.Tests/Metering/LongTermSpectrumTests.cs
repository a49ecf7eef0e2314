using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Tests.AudioFiles;
using Xunit;

namespace HardwareMaster.Dsp.Tests.Metering;

[Collection(nameof(AllocationMeasurements))]
public sealed class LongTermSpectrumTests
{
    private const double Rate = 48000;

    [Fact]
    public void BandLevelDb_FullScaleSine_ReadsMinus3DbInItsThirdOctaveOnly()
    {
        var spectrum = new LongTermSpectrum(Rate);
        float[] left = Sine(997, 1.0, Rate * 2);
        spectrum.Process(left, left);

        double edge = Math.Pow(10, 1.0 / 20);
        Assert.InRange(spectrum.BandLevelDb(1000 / edge, 1000 * edge), -3.06, -2.96);
        Assert.True(spectrum.BandLevelDb(400 / edge, 400 * edge) < -100, "a 997 Hz sine leaks into 400 Hz");
        Assert.True(spectrum.BandLevelDb(20, 20000, side: true) < -200, "identical channels have no side");
    }

    [Fact]
    public void Process_OppositeChannels_PutEverythingInTheSide()
    {
        var spectrum = new LongTermSpectrum(Rate, 4096);
        float[] left = Sine(120, 0.5, Rate);
        float[] right = left.Select(x => -x).ToArray();
        spectrum.Process(left, right);

        Assert.InRange(spectrum.BandLevelDb(100, 150, side: true), -9.1, -8.9); // side = 0.5 sine: −6.02 − 3.01 dB
        Assert.True(spectrum.BandLevelDb(20, 20000) < -200, "opposite channels have no mid");
    }

    [Fact]
    public void BandLevelDb_WhiteNoise_AddsUpToItsPowerAndIsFlat()
    {
        var random = new Random(7);
        float[] noise = new float[(int)Rate * 4];
        double power = 0;
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] = (float)((random.NextDouble() * 2) - 1) * 0.5f;
            power += noise[i] * (double)noise[i];
        }

        var spectrum = new LongTermSpectrum(Rate);
        spectrum.Process(noise, ReadOnlySpan<float>.Empty);

        Assert.InRange(spectrum.BandLevelDb(0, Rate), (10 * Math.Log10(power / noise.Length)) - 0.1, (10 * Math.Log10(power / noise.Length)) + 0.1);
        double low = spectrum.SmoothedLevelDb(200, 1.0 / 3), high = spectrum.SmoothedLevelDb(12000, 1.0 / 3);
        Assert.InRange(low - high, -0.5, 0.5);
    }

    [Fact]
    public void Process_NonFiniteSamples_CountAsSilence()
    {
        var spectrum = new LongTermSpectrum(Rate, 1024);
        float[] bad = Enumerable.Repeat(float.NaN, 4096).ToArray();
        bad[5] = float.PositiveInfinity;
        spectrum.Process(bad, bad);

        Assert.True(spectrum.Segments > 0);
        Assert.Equal(double.NegativeInfinity, spectrum.BandLevelDb(0, Rate));
    }

    [Fact]
    public void Process_AfterConstruction_AllocatesNothing()
    {
        var spectrum = new LongTermSpectrum(Rate, 2048);
        float[] block = Sine(440, 0.5, 512);
        spectrum.Process(block, block);
        Assert.Equal(0, AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 64; i++)
            {
                spectrum.Process(block, block);
            }
        }));
    }

    private static float[] Sine(double hz, double amplitude, double frames)
    {
        var samples = new float[(int)frames];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / Rate));
        }

        return samples;
    }
}
