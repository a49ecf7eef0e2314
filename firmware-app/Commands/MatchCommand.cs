using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HardwareMaster.App.Assistant.Match;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Commands;

/// <summary>
/// <c>hardwaremaster match MIX REFERENCE [--out PRESET.json] [--strength 0..1] [--preset BASE] [--allow-extremes] [--json]</c>:
/// fits the chain's EQ, loudness target and width so that the mix's master sounds like the reference (see <see cref="ReferenceMatch"/>).
/// </summary>
internal static class MatchCommand
{
    /// <summary>The base preset when none is given (the same as <c>render</c>'s).</summary>
    public const string DefaultBase = "streaming-pop-rock";

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var mix = new Argument<string>("MIX") { Description = "The mix to master (WAV/RF64/AIFF/AIFF-C file; read twice, so not a pipe)." };
        var reference = new Argument<string>("REFERENCE") { Description = "The reference master to sound like." };
        var output = new Option<string?>("--out") { Description = "Write the matched preset here (JSON, atomically; never one of the inputs or a folder)." };
        var strength = new Option<double>("--strength") { Description = "0..1: share of the fitted EQ gains to use (0 = flat tone bands, 1 = full match).", DefaultValueFactory = _ => 1.0 };
        var preset = new Option<string?>("--preset") { Description = $"Base preset (factory name, preset file or user preset); its tone bands are replaced. Default: {DefaultBase}." };
        var allowExtremes = new Option<bool>("--allow-extremes") { Description = "Fit 20 Hz-20 kHz and allow boosts there (default: fit 30 Hz-18 kHz, no boost outside)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("match", "Match a mix to a reference: fit the chain's EQ to the difference of their loudness-normalised spectra (bounded +-6 dB), set the loudness target and width, write a preset.")
        {
            mix, reference, output, strength, preset, allowExtremes, json,
        };
        command.SetAction(result => Execute(
            result.GetValue(mix)!,
            result.GetValue(reference)!,
            result.GetValue(output),
            result.GetValue(strength),
            result.GetValue(preset),
            result.GetValue(allowExtremes),
            result.GetValue(json),
            Console.Out));
        return command;
    }

