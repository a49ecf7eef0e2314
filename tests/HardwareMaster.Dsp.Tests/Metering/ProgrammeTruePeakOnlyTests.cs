using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Tests.Metering;

/// <summary>
/// <see cref="ProgramMeter.ProgrammeTruePeakOnly"/> skips the interpolation of stretches that cannot raise the
/// programme's true-peak maximum: the report must be exactly the one of a meter that interpolates everything.
/// </summary>
public class ProgrammeTruePeakOnlyTests
{
    [Theory]
    [InlineData(48000, 2, 1)]
    [InlineData(44100, 2, 2)]
    [InlineData(96000, 1, 3)]
    [InlineData(48000, 2, 4)]
    public void Report_EqualsTheExactMetersReport(int sampleRateHz, int channels, int seed)
    {
        var random = new Random(seed);
        int frames = 4 * sampleRateHz;
        float[] left = new float[frames], right = new float[frames];
        double level = 0.1;
        for (int i = 0; i < frames; i++)
        {
            if (i % (sampleRateHz / 3) == 0)
            {
                level = Math.Pow(10, (-50 + (50 * random.NextDouble())) / 20); // sections from −50 to 0 dBFS
            }

            left[i] = (float)(level * ((2 * random.NextDouble()) - 1));
            right[i] = (float)(level * Math.Sin(i * 2.7));
            if (random.Next(20000) == 0)
            {
                left[i] = 0.99f; // isolated peaks, some later than louder sections
            }
        }

        if (seed == 4)
        {
            left[1234] = float.NaN;
            right[5000] = float.PositiveInfinity;
        }

        var exact = new ProgramMeter(sampleRateHz, channels);
        var screened = new ProgramMeter(sampleRateHz, channels) { ProgrammeTruePeakOnly = true };
        for (int start = 0; start < frames;)
        {
            int n = Math.Min(random.Next(1, 5000), frames - start);
            exact.Process(left.AsSpan(start, n), channels == 2 ? right.AsSpan(start, n) : default);
            screened.Process(left.AsSpan(start, n), channels == 2 ? right.AsSpan(start, n) : default);
            Assert.Equal(exact.TruePeakMax, screened.TruePeakMax);
            start += n;
        }

        Assert.Equal(exact.GetReport(), screened.GetReport());
    }
}
