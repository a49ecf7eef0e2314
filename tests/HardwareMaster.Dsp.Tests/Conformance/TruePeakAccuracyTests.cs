using HardwareMaster.Dsp.Metering;
using Xunit.Abstractions;

namespace HardwareMaster.Dsp.Tests.Conformance;

/// <summary>
/// True peak of wideband material against an ideal reconstruction (±4 000-sample Hann-windowed sinc
/// evaluated every 1/64 sample around the detected peak), and against libebur128, whose interpolator
/// is of the same BS.1770-4 Annex 2 kind as ours (12 taps per phase, −3 dB near 0.46·fs).
/// </summary>
public class TruePeakAccuracyTests
{
    private readonly ITestOutputHelper _output;

    public TruePeakAccuracyTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(44100, 11)]
    [InlineData(48000, 12)]
    [InlineData(96000, 13)]
    public void TruePeak_WhiteNoise_AgreesWithLibEbur128AndNearIdealReconstruction(int rate, int seed)
    {
        var random = new Random(seed);
        var x = new float[rate * 2];
        for (int n = 0; n < x.Length; n++)
        {
            // Uniform white noise up to Nyquist, peaks near 0.25.
            x[n] = (float)(0.25 * ((random.NextDouble() * 2.0) - 1.0));
        }

        var detector = new TruePeakDetector(rate);
        float best = 0f;
        int bestIndex = 0;
        for (int n = 0; n < x.Length; n++)
        {
            float y = detector.ProcessSample(x[n]);
            if (y > best)
            {
                best = y;
                bestIndex = n;
            }
        }

        int centre = bestIndex - detector.LatencyFrames;
        double ideal = 0.0;
        const int halfWidth = 4000;
        for (int f = -64; f <= 128; f++)
        {
            double t = centre + (f / 64.0);
            double sum = 0.0;
            for (int k = (int)t - halfWidth; k <= (int)t + halfWidth; k++)
            {
                if (k < 0 || k >= x.Length)
                {
                    continue;
                }

                double d = t - k;
                double sinc = d == 0.0 ? 1.0 : Math.Sin(Math.PI * d) / (Math.PI * d);
                double window = 0.5 + (0.5 * Math.Cos(Math.PI * d / (halfWidth + 1)));
                sum += x[k] * sinc * window;
            }

            ideal = Math.Max(ideal, Math.Abs(sum));
        }

        using var reference = new LibEbur128.Meter(1, rate, LibEbur128.ModeTruePeak);
        reference.Add(x, ReadOnlySpan<float>.Empty);
        double oursDb = 20.0 * Math.Log10(best);
        double idealDb = 20.0 * Math.Log10(ideal);
        _output.WriteLine($"{rate} Hz: ours {oursDb:F3} dBTP, ideal {idealDb:F3}, libebur128 {reference.TruePeakDbtp:F3}");

        // White noise has full energy up to Nyquist, where the Annex 2 kind of interpolator rolls off
        // (−3 dB at 0.46·fs): the interpolated waveform is a low-passed one, so its crest may sit a few
        // tenths of a dB either side of the ideal one (measured −0.45 … +0.37 dB for these seeds).
        // libebur128 reads the same material within 0.1 dB of us.
        Assert.InRange(oursDb - idealDb, -0.6, 0.5);
        Assert.InRange(oursDb - reference.TruePeakDbtp, -0.1, 0.1);
    }
}
