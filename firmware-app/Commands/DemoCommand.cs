using System.CommandLine;
using HardwareMaster.App.Reports;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.AudioFiles;

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

    /// <summary>Renders <paramref name="frames"/> frames of the demo mix into a 24-bit stereo WAV.</summary>
    public static void WriteDemoMix(string path, long frames, int sampleRateHz)
    {
        const int Block = 4096;
        float[] left = new float[Block];
        float[] right = new float[Block];
        using AudioFileWriter writer = AudioFileWriter.Create(path, AudioContainer.Wav, SampleEncoding.Pcm24, sampleRateHz, 2);
        for (long start = 0; start < frames; start += Block)
        {
            int n = (int)Math.Min(Block, frames - start);
            DemoMix.Render(left.AsSpan(0, n), right.AsSpan(0, n), start, sampleRateHz);
            writer.WritePlanar(left.AsSpan(0, n), right.AsSpan(0, n));
        }

        writer.Complete();
    }
}
