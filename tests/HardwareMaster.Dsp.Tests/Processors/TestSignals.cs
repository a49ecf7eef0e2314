namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>Signal generators and measurements shared by the processor and chain tests.</summary>
internal static class TestSignals
{
    public static float[] Sine(int frames, double frequencyHz, int sampleRateHz, double amplitude, double phaseRadians = 0)
    {
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)(amplitude * Math.Sin((2 * Math.PI * frequencyHz * i / sampleRateHz) + phaseRadians));
        }

        return x;
    }

    public static float[] Noise(int frames, double amplitude, int seed)
    {
        var random = new Random(seed);
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)(amplitude * ((2 * random.NextDouble()) - 1));
        }

        return x;
    }

    public static float[] Square(int frames, double frequencyHz, int sampleRateHz, double amplitude)
    {
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            double phase = (frequencyHz * i / sampleRateHz) % 1.0;
            x[i] = (float)(phase < 0.5 ? amplitude : -amplitude);
        }

        return x;
    }

    public static float[] Impulses(int frames, int spacing, double amplitude)
    {
        var x = new float[frames];
        for (int i = spacing / 2; i < frames; i += spacing)
        {
            x[i] = (float)((i / spacing) % 2 == 0 ? amplitude : -amplitude);
        }

        return x;
    }

    /// <summary>A dense mix (bass, mids, hats) driven into hard clipping at ±clip.</summary>
    public static float[] ClippedMix(int frames, int sampleRateHz, double drive, double clip, int seed)
    {
        var noise = Noise(frames, 0.3, seed);
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            double t = (double)i / sampleRateHz;
            double v = (0.6 * Math.Sin(2 * Math.PI * 55 * t)) + (0.4 * Math.Sin(2 * Math.PI * 440 * t)) + (0.3 * Math.Sin(2 * Math.PI * 3520 * t)) + noise[i];
            x[i] = (float)Math.Clamp(v * drive, -clip, clip);
        }

        return x;
    }

    public static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum / Math.Max(1, x.Length));
    }

    public static double Db(double linear) => 20 * Math.Log10(linear);

    /// <summary>Runs a stereo signal through <paramref name="process"/> in blocks of <paramref name="blockFrames"/>.</summary>
    public static void ProcessInBlocks(IAudioProcessor processor, float[] left, float[]? right, int blockFrames)
    {
        for (int start = 0; start < left.Length; start += blockFrames)
        {
            int n = Math.Min(blockFrames, left.Length - start);
            var block = right is null
                ? new AudioBlock(left.AsSpan(start, n))
                : new AudioBlock(left.AsSpan(start, n), right.AsSpan(start, n));
            processor.Process(block);
        }
    }
}

/// <summary>
/// Independent 8× oversampled true-peak reference written for the tests: a Kaiser-windowed sinc (β = 9,
/// 64 taps either side) evaluated directly at 8 fractional positions per sample, in double.
/// </summary>
internal static class TruePeakReference
{
    private const int Oversampling = 8;
    private const int HalfTaps = 32;
    private static readonly double[][] Kernels = BuildKernels();

    /// <summary>
    /// Largest |x| over the samples and the 7 interpolated points between each pair of samples, evaluated where the
    /// whole kernel lies inside the signal (the first and last 64 samples only contribute their sample values:
    /// treating the outside of the array as silence would invent a step the streaming signal never had).
    /// </summary>
    public static double MaxTruePeak(ReadOnlySpan<float> x)
    {
        double max = 0;
        for (int n = 0; n < x.Length; n++)
        {
            max = Math.Max(max, Math.Abs(x[n]));
            if (n < HalfTaps || n >= x.Length - HalfTaps)
            {
                continue;
            }

            for (int p = 1; p < Oversampling; p++)
            {
                var kernel = Kernels[p];
                double sum = 0;
                for (int k = -HalfTaps + 1; k <= HalfTaps; k++)
                {
                    int index = n + k;
                    if ((uint)index < (uint)x.Length)
                    {
                        sum += x[index] * kernel[k + HalfTaps - 1];
                    }
                }

                max = Math.Max(max, Math.Abs(sum));
            }
        }

        return max;
    }

    private static double[][] BuildKernels()
    {
        var kernels = new double[Oversampling][];
        double beta = 7;
        for (int p = 0; p < Oversampling; p++)
        {
            double frac = (double)p / Oversampling;
            var kernel = new double[2 * HalfTaps];
            for (int k = -HalfTaps + 1; k <= HalfTaps; k++)
            {
                double t = frac - k; // distance from tap k to the evaluation point
                double sinc = t == 0 ? 1 : Math.Sin(Math.PI * t) / (Math.PI * t);
                double r = t / HalfTaps;
                double window = Math.Abs(r) >= 1 ? 0 : BesselI0(beta * Math.Sqrt(1 - (r * r))) / BesselI0(beta);
                kernel[k + HalfTaps - 1] = sinc * window;
            }

            kernels[p] = kernel;
        }

        return kernels;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (int k = 1; k < 50; k++)
        {
            term *= x * x / (4.0 * k * k);
            sum += term;
        }

        return sum;
    }
}
