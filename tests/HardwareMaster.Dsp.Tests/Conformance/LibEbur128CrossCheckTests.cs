using HardwareMaster.Dsp.Metering;
using Xunit.Abstractions;

namespace HardwareMaster.Dsp.Tests.Conformance;

/// <summary>
/// Cross-check against Debian's libebur128 on programme-like material (noise at changing levels,
/// tones, silence gaps, clipped sections), mono and stereo, at 44.1, 48 and 96 kHz.
/// </summary>
public class LibEbur128CrossCheckTests
{
    private readonly ITestOutputHelper _output;

    public LibEbur128CrossCheckTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<int, int, int, bool> Cases()
    {
        var data = new TheoryData<int, int, int, bool>();
        int seed = 1;
        foreach (int rate in new[] { 44100, 48000, 96000 })
        {
            data.Add(rate, 2, seed++, false);
            data.Add(rate, 1, seed++, false);
            data.Add(rate, 2, seed++, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ProgramMeter_ProgrammeMaterial_AgreesWithLibEbur128(int rate, int channels, int seed, bool clipped)
    {
        (float[] left, float[] right) = TestSignals.Programme(rate, 40.0, seed, clipped);
        var meter = new ProgramMeter(rate, channels);
        var meterWithSecondHop = new ProgramMeter(rate, channels, 10);
        using var reference = new LibEbur128.Meter(channels, rate, LibEbur128.ModeI | LibEbur128.ModeLra | LibEbur128.ModeTruePeak);

        // Feed both in 1 s pieces (a multiple of the sub-block at these rates) and compare the
        // short-term loudness at every piece boundary after 3 s where it is above the gate.
        int piece = rate;
        double worstShortTerm = 0.0;
        int compared = 0;
        for (int start = 0; start < left.Length; start += piece)
        {
            int n = Math.Min(piece, left.Length - start);
            ReadOnlySpan<float> l = left.AsSpan(start, n);
            ReadOnlySpan<float> r = channels == 2 ? right.AsSpan(start, n) : ReadOnlySpan<float>.Empty;
            meter.Process(l, r);
            meterWithSecondHop.Process(l, r);
            reference.Add(l, r);
            double expected = reference.ShortTerm;
            if (start + n >= 3 * rate && n == piece && expected > -70.0)
            {
                worstShortTerm = Math.Max(worstShortTerm, Math.Abs(meter.ShortTermLufs - expected));
                compared++;
            }
        }

        LoudnessReport report = meter.GetReport();
        double integratedError = report.IntegratedLufs!.Value - reference.Integrated;
        double truePeakError = report.TruePeakDbtp - reference.TruePeakDbtp;
        double rangeError = report.LoudnessRangeLu!.Value - reference.Range;
        double rangeErrorSameHop = meterWithSecondHop.GetReport().LoudnessRangeLu!.Value - reference.Range;
        _output.WriteLine($"{rate} Hz, {channels} ch: I {report.IntegratedLufs:F3} (ref {reference.Integrated:F3}, Δ {integratedError:+0.000;-0.000;0.000}), " +
            $"S worst Δ {worstShortTerm:F4} over {compared}, TP {report.TruePeakDbtp:F3} (ref {reference.TruePeakDbtp:F3}, Δ {truePeakError:+0.000;-0.000;0.000}), " +
            $"LRA {report.LoudnessRangeLu:F3} (ref {reference.Range:F3}, Δ {rangeError:+0.000;-0.000;0.000}; with libebur128's 1 s hop Δ {rangeErrorSameHop:+0.000;-0.000;0.000})" +
            (clipped ? " [clipped]" : string.Empty));

        Assert.True(compared >= 10);
        Assert.InRange(integratedError, -0.05, 0.05);
        Assert.InRange(worstShortTerm, 0.0, 0.05);
        // Clipped material included: hard clipping puts energy up to Nyquist, where the reading depends
        // on the interpolation filter's transition band; ours is of the same Annex 2 kind as libebur128's.
        Assert.InRange(truePeakError, -0.1, 0.1);

        // Same hop as libebur128 (1 s): the histogram must reproduce its exact LRA.
        Assert.InRange(rangeErrorSameHop, -0.05, 0.05);
    }
}
