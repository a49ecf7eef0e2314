using HardwareMaster.Dsp.Metering;
using static HardwareMaster.Dsp.Tests.Conformance.TestSignals;

namespace HardwareMaster.Dsp.Tests.Conformance;

/// <summary>
/// EBU Tech 3342 (v4) loudness-range cases 1–4 (stereo 1 kHz tone sequences), tolerance ±1 LU.
/// Cases 5 and 6 are programme recordings (not synthesisable). The measured value is also held to
/// ±0.1 LU of the nominal range, since with tones the histogram's bin means are exact.
/// </summary>
public class Tech3342Tests
{
    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (int rate in new[] { 44100, 48000, 96000 })
        {
            for (int c = 1; c <= 4; c++)
            {
                data.Add(rate, c);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LoudnessRange_Tech3342Case_WithinOneLu(int rate, int caseNumber)
    {
        (double expected, Tone[] tones) = caseNumber switch
        {
            1 => (10.0, new Tone[] { new(-20, 20), new(-30, 20) }),
            2 => (5.0, new Tone[] { new(-20, 20), new(-15, 20) }),
            3 => (20.0, new Tone[] { new(-40, 20), new(-20, 20) }),
            _ => (15.0, new Tone[] { new(-50, 20), new(-35, 20), new(-20, 20), new(-35, 20), new(-50, 20) }),
        };
        float[] x = ToneSequence(rate, tones);
        ProgramMeter meter = MeterHarness.Run(rate, x, null, 2, 4096);
        double? lra = meter.GetReport().LoudnessRangeLu;
        Assert.True(lra.HasValue);
        Assert.True(Math.Abs(lra!.Value - expected) <= 1.0, $"case {caseNumber}: LRA {lra:F3}, expected {expected} ±1");
        Assert.True(Math.Abs(lra.Value - expected) <= 0.1, $"case {caseNumber}: LRA {lra:F3}, expected {expected} (tones: ±0.1)");
    }
}
