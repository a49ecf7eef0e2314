using System.CommandLine;
using HardwareMaster.App.Reports;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Commands;

/// <summary>
/// <c>hardwaremaster demo</c>: the main job on an embedded default. Synthesises the built-in demo mix,
/// writes it as a 24-bit WAV, masters it through the chain with a genre preset (two-pass loudness
/// targeting, true-peak ceiling) and prints the loudness report of the mix and of the master.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Length of the demo mix in seconds (1–600).", DefaultValueFactory = _ => 30 };
        var output = new Option<string>("--out") { Description = "Where to write the demo mix.", DefaultValueFactory = _ => "demo-mix.wav" };
        var rate = new Option<int>("--rate") { Description = "Sample rate in Hz (32000–192000).", DefaultValueFactory = _ => 48000 };
        var preset = new Option<string>("--preset") { Description = "Preset the demo master uses.", DefaultValueFactory = _ => "streaming-pop-rock" };
        var command = new Command("demo", "Generate the built-in demo mix, master it with a genre preset and print both loudness reports.") { seconds, output, rate, preset };
        command.SetAction(result => Execute(result.GetValue(seconds), result.GetValue(output)!, result.GetValue(rate), result.GetValue(preset)!));
        return command;
    }

    private static int Execute(double seconds, string output, int sampleRateHz, string preset)
    {
        if (!double.IsFinite(seconds) || seconds < 1 || seconds > 600)
        {
            Cli.Error($"--seconds {seconds} is outside 1..600");
            return 2;
        }

        if (sampleRateHz is < 32000 or > 192000)
        {
            Cli.Error($"--rate {sampleRateHz} is outside 32000..192000 Hz");
            return 2;
        }

        // Up front: the mix is read back to be mastered, so it must be a regular file (never a folder or a device).
        if (OutputFile.Check(output, out OutputMode mode) is string problem)
        {
            Cli.Error(string.IsNullOrWhiteSpace(output) ? "--out: the path is empty" : $"--out {output}: {problem}");
            return 2;
        }

        if (mode != OutputMode.Atomic)
        {
            Cli.Error($"--out {output}: needs a regular file (the demo reads the mix back to master it)");
            return 2;
        }

        try
        {
            WriteDemoMix(output, (long)Math.Round(seconds * sampleRateHz), sampleRateHz);
            Console.WriteLine($"wrote {output}: {seconds:0.#} s of the built-in demo mix");
            string master = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, Path.GetFileNameWithoutExtension(output) + "-master" + Path.GetExtension(output));
            Console.WriteLine($"mastering it with preset {preset} into {master}");
            return Cli.Run(["render", output, master, "--preset", preset]);
        }
        catch (AudioFileException e)
        {
            Cli.Error(e.Message);
            return 1;
        }
    }

    /// <summary>
    /// Renders <paramref name="frames"/> frames of the demo mix into a 24-bit stereo WAV: written to a hidden temporary
    /// file beside <paramref name="path"/>, flushed (fsync) and renamed over it only when complete, so a killed or
    /// failed run (disk full) leaves what was there.
    /// </summary>
    /// <param name="path">The WAV to write.</param>
    /// <param name="frames">Length in frames.</param>
    /// <param name="sampleRateHz">Sample rate.</param>
    /// <param name="wrapStream">Test seam: wraps the file stream (e.g. to fail like a full disk).</param>
    /// <exception cref="AudioFileException">The file cannot be written; the message names <paramref name="path"/>.</exception>
    internal static void WriteDemoMix(string path, long frames, int sampleRateHz, Func<FileStream, Stream>? wrapStream = null)
    {
        const int Block = 4096;
        if (OutputFile.Check(path, out OutputMode mode) is string problem)
        {
            throw new AudioFileException(path, problem);
        }

        float[] left = new float[Block];
        float[] right = new float[Block];
        string temporary = path;
        FileStream? file = null;
        try
        {
            file = OutputFile.Open(path, mode, out temporary);
            Stream stream = wrapStream?.Invoke(file) ?? file;
            using (AudioFileWriter writer = AudioFileWriter.Create(stream, path, AudioContainer.Wav, SampleEncoding.Pcm24, sampleRateHz, 2, leaveOpen: true))
            {
                for (long start = 0; start < frames; start += Block)
                {
                    int n = (int)Math.Min(Block, frames - start);
                    DemoMix.Render(left.AsSpan(0, n), right.AsSpan(0, n), start, sampleRateHz);
                    writer.WritePlanar(left.AsSpan(0, n), right.AsSpan(0, n));
                }

                writer.Complete();
            }

            stream.Flush();
            OutputFile.FlushToDisk(file);
            file.Dispose();
            OutputFile.Commit(temporary, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AudioFileException)
        {
            file?.Dispose();
            OutputFile.Discard(temporary, path);
            string why = OutputFile.Describe(ex is AudioFileException a ? new IOException(a.Problem) : ex, temporary, path);
            throw new AudioFileException(path, ex is AudioFileException ? why : "write error: " + why, ex);
        }
    }
}
