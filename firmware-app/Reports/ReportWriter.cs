using System.Globalization;
using System.Text.Json;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Reports;

/// <summary>Formats loudness reports for people (aligned text) and for machines (JSON, numbers or null).</summary>
internal static class ReportWriter
{
    /// <summary>Writes the JSON members of a measurement (no surrounding object) using the documented key names.</summary>
    public static void WriteJsonMembers(Utf8JsonWriter json, string file, AudioFileFormat format, in LoudnessReport report)
    {
        json.WriteString("file", file);
        json.WriteString("format", format.Describe());
        json.WriteNumber("sample_rate", format.SampleRateHz);
        json.WriteNumber("channels", format.Channels);
        json.WriteNumber("duration_s", Math.Round((double)report.DurationFrames / report.SampleRateHz, 6));
        WriteMeterMembers(json, report);
    }

    /// <summary>Writes the meter keys (<c>integrated_lufs</c> … <c>normalization</c>) of <paramref name="report"/>.</summary>
    public static void WriteMeterMembers(Utf8JsonWriter json, in LoudnessReport report)
    {
        Number(json, "integrated_lufs", report.IntegratedLufs);
        Number(json, "loudness_range_lu", report.LoudnessRangeLu);
        Number(json, "max_momentary_lufs", report.MaxMomentaryLufs);
        Number(json, "max_short_term_lufs", report.MaxShortTermLufs);
        Number(json, "true_peak_dbtp", report.TruePeakDbtp);
        Number(json, "sample_peak_dbfs", report.SamplePeakDbfs);
        Number(json, "plr_db", report.PlrDb);
        Normalization n = Normalization.From(report);
        json.WriteStartObject("normalization_gain_db");
        Number(json, "spotify", n.SpotifyDb);
        Number(json, "youtube", n.YouTubeDb);
        Number(json, "apple_music", n.AppleMusicDb);
        Number(json, "ebu_r128", n.EbuR128Db);
        json.WriteEndObject();
        NullableString(json, "integrated_status", MeasurementNotes.IntegratedStatus(report));
        NullableString(json, "loudness_range_status", MeasurementNotes.RangeStatus(report));
        json.WriteNumber("non_finite_samples", report.NonFiniteSamples);
        json.WriteStartArray("notes");
        foreach (string note in MeasurementNotes.For(report))
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
    }

    /// <summary>The human report: a heading line then aligned meter lines.</summary>
    public static void WriteText(TextWriter output, string heading, in LoudnessReport report)
    {
        output.WriteLine(heading);
        output.WriteLine($"  Integrated      {Column(MeasurementNotes.IntegratedStatus(report) ?? Lufs(report.IntegratedLufs))}Loudness range  {MeasurementNotes.RangeStatus(report) ?? Value(report.LoudnessRangeLu, "LU")}");
        output.WriteLine($"  Max momentary   {Column(Lufs(report.MaxMomentaryLufs))}Max short-term  {Lufs(report.MaxShortTermLufs)}");
        output.WriteLine($"  True peak       {Column(Value(report.TruePeakDbtp, "dBTP", signed: true))}Sample peak     {Value(report.SamplePeakDbfs, "dBFS", signed: true)}");
        output.WriteLine($"  PLR             {Value(report.PlrDb, "dB")}");
        Normalization n = Normalization.From(report);
        if (report.IntegratedLufs is not null)
        {
            output.WriteLine($"  Playback gain   Spotify {Gain(n.SpotifyDb)}, YouTube {Gain(n.YouTubeDb)}, Apple Music {Gain(n.AppleMusicDb)}, EBU R128 {Gain(n.EbuR128Db)}");
        }

        foreach (string note in MeasurementNotes.For(report))
        {
            if (!note.StartsWith("integrated loudness: ", StringComparison.Ordinal) && !note.StartsWith("loudness range: ", StringComparison.Ordinal))
            {
                output.WriteLine($"  Note            {note}");
            }
        }
    }

    /// <summary>Writes <c>"signal": {…}</c>: the per-sample statistics of <see cref="SignalHealth"/> (null where undefined).</summary>
    public static void WriteSignal(Utf8JsonWriter json, in SignalHealthReport health)
    {
        json.WriteStartObject("signal");
        Number(json, "dc_offset_dbfs", health.DcOffsetDbfs);
        Number(json, "dc_left", health.DcLeft, 9);
        Number(json, "dc_right", health.Channels == 2 ? health.DcRight : null, 9);
        json.WriteNumber("full_scale_samples", health.FullScaleSamples);
        json.WriteNumber("over_samples", health.OverSamples);
        json.WriteNumber("zero_dbfs_samples", health.ZeroDbfsSamples);
        json.WriteNumber("clipped_runs", health.ClippedRuns);
        json.WriteNumber("longest_clipped_run", health.LongestClippedRun);
        Number(json, "correlation", health.Correlation);
        Number(json, "side_to_mid_db", health.SideToMidDb);
        Number(json, "subsonic_db", health.SubsonicToTotalDb);
        json.WriteEndObject();
    }

