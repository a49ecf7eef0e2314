using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HardwareMaster.App.Assistant.Album;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Rendering;
using HardwareMaster.App.Reports;
using HardwareMaster.App.Reports.Plots;
using HardwareMaster.Hal.Audio.Resampling;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;
using Spectre.Console;

namespace HardwareMaster.App.Commands;

/// <summary>
/// <c>hardwaremaster render IN OUT [--preset NAME | --preset-file F] [--set ID=VALUE]... [--target LUFS|spotify|apple|r128|atsc]
/// [--ceiling DBTP] [--bits 16|24|32f] [--rate HZ] [--block N] [--json] [--plot FILE.png]</c>: an offline master through the box's chain.
/// </summary>
internal static class RenderCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var input = new Argument<string>("IN") { Description = "Source mix (WAV/RF64/AIFF/AIFF-C)." };
        var output = new Argument<string>("OUT") { Description = "Master to write (.wav, .aif/.aiff, .aifc); never the input." };
        var preset = new Option<string?>("--preset") { Description = "Factory preset name (see `hardwaremaster params --presets`). Default: streaming-pop-rock." };
        var presetFile = new Option<string?>("--preset-file") { Description = "Preset JSON file." };
        var set = new Option<string[]>("--set") { Description = "Override a parameter, ID=VALUE (repeatable), e.g. --set eq.bell2.gain=+1.5", AllowMultipleArgumentsPerToken = false };
        var target = new Option<string?>("--target") { Description = "Integrated loudness target: LUFS number, or spotify (-14), apple (-16), r128 (-23), atsc (-24). Default: the preset's target." };
        var ceiling = new Option<string?>("--ceiling") { Description = "True-peak ceiling in dBTP (-10..0). Default: the preset's (-1.0)." };
        var bits = new Option<string>("--bits") { Description = "Output word: 16, 24 (dithered) or 32f (float).", DefaultValueFactory = _ => "24" };
        var block = new Option<int>("--block") { Description = "Block size in frames (1..65536); the output does not depend on it.", DefaultValueFactory = _ => 512 };
        var maxLimiting = new Option<double>("--max-limiting") { Description = "Most loudness (LU) the limiter may take away to reach the target before the render backs off and warns.", DefaultValueFactory = _ => 3.0 };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var plot = new Option<string?>("--plot") { Description = "Also draw loudness, gain reduction, true-peak overs and spectrum (input vs output) into this PNG." };
        var rate = new Option<int?>("--rate") { Description = "Deliver at this sample rate (8000..384000 Hz): the input is converted first through libsoxr (very high quality), then mastered at the new rate." };
        var command = new Command("render", "Master a file offline through the box's chain with two-pass loudness targeting and a true-peak ceiling.")
        {
            input, output, preset, presetFile, set, target, ceiling, bits, block, maxLimiting, json, plot,
        };
        command.Options.Add(rate);
        command.SetAction(result => Execute(
            result.GetValue(input)!,
            result.GetValue(output)!,
            result.GetValue(preset),
            result.GetValue(presetFile),
            result.GetValue(set) ?? [],
            result.GetValue(target),
            result.GetValue(ceiling),
            result.GetValue(bits)!,
            result.GetValue(block),
            result.GetValue(maxLimiting),
            result.GetValue(json),
            result.GetValue(rate),
            result.GetValue(plot)));
        return command;
    }

    private static int Execute(string input, string output, string? presetName, string? presetFile, string[] sets, string? target, string? ceiling, string bits, int block, double maxLimiting, bool asJson, int? rate, string? plotPath)
    {
        RenderRequest? request = BuildRequest(input, output, presetName, presetFile, sets, target, ceiling, bits, block, maxLimiting, out string? error);
        if (request is null)
        {
            Cli.Error(error!);
            return 2;
        }

        // The plot's path is checked before the render, which may take minutes.
        PlotTrace? trace = null;
        Hal.Files.OutputMode plotMode = default;
        if (plotPath is not null)
        {
            if (PlotOutput.Check(plotPath, out plotMode, input, output) is string plotProblem)
            {
                Cli.Error(plotProblem);
                return 2;
            }

            trace = new PlotTrace(request.Values);
            request = request with { Trace = trace };
        }

        if (rate is < ConvertedSource.MinRateHz or > ConvertedSource.MaxRateHz)
        {
            Cli.Error($"--rate {rate} is outside {ConvertedSource.MinRateHz}..{ConvertedSource.MaxRateHz} Hz");
            return 2;
        }

        RenderResult result;
        ConvertedSource? source = null;
        try
        {
            // --rate: convert first (hidden float WAV beside OUT, always deleted), then master at the delivery rate, so the
            // true-peak ceiling and the dither hold on the samples delivered.
            source = rate is int hz ? ConvertedSource.Create(input, output, hz) : null;
            RenderRequest run = source is { Converted: true } ? request with { InputPath = source.Path } : request;
            result = Console.IsErrorRedirected ? OfflineRenderer.Render(run) : RenderWithProgress(run);
        }
        catch (AudioFileException e)
        {
            Cli.Error(source?.Rename(e.Message, input) ?? e.Message);
            return 1;
        }
        catch (ResamplerException e)
        {
            Cli.Error(e.Message);
            return 1;
        }
        finally
        {
            source?.Dispose();
        }

        foreach (string warning in result.Warnings)
        {
            Console.Error.WriteLine($"hardwaremaster: warning: {warning}");
        }

        if (asJson)
        {
            WriteJson(request, result);
        }
        else
        {
            WriteText(request, result);
        }

        return trace is null ? 0 : RenderPlots.Write(plotPath!, plotMode, trace, request, result);
    }

    /// <summary>Validates every argument and builds the request; null with a one-line error when something is wrong.</summary>
    internal static RenderRequest? BuildRequest(string input, string output, string? presetName, string? presetFile, IReadOnlyList<string> sets, string? target, string? ceiling, string bits, int block, double maxLimiting, out string? error)
    {
        error = null;
        if (presetName is not null && presetFile is not null)
        {
            error = "use either --preset or --preset-file, not both";
            return null;
        }

        if (block is < 1 or > 65536)
        {
            error = $"--block {block} is outside 1..65536";
            return null;
        }

        if (!double.IsFinite(maxLimiting) || maxLimiting is < 0 or > 20)
        {
            error = $"--max-limiting {maxLimiting} is outside 0..20 LU";
            return null;
        }

        SampleEncoding encoding;
        switch (bits.Trim().ToLowerInvariant())
        {
            case "16": encoding = SampleEncoding.Pcm16; break;
            case "24": encoding = SampleEncoding.Pcm24; break;
            case "32f" or "float": encoding = SampleEncoding.Float32; break;
            default:
                error = $"--bits '{bits}' must be 16, 24 or 32f";
                return null;
        }

        // Up front, before any work: empty paths, a FIFO input, OUT = IN (by device and inode), OUT a folder or not a
        // regular file or character device, OUT's folder missing, an unknown OUT extension.
        if (OfflineRenderer.CheckPaths(input, output, out OutputMode mode) is string pathProblem)
        {
            error = pathProblem;
            return null;
        }

        try
        {
            AudioContainers.ForOutput(output, mode);
        }
        catch (AudioFileException e)
        {
            error = e.Message;
            return null;
        }

        var library = new PresetLibrary(ParameterRegistry.Chain);
        Preset preset;
        try
        {
            if (presetFile is not null)
            {
                preset = library.LoadFile(presetFile);
            }
            else if (!library.TryGetFactory(presetName ?? "streaming-pop-rock", out preset))
            {
                error = $"unknown preset '{presetName}' (known: {string.Join(", ", library.Factory.Select(p => p.Name))})";
                return null;
            }
        }
        catch (PresetException e)
        {
            error = e.Message;
            return null;
        }

        ParameterSet values = preset.Values.Clone();
        foreach (string assignment in sets)
        {
            int equals = assignment.IndexOf('=');
            if (equals <= 0)
            {
                error = $"--set '{assignment}' must look like ID=VALUE, e.g. eq.bell2.gain=+1.5";
                return null;
            }

            string? problem = PresetSerializer.TryApply(values, assignment[..equals].Trim(), assignment[(equals + 1)..]);
            if (problem is not null)
            {
                error = $"--set: {problem}";
                return null;
            }
        }

        if (ceiling is not null)
        {
            string? problem = PresetSerializer.TryApply(values, ParameterIds.LimiterCeiling, ceiling);
            if (problem is not null)
            {
                error = $"--ceiling: {problem}";
                return null;
            }
        }

        double targetLufs = values[ParameterIds.TargetLufs];
        if (target is not null)
        {
            if (!LoudnessTargets.TryParse(target, out targetLufs, out error))
            {
                return null;
            }

            values[ParameterIds.TargetLufs] = targetLufs;
        }

        return new RenderRequest(input, output, values, targetLufs, encoding, block, maxLimiting, preset.Name);
    }

    private static RenderResult RenderWithProgress(RenderRequest request)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        RenderResult? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask? task = null;
                int currentPass = 0;
                result = OfflineRenderer.Render(request, (pass, fraction) =>
                {
                    if (pass != currentPass)
                    {
                        task?.StopTask();
                        currentPass = pass;
                        task = context.AddTask(pass == 1 ? "pass 1: analysing" : $"pass {pass}: rendering", maxValue: 1.0);
                    }

                    task!.Value = fraction;
                });
                task?.StopTask();
            });
        return result!;
    }

    private static void WriteText(RenderRequest request, RenderResult result)
    {
        TextWriter o = Console.Out;
        ReportWriter.WriteText(o, $"input   {request.InputPath}", result.Input);
        ReportWriter.WriteText(o, $"output  {request.OutputPath}  {result.Format.Describe()}, {ReportWriter.Duration(result.Output.DurationFrames, result.Output.SampleRateHz)}", result.Output);
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Target          {request.TargetLufs:0.0} LUFS, ceiling {request.Values[ParameterIds.LimiterCeiling]:0.0} dBTP; loudness gain {result.LoudnessGainDb:+0.00;-0.00} dB after {result.Passes} passes"));
        o.WriteLine($"  Compressor GR   {GainReductionText(result.Compressor)}");
        o.WriteLine($"  Limiter GR      {GainReductionText(result.Limiter)}");
        o.WriteLine($"  Latency         {result.LatencyFrames} frames (compensated: output aligned with input, same length)");
        o.WriteLine($"  Preset          {request.PresetName ?? "(none)"}");
        ReportWriter.WriteWrapped(o, "  Parameters      ", ReportWriter.ParameterAssignments(request.Values));
        ReportWriter.WriteWarningLines(o, result.Warnings);
    }

    private static void WriteJson(RenderRequest request, RenderResult result)
    {
        // Through Console.Out (not the raw standard output stream), so the report can be captured like the text one.
        var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("input", request.InputPath);
            json.WriteString("output", request.OutputPath);
            json.WriteString("format", result.Format.Describe());
            if (request.TargetLufs is double t)
            {
                json.WriteNumber("target_lufs", t);
            }
            else
            {
                json.WriteNull("target_lufs");
            }

            json.WriteNumber("ceiling_dbtp", request.Values[ParameterIds.LimiterCeiling]);
            json.WriteNumber("loudness_gain_db", Math.Round(result.LoudnessGainDb, 3));
            json.WriteNumber("passes", result.Passes);
            json.WriteNumber("latency_frames", result.LatencyFrames);
            json.WriteStartObject("input_meters");
            ReportWriter.WriteMeterMembers(json, result.Input);
            ReportWriter.WriteSignal(json, result.InputHealth);
            json.WriteEndObject();
            json.WriteStartObject("output_meters");
            ReportWriter.WriteMeterMembers(json, result.Output);
            ReportWriter.WriteSignal(json, result.OutputHealth);
            json.WriteEndObject();
            WriteGainReduction(json, "compressor_gr", result.Compressor);
            WriteGainReduction(json, "limiter_gr", result.Limiter);
            json.WriteBoolean("compressor_bypassed", result.Compressor is null);
            json.WriteBoolean("limiter_bypassed", result.Limiter is null);
            if (request.PresetName is null)
            {
                json.WriteNull("preset");
            }
            else
            {
                json.WriteString("preset", request.PresetName);
            }

            ReportWriter.WriteParameters(json, request.Values);
            ReportWriter.WriteWarnings(json, result.Warnings);
            json.WriteEndObject();
        }

        Console.Out.WriteLine(Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
        Console.Out.Flush();
    }

    // "bypassed" for a stage that did not run (its detector's readings mean nothing).
    private static string GainReductionText(GainReductionStats? stats) =>
        stats is GainReductionStats s
            ? string.Create(CultureInfo.InvariantCulture, $"max {s.MaxDb:0.0} dB, mean {s.MeanDb:0.0} dB, active {s.ActivePercent:0}% of the time")
            : "bypassed";

    // null for a stage that did not run.
    private static void WriteGainReduction(Utf8JsonWriter json, string name, GainReductionStats? gainReduction)
    {
        if (gainReduction is not GainReductionStats stats)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        json.WriteNumber("max_db", Math.Round(stats.MaxDb, 3));
        json.WriteNumber("mean_db", Math.Round(stats.MeanDb, 3));
        json.WriteNumber("active_percent", Math.Round(stats.ActivePercent, 1));
        json.WriteEndObject();
    }
}
