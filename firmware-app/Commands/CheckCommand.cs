using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HardwareMaster.App.Assistant.Check;
using HardwareMaster.App.Reports;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Commands;

/// <summary>
/// <c>hardwaremaster check MIX... [--genre NAME] [--json]</c>: the pre-mastering checklist (<see cref="MixChecklist"/>)
/// per file. Exit 0 when every file could be checked, whatever the verdicts; 1 when a file could not be read (the others
/// are still checked and reported); 2 for a usage error such as an unknown genre.
/// </summary>
internal static class CheckCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var files = new Argument<string[]>("MIX") { Arity = ArgumentArity.OneOrMore, Description = "WAV (PCM/float, RF64) or AIFF/AIFF-C mixes." };
        var genre = new Option<string>("--genre") { Description = $"Genre to compare the spectrum and loudness range with: {string.Join(", ", GenreProfile.All.Select(g => g.Name))}.", DefaultValueFactory = _ => GenreProfile.Default.Name };
        var json = new Option<bool>("--json") { Description = "One JSON object per file {\"file\", \"genre\", \"format\", \"items\": [{\"id\", \"verdict\", \"value\", \"unit\", \"reason\", \"metrics\"}], \"summary\"}; an array when several files are given." };
        var command = new Command("check", "Pre-mastering checklist: headroom, clipping, prior limiting, DC, stereo and low-end mono compatibility, spectral balance and loudness range for the genre, delivery format; pass/warn/fail with the measured value and the reason.") { files, genre, json };
        command.SetAction(result => Execute(result.GetValue(files)!, result.GetValue(genre)!, result.GetValue(json), Console.Out));
        return command;
    }

    /// <summary>Checks every file and prints the checklists; returns the exit code.</summary>
    /// <param name="files">The mixes.</param>
    /// <param name="genreName">A name of <see cref="GenreProfile.All"/>.</param>
    /// <param name="asJson">JSON instead of text.</param>
    /// <param name="output">Where the report goes (errors go to standard error).</param>
    public static int Execute(IReadOnlyList<string> files, string genreName, bool asJson, TextWriter output)
    {
        if (GenreProfile.Find(genreName) is not { } genre)
        {
            Cli.Error($"check: --genre: unknown genre '{genreName}'; one of: {string.Join(", ", GenreProfile.All.Select(g => g.Name))}");
            return Cli.UsageExitCode;
        }

        var results = new List<(string File, MixMeasurement Mix, IReadOnlyList<CheckItem> Items)>();
        int exitCode = 0;
        foreach (string file in files)
        {
            try
            {
                MixMeasurement mix = MixMeter.MeasureFile(file);
                IReadOnlyList<CheckItem> items = MixChecklist.Evaluate(mix, genre);
                results.Add((file, mix, items));
                if (!asJson)
                {
                    WriteText(output, file, mix, genre, items);
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
            WriteJson(output, files.Count > 1, genre, results);
        }

        output.Flush();
        return exitCode;
    }

    private static void WriteText(TextWriter output, string file, MixMeasurement mix, GenreProfile genre, IReadOnlyList<CheckItem> items)
    {
        output.WriteLine($"{file}  {mix.Format.Description}, {ReportWriter.Duration(mix.Loudness.DurationFrames, mix.Loudness.SampleRateHz)}, genre {genre.Name}");
        foreach (CheckItem item in items)
        {
            output.WriteLine($"  {Verdict(item.Verdict).ToUpperInvariant(),-4}  {item.Id,-16}  {Value(item),-12}  {item.Reason}");
        }

        (int pass, int warn, int fail) = MixChecklist.Count(items);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {pass} pass, {warn} warn, {fail} fail{(fail > 0 ? ": fix the failed items in the mix before mastering" : warn > 0 ? ": ready, with the warnings above in mind" : ": ready for mastering")}"));
    }

    private static void WriteJson(TextWriter output, bool array, GenreProfile genre, List<(string File, MixMeasurement Mix, IReadOnlyList<CheckItem> Items)> results)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            if (array)
            {
                json.WriteStartArray();
            }

            foreach ((string file, MixMeasurement mix, IReadOnlyList<CheckItem> items) in results)
            {
                json.WriteStartObject();
                json.WriteString("file", file);
                json.WriteString("genre", genre.Name);
                json.WriteString("format", mix.Format.Description);
                json.WriteNumber("duration_s", Math.Round((double)mix.Loudness.DurationFrames / mix.Loudness.SampleRateHz, 6));
                json.WriteStartArray("items");
                foreach (CheckItem item in items)
                {
                    json.WriteStartObject();
                    json.WriteString("id", item.Id);
                    json.WriteString("verdict", Verdict(item.Verdict));
                    Number(json, "value", item.Value);
                    json.WriteString("unit", item.Unit);
                    json.WriteString("reason", item.Reason);
                    json.WriteStartObject("metrics");
                    foreach ((string name, double? value) in item.Metrics)
                    {
                        Number(json, name, value);
                    }

                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                (int pass, int warn, int fail) = MixChecklist.Count(items);
                json.WriteStartObject("summary");
                json.WriteNumber("pass", pass);
                json.WriteNumber("warn", warn);
                json.WriteNumber("fail", fail);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            if (array)
            {
                json.WriteEndArray();
            }
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static string Verdict(CheckVerdict verdict) => verdict switch
    {
        CheckVerdict.Pass => "pass",
        CheckVerdict.Warn => "warn",
        _ => "fail",
    };

    private static string Value(CheckItem item)
    {
        if (item.Value is not double v)
        {
            return "-";
        }

        string number = item.Unit switch
        {
            "count" or "Hz" => v.ToString("0", CultureInfo.InvariantCulture),
            "" => v.ToString("+0.00;-0.00", CultureInfo.InvariantCulture),
            _ => v.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture),
        };
        return item.Unit is "" or "count" ? number : $"{number} {item.Unit}";
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            json.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