    /// <summary>Runs the verb; returns the exit code (2 for a bad argument, 1 for a file that cannot be read or written).</summary>
    internal static int Execute(string mix, string reference, string? output, double strength, string? presetName, bool allowExtremes, bool asJson, TextWriter report)
    {
        if (!double.IsFinite(strength) || strength is < 0 or > 1)
        {
            Cli.Error($"match: --strength {strength.ToString(CultureInfo.InvariantCulture)} is outside 0..1");
            return Cli.UsageExitCode;
        }

        foreach ((string name, string path) in new[] { ("MIX", mix), ("REFERENCE", reference) })
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                Cli.Error($"match: {name}: the path is empty");
                return Cli.UsageExitCode;
            }
        }

        // The mix is read twice (analysis, then the check through the chain), and a pipe without a writer would block
        // the read for ever: both inputs must be files, as render's input.
        foreach (string path in new[] { mix, reference })
        {
            if (FileIdentity.Of(path).Kind is FileKind.Fifo or FileKind.CharacterDevice or FileKind.Other)
            {
                Cli.Error($"{path}: needs a regular file (not a pipe, FIFO or device)");
                return Cli.UsageExitCode;
            }
        }

        if (output is not null && OutputFile.Check(output, out _, mix, reference) is string outputProblem)
        {
            Cli.Error($"{output}: {outputProblem}");
            return Cli.UsageExitCode;
        }

        Preset basePreset;
        try
        {
            basePreset = PresetResolver.Resolve(presetName ?? DefaultBase);
        }
        catch (ConfigurationException e)
        {
            Cli.Error(string.Join("; ", e.Problems));
            return Cli.UsageExitCode;
        }

        MatchResult result;
        try
        {
            result = ReferenceMatch.Run(new MatchRequest(mix, reference, basePreset.Values, strength, allowExtremes));
        }
        catch (AudioFileException e)
        {
            Cli.Error(e.Message);
            return 1;
        }

        if (output is not null)
        {
            var matched = new Preset(PresetName(reference), Describe(mix, reference, strength, basePreset.Name), result.Values);
            try
            {
                AtomicFile.WriteAllText(output, PresetSerializer.Serialize(matched), mix, reference);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Cli.Error(e.Message.Contains(output, StringComparison.Ordinal) ? e.Message : $"{output}: {e.Message}");
                return 1;
            }
        }

        if (asJson)
        {
            WriteJson(report, mix, reference, output, strength, allowExtremes, basePreset.Name, result);
        }
        else
        {
            WriteText(report, mix, reference, output, strength, basePreset.Name, result);
        }

        return 0;
    }

    /// <summary>The written preset's name: <c>match-</c> and the reference's file name, fitted to the preset name rules.</summary>
    internal static string PresetName(string reference)
    {
        string stem = new(Path.GetFileNameWithoutExtension(reference).Where(c => !char.IsControl(c)).ToArray());
        string name = "match-" + (stem.Trim().Length == 0 ? "reference" : stem.Trim());
        return name.Length <= PresetSerializer.MaxNameLength ? name : name[..PresetSerializer.MaxNameLength];
    }

    private static string Describe(string mix, string reference, double strength, string baseName) =>
        string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(mix)} matched to {Path.GetFileName(reference)} (strength {strength:0.00}; base {baseName}): EQ, loudness target and width from hardwaremaster match.");

    private static void WriteText(TextWriter o, string mix, string reference, string? output, double strength, string baseName, MatchResult r)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine($"match  {mix} -> {reference}");
        o.WriteLine(string.Create(c, $"  Loudness        mix {r.MixLufs:0.0} LUFS, reference {r.ReferenceLufs:0.0} LUFS (integrated; both spectra normalised by it)"));
        o.WriteLine(string.Create(c, $"  EQ              fitted {r.FitLowHz:0} Hz-{r.FitHighHz / 1000:0.#} kHz to the smoothed (1/6 octave) mid-spectrum difference, gains within +-{EqFitter.MaxGainDb:0} dB, strength {strength:0.00}"));
        foreach (ToneBand band in r.Bands)
        {
            o.WriteLine(band.GainDb == 0
                ? $"    {band.Prefix,-13} flat"
                : string.Create(c, $"    {band.Prefix,-13} {band.FrequencyHz,8:0.#} Hz  {band.GainDb,6:+0.00;-0.00} dB  Q {band.Q:0.00}"));
        }

        string ratios = r.MixSideToMidDb is double m && r.ReferenceSideToMidDb is double f
            ? string.Create(c, $" (side/mid {m:0.0} dB in the mix after the EQ, {f:0.0} dB in the reference)")
            : string.Empty;
        o.WriteLine(string.Create(c, $"  Width           width.width {r.WidthFromPercent:0} % -> {r.WidthPercent:0.#} %{ratios}"));
        o.WriteLine(string.Create(c, $"  Target          target.lufs {r.TargetFromLufs:0.0} -> {r.TargetLufs:0.0} LUFS (the reference's integrated loudness)"));
        o.WriteLine(string.Create(c, $"  Distance        {r.Distance.BeforeDb:0.00} dB before, {r.Distance.AfterMeasuredDb:0.00} dB after (measured: the mix through the chain's EQ alone), {r.Distance.AfterModelDb:0.00} dB by the EQ model"));
        o.WriteLine(string.Create(c, $"                  RMS of the loudness-normalised 1/6-octave difference, {MatchResult.DistanceLowHz:0} Hz-{MatchResult.DistanceHighHz / 1000:0} kHz, level offset removed"));
        o.WriteLine(output is null ? $"  Preset          not written (give --out PRESET.json); base {baseName}" : $"  Preset          {output} (base {baseName}; use it with render --preset-file)");
        foreach (string note in r.Notes)
        {
            o.WriteLine($"  Note            {note}");
        }
    }

    private static void WriteJson(TextWriter o, string mix, string reference, string? output, double strength, bool allowExtremes, string baseName, MatchResult r)
    {
        var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("mix", mix);
            json.WriteString("reference", reference);
            if (output is null)
            {
                json.WriteNull("output");
            }
            else
            {
                json.WriteString("output", output);
            }

            json.WriteString("base_preset", baseName);
            json.WriteNumber("strength", strength);
            json.WriteBoolean("allow_extremes", allowExtremes);
            json.WriteNumber("mix_lufs", Math.Round(r.MixLufs, 3));
            json.WriteNumber("reference_lufs", Math.Round(r.ReferenceLufs, 3));
            json.WriteNumber("fit_low_hz", Math.Round(r.FitLowHz, 1));
            json.WriteNumber("fit_high_hz", Math.Round(r.FitHighHz, 1));
            json.WriteStartArray("bands");
            for (int i = 0; i < r.Bands.Count; i++)
            {
                ToneBand band = r.Bands[i];
                json.WriteStartObject();
                json.WriteString("id", band.Prefix);
                json.WriteString("type", band.Type.ToString().ToLowerInvariant());
                json.WriteNumber("freq_hz", band.FrequencyHz);
                json.WriteNumber("gain_db", band.GainDb);
                json.WriteNumber("q", band.Q);
                json.WriteNumber("fitted_gain_db", r.FittedBands[i].GainDb);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("width");
            json.WriteNumber("from_percent", r.WidthFromPercent);
            json.WriteNumber("to_percent", r.WidthPercent);
            WriteNullable(json, "mix_side_to_mid_db", r.MixSideToMidDb);
            WriteNullable(json, "reference_side_to_mid_db", r.ReferenceSideToMidDb);
            json.WriteEndObject();
            json.WriteStartObject("target_lufs");
            json.WriteNumber("from", r.TargetFromLufs);
            json.WriteNumber("to", r.TargetLufs);
            json.WriteEndObject();
            json.WriteStartObject("distance_db");
            json.WriteNumber("before", Math.Round(r.Distance.BeforeDb, 3));
            json.WriteNumber("after_measured", Math.Round(r.Distance.AfterMeasuredDb, 3));
            json.WriteNumber("after_model", Math.Round(r.Distance.AfterModelDb, 3));
            json.WriteNumber("low_hz", MatchResult.DistanceLowHz);
            json.WriteNumber("high_hz", MatchResult.DistanceHighHz);
            json.WriteEndObject();
            json.WriteStartArray("notes");
            foreach (string note in r.Notes)
            {
                json.WriteStringValue(note);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        o.WriteLine(Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
        o.Flush();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v)
        {
            json.WriteNumber(name, Math.Round(v, 3));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
