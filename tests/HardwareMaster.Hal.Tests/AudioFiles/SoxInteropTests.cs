using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.AudioFiles;

/// <summary>Cross-checks against SoX 14.4 (installed in CI as /usr/bin/sox).</summary>
public sealed class SoxInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hm-sox-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] RunSox(params string[] arguments)
    {
        var start = new ProcessStartInfo("sox")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("sox did not start");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        Assert.True(process.WaitForExit(30_000), "sox hung");
        Assert.True(process.ExitCode == 0, $"sox {string.Join(' ', arguments)} failed: {errors.Result}");
        return output.ToArray();
    }

    /// <summary>What sox decodes: the file as raw little-endian float32 on stdout.</summary>
    private static float[] SoxDecode(string path)
    {
        byte[] raw = RunSox(path, "-t", "raw", "-e", "floating-point", "-b", "32", "-L", "-");
        return MemoryMarshal.Cast<byte, float>(raw).ToArray();
    }

    private static string SoxInfo(string flag, string path) =>
        System.Text.Encoding.ASCII.GetString(RunSox("--i", flag, path)).Trim();

    [Theory]
    [InlineData("s24.wav", new[] { "-r", "48000", "-c", "2", "-b", "24" }, AudioContainer.Wav, SampleEncoding.Pcm24)]
    [InlineData("s16.wav", new[] { "-r", "44100", "-c", "1", "-b", "16" }, AudioContainer.Wav, SampleEncoding.Pcm16)]
    [InlineData("s32.wav", new[] { "-r", "96000", "-c", "2", "-b", "32" }, AudioContainer.Wav, SampleEncoding.Pcm32)]
    [InlineData("f32.wav", new[] { "-r", "48000", "-c", "2", "-e", "floating-point", "-b", "32" }, AudioContainer.Wav, SampleEncoding.Float32)]
    [InlineData("f64.wav", new[] { "-r", "48000", "-c", "1", "-e", "floating-point", "-b", "64" }, AudioContainer.Wav, SampleEncoding.Float64)]
    [InlineData("s16.aiff", new[] { "-r", "44100", "-c", "1", "-b", "16" }, AudioContainer.Aiff, SampleEncoding.Pcm16)]
    [InlineData("s24.aiff", new[] { "-r", "96000", "-c", "2", "-b", "24" }, AudioContainer.Aiff, SampleEncoding.Pcm24)]
    [InlineData("f32.aifc", new[] { "-r", "192000", "-c", "2", "-e", "floating-point", "-b", "32" }, AudioContainer.Aifc, SampleEncoding.Float32)]
    public void Open_FileWrittenBySox_DecodesTheSameSamplesAsSox(string fileName, string[] format, AudioContainer container, SampleEncoding encoding)
    {
        string path = Path.Combine(_dir, fileName);
        RunSox(["-n", .. format, path, "synth", "0.1", "sine", "1000", "vol", "0.7"]);
        int rate = int.Parse(format[1], CultureInfo.InvariantCulture);
        int channels = int.Parse(format[3], CultureInfo.InvariantCulture);

        using AudioFileReader reader = AudioFileReader.Open(path);
        Assert.Equal(new AudioFileFormat(container, encoding, rate, channels, rate / 10), reader.Format);
        float[] ours = TestAudio.ReadAll(reader, blockFrames: 1000);
        float[] sox = SoxDecode(path);
        Assert.Equal(sox.Length, ours.Length);

        // sox decodes through 32-bit integers: exact for 16/24-bit, within 2^-31 otherwise.
        float tolerance = encoding is SampleEncoding.Pcm16 or SampleEncoding.Pcm24 ? 0f : 1e-7f;
        float peak = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            Assert.True(Math.Abs(ours[i] - sox[i]) <= tolerance, $"sample {i}: ours {ours[i]}, sox {sox[i]}");
            peak = Math.Max(peak, Math.Abs(ours[i]));
        }

        Assert.InRange(peak, 0.69f, 0.71f); // a real 0.7-amplitude sine, not silence
    }

    public static TheoryData<AudioContainer, SampleEncoding, string> OurFormats() => new()
    {
        { AudioContainer.Wav, SampleEncoding.Pcm16, "o16.wav" },
        { AudioContainer.Wav, SampleEncoding.Pcm24, "o24.wav" },
        { AudioContainer.Wav, SampleEncoding.Pcm32, "o32.wav" },
        { AudioContainer.Wav, SampleEncoding.Float32, "of32.wav" },
        { AudioContainer.Wav, SampleEncoding.Float64, "of64.wav" },
        { AudioContainer.Rf64, SampleEncoding.Pcm24, "o24rf64.wav" },
        { AudioContainer.Rf64, SampleEncoding.Float32, "of32rf64.wav" },
        { AudioContainer.Aiff, SampleEncoding.Pcm16, "o16.aiff" },
        { AudioContainer.Aiff, SampleEncoding.Pcm24, "o24.aiff" },
        { AudioContainer.Aifc, SampleEncoding.Pcm24, "o24.aifc" },
        { AudioContainer.Aifc, SampleEncoding.Float32, "of32.aifc" },
        { AudioContainer.Aifc, SampleEncoding.Float64, "of64.aifc" },
    };

    [Theory]
    [MemberData(nameof(OurFormats))]
    public void Create_FileWeWrote_IsReadBySoxWithTheSameSamples(AudioContainer container, SampleEncoding encoding, string fileName)
    {
        const int frames = 4410;
        string path = Path.Combine(_dir, fileName);
        float[] signal = TestAudio.ExactSignal(encoding, frames, 2, seed: 21);
        using (AudioFileWriter writer = AudioFileWriter.Create(path, container, encoding, 44100, 2))
        {
            writer.Write(signal);
        }

        Assert.Equal("44100", SoxInfo("-r", path));
        Assert.Equal("2", SoxInfo("-c", path));
        Assert.Equal(frames.ToString(CultureInfo.InvariantCulture), SoxInfo("-s", path)); // sox counts frames here
        float[] sox = SoxDecode(path);
        Assert.Equal(signal.Length, sox.Length);
        for (int i = 0; i < signal.Length; i++)
        {
            Assert.True(Math.Abs(signal[i] - sox[i]) <= 1e-7f, $"sample {i}: wrote {signal[i]}, sox read {sox[i]}");
        }
    }

    [Fact]
    public void Complete_WavUpgradedToRf64_IsReadBySox()
    {
        string path = Path.Combine(_dir, "upgraded.wav");
        float[] signal = TestAudio.ExactSignal(SampleEncoding.Pcm16, 3000, 2, seed: 22);
        using (AudioFileWriter writer = AudioFileWriter.Create(path, AudioContainer.Wav, SampleEncoding.Pcm16, 48000, 2))
        {
            writer.Rf64ThresholdBytes = 1024;
            writer.Write(signal);
            writer.Complete();
            Assert.Equal(AudioContainer.Rf64, writer.Container);
        }

        Assert.Equal("3000", SoxInfo("-s", path));
        Assert.Equal(signal, SoxDecode(path));
    }
}
