using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Rendering;

/// <summary>A temporary directory with generated programme material; deleted on dispose.</summary>
internal sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("hm-render").FullName;
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>The built-in demo mix (about −18.5 LUFS, peaks −6 dBFS).</summary>
    public string DemoMix(string name = "mix.wav", double seconds = 8, int sampleRateHz = 48000, SampleEncoding encoding = SampleEncoding.Pcm24)
    {
        string path = PathOf(name);
        long frames = (long)(seconds * sampleRateHz);
        var left = new float[frames];
        var right = new float[frames];
        HardwareMaster.Hal.Audio.Generators.DemoMix.Render(left, right, 0, sampleRateHz);
        Write(path, left, right, sampleRateHz, encoding);
        return path;
    }

    /// <summary>Programme-like material with real dynamics: noise bursts at −30…−8 dBFS, a tone, silence gaps, one clipped section.</summary>
    public string DynamicMaterial(string name, double seconds, int sampleRateHz, int seed = 7)
    {
        long frames = (long)(seconds * sampleRateHz);
        var left = new float[frames];
        var right = new float[frames];
        var random = new Random(seed);
        long position = 0;
        while (position < frames)
        {
            int length = (int)Math.Min(frames - position, sampleRateHz * (0.3 + random.NextDouble()));
            double levelDb = -30 + (22 * random.NextDouble());
            double amplitude = Math.Pow(10, levelDb / 20);
            int kind = random.Next(5);
            for (int i = 0; i < length; i++)
            {
                long n = position + i;
                double l, r;
                switch (kind)
                {
                    case 0: l = r = 0; break; // silence gap
                    case 1: l = Math.Sin(2 * Math.PI * 440 * n / sampleRateHz); r = Math.Sin(2 * Math.PI * 660 * n / sampleRateHz); break;
                    case 2: l = Math.Clamp(3 * Math.Sin(2 * Math.PI * 110 * n / sampleRateHz), -1, 1); r = l; break; // clipped
                    default: l = (random.NextDouble() * 2) - 1; r = (0.5 * l) + (0.5 * ((random.NextDouble() * 2) - 1)); break;
                }

                left[n] = (float)(amplitude * l);
                right[n] = (float)(amplitude * r);
            }

            position += length;
        }

        string path = PathOf(name);
        Write(path, left, right, sampleRateHz, SampleEncoding.Float32);
        return path;
    }

    public static void Write(string path, float[] left, float[] right, int sampleRateHz, SampleEncoding encoding)
    {
        using AudioFileWriter writer = AudioFileWriter.Create(path, AudioContainers.FromExtension(path), encoding, sampleRateHz, 2);
        writer.WritePlanar(left, right);
        writer.Complete();
    }

    public static (float[] Left, float[] Right) Read(string path)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        var left = new float[reader.Format.LengthFrames];
        var right = new float[reader.Format.LengthFrames];
        int read = 0;
        while (read < left.Length)
        {
            int n = reader.ReadPlanar(left.AsSpan(read), right.AsSpan(read));
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        Assert.Equal(left.Length, read);
        return (left, right);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
