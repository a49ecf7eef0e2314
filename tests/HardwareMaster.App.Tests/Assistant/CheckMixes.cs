using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.Dsp.Tests.Processors;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Assistant;

/// <summary>
/// Crafted mixes for the checklist, each written once per test class (when first asked for): 8 s, 48 kHz, 24-bit stereo, each a variation of one
/// clean "music-like" mix. The clean mix is noise shaped in the frequency domain to the mean spectrum of commercial
/// recordings (−4.5 dB/octave per hertz from 100 Hz to 4 kHz, flat below 100 Hz, falling faster above 4 kHz, rolled off
/// under 30 Hz), mono below 120 Hz with a side signal 9 dB under the mid above 200 Hz, a quiet verse and a loud chorus 10 dB apart
/// (normal dynamics), peaks at −6 dBFS.
/// </summary>
public sealed class CheckMixes : IDisposable
{
    public const int Rate = 48000;
    private const int FftSize = 1 << 18;
    private const double Seconds = 8;

    // Section levels, dB, one per second: a quiet verse and a loud chorus (a loudness range of about 9 LU).
    private static readonly double[] Sections = [-10, -10, -9, -10, 0, -1, 0, 0];

    private readonly TestFiles _files = new();

    private readonly Dictionary<string, string> _written = [];

    public string Clean => Once("clean.wav", () => Mix(MusicDb, SideDb), peakDbfs: -6);

    public string Hot => Once("hot.wav", () => Mix(MusicDb, SideDb), peakDbfs: -1.5);

    public string Clipped => Once("clipped.wav", () => Clip(Mix(MusicDb, SideDb, seed: 2), peakDbfs: 8), peakDbfs: null);

    public string Limited => Once("limited.wav", () => SoftLimit(Mix(MusicDb, SideDb, seed: 3, dynamics: false), ceilingDbfs: -1), peakDbfs: null);

    public string Dc => Once("dc.wav", () => AddDc(Normalize(Mix(MusicDb, SideDb, seed: 4), -6), 0.02f), peakDbfs: null);

    public string SmallDc => Once("small-dc.wav", () => AddDc(Normalize(Mix(MusicDb, SideDb, seed: 5), -6), 0.005f), peakDbfs: null);

    /// <summary>Below 120 Hz the side is 3 dB over the clean mid and the mid 20 dB under it: the bass is out of phase.</summary>
    public string OutOfPhaseBass => Once("out-of-phase-bass.wav", () => Mix(hz => MusicDb(hz) - (hz < 120 ? 20 : 0), hz => hz < 120 ? MusicDb(hz) + 3 : SideDb(hz), seed: 6), peakDbfs: -6);

    /// <summary>+8 dB from 150 to 400 Hz.</summary>
    public string Muddy => Once("muddy.wav", () => Mix(hz => MusicDb(hz) + Bump(hz, 150, 400, 8), hz => SideDb(hz) + Bump(hz, 150, 400, 8), seed: 7), peakDbfs: -6);

    /// <summary>+8 dB from 2 to 5 kHz.</summary>
    public string Harsh => Once("harsh.wav", () => Mix(hz => MusicDb(hz) + Bump(hz, 2000, 5000, 8), hz => SideDb(hz) + Bump(hz, 2000, 5000, 8), seed: 8), peakDbfs: -6);

    public string Directory => _files.Directory;

    public string PathOf(string name) => _files.PathOf(name);

    /// <summary>The clean mix's spectrum: level per hertz, dB.</summary>
    public static double MusicDb(double hz)
    {
        double level = -4.5 * Math.Log2(Math.Clamp(hz, 100, 4000) / 1000);
        if (hz > 4000)
        {
            level -= 6 * Math.Log2(hz / 4000);
        }

        if (hz < 30)
        {
            level += 40 * Math.Log10(hz / 30);
        }

        if (hz > 18000)
        {
            level -= 80 * Math.Log10(hz / 18000);
        }

        return level;
    }

    /// <summary>The clean mix's side: 9 dB under the mid above 200 Hz, 40 dB under below 120 Hz (mono bass).</summary>
    public static double SideDb(double hz)
    {
        double below = hz <= 120 ? 40 : hz >= 200 ? 9 : 40 - (31 * Math.Log2(hz / 120) / Math.Log2(200.0 / 120));
        return MusicDb(hz) - below;
    }

    /// <summary>+<paramref name="db"/> from <paramref name="fromHz"/> to <paramref name="toHz"/>, tapering over a third of an octave outside.</summary>
    public static double Bump(double hz, double fromHz, double toHz, double db)
    {
        double octavesOut = hz < fromHz ? Math.Log2(fromHz / hz) : hz > toHz ? Math.Log2(hz / toHz) : 0;
        return octavesOut >= 1.0 / 3 ? 0 : db * 0.5 * (1 + Math.Cos(Math.PI * octavesOut * 3));
    }

