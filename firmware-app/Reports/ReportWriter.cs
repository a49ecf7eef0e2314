using System.Globalization;
using System.Text.Json;
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

    /// <summary>Duration as m:ss.mmm.</summary>
    public static string Duration(long frames, int sampleRateHz)
    {
        var time = TimeSpan.FromSeconds((double)frames / sampleRateHz);
        return string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes}:{time.Seconds:00}.{time.Milliseconds:000}");
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            json.WriteNumber(name, Math.Round(v, 3));
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
