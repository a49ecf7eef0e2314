using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>THD / IMD / recovery measurements of <see cref="TruePeakLimiter"/> (test-side FFT).</summary>
internal static class LimiterMeasurements
{
    private const int FftSize = 32768;
    private const int BlockFrames = 512;

    /// <summary>THD (harmonics 2..10 re the fundamental, amplitude ratio) of a sine whose peak is <paramref name="peakDbtp"/>.</summary>
    public static double SineThd(LimiterSettings settings, double frequencyHz, int sampleRateHz, double peakDbtp)
    {
        double a = Math.Pow(10, peakDbtp / 20);
        var x = Run(settings, sampleRateHz, n => a * Math.Cos(2 * Math.PI * frequencyHz * n / sampleRateHz));
        var power = PowerSpectrum(x);
        double fundamental = BandPower(power, frequencyHz, sampleRateHz);
        double harmonics = 0;
        for (int k = 2; k <= 10 && k * frequencyHz < sampleRateHz / 2.0; k++)
        {
            harmonics += BandPower(power, k * frequencyHz, sampleRateHz);
        }

        return Math.Sqrt(harmonics / fundamental);
    }

    /// <summary>THD of a sine whose level swings ±3 dB around 6 dB over a −1 dBTP ceiling at <paramref name="modulationHz"/> (the peaks the hold sees change from one period to the next).</summary>
    public static double AmThd(LimiterSettings settings, double frequencyHz, double modulationHz, int sampleRateHz)
    {
        double a = Math.Pow(10, 5 / 20.0);
        var x = Run(settings, sampleRateHz, n =>
            a * Math.Pow(10, 3 * Math.Sin(2 * Math.PI * modulationHz * n / sampleRateHz) / 20) * Math.Cos(2 * Math.PI * frequencyHz * n / sampleRateHz));
        var power = PowerSpectrum(x);
        double fundamental = BandPower(power, frequencyHz, sampleRateHz);
        double harmonics = 0;
        for (int k = 2; k <= 10 && k * frequencyHz < sampleRateHz / 2.0; k++)
        {
            harmonics += BandPower(power, k * frequencyHz, sampleRateHz);
        }

        return Math.Sqrt(harmonics / fundamental);
    }

    /// <summary>IMD of 50 Hz + 5 kHz at 4:1 (peak of the sum = <paramref name="peakDbtp"/>): sidebands 5 kHz ± n·50 Hz (n = 1..4) re the 5 kHz level.</summary>
    public static double SmpteImd(LimiterSettings settings, int sampleRateHz, double peakDbtp)
    {
        double a = Math.Pow(10, peakDbtp / 20);
        var x = Run(settings, sampleRateHz, n =>
            (0.8 * a * Math.Cos(2 * Math.PI * 50 * n / sampleRateHz)) + (0.2 * a * Math.Cos(2 * Math.PI * 5000 * n / sampleRateHz)));
        var power = PowerSpectrum(x);
        double carrier = BandPower(power, 5000, sampleRateHz);
        double sidebands = 0;
        for (int k = 1; k <= 4; k++)
        {
            sidebands += BandPower(power, 5000 + (50 * k), sampleRateHz) + BandPower(power, 5000 - (50 * k), sampleRateHz);
        }

        return Math.Sqrt(sidebands / carrier);
    }

    /// <summary>
    /// A 10 ms hit (120 Hz + noise, peak 10 dB over the ceiling) over programme at −12 dBFS (1 kHz sine): the time
    /// from the end of the hit to the last frame whose gain is more than 1 dB below unity, ms. The gain is read from
    /// a quiet DC on the other (linked) channel.
    /// </summary>
    public static double RecoveryMs(LimiterSettings settings, int sampleRateHz, double ceilingDbtp)
    {
        int frames = sampleRateHz;
        int hitStart = sampleRateHz / 4, hitFrames = sampleRateHz / 100;
        double programme = Math.Pow(10, -12 / 20.0);
        double hit = Math.Pow(10, (ceilingDbtp + 10) / 20);
        var rng = new Random(5);
        var left = new float[frames];
        var right = new float[frames];
        const float probe = 0.01f;
        for (int n = 0; n < frames; n++)
        {
            double v = programme * Math.Sin(2 * Math.PI * 1000 * n / sampleRateHz);
            if (n >= hitStart && n < hitStart + hitFrames)
            {
                double t = (n - hitStart) / (double)hitFrames;
                double burst = (0.8 * Math.Sin(2 * Math.PI * 120 * n / sampleRateHz)) + (0.2 * ((2 * rng.NextDouble()) - 1));
                v += hit * burst * Math.Exp(-3 * t);
            }

            left[n] = (float)v;
            right[n] = probe;
        }

        var limiter = new TruePeakLimiter { Settings = settings };
        limiter.Prepare(new ProcessSpec(sampleRateHz, BlockFrames, 2));
        TestSignals.ProcessInBlocks(limiter, left, right, BlockFrames);
        int hitEndOut = hitStart + hitFrames + limiter.LatencyFrames;
        double threshold = Math.Pow(10, -1 / 20.0);
        int last = -1;
        for (int n = 0; n < frames; n++)
        {
            if (right[n] / probe < threshold)
            {
                last = n;
            }
        }

        return (last - hitEndOut) * 1000.0 / sampleRateHz;
    }

    // Runs 1.5 s of the signal (mono on both channels) and returns the last FftSize frames (settled).
    private static float[] Run(LimiterSettings settings, int sampleRateHz, Func<int, double> signal)
    {
        int frames = (sampleRateHz * 3 / 2) + FftSize;
        var left = new float[frames];
        for (int n = 0; n < frames; n++)
        {
            left[n] = (float)signal(n);
        }

        var right = (float[])left.Clone();
        var limiter = new TruePeakLimiter { Settings = settings };
        limiter.Prepare(new ProcessSpec(sampleRateHz, BlockFrames, 2));
        TestSignals.ProcessInBlocks(limiter, left, right, BlockFrames);
        return left.AsSpan(frames - FftSize).ToArray();
    }

    // |X|² of the Blackman-Harris (4-term) windowed signal, bins 0..N/2.
    private static double[] PowerSpectrum(float[] x)
    {
        int n = x.Length;
        var re = new double[n];
        var im = new double[n];
        for (int i = 0; i < n; i++)
        {
            double p = 2 * Math.PI * i / (n - 1);
            double w = 0.35875 - (0.48829 * Math.Cos(p)) + (0.14128 * Math.Cos(2 * p)) - (0.01168 * Math.Cos(3 * p));
            re[i] = x[i] * w;
        }

        Radix2Fft.Transform(re, im);
        var power = new double[(n / 2) + 1];
        for (int i = 0; i < power.Length; i++)
        {
            power[i] = (re[i] * re[i]) + (im[i] * im[i]);
        }

        return power;
    }

    // Power within ±5 bins of the frequency (the window's main lobe is ±4 bins).
    private static double BandPower(double[] power, double frequencyHz, int sampleRateHz)
    {
        int centre = (int)Math.Round(frequencyHz * FftSize / sampleRateHz);
        double sum = 0;
        for (int k = Math.Max(0, centre - 5); k <= Math.Min(power.Length - 1, centre + 5); k++)
        {
            sum += power[k];
        }

        return sum;
    }
}
