using System.Diagnostics;
using HardwareMaster.Hal.Audio.Resampling;
using HardwareMaster.Hal.AudioFiles;
using Xunit.Abstractions;

namespace HardwareMaster.Hal.Tests.Audio.Resampling;

/// <summary>
/// libsoxr through <see cref="SoxrResampler"/> and <see cref="SampleRateConverter"/>: passband, aliasing, length and
/// alignment, and a cross-check with SoX's own very-high-quality <c>rate -v</c> (installed in CI as /usr/bin/sox).
/// </summary>
public sealed class SoxrResamplerTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hm-soxr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(48000, 44100)]
    [InlineData(44100, 48000)]
    [InlineData(96000, 44100)]
    public void ConvertFile_SinesUpTo20kHz_AmplitudeFlatWithin001Db(int fromHz, int toHz)
    {
        foreach (double hz in new[] { 50.0, 1000, 5000, 10000, 15000, 19000, 20000 })
        {
            float[] converted = Convert(Sine(hz, 0.5, fromHz, fromHz / 2), fromHz, toHz, 1, out _);
            double amplitude = FitAmplitude(converted, hz, toHz, skip: toHz / 20);
            double errorDb = 20 * Math.Log10(amplitude / 0.5);
            output.WriteLine($"{fromHz}->{toHz} {hz} Hz: {errorDb:+0.00000;-0.00000} dB");
            Assert.True(Math.Abs(errorDb) < 0.01, $"{hz} Hz: {errorDb:+0.0000;-0.0000} dB after {fromHz} -> {toHz}");
        }
    }

    [Theory]
    [InlineData(23000.0)]
    [InlineData(22500.0)]
    [InlineData(23900.0)]
    public void ConvertFile_SineAboveTheNewNyquist_ResidualBelowMinus100Db(double hz)
    {
        float[] converted = Convert(Sine(hz, 0.5, 48000, 24000), 48000, 44100, 1, out _);
        double sum = 0;
        int skip = 2205;
        for (int i = skip; i < converted.Length - skip; i++)
        {
            sum += (double)converted[i] * converted[i];
        }

        double rms = Math.Sqrt(sum / (converted.Length - (2 * skip)));
        double residualDb = 20 * Math.Log10((rms + 1e-30) / (0.5 / Math.Sqrt(2)));
        output.WriteLine($"{hz} Hz at 48 k -> 44.1 k: residual {residualDb:0.0} dB");
        Assert.True(residualDb < -100, $"{hz} Hz leaves {residualDb:0.0} dB");
    }

    [Theory]
    [InlineData(48000, 44100, 48000)]
    [InlineData(48000, 44100, 48001)]
    [InlineData(44100, 48000, 12345)]
    [InlineData(96000, 44100, 7)]
    public void ConvertFile_AnyLength_WritesRoundOfFramesTimesRatioStereoFloat(int fromHz, int toHz, int frames)
    {
        float[] stereo = new float[frames * 2];
        for (int i = 0; i < frames; i++)
        {
            stereo[2 * i] = (float)(0.3 * Math.Sin(2 * Math.PI * 440 * i / fromHz));
            stereo[(2 * i) + 1] = -stereo[2 * i];
        }

        float[] converted = Convert(stereo, fromHz, toHz, 2, out AudioFileFormat format);
        long expected = (long)Math.Round((double)frames * toHz / fromHz, MidpointRounding.AwayFromZero);
        Assert.Equal(new AudioFileFormat(AudioContainer.Wav, SampleEncoding.Float32, toHz, 2, expected), format);
        Assert.Equal(expected * 2, converted.Length);
        for (int i = 0; i < expected; i++)
        {
            Assert.Equal(-converted[2 * i], converted[(2 * i) + 1], 6); // channels stay channels
        }
    }

    [Fact]
    public void ConvertFile_Impulse_StaysAlignedWithTheInput()
    {
        // An impulse at 0.5 s must come out at 0.5 s of the new rate (libsoxr removes its own filter delay).
        var impulse = new float[48000];
        impulse[24000] = 0.9f;
        float[] converted = Convert(impulse, 48000, 44100, 1, out _);
        int peak = 0;
        for (int i = 1; i < converted.Length; i++)
        {
            if (Math.Abs(converted[i]) > Math.Abs(converted[peak]))
            {
                peak = i;
            }
        }

        Assert.InRange(peak, 22049, 22051);
    }

    [Fact]
    public void ConvertFile_SameInputAsSoxRateV_OutputsAgreeClosely()
    {
        int rate = 48000;
        var music = new float[rate * 2];
        for (int i = 0; i < music.Length; i++)
        {
            double t = (double)i / rate;
            music[i] = (float)((0.3 * Math.Sin(2 * Math.PI * 110 * t)) + (0.2 * Math.Sin(2 * Math.PI * 1234.5 * t)) + (0.1 * Math.Sin(2 * Math.PI * 7000 * t)) + (0.05 * Math.Sin(2 * Math.PI * 16000 * t)));
        }

        string input = Write(music, rate, 1, "sox-in.wav");
        string ours = Path.Combine(_dir, "ours.wav");
        SampleRateConverter.ConvertFile(input, ours, 44100);
        string theirs = Path.Combine(_dir, "sox.wav");
        RunSox(input, "-e", "floating-point", "-b", "32", theirs, "rate", "-v", "44100");

        float[] a = ReadAll(ours);
        float[] b = ReadAll(theirs);
        Assert.InRange(b.Length, a.Length - 1, a.Length + 1);
        double error = 0, signal = 0;
        int skip = 4410;
        for (int i = skip; i < Math.Min(a.Length, b.Length) - skip; i++)
        {
            error += (a[i] - b[i]) * (double)(a[i] - b[i]);
            signal += (double)b[i] * b[i];
        }

        double differenceDb = 10 * Math.Log10((error + 1e-30) / signal);
        output.WriteLine($"ours vs sox rate -v: {a.Length} vs {b.Length} frames, difference {differenceDb:0.0} dB below the signal");
        Assert.True(differenceDb < -90, $"ours and sox differ by {differenceDb:0.0} dB");
    }

    [Fact]
    public void Create_Rates_ReportsLibsoxrAvailable()
    {
        Assert.True(SoxrResampler.IsAvailable, $"{SoxrResampler.LibraryName} (libsoxr0) must be installed for the tests");
        Assert.Equal("libsoxr.so.0", SoxrResampler.LibraryName);
    }

    private float[] Convert(float[] interleaved, int fromHz, int toHz, int channels, out AudioFileFormat format)
    {
        string input = Write(interleaved, fromHz, channels, $"in-{Guid.NewGuid():N}.wav");
        string converted = Path.Combine(_dir, $"out-{Guid.NewGuid():N}.wav");
        format = SampleRateConverter.ConvertFile(input, converted, toHz);
        return ReadAll(converted);
    }

    private string Write(float[] interleaved, int rate, int channels, string name)
    {
        string path = Path.Combine(_dir, name);
        using (AudioFileWriter writer = AudioFileWriter.Create(path, AudioContainer.Wav, SampleEncoding.Float32, rate, channels))
        {
            writer.Write(interleaved);
            writer.Complete();
        }

        return path;
    }

    private static float[] ReadAll(string path)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        var all = new float[reader.Format.LengthFrames * reader.Format.Channels];
        int done = 0;
        while (done < all.Length)
        {
            int n = reader.Read(all.AsSpan(done));
            if (n == 0)
            {
                break;
            }

            done += n * reader.Format.Channels;
        }

        Assert.Equal(all.Length, done);
        return all;
    }

    private static float[] Sine(double hz, double amplitude, int rate, int frames)
    {
        var x = new float[frames];
        for (int i = 0; i < frames; i++)
        {
            x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate));
        }

        return x;
    }

    // Least-squares amplitude of a sine at `hz` (sin and cos components) over the middle of the signal.
    private static double FitAmplitude(float[] x, double hz, int rate, int skip)
    {
        double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
        for (int i = skip; i < x.Length - skip; i++)
        {
            double s = Math.Sin(2 * Math.PI * hz * i / rate), c = Math.Cos(2 * Math.PI * hz * i / rate);
            ss += s * s;
            cc += c * c;
            sc += s * c;
            xs += x[i] * s;
            xc += x[i] * c;
        }

        double det = (ss * cc) - (sc * sc);
        double a = ((xs * cc) - (xc * sc)) / det;
        double b = ((xc * ss) - (xs * sc)) / det;
        return Math.Sqrt((a * a) + (b * b));
    }

    private static void RunSox(params string[] arguments)
    {
        var start = new ProcessStartInfo("sox") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("sox did not start");
        string errors = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "sox hung");
        Assert.True(process.ExitCode == 0, $"sox failed: {errors}");
    }
}
