using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.TestSupport;

/// <summary>
/// Programme-like test material: stereo pink-ish noise (Paul Kellet's economy filter) with a 0.5 Hz level swell, so the
/// loudness range is not 0, and partly decorrelated sides (80/20 cross-mix), so mono differs from stereo.
/// </summary>
internal static class PinkSwell
{
    /// <summary>Writes <paramref name="seconds"/> of the signal to a 32-bit float WAV; <paramref name="gain"/> is linear.</summary>
    public static string WriteWav(string path, int rate, double seconds, double gain, int seed)
    {
        float[] interleaved = Interleaved((int)(seconds * rate), rate, gain, seed);
        using AudioFileWriter writer = AudioFileWriter.Create(path, AudioContainer.Wav, SampleEncoding.Float32, rate, 2);
        writer.Write(interleaved);
        writer.Complete();
        return path;
    }

    /// <summary>The signal as interleaved stereo samples.</summary>
    public static float[] Interleaved(int frames, int rate, double gain, int seed)
    {
        var random = new Random(seed);
        var interleaved = new float[frames * 2];
        double b0 = 0, b1 = 0, b2 = 0, c0 = 0, c1 = 0, c2 = 0;
        for (int i = 0; i < frames; i++)
        {
            double w = (random.NextDouble() * 2) - 1, v = (random.NextDouble() * 2) - 1;
            b0 = (0.99765 * b0) + (w * 0.0990460);
            b1 = (0.96300 * b1) + (w * 0.2965164);
            b2 = (0.57000 * b2) + (w * 1.0526913);
            c0 = (0.99765 * c0) + (v * 0.0990460);
            c1 = (0.96300 * c1) + (v * 0.2965164);
            c2 = (0.57000 * c2) + (v * 1.0526913);
            double swell = 0.7 + (0.3 * Math.Sin(2 * Math.PI * 0.5 * i / rate));
            double l = (b0 + b1 + b2 + (w * 0.1848)) * 0.11, r = (c0 + c1 + c2 + (v * 0.1848)) * 0.11;
            interleaved[2 * i] = (float)(gain * swell * ((0.8 * l) + (0.2 * r)));
            interleaved[(2 * i) + 1] = (float)(gain * swell * ((0.2 * l) + (0.8 * r)));
        }

        return interleaved;
    }
}
