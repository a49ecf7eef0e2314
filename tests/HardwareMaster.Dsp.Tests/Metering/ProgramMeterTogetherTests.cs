using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Tests.Metering;

/// <summary><see cref="ProgramMeter.MeasureTogether"/>: the loudness of several programmes gated as one (an album).</summary>
public sealed class ProgramMeterTogetherTests
{
    [Fact]
    public void MeasureTogether_OneMeter_SameAsItsOwnReport()
    {
        ProgramMeter meter = Tone(48000, 997, 0.25, 5.0, seed: 1);
        LoudnessReport own = meter.GetReport();

        ProgramMeter.MeasureTogether([meter], out double integrated, out double range);

        Assert.Equal(own.IntegratedLufs!.Value, integrated, 9);
        Assert.Equal(own.LoudnessRangeLu!.Value, range, 9);
    }

    [Fact]
    public void MeasureTogether_TwoTonesOfEqualLength_EnergyMeanOfBoth()
    {
        // −3 LU apart, both above the relative gate of the pair: the album's loudness is the energy mean.
        ProgramMeter a = Tone(48000, 1000, 0.2, 4.0, seed: 0);
        ProgramMeter b = Tone(44100, 1000, 0.2 * Math.Pow(10, -3.0 / 20), 4.0, seed: 0);
        double la = a.GetReport().IntegratedLufs!.Value, lb = b.GetReport().IntegratedLufs!.Value;

        ProgramMeter.MeasureTogether([a, b], out double integrated, out _);

        double expected = 10 * Math.Log10((Math.Pow(10, la / 10) + Math.Pow(10, lb / 10)) / 2);
        Assert.Equal(expected, integrated, 2);
        Assert.InRange(integrated, lb + 0.5, la - 0.5); // not either track's own value
    }

    [Fact]
    public void MeasureTogether_QuietTrackBelowTheAlbumGate_LeftOut()
    {
        // A track 15 LU below the other falls under the album's relative gate (−10 LU), though it passes its own.
        ProgramMeter loud = Tone(48000, 1000, 0.3, 4.0, seed: 0);
        ProgramMeter quiet = Tone(48000, 1000, 0.3 * Math.Pow(10, -15.0 / 20), 4.0, seed: 0);

        ProgramMeter.MeasureTogether([loud, quiet], out double integrated, out _);

        Assert.NotNull(quiet.GetReport().IntegratedLufs);
        Assert.Equal(loud.GetReport().IntegratedLufs!.Value, integrated, 6);
    }

    [Fact]
    public void MeasureTogether_NoBlocks_NaN()
    {
        ProgramMeter.MeasureTogether([new ProgramMeter(48000, 2)], out double integrated, out double range);
        Assert.True(double.IsNaN(integrated));
        Assert.True(double.IsNaN(range));
    }

    private static ProgramMeter Tone(int rate, double hz, double amplitude, double seconds, int seed)
    {
        var meter = new ProgramMeter(rate, 2);
        int frames = (int)(seconds * rate);
        var l = new float[frames];
        var r = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            l[i] = r[i] = (float)(amplitude * Math.Sin((2 * Math.PI * hz * i / rate) + seed));
        }

        meter.Process(l, r);
        return meter;
    }
}