    /// <summary>Stereo noise with the given mid and side spectra (level per hertz, dB), with or without sections.</summary>
    public static (float[] Left, float[] Right) Mix(Func<double, double> midDb, Func<double, double> sideDb, int seed = 1, bool dynamics = true)
    {
        var random = new Random(seed);
        double[] mid = ShapedNoise(midDb, random);
        double[] side = ShapedNoise(sideDb, random);
        int frames = (int)(Seconds * Rate);
        var left = new float[frames];
        var right = new float[frames];
        for (int n = 0; n < frames; n++)
        {
            double gain = dynamics ? Math.Pow(10, SectionDb(n) / 20) : 1;
            double m = mid[n % FftSize], s = side[n % FftSize];
            left[n] = (float)(gain * (m + s));
            right[n] = (float)(gain * (m - s));
        }

        return (left, right);
    }

    public static (float[] Left, float[] Right) Normalize((float[] Left, float[] Right) mix, double peakDbfs)
    {
        float peak = 0;
        for (int i = 0; i < mix.Left.Length; i++)
        {
            peak = Math.Max(peak, Math.Max(Math.Abs(mix.Left[i]), Math.Abs(mix.Right[i])));
        }

        float gain = (float)(Math.Pow(10, peakDbfs / 20) / peak);
        return (mix.Left.Select(x => x * gain).ToArray(), mix.Right.Select(x => x * gain).ToArray());
    }

    public void Dispose() => _files.Dispose();

    private static (float[] Left, float[] Right) Clip((float[] Left, float[] Right) mix, double peakDbfs)
    {
        (float[] l, float[] r) = Normalize(mix, peakDbfs);
        return (l.Select(x => Math.Clamp(x, -1f, 1f)).ToArray(), r.Select(x => Math.Clamp(x, -1f, 1f)).ToArray());
    }

    // A mix-bus limiter's result: driven so its RMS sits at the ceiling, peaks bent smoothly under it (tanh).
    private static (float[] Left, float[] Right) SoftLimit((float[] Left, float[] Right) mix, double ceilingDbfs)
    {
        double sum = 0;
        for (int i = 0; i < mix.Left.Length; i++)
        {
            sum += (mix.Left[i] * mix.Left[i]) + (mix.Right[i] * mix.Right[i]);
        }

        double ceiling = Math.Pow(10, ceilingDbfs / 20);
        double drive = ceiling / Math.Sqrt(sum / (2 * mix.Left.Length));
        float Limit(float x) => (float)(ceiling * Math.Tanh(drive * x / ceiling));
        return (mix.Left.Select(Limit).ToArray(), mix.Right.Select(Limit).ToArray());
    }

    private static (float[] Left, float[] Right) AddDc((float[] Left, float[] Right) mix, float dc) =>
        (mix.Left.Select(x => x + dc).ToArray(), mix.Right.Select(x => x + dc).ToArray());

    // Section level at frame n, with 50 ms raised-cosine crossfades between sections.
    private static double SectionDb(int n)
    {
        double t = (double)n / Rate;
        int s = Math.Min((int)t, Sections.Length - 1);
        double into = t - s;
        if (into < 0.05 && s > 0)
        {
            double w = 0.5 * (1 - Math.Cos(Math.PI * into / 0.05));
            return Sections[s - 1] + (w * (Sections[s] - Sections[s - 1]));
        }

        return Sections[s];
    }

    // Periodic noise with |X(f)|² ∝ 10^(dB(f)/10): random phases, inverse FFT (conj·FFT·conj / N).
    private static double[] ShapedNoise(Func<double, double> db, Random random)
    {
        var re = new double[FftSize];
        var im = new double[FftSize];
        for (int k = 1; k < FftSize / 2; k++)
        {
            double hz = (double)k * Rate / FftSize;
            double amplitude = Math.Pow(10, db(hz) / 20);
            double phase = 2 * Math.PI * random.NextDouble();
            re[k] = amplitude * Math.Cos(phase);
            im[k] = -amplitude * Math.Sin(phase);
            re[FftSize - k] = re[k];
            im[FftSize - k] = -im[k];
        }

        Radix2Fft.Transform(re, im);
        return re;
    }

    // Each mix is made the first time a test asks for it (tests run one at a time within a class).
    private string Once(string name, Func<(float[] Left, float[] Right)> make, double? peakDbfs)
    {
        lock (_written)
        {
            if (!_written.TryGetValue(name, out string? path))
            {
                path = Write(name, make(), peakDbfs);
                _written[name] = path;
            }

            return path;
        }
    }

    private string Write(string name, (float[] Left, float[] Right) mix, double? peakDbfs)
    {
        if (peakDbfs is double peak)
        {
            mix = Normalize(mix, peak);
        }

        string path = _files.PathOf(name);
        TestFiles.Write(path, mix.Left, mix.Right, Rate, SampleEncoding.Pcm24);
        return path;
    }
}
