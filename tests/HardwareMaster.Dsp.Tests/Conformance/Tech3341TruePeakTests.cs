using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Tests.Conformance;

/// <summary>
/// EBU Tech 3341 (v4) true-peak cases 15–19, synthesised: mono sines at fs/4, fs/6, fs/8 whose
/// starting phase puts every sample off the waveform peak. Tolerance +0.2/−0.4 dB.
/// Each signal is 1 s long with a 20 ms raised-cosine fade at both ends, as a steady-state sine is
/// described; an abrupt start at non-zero phase would add the Gibbs overshoot of a step.
/// </summary>
public class Tech3341TruePeakTests
{
    internal static float[] FadedSine(int rate, double fraction, double phaseDegrees, double peakDb, double seconds)
    {
        int frames = (int)Math.Round(seconds * rate);
        int fade = (int)(0.02 * rate);
        double amplitude = Math.Pow(10.0, peakDb / 20.0);
        double phase = phaseDegrees * Math.PI / 180.0;
        var x = new float[frames];
        for (int n = 0; n < frames; n++)
        {
            double gain = 1.0;
            int edge = Math.Min(n, frames - 1 - n);
            if (edge < fade)
            {
                gain = 0.5 - (0.5 * Math.Cos(Math.PI * edge / fade));
            }

            x[n] = (float)(gain * amplitude * Math.Sin((2.0 * Math.PI * n / fraction) + phase));
        }

        return x;
    }

    public static TheoryData<int, int, double, double, double> Cases()
    {
        var data = new TheoryData<int, int, double, double, double>();
        foreach (int rate in new[] { 44100, 48000, 96000 })
        {
            data.Add(rate, 15, 4, 0.0, -6.0);
            data.Add(rate, 16, 4, 45.0, -6.0);
            data.Add(rate, 17, 6, 60.0, -6.0);
            data.Add(rate, 18, 8, 67.5, -6.0);
            data.Add(rate, 19, 4, 45.0, 3.0);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TruePeak_Tech3341Case_WithinTolerance(int rate, int caseNumber, double fraction, double phaseDegrees, double expectedDbtp)
    {
        float[] x = FadedSine(rate, fraction, phaseDegrees, expectedDbtp, 1.0);
        var detector = new TruePeakDetector(rate);
        float peak = detector.ProcessBlock(x);
        peak = Math.Max(peak, detector.ProcessBlock(new float[detector.LatencyFrames + 1]));
        double dbtp = 20.0 * Math.Log10(peak);
        Assert.True(dbtp <= expectedDbtp + 0.2 && dbtp >= expectedDbtp - 0.4, $"case {caseNumber} at {rate} Hz: {dbtp:F3} dBTP, expected {expectedDbtp}");
    }
}
