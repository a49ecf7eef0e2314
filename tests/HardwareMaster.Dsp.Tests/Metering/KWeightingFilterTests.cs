using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Tests.Metering;

public class KWeightingFilterTests
{
    [Fact]
    public void Coefficients_At48k_MatchBs1770Tables()
    {
        // ITU-R BS.1770-4 Annex 1, Tables 1 and 2 (48 kHz).
        var filter = new KWeightingFilter(48000);
        (double b0, double b1, double b2, double a1, double a2) = filter.Stage1;
        Assert.Equal(1.53512485958697, b0, 1e-7);
        Assert.Equal(-2.69169618940638, b1, 1e-7);
        Assert.Equal(1.19839281085285, b2, 1e-7);
        Assert.Equal(-1.69065929318241, a1, 1e-7);
        Assert.Equal(0.73248077421585, a2, 1e-7);
        (double c1, double c2) = filter.Stage2;
        Assert.Equal(-1.99004745483398, c1, 1e-7);
        Assert.Equal(0.99007225036621, c2, 1e-7);
    }

    private static double GainDb(int rate, double frequencyHz)
    {
        var filter = new KWeightingFilter(rate);
        int frames = rate * 2;
        var x = new float[frames];
        for (int n = 0; n < frames; n++)
        {
            x[n] = (float)Math.Sin(2.0 * Math.PI * frequencyHz * n / rate);
        }

        filter.SumOfSquares(x.AsSpan(0, rate), false);
        double energy = filter.SumOfSquares(x.AsSpan(rate), false) / rate;
        return 10.0 * Math.Log10(energy / 0.5);
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(96000)]
    [InlineData(32000)]
    public void Response_DerivedForRate_MatchesResponseAt48k(int rate)
    {
        // The curve is an analogue target: it must not depend on the rate (bilinear warping stays
        // small well below Nyquist).
        foreach (double f in new[] { 30.0, 100.0, 997.0, 2000.0, 5000.0, 10000.0 })
        {
            Assert.Equal(GainDb(48000, f), GainDb(rate, f), 0.05);
        }
    }

    [Fact]
    public void Response_At997Hz_CancelsTheBs1770Offset()
    {
        // A 0 dBFS 997 Hz sine in one channel reads −3.01 LUFS: K-weighting gain ≈ +0.691 dB there.
        Assert.Equal(0.691, GainDb(48000, 997.0), 0.01);
    }

    [Fact]
    public void SumOfSquares_SanitizeNonFinite_StaysFinite()
    {
        var filter = new KWeightingFilter(48000);
        float[] x = [0.5f, float.NaN, float.PositiveInfinity, -0.5f, float.NegativeInfinity, 0.25f];
        double sum = filter.SumOfSquares(x, true);
        Assert.True(double.IsFinite(sum));
        Assert.True(double.IsFinite(filter.SumOfSquares(new float[100], false)));
    }

    [Fact]
    public void SumOfSquares_LongSilenceAfterSignal_FlushesToExactZero()
    {
        var filter = new KWeightingFilter(48000);
        filter.SumOfSquares([1f, -1f, 1f], false);
        var silence = new float[48000];
        for (int i = 0; i < 20; i++)
        {
            filter.SumOfSquares(silence, false);
        }

        Assert.Equal(0.0, filter.SumOfSquares(silence, false));
    }
}
