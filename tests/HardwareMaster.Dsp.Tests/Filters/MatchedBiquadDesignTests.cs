using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Tests.Filters;

public class MatchedBiquadDesignTests
{
    // Tolerance (documented in dsp/README.md): shelves and bells within 0.5 dB of the analogue curve from 20 Hz
    // to 20 kHz (to 0.45·fs at 96 kHz); HP/LP cascades within 1.0 dB where the analogue level is above −12 dB and
    // within 1.5 dB down to −40 dB. Bells with Q below 1 centred above fs/3 are looser (see BellLowQNearNyquist test).
    private const double ToleranceDb = 0.5;

    private static double PassTolerance(double expectedDb) => expectedDb > -12 ? 1.0 : 1.5;

    private static IEnumerable<double> Grid(double sampleRateHz)
    {
        double top = Math.Min(20000, 0.45 * sampleRateHz);
        for (double f = 20; f <= top; f *= 1.05)
        {
            yield return f;
        }

        yield return top;
    }

    [Theory]
    [InlineData(44100, 16000, 6.0, 0.7071)]
    [InlineData(44100, 16000, -6.0, 0.7071)]
    [InlineData(44100, 16000, 12.0, 0.7071)]
    [InlineData(44100, 16000, -12.0, 0.7071)]
    [InlineData(48000, 10000, 4.0, 0.5)]
    [InlineData(96000, 16000, 6.0, 0.7071)]
    [InlineData(44100, 20000, 6.0, 0.7071)]
    public void HighShelf_NearNyquist_MatchesAnaloguePrototype(int sampleRateHz, double f0, double gainDb, double q)
    {
        var c = MatchedBiquadDesign.HighShelf(f0, gainDb, q, sampleRateHz);
        Assert.True(c.IsStable);
        foreach (double f in Grid(sampleRateHz))
        {
            double expected = AnalogPrototype.HighShelfDb(f, f0, gainDb, q);
            Assert.True(Math.Abs(c.MagnitudeDb(f, sampleRateHz) - expected) < ToleranceDb, $"f={f:F0} Hz: {c.MagnitudeDb(f, sampleRateHz):F3} vs {expected:F3} dB");
        }
    }

    [Theory]
    [InlineData(44100, 100, 6.0, 0.7071)]
    [InlineData(44100, 100, -9.0, 0.7071)]
    [InlineData(48000, 2000, 6.0, 1.0)]
    [InlineData(48000, 8000, -6.0, 0.7071)]
    [InlineData(96000, 40, 12.0, 0.7071)]
    public void LowShelf_AcrossRange_MatchesAnaloguePrototype(int sampleRateHz, double f0, double gainDb, double q)
    {
        var c = MatchedBiquadDesign.LowShelf(f0, gainDb, q, sampleRateHz);
        Assert.True(c.IsStable);
        foreach (double f in Grid(sampleRateHz))
        {
            double expected = AnalogPrototype.LowShelfDb(f, f0, gainDb, q);
            Assert.True(Math.Abs(c.MagnitudeDb(f, sampleRateHz) - expected) < ToleranceDb, $"f={f:F0} Hz: {c.MagnitudeDb(f, sampleRateHz):F3} vs {expected:F3} dB");
        }
    }

    [Theory]
    [InlineData(44100, 1000, 6.0, 1.0)]
    [InlineData(44100, 12000, 6.0, 1.4)]
    [InlineData(44100, 16000, -6.0, 2.0)]
    [InlineData(48000, 18000, 9.0, 1.5)]
    [InlineData(96000, 60, -12.0, 4.0)]
    [InlineData(48000, 3000, 12.0, 8.0)]
    public void Bell_AcrossRange_MatchesAnaloguePrototypeAndHitsGainAtCentre(int sampleRateHz, double f0, double gainDb, double q)
    {
        var c = MatchedBiquadDesign.Bell(f0, gainDb, q, sampleRateHz);
        Assert.True(c.IsStable);
        Assert.Equal(gainDb, c.MagnitudeDb(f0, sampleRateHz), 3);
        foreach (double f in Grid(sampleRateHz))
        {
            double expected = AnalogPrototype.BellDb(f, f0, gainDb, q);
            Assert.True(Math.Abs(c.MagnitudeDb(f, sampleRateHz) - expected) < ToleranceDb, $"f={f:F0} Hz: {c.MagnitudeDb(f, sampleRateHz):F3} vs {expected:F3} dB");
        }
    }

