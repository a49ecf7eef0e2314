using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HardwareMaster.App.Reports;
using HardwareMaster.App.Reports.Plots;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Commands;

/// <summary>
/// <c>hardwaremaster measure FILE... [--json] [--plot FILE.png]</c>: BS.1770-4 / EBU R128 loudness report per file.
/// Good files are measured even when others fail; each bad file is one error line and the exit code is 1.
/// </summary>
internal static class MeasureCommand
{
    private const int BlockFrames = 8192;

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "WAV (PCM/float, RF64) or AIFF/AIFF-C files." };
        var json = new Option<bool>("--json") { Description = "One JSON object per file (an array when several files are given)." };
        var plot = new Option<string?>("--plot") { Description = "Also draw short-term loudness, true-peak overs (above -1 dBTP) and the 1/3-octave spectrum into this PNG (one FILE only)." };
        var command = new Command("measure", "Integrated loudness, loudness range, max momentary/short-term, true peak, sample peak and PLR, plus the gain streaming platforms would apply.") { files, json, plot };
        command.SetAction(result => Execute(result.GetValue(files)!, result.GetValue(json), Console.Out, result.GetValue(plot)));
        return command;
    }

    /// <summary>Measures every file and prints the reports; returns the exit code.</summary>
    /// <param name="files">The files.</param>
    /// <param name="asJson">JSON instead of text.</param>
    /// <param name="output">Where the reports go.</param>
    /// <param name="plotPath">--plot: a PNG of the (single) file, checked before anything is read; null = none.</param>
    public static int Execute(IReadOnlyList<string> files, bool asJson, TextWriter output, string? plotPath = null)
    {
        PlotTrace? trace = null;
        OutputMode plotMode = default;
        if (plotPath is not null)
        {
            if (files.Count != 1)
            {
                Cli.Error($"--plot draws one file; give exactly one FILE (got {files.Count}), or run measure once per file");
                return 2;
            }

            if (PlotOutput.Check(plotPath, out plotMode, files[0]) is string plotProblem)
            {
                Cli.Error(plotProblem);
                return 2;
            }

            trace = new PlotTrace();
        }

        var results = new List<(string File, AudioFileFormat Format, LoudnessReport Report, SignalHealthReport Health)>();
        int exitCode = 0;
        foreach (string file in files)
        {
            try
            {
                (AudioFileFormat format, LoudnessReport report, SignalHealthReport health) = MeasureWithHealth(file, trace);
                results.Add((file, format, report, health));
                if (!asJson)
                {
                    ReportWriter.WriteText(output, $"{file}  {format.Describe()}, {ReportWriter.Duration(report.DurationFrames, report.SampleRateHz)}", report);
                    ReportWriter.WriteWarningLines(output, Warnings(report, health));
                }
            }
            catch (AudioFileException e)
            {
                Cli.Error(e.Message);
                exitCode = 1;
            }
        }

        if (asJson && results.Count > 0)
        {
            var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                bool array = files.Count > 1;
                if (array)
                {
                    json.WriteStartArray();
                }

                foreach ((string file, AudioFileFormat format, LoudnessReport report, SignalHealthReport health) in results)
                {
                    json.WriteStartObject();
                    ReportWriter.WriteJsonMembers(json, file, format, report);
                    ReportWriter.WriteSignal(json, health);
                    ReportWriter.WriteWarnings(json, Warnings(report, health));
                    json.WriteEndObject();
                }

                if (array)
                {
                    json.WriteEndArray();
                }
            }

            output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            output.Flush();
        }

        if (trace is not null && results.Count == 1)
        {
            exitCode = Math.Max(exitCode, RenderPlots.WriteMeasure(plotPath!, plotMode, trace, files[0]));
        }

        return exitCode;
    }

    /// <summary>Streams <paramref name="path"/> through a <see cref="ProgramMeter"/> in fixed blocks.</summary>
    /// <exception cref="AudioFileException">The file cannot be opened or decoded.</exception>
    public static (AudioFileFormat Format, LoudnessReport Report) Measure(string path)
    {
        (AudioFileFormat format, LoudnessReport report, _) = MeasureWithHealth(path);
        return (format, report);
    }

    /// <summary>The warnings of a measured file: input warnings (DC, overs, limited, LRA, phase) and the platforms turning it down.</summary>
    public static IReadOnlyList<string> Warnings(in LoudnessReport report, in SignalHealthReport health)
    {
        var warnings = new List<string>(SignalWarnings.ForInput(report, health));
        if (Normalization.TurnedDownWarning(report) is { } turnedDown)
        {
            warnings.Add(turnedDown);
        }

        return warnings;
    }

    /// <summary>As <see cref="Measure"/>, with the per-sample statistics of <see cref="SignalHealth"/> from the same read.</summary>
    /// <param name="path">The file.</param>
    /// <param name="trace">Also gets the samples, for <c>--plot</c> (null = none).</param>
    /// <exception cref="AudioFileException">The file cannot be opened or decoded.</exception>
    public static (AudioFileFormat Format, LoudnessReport Report, SignalHealthReport Health) MeasureWithHealth(string path, PlotTrace? trace = null)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        AudioFileFormat format = reader.Format;
        var meter = new ProgramMeter(format.SampleRateHz, format.Channels);
        var health = new SignalHealth(format.Channels, format.SampleRateHz);
        trace?.Begin(format.SampleRateHz, format.Channels);
        reader.ReadBlocks(BlockFrames, (l, r) =>
        {
            meter.Process(l, r);
            health.Process(l, r);
            trace?.Input(l, r);
        });

        return (format, meter.GetReport(), health.GetReport());
    }
}
