using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using HardwareMaster.App.Assistant.Album;
using HardwareMaster.App.Rendering;
using HardwareMaster.App.Tests.TestSupport;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;
using HardwareMaster.Hal.Tests.Faults;

namespace HardwareMaster.App.Tests.Assistant;

/// <summary>
/// <c>hardwaremaster album</c> end to end: album levelling keeps the relative loudness, track levelling hits the target,
/// <c>--cd</c> delivers 16-bit 44.1 kHz at the same duration with the true peak under the ceiling (checked by ffmpeg's
/// ebur128 meter as well as ours), a corrupt track is reported and the rest are written, the result does not depend
/// on <c>--jobs</c>, inputs are never overwritten; and <c>render --rate</c>.
/// </summary>
[Collection(nameof(ConsoleTests))]
public sealed partial class AlbumTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hm-album-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Album_AlbumMode_KeepsInterTrackLoudnessDifferencesWithin02Lu()
    {
        string[] inputs = ThreeTracks(48000);
        string outDir = Path.Combine(_dir, "out");

        (int code, _, string error) = CliRunner.Run(["album", .. inputs, "--out", outDir, "--preset", "broadcast-r128", "--mode", "album", "--jobs", "2"]);

        Assert.True(code == 0, error);
        double[] before = inputs.Select(Integrated).ToArray();
        double[] after = inputs.Select(i => Integrated(OutputOf(outDir, i))).ToArray();
        for (int k = 1; k < inputs.Length; k++)
        {
            double inputDifference = before[k] - before[0];
            double outputDifference = after[k] - after[0];
            Assert.True(Math.Abs(outputDifference - inputDifference) <= 0.2, $"track {k}: {inputDifference:+0.00;-0.00} LU before, {outputDifference:+0.00;-0.00} LU after");
        }

        Assert.Contains("album: [1/3] a.wav: written", error); // per-file progress lines on stderr
    }

    [Fact]
    public void Album_ChainNarrowsTheDifferences_WarnsWithTheChangeAndNotForAGentlePreset()
    {
        string[] inputs = ThreeTracks(48000);

        (int code, string text, string error) = CliRunner.Run(["album", .. inputs, "--out", Path.Combine(_dir, "hot"), "--preset", "edm-club", "--mode", "album"]);
        (int gentleCode, string gentle, string gentleError) = CliRunner.Run(["album", .. inputs, "--out", Path.Combine(_dir, "gentle"), "--preset", "broadcast-r128", "--mode", "album"]);

        Assert.True(code == 0, error);
        Assert.True(gentleCode == 0, gentleError);
        double[] change = inputs.Select(i => Integrated(Path.Combine(_dir, "hot", Path.GetFileName(i))) - Integrated(i)).ToArray();
        Assert.True(change.Max() - change.Min() > 0.5, $"edm-club changed the spread by only {change.Max() - change.Min():0.00} LU");
        Assert.Contains("the chain changed the loudness differences between tracks", text + error, StringComparison.Ordinal);
        Assert.DoesNotContain("the chain changed the loudness differences", gentle + gentleError, StringComparison.Ordinal);
    }

    [Fact]
    public void Album_TrackMode_EachTrackLandsOnTargetWithin05Lu()
    {
        string[] inputs = ThreeTracks(48000);
        string outDir = Path.Combine(_dir, "out");

        (int code, string text, string error) = CliRunner.Run(["album", .. inputs, "--out", outDir, "--preset", "broadcast-r128", "--target", "-18", "--mode", "track", "--json"]);

        Assert.True(code == 0, error);
        foreach (string input in inputs)
        {
            Assert.InRange(Integrated(OutputOf(outDir, input)), -18.5, -17.5);
        }

        using JsonDocument json = JsonDocument.Parse(text);
        Assert.Equal("track", json.RootElement.GetProperty("mode").GetString());
        JsonElement[] tracks = [.. json.RootElement.GetProperty("tracks").EnumerateArray()];
        Assert.Equal(3, tracks.Length);
        foreach (JsonElement t in tracks)
        {
            Assert.True(t.GetProperty("ok").GetBoolean());
            Assert.InRange(t.GetProperty("integrated_lufs").GetDouble(), -18.5, -17.5);
            Assert.Equal(JsonValueKind.Number, t.GetProperty("spectral_tilt_db_per_octave").ValueKind);
            Assert.Equal(JsonValueKind.Number, t.GetProperty("loudness_range_lu").ValueKind);
            Assert.Equal(JsonValueKind.Array, t.GetProperty("outliers").ValueKind);
        }
    }

    [Fact]
    public void Album_Cd_From48kWrites16Bit44kSameDurationTruePeakUnderCeiling()
    {
        // Loud enough that the limiter works: the ceiling must hold on the 44.1 kHz samples delivered.
        string input = Track("hot.wav", 48000, seconds: 4, levelDb: -6, seed: 3);
        string outDir = Path.Combine(_dir, "cd");

        (int code, _, string error) = CliRunner.Run("album", input, "--out", outDir, "--preset", "streaming-pop-rock", "--target", "-9", "--cd");

        Assert.True(code == 0, error);
        string output = OutputOf(outDir, input);
        AudioFileFormat format;
        using (AudioFileReader reader = AudioFileReader.Open(output))
        {
            format = reader.Format;
        }

        Assert.Equal(SampleEncoding.Pcm16, format.Encoding);
        Assert.Equal(44100, format.SampleRateHz);
        Assert.InRange(format.LengthFrames, (4 * 44100) - 1, (4 * 44100) + 1);
        LoudnessReport ours = Measure(output);
        Assert.True(ours.TruePeakDbtp <= -1.0 + 0.1, $"our meter: {ours.TruePeakDbtp:0.00} dBTP");
        double ffmpeg = FfmpegTruePeak(output);
        Assert.True(ffmpeg <= -1.0 + 0.1, $"ffmpeg ebur128: {ffmpeg:0.00} dBTP");
        Assert.Empty(Directory.GetFiles(outDir, ".*"));
    }

    [Fact]
    public void Album_CorruptFileAmongTracks_ReportedOnceOthersWrittenExitOne()
    {
        string inDir = Path.Combine(_dir, "in");
        Directory.CreateDirectory(inDir);
        string[] good = ThreeTracks(48000, inDir);
        File.WriteAllBytes(Path.Combine(inDir, "b-corrupt.wav"), [.. "RIFF\x10\0\0\0WAVEjunkjunkjunk"u8]);
        string outDir = Path.Combine(_dir, "out");

        (int code, string text, string error) = CliRunner.Run("album", inDir, "--out", outDir, "--preset", "broadcast-r128", "--cd", "--jobs", "2");

        Assert.Equal(1, code);
        string[] errorLines = error.Split('\n').Where(l => l.StartsWith("hardwaremaster: ", StringComparison.Ordinal)).ToArray();
        string line = Assert.Single(errorLines);
        Assert.Contains("b-corrupt.wav", line);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain(".src", line); // names the user's file, never a temporary
        foreach (string input in good)
        {
            Assert.True(File.Exists(OutputOf(outDir, input)), $"{input} was not written");
        }

        Assert.False(File.Exists(Path.Combine(outDir, "b-corrupt.wav")));
        Assert.Empty(Directory.GetFiles(outDir, ".*"));
        Assert.Contains("failed", text);
    }

    [Fact]
    public void Album_Jobs1AndJobs2_WriteIdenticalFiles()
    {
        string[] inputs = ThreeTracks(48000);
        string one = Path.Combine(_dir, "one"), two = Path.Combine(_dir, "two");

        (int code1, _, string error1) = CliRunner.Run(["album", .. inputs, "--out", one, "--cd", "--jobs", "1"]);
        (int code2, _, string error2) = CliRunner.Run(["album", .. inputs, "--out", two, "--cd", "--jobs", "2"]);

        Assert.True(code1 == 0, error1);
        Assert.True(code2 == 0, error2);
        foreach (string input in inputs)
        {
            Assert.Equal(Hash(OutputOf(one, input)), Hash(OutputOf(two, input)));
        }
    }

    [Fact]
    public void Album_OutIsTheInputFolder_RefusesWithOneLineExitTwo()
    {
        string[] inputs = ThreeTracks(48000);
        string[] before = inputs.Select(Hash).ToArray();

        (int code, _, string error) = CliRunner.Run(["album", .. inputs, "--out", _dir]);

        Assert.Equal(2, code);
        Assert.Contains("refusing to overwrite the input", CliRunner.SingleLine(error));
        Assert.Equal(before, inputs.Select(Hash).ToArray());
    }

    [Fact]
    public void Render_Rate_StaleTemporaryReplacedButAFifoThereRefusedWithoutBlocking()
    {
        string input = Track("mix.wav", 48000, seconds: 1, levelDb: -12, seed: 5);
        string output = Path.Combine(_dir, "master.wav");
        string temporary = HardwareMaster.App.Assistant.Album.ConvertedSource.TemporaryPathFor(output);
        File.WriteAllText(temporary, "stale copy of a killed run");

        (int code, _, string error) = CliRunner.Run("render", input, output, "--rate", "44100");
        Assert.True(code == 0, error);
        Assert.False(File.Exists(temporary));

        File.Delete(output);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", temporary))
        {
            mkfifo.WaitForExit();
        }

        (code, _, error) = CliRunner.Run("render", input, output, "--rate", "44100");
        Assert.Equal(1, code);
        Assert.StartsWith("hardwaremaster: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.True(File.Exists(temporary)); // the FIFO is not the converter's to remove
        File.Delete(temporary);
    }

    [Fact]
    public void Render_Rate_WritesAtTheNewRateSameDurationAndLeavesNoTemporary()
    {
        string input = Track("mix.wav", 48000, seconds: 3, levelDb: -12, seed: 5);
        string output = Path.Combine(_dir, "master.wav");

        (int code, _, string error) = CliRunner.Run("render", input, output, "--rate", "44100", "--bits", "16");

        Assert.True(code == 0, error);
        using (AudioFileReader reader = AudioFileReader.Open(output))
        {
            Assert.Equal(44100, reader.Format.SampleRateHz);
            Assert.InRange(reader.Format.LengthFrames, (3 * 44100) - 1, (3 * 44100) + 1);
        }

        Assert.True(Measure(output).TruePeakDbtp <= -1.0 + 0.1);
        Assert.Empty(Directory.GetFiles(_dir, ".*"));
    }

    [Fact]
    public void Render_RateWithCorruptInput_OneLineNamingTheInputAndNoTemporary()
    {
        string input = Path.Combine(_dir, "bad.wav");
        File.WriteAllBytes(input, [.. "RIFF\x10\0\0\0WAVEjunkjunkjunk"u8]);

        (int code, _, string error) = CliRunner.Run("render", input, Path.Combine(_dir, "master.wav"), "--rate", "44100");

        Assert.Equal(1, code);
        Assert.Contains("bad.wav", CliRunner.SingleLine(error));
        Assert.Empty(Directory.GetFiles(_dir, ".*"));
        Assert.False(File.Exists(Path.Combine(_dir, "master.wav")));
    }

    [Fact]
    public void Render_RateAndDiskFullMidWrite_OneLineNamingOutputNoTemporaryLeft()
    {
        string input = Track("mix.wav", 48000, seconds: 3, levelDb: -12, seed: 5);
        string output = Path.Combine(_dir, "master.wav");
        OfflineRenderer.OutputStreamWrapper = file => new FullDiskStream(file, 100_000);
        (int code, string error) = (0, string.Empty);
        try
        {
            (code, _, error) = CliRunner.Run("render", input, output, "--rate", "44100");
        }
        finally
        {
            OfflineRenderer.OutputStreamWrapper = null;
        }

        Assert.Equal(1, code);
        string line = CliRunner.SingleLine(error);
        Assert.Contains($"{output}: write error: No space left on device", line, StringComparison.Ordinal);
        Assert.DoesNotContain(".src", line, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_dir, ".*")); // neither the converted copy nor the render's temporary
    }

    [Fact]
    public void ConvertedSource_WhileMastering_TrackedForTheSignalCleanupAndDeletedByDispose()
    {
        string input = Track("mix.wav", 48000, seconds: 1, levelDb: -12, seed: 5);
        string output = Path.Combine(_dir, "master.wav");

        string path;
        using (ConvertedSource source = ConvertedSource.Create(input, output, 44100))
        {
            path = source.Path;
            Assert.Matches(@"/\.master\.src\d+\.wav$", path);
            Assert.Equal(_dir, Path.GetDirectoryName(path));
            Assert.Contains(path, OutputFile.Tracked()); // SIGINT/SIGTERM/SIGHUP delete it
            using AudioFileReader reader = AudioFileReader.Open(path);
            Assert.Equal(new AudioFileFormat(AudioContainer.Wav, SampleEncoding.Float32, 44100, 2, 44100), reader.Format);
        }

        Assert.False(File.Exists(path));
        Assert.DoesNotContain(path, OutputFile.Tracked());
    }

    [Theory]
    [InlineData("--rate", "100", "--rate 100 is outside 8000..384000 Hz")]
    public void Render_BadRate_OneLineExitTwo(string option, string value, string expected)
    {
        string input = Track("mix.wav", 48000, seconds: 1, levelDb: -12, seed: 5);
        (int code, _, string error) = CliRunner.Run("render", input, Path.Combine(_dir, "master.wav"), option, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, CliRunner.SingleLine(error));
    }

    private static string OutputOf(string outDir, string input) => Path.Combine(outDir, Path.GetFileNameWithoutExtension(input) + ".wav");

    // Three tracks at about −20, −17 and −23 LUFS (different noise, same spectrum).
    private string[] ThreeTracks(int rate, string? folder = null) =>
    [
        Track("a.wav", rate, 3, -17.0, 1, folder),
        Track("c.wav", rate, 3, -14.0, 2, folder),
        Track("d.wav", rate, 3, -20.0, 4, folder),
    ];

    // Pink-ish stereo noise with a slow level swell (so the loudness range is not 0), RMS about levelDb dBFS.
    private string Track(string name, int rate, double seconds, double levelDb, int seed, string? folder = null) =>
        PinkSwell.WriteWav(Path.Combine(folder ?? _dir, name), rate, seconds, Math.Pow(10, levelDb / 20) * 3.5, seed);

    private static LoudnessReport Measure(string path)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        var meter = new ProgramMeter(reader.Format.SampleRateHz, reader.Format.Channels);
        var l = new float[4096];
        var r = new float[4096];
        int n;
        while ((n = reader.ReadPlanar(l, r)) > 0)
        {
            meter.Process(l.AsSpan(0, n), reader.Format.Channels == 2 ? r.AsSpan(0, n) : Span<float>.Empty);
        }

        return meter.GetReport();
    }

    private static double Integrated(string path) => Measure(path).IntegratedLufs!.Value;

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    // ffmpeg's EBU R128 meter (4× oversampled true peak), an independent implementation.
    private static double FfmpegTruePeak(string path)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-hide_banner", "-nostats", "-i", path, "-af", "ebur128=peak=true", "-f", "null", "-" })
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string log = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "ffmpeg hung");
        _ = stdout.Result;
        Assert.True(process.ExitCode == 0, log);
        Match m = TruePeakLine().Match(log);
        Assert.True(m.Success, log);
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"True peak:\s+Peak:\s+(-?[0-9.]+|-inf) dBFS", RegexOptions.Singleline)]
    private static partial Regex TruePeakLine();
}