    [Theory]
    [InlineData(44100, 30, 12)]
    [InlineData(48000, 80, 24)]
    [InlineData(96000, 10, 18)]
    [InlineData(44100, 200, 6)]
    [InlineData(48000, 40, 48)]
    public void ButterworthHighPass_Slopes_MatchAnalogue(int sampleRateHz, double f0, int slope)
    {
        var sections = ButterworthDesign.HighPass(f0, slope, sampleRateHz);
        foreach (double f in Grid(sampleRateHz))
        {
            double db = 0;
            foreach (var s in sections)
            {
                Assert.True(s.IsStable);
                db += s.MagnitudeDb(f, sampleRateHz);
            }

            double expected = AnalogPrototype.ButterworthHighPassDb(f, f0, slope / 6);
            if (expected < -40)
            {
                continue; // deep stop band: compare only where the level matters
            }

            Assert.True(Math.Abs(db - expected) < PassTolerance(expected), $"f={f:F0} Hz: {db:F3} vs {expected:F3} dB");
        }
    }

    [Theory]
    [InlineData(44100, 18000, 12)]
    [InlineData(48000, 12000, 24)]
    [InlineData(96000, 20000, 6)]
    [InlineData(44100, 5000, 18)]
    public void ButterworthLowPass_Slopes_MatchAnalogueIncludingCorner(int sampleRateHz, double f0, int slope)
    {
        var sections = ButterworthDesign.LowPass(f0, slope, sampleRateHz);
        double corner = 0;
        foreach (var s in sections)
        {
            corner += s.MagnitudeDb(f0, sampleRateHz);
        }

        Assert.InRange(corner, -3.01 - 0.6, -3.01 + 0.6);
        foreach (double f in Grid(sampleRateHz))
        {
            double db = 0;
            foreach (var s in sections)
            {
                db += s.MagnitudeDb(f, sampleRateHz);
            }

            double expected = AnalogPrototype.ButterworthLowPassDb(f, f0, slope / 6);
            if (expected < -40)
            {
                continue;
            }

            Assert.True(Math.Abs(db - expected) < PassTolerance(expected), $"f={f:F0} Hz: {db:F3} vs {expected:F3} dB");
        }
    }

    [Theory]
    [InlineData(44100, 16000, 9.0, 0.7)]
    [InlineData(48000, 18000, -9.0, 0.5)]
    public void Bell_LowQNearNyquist_StaysWithinOneDecibelAndExactAtCentre(int sampleRateHz, double f0, double gainDb, double q)
    {
        var c = MatchedBiquadDesign.Bell(f0, gainDb, q, sampleRateHz);
        Assert.Equal(gainDb, c.MagnitudeDb(f0, sampleRateHz), 3);
        foreach (double f in Grid(sampleRateHz))
        {
            double expected = AnalogPrototype.BellDb(f, f0, gainDb, q);
            Assert.True(Math.Abs(c.MagnitudeDb(f, sampleRateHz) - expected) < 1.0, $"f={f:F0} Hz");
        }
    }

    [Fact]
    public void HighShelf_InverseOfOppositeGain_IsExactReciprocal()
    {
        var up = MatchedBiquadDesign.HighShelf(16000, 6, 0.7071, 44100);
        var down = MatchedBiquadDesign.HighShelf(16000, -6, 0.7071, 44100);
        foreach (double f in new[] { 100.0, 5000, 16000, 21000 })
        {
            Assert.Equal(0, up.MagnitudeDb(f, 44100) + down.MagnitudeDb(f, 44100), 9);
        }
    }

    [Fact]
    public void BiquadCoefficients_Identity_IsZeroDb()
    {
        Assert.Equal(0, BiquadCoefficients.Identity.MagnitudeDb(1234, 48000), 12);
    }
}
