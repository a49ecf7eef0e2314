using System.CommandLine;
using HardwareMaster.App.Assistant.Album;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Rendering;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Commands;

/// <summary>
/// <c>hardwaremaster album DIR|FILES... --out DIR [--preset NAME | --preset-file F] [--target LUFS] [--mode album|track]
/// [--cd] [--jobs N] [--json]</c>: batch mastering through the box's chain with a consistency report.
/// </summary>
internal static class AlbumCommand
{
    /// <summary>Sample rate of <c>--cd</c>.</summary>
    public const int CdRateHz = 44100;

    private static readonly string[] s_audioExtensions = [".wav", ".wave", ".rf64", ".aif", ".aiff", ".aifc"];

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var inputs = new Argument<string[]>("DIR|FILES") { Description = "Folders (their audio files, in name order) and/or files, in album order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Folder for the masters (created if missing); names = input names with .wav; never an input.", Required = true };
        var preset = new Option<string?>("--preset") { Description = "Factory preset name. Default: streaming-pop-rock." };
        var presetFile = new Option<string?>("--preset-file") { Description = "Preset JSON file." };
        var target = new Option<string?>("--target") { Description = "Integrated loudness target: LUFS number, or spotify, apple, r128, atsc. Default: the preset's." };
        var mode = new Option<string>("--mode") { Description = "album: one loudness gain for the album (keeps the tracks' relative loudness); track: each track to the target.", DefaultValueFactory = _ => "album" };
        var cd = new Option<bool>("--cd") { Description = "CD delivery: 16-bit 44.1 kHz, TPDF dither; other rates converted through libsoxr first." };
        var jobs = new Option<int>("--jobs") { Description = "Tracks mastered at a time (1..256). Default: the processor count.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print the consistency report as JSON." };
        var command = new Command("album", "Master several tracks with one chain: album or per-track loudness, optional CD delivery, a consistency report (loudness, LRA, true peak, spectral tilt, outliers).")
        {
            inputs, output, preset, presetFile, target, mode, cd, jobs, json,
        };
        command.SetAction(result => Execute(
            result.GetValue(inputs) ?? [],
            result.GetValue(output)!,
            result.GetValue(preset),
            result.GetValue(presetFile),
            result.GetValue(target),
            result.GetValue(mode)!,
            result.GetValue(cd),
            result.GetValue(jobs),
            result.GetValue(json)));
        return command;
    }

    private static int Execute(string[] inputs, string outDir, string? presetName, string? presetFile, string? target, string modeText, bool cd, int jobs, bool asJson)
    {
        AlbumMode mode;
        switch (modeText.Trim().ToLowerInvariant())
        {
            case "album": mode = AlbumMode.Album; break;
            case "track": mode = AlbumMode.Track; break;
            default:
                Cli.Error($"album: --mode '{modeText}' must be album or track");
                return Cli.UsageExitCode;
        }

        if (jobs is < 1 or > 256)
        {
            Cli.Error($"album: --jobs {jobs} is outside 1..256");
            return Cli.UsageExitCode;
        }

        if (string.IsNullOrWhiteSpace(outDir))
        {
            Cli.Error("album: --out: the path is empty");
            return Cli.UsageExitCode;
        }

        if (File.Exists(outDir) || (FileIdentity.Of(outDir).Kind is not (FileKind.Missing or FileKind.Directory)))
        {
            Cli.Error($"{outDir}: --out must be a folder");
            return Cli.UsageExitCode;
        }

        List<string>? files = ExpandInputs(inputs, out string? problem);
        if (files is null)
        {
            Cli.Error(problem!);
            return Cli.UsageExitCode;
        }

        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Cli.Error($"{outDir}: cannot create the folder: {ex.Message}");
            return 1;
        }

        List<AlbumTrack>? tracks = PlanOutputs(files, outDir, out problem);
        if (tracks is null)
        {
            Cli.Error(problem!);
            return Cli.UsageExitCode;
        }

        RenderRequest? template = RenderCommand.BuildRequest(tracks[0].InputPath, tracks[0].OutputPath, presetName, presetFile, [], target, null, cd ? "16" : "24", 512, 3.0, out string? error);
        if (template is null)
        {
            Cli.Error(error!);
            return Cli.UsageExitCode;
        }

        if (cd)
        {
            ParameterSet values = template.Values.Clone();
            values[ParameterIds.DitherEnabled] = 1; // TPDF dither to 16 bits
            template = template with { Values = values };
        }

        AlbumOutcome outcome = AlbumMastering.Run(tracks, template, mode, cd ? CdRateHz : null, jobs, line => Console.Error.WriteLine(line));
        if (asJson)
        {
            Console.Out.WriteLine(AlbumReport.Json(outcome, template.Values, cd ? "WAV PCM 16-bit, 44100 Hz, TPDF dither" : null));
        }
        else
        {
            AlbumReport.WriteText(Console.Out, outcome, template.Values);
        }

        Console.Out.Flush();
        return outcome.Tracks.Any(t => t.Error is not null) ? 1 : 0;
    }

    // Folders become their audio files (not hidden ones, in ordinal name order); files are kept as given.
    private static List<string>? ExpandInputs(string[] inputs, out string? problem)
    {
        problem = null;
        var files = new List<string>();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
            {
                string[] found = Directory.EnumerateFiles(input)
                    .Where(f => !Path.GetFileName(f).StartsWith('.') && s_audioExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToArray();
                if (found.Length == 0)
                {
                    problem = $"{input}: no audio files (.wav, .rf64, .aif, .aiff, .aifc) in the folder";
                    return null;
                }

                files.AddRange(found);
            }
            else
            {
                files.Add(input);
            }
        }

        return files;
    }

    // OUT/NAME.wav for each input; refuses two inputs writing one output and an output that is an input.
    private static List<AlbumTrack>? PlanOutputs(List<string> files, string outDir, out string? problem)
    {
        problem = null;
        var tracks = new List<AlbumTrack>();
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            string outPath = Path.Combine(outDir, Path.GetFileNameWithoutExtension(file) + ".wav");
            if (taken.TryGetValue(Path.GetFullPath(outPath), out string? other))
            {
                problem = $"{outPath}: both {other} and {file} would be written there";
                return null;
            }

            taken[Path.GetFullPath(outPath)] = file;
            foreach (string input in files)
            {
                if (OutputFile.IsSameFile(outPath, input) || OutputFile.NameTheSameFile(outPath, input))
                {
                    problem = $"{outPath}: refusing to overwrite the input {input} (choose another --out folder)";
                    return null;
                }
            }

            if (OfflineRenderer.CheckPaths(file, outPath, out _) is string pathProblem)
            {
                problem = pathProblem;
                return null;
            }

            tracks.Add(new AlbumTrack(file, outPath));
        }

        return tracks;
    }
}
