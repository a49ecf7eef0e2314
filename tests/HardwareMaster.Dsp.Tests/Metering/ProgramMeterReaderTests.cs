using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Tests.Metering;

/// <summary>
/// The parts of <see cref="ProgramMeter"/> the engine's meter reader uses: integrated loudness and loudness range read
/// from another thread under the histograms' seqlock, and the O(1) programme reset.
/// </summary>
public class ProgramMeterReaderTests
{
    private const int Rate = 48000;

    // Noise whose level steps every second between -30 and -14 dBFS-ish: a real loudness range.
    private static void Render(float[] left, float[] right, long start, ref uint seed, double baseGain = 1)
    {
        for (int i = 0; i < left.Length; i++)
        {
            long n = start + i;
            double gain = baseGain * (0.03 + (0.17 * ((n / Rate) % 5) / 4.0));
            seed = (seed * 1664525) + 1013904223;
            left[i] = (float)(gain * (((seed >> 8) / 16777216.0) - 0.5));
            right[i] = left[i] * 0.8f;
        }
    }

    [Fact]
    public void TryReadGatedLoudness_OwnerThread_EqualsTheReport()
    {
        var meter = new ProgramMeter(Rate, 2);
        float[] left = new float[480], right = new float[480];
        uint seed = 1;
        for (long start = 0; start < 12L * Rate; start += left.Length)
        {
            Render(left, right, start, ref seed);
            meter.Process(left, right);
        }

        LoudnessReport report = meter.GetReport();
        Assert.True(meter.TryReadGatedLoudness(out double integrated, out double range));
        Assert.Equal(report.IntegratedLufs!.Value, integrated);
        Assert.Equal(report.LoudnessRangeLu!.Value, range);
        Assert.True(range > 3, $"LRA {range}");
    }

    [Fact]
    public void TryReadGatedLoudness_TooShortOrSilent_IsNaN()
    {
        var meter = new ProgramMeter(Rate, 2);
        Assert.True(meter.TryReadGatedLoudness(out double integrated, out double range));
        Assert.True(double.IsNaN(integrated) && double.IsNaN(range));
        meter.Process(new float[Rate], new float[Rate]);
        Assert.True(meter.TryReadGatedLoudness(out integrated, out range));
        Assert.True(double.IsNaN(integrated) && double.IsNaN(range));
    }

    [Fact]
    public void TryReadGatedLoudness_FromAnotherThreadWhileProcessing_NeverThrowsAndStaysWithinTheProgramme()
    {
        // The writer (audio thread) measures 40 s of stepped noise; the reader scans continuously. Every reading it keeps
        // must be one the meter could have reported at some moment: integrated between the quietest and loudest step,
        // LRA between 0 and the span of the steps. A torn scan (half a block added) is never returned.
        var meter = new ProgramMeter(Rate, 2);
        int done = 0;
        var writer = new Thread(() =>
        {
            float[] left = new float[64], right = new float[64];
            uint seed = 7;
            for (long start = 0; start < 40L * Rate; start += left.Length)
            {
                Render(left, right, start, ref seed);
                meter.Process(left, right);
            }

            Volatile.Write(ref done, 1);
        }) { IsBackground = true, Name = "meter-writer" };

        long successes = 0;
        var failures = new List<string>();
        writer.Start();
        while (Volatile.Read(ref done) == 0 || successes == 0)
        {
            if (!meter.TryReadGatedLoudness(out double integrated, out double range) || double.IsNaN(integrated))
            {
                continue;
            }

            successes++;
            if (!(integrated > -45 && integrated < -15) || !(double.IsNaN(range) || (range >= 0 && range < 20)))
            {
                failures.Add($"I {integrated} LRA {range}");
            }
        }

        writer.Join();
        Assert.Empty(failures);
        Assert.True(meter.TryReadGatedLoudness(out double final, out _));
        Assert.Equal(meter.GetReport().IntegratedLufs!.Value, final);
    }

    [Fact]
    public void ResetProgramme_RestartsIntegratedPeaksAndDuration_ButNotMomentary()
    {
        var meter = new ProgramMeter(Rate, 2);
        var fresh = new ProgramMeter(Rate, 2);
        float[] left = new float[480], right = new float[480];
        uint seed = 3;
        for (long start = 0; start < 6L * Rate; start += left.Length)
        {
            Render(left, right, start, ref seed, baseGain: 4); // loud first programme
            meter.Process(left, right);
        }

        double momentaryBefore = meter.MomentaryLufs;
        meter.ResetProgramme();
        Assert.Equal(momentaryBefore, meter.MomentaryLufs);
        Assert.Equal(0, meter.DurationFrames);
        Assert.Equal(0f, meter.TruePeakMax);
        Assert.True(meter.TryReadGatedLoudness(out double integrated, out _));
        Assert.True(double.IsNaN(integrated));

        // The second programme: the reset meter reads it as a fresh meter does (windows before the reset excluded).
        for (long start = 0; start < 10L * Rate; start += left.Length)
        {
            Render(left, right, start, ref seed);
            float[] l2 = (float[])left.Clone(), r2 = (float[])right.Clone();
            meter.Process(left, right);
            fresh.Process(l2, r2);
        }

        LoudnessReport a = meter.GetReport(), b = fresh.GetReport();
        Assert.Equal(b.IntegratedLufs!.Value, a.IntegratedLufs!.Value, 0.05);
        Assert.Equal(b.LoudnessRangeLu!.Value, a.LoudnessRangeLu!.Value, 0.1);
        Assert.Equal(b.DurationFrames, a.DurationFrames);
        Assert.Equal(fresh.TruePeakMax, meter.TruePeakMax, 3);
    }

    [Fact]
    public void LastBlockTruePeak_IsTheBlocksPeakAndTruePeakMaxKeepsTheLargest()
    {
        var meter = new ProgramMeter(Rate, 2);
        float[] block = new float[240]; // whole cycles of 1 kHz: consecutive blocks join without a step
        for (int i = 0; i < block.Length; i++)
        {
            block[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / Rate));
        }

        meter.Process(block, block);
        meter.Process(block, block);
        float loudPeak = meter.LastBlockTruePeak;
        for (int i = 0; i < block.Length; i++)
        {
            block[i] *= 0.1f;
        }

        for (int b = 0; b < 4; b++)
        {
            meter.Process(block, block);
        }

        Assert.InRange(loudPeak, 0.49f, 0.52f);
        Assert.InRange(meter.LastBlockTruePeak, 0.049f, 0.052f);
        Assert.Equal(loudPeak, meter.TruePeakMax, 3);
    }
}