    /// <summary>Writes <c>"warnings": [ … ]</c>.</summary>
    public static void WriteWarnings(Utf8JsonWriter json, IEnumerable<string> warnings)
    {
        json.WriteStartArray("warnings");
        foreach (string w in warnings)
        {
            json.WriteStringValue(w);
        }

        json.WriteEndArray();
    }

    /// <summary>One text line per warning, <c>  Warning         …</c>.</summary>
    public static void WriteWarningLines(TextWriter output, IEnumerable<string> warnings)
    {
        foreach (string w in warnings)
        {
            output.WriteLine($"  Warning         {w}");
        }
    }

    /// <summary>
    /// Writes <c>"parameters": {id: value}</c> for every parameter of <paramref name="values"/>, encoded as a preset file
    /// encodes them (switches true/false, choices by label, numbers), so the object can be pasted into a preset.
    /// </summary>
    public static void WriteParameters(Utf8JsonWriter json, ParameterSet values)
    {
        json.WriteStartObject("parameters");
        ParameterRegistry registry = values.Registry;
        for (int i = 0; i < registry.Count; i++)
        {
            ParameterDefinition definition = registry.All[i];
            double value = values.Get(i);
            switch (definition.Taper)
            {
                case Taper.Toggle:
                    json.WriteBoolean(definition.Id, value >= 0.5);
                    break;
                case Taper.Choice:
                    json.WriteString(definition.Id, definition.Format(value));
                    break;
                default:
                    json.WriteNumber(definition.Id, Math.Round(value, 6));
                    break;
            }
        }

        json.WriteEndObject();
    }

    /// <summary>Every parameter as <c>id=value</c> (values <c>--set</c> accepts: numbers, on/off, choice labels).</summary>
    public static IEnumerable<string> ParameterAssignments(ParameterSet values)
    {
        ParameterRegistry registry = values.Registry;
        for (int i = 0; i < registry.Count; i++)
        {
            ParameterDefinition definition = registry.All[i];
            double value = values.Get(i);
            string text = definition.Taper is Taper.Toggle or Taper.Choice
                ? definition.Format(value)
                : Math.Round(value, 6).ToString("0.######", CultureInfo.InvariantCulture);
            yield return $"{definition.Id}={text}";
        }
    }

    /// <summary>Writes <paramref name="items"/> space-separated after a label, wrapped to about 110 columns.</summary>
    public static void WriteWrapped(TextWriter output, string label, IEnumerable<string> items)
    {
        var line = new System.Text.StringBuilder(label);
        bool first = true;
        foreach (string item in items)
        {
            if (!first && line.Length + 1 + item.Length > 110)
            {
                output.WriteLine(line.ToString());
                line.Clear().Append(' ', label.Length);
                first = true;
            }

            line.Append(first ? string.Empty : " ").Append(item);
            first = false;
        }

        output.WriteLine(line.ToString());
    }

    /// <summary>Duration as m:ss.mmm.</summary>
    public static string Duration(long frames, int sampleRateHz)
    {
        var time = TimeSpan.FromSeconds((double)frames / sampleRateHz);
        return string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes}:{time.Seconds:00}.{time.Milliseconds:000}");
    }

    private static void Number(Utf8JsonWriter json, string name, double? value, int decimals = 3)
    {
        if (value is double v && double.IsFinite(v))
        {
            json.WriteNumber(name, Math.Round(v, decimals));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void NullableString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    // The left column is 14 wide; a longer entry ("too short to gate (< 400 ms)") keeps two spaces before the next.
    private static string Column(string text) => text.Length >= 14 ? text + "  " : text.PadRight(14);

    private static string Lufs(double? value) => Value(value, "LUFS");

    private static string Value(double? value, string unit, bool signed = false) =>
        value is double v && double.IsFinite(v)
            ? string.Create(CultureInfo.InvariantCulture, $"{(signed ? v.ToString("+0.0;-0.0;+0.0", CultureInfo.InvariantCulture) : v.ToString("0.0;-0.0;0.0", CultureInfo.InvariantCulture))} {unit}")
            : value is double.NegativeInfinity ? $"-inf {unit}" : value is double.PositiveInfinity ? $"+inf {unit} (out of range)" : "n/a";

    private static string Gain(double? value) =>
        value is double v ? v.ToString("+0.0 dB;-0.0 dB;0.0 dB", CultureInfo.InvariantCulture) : "n/a";
}
