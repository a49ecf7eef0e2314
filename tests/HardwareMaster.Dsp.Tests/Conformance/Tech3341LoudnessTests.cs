using HardwareMaster.Dsp.Metering;
using static HardwareMaster.Dsp.Tests.Conformance.TestSignals;

namespace HardwareMaster.Dsp.Tests.Conformance;

/// <summary>
/// EBU Tech 3341 (v4) loudness cases synthesised from their descriptions: stereo 1 kHz tones with
/// identical channels, tolerance ±0.1 LU. Case 6 (5.0 surround) needs five channels and cases 7 and 8
/// are programme recordings: not applicable / not synthesisable here (the libebur128 cross-check
/// covers programme material). Case 11 is synthesised as consecutive 3 s tones whose short-term
/// loudness is read at the end of each; cases 10 and 13 as bursts of exactly 3 s / 0.4 s at 20
/// offsets that do not line up with any 100 ms or 2.5 ms grid.
/// </summary>
public class Tech3341LoudnessTests
{
    private const double Tolerance = 0.1;

    // Odd block length so readings do not line up with the meter's internal grid.
    private const int BlockFrames = 997;

    public static TheoryData<int> Rates() => new() { 44100, 48000, 96000 };

    private static void AssertNear(double expected, double? actual, string what)
    {
        Assert.True(actual.HasValue, $"{what}: no value");
        Assert.True(Math.Abs(actual!.Value - expected) <= Tolerance, $"{what}: {actual:F3}, expected {expected} ±{Tolerance}");
    }

    [Theory]
    [InlineData(44100, -23.0)]
    [InlineData(48000, -23.0)]
    [InlineData(96000, -23.0)]
    [InlineData(44100, -33.0)]
    [InlineData(48000, -33.0)]
    [InlineData(96000, -33.0)]
    public void Cases1And2_SteadyTone_MomentaryShortTermIntegratedAtLevel(int rate, double level)
    {
        float[] x = ToneSequence(rate, new Tone(level, 20));
        var momentary = new List<double>();
        var shortTerm = new List<double>();
        ProgramMeter meter = MeterHarness.Run(rate, x, null, 2, BlockFrames, (m, fed) =>
        {
            if (fed >= 0.4 * rate)
            {
                momentary.Add(m.MomentaryLufs);
            }

            if (fed >= 3.0 * rate)
            {
                shortTerm.Add(m.ShortTermLufs);
            }
        });
        AssertNear(level, MeterHarness.Furthest(momentary, level), "M");
        AssertNear(level, MeterHarness.Furthest(shortTerm, level), "S");
        AssertNear(level, meter.GetReport().IntegratedLufs, "I");
    }

    public static TheoryData<int, int> GatingCases()
    {
        var data = new TheoryData<int, int>();
        foreach (int rate in new[] { 44100, 48000, 96000 })
        {
            data.Add(rate, 3);
            data.Add(rate, 4);
            data.Add(rate, 5);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GatingCases))]
    public void Cases3To5_GatedSequences_IntegratedMinus23(int rate, int caseNumber)
    {
        Tone[] tones = caseNumber switch
        {
            3 => [new(-36, 10), new(-23, 60), new(-36, 10)],
            4 => [new(-72, 10), new(-36, 10), new(-23, 60), new(-36, 10), new(-72, 10)],
            _ => [new(-26, 20), new(-20, 20.1), new(-26, 20)],
        };
        float[] x = ToneSequence(rate, tones);
        ProgramMeter meter = MeterHarness.Run(rate, x, null, 2, 4096);
        AssertNear(-23.0, meter.GetReport().IntegratedLufs, $"case {caseNumber} I");
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void Case9_AlternatingBursts_ShortTermConstantMinus23(int rate)
    {
        float[] x = ToneSequence(rate, Repeat(5, new Tone(-20, 1.34), new Tone(-30, 1.66)));
        var shortTerm = new List<double>();
        MeterHarness.Run(rate, x, null, 2, BlockFrames, (m, fed) =>
        {
            if (fed >= 3.0 * rate)
            {
                shortTerm.Add(m.ShortTermLufs);
            }
        });
        Assert.True(shortTerm.Count > 100);
        AssertNear(-23.0, MeterHarness.Furthest(shortTerm, -23.0), "S");
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void Case12_AlternatingBursts_MomentaryConstantMinus23(int rate)
    {
        float[] x = ToneSequence(rate, Repeat(25, new Tone(-20, 0.18), new Tone(-30, 0.22)));
        var momentary = new List<double>();
        MeterHarness.Run(rate, x, null, 2, BlockFrames, (m, fed) =>
        {
            if (fed >= 0.4 * rate)
            {
                momentary.Add(m.MomentaryLufs);
            }
        });
        Assert.True(momentary.Count > 100);
        AssertNear(-23.0, MeterHarness.Furthest(momentary, -23.0), "M");
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void Case11_ThreeSecondSteps_ShortTermAtEndOfEachStep(int rate)
    {
        var tones = new Tone[20];
        for (int i = 0; i < tones.Length; i++)
        {
            tones[i] = new Tone(-38 + i, 3.0);
        }

        float[] x = ToneSequence(rate, tones);
        int stepFrames = 3 * rate;
        var meter = new ProgramMeter(rate, 2);
        for (int i = 0; i < tones.Length; i++)
        {
            // Blocks of arbitrary size inside each step; the reading is taken at the step's end.
            int start = i * stepFrames;
            int first = 12345 % stepFrames;
            meter.Process(x.AsSpan(start, first), x.AsSpan(start, first));
            meter.Process(x.AsSpan(start + first, stepFrames - first), x.AsSpan(start + first, stepFrames - first));
            AssertNear(tones[i].LevelDbfs, meter.ShortTermLufs, $"S at end of step {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void Case10_ThreeSecondBurstAtTwentyOffsets_MaxShortTermMinus23(int rate)
    {
        for (int k = 0; k < 20; k++)
        {
            double offsetSeconds = 0.5 + (k * 0.00731);
            float[] x = ToneSequence(rate, new Tone(double.NegativeInfinity, offsetSeconds), new Tone(-23, 3.0), new Tone(double.NegativeInfinity, 1.0));
            ProgramMeter meter = MeterHarness.Run(rate, x, null, 2, 4800);
            AssertNear(-23.0, meter.GetReport().MaxShortTermLufs, $"max S, offset {offsetSeconds:F5} s");
        }
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void Case13_FourHundredMsBurstAtTwentyOffsets_MaxMomentaryMinus23(int rate)
    {
        for (int k = 0; k < 20; k++)
        {
            double offsetSeconds = 0.5 + (k * 0.00731);
            float[] x = ToneSequence(rate, new Tone(double.NegativeInfinity, offsetSeconds), new Tone(-23, 0.4), new Tone(double.NegativeInfinity, 1.0));
            ProgramMeter meter = MeterHarness.Run(rate, x, null, 2, 4800);
            AssertNear(-23.0, meter.GetReport().MaxMomentaryLufs, $"max M, offset {offsetSeconds:F5} s");
        }
    }
}
