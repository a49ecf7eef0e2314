using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Reports;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Recording;

/// <summary>
/// A take's report, written next to its files as <c>take-NNNN.json</c> and <c>take-NNNN.txt</c> (each atomically:
/// temporary file, fsync, rename). The meter keys are <c>measure --json</c>'s (<c>integrated_lufs</c>,
/// <c>loudness_range_lu</c>, <c>max_momentary_lufs</c>, <c>max_short_term_lufs</c>, <c>true_peak_dbtp</c>,
/// <c>sample_peak_dbfs</c>, <c>plr_db</c>, …) and describe the master; <c>input</c> holds the same for the input.
/// </summary>
internal sealed class TakeReport
{
    public required string Take { get; init; }

    public required IReadOnlyList<string> Files { get; init; }

    public required string Layout { get; init; }

    public required string Format { get; init; }

    public int SampleRateHz { get; init; }

    public DateTimeOffset Started { get; init; }

    public double Seconds { get; init; }

    public required string EndReason { get; init; }

    public string? Error { get; init; }

    public LoudnessReport? Master { get; init; }

    public LoudnessReport? Input { get; init; }

    public double? CeilingDbtp { get; init; }

    public long? LimiterOvers { get; init; }

    public double? CompressorMaxDb { get; init; }

    public double? CompressorMeanDb { get; init; }

    public double? LimiterMaxDb { get; init; }

    public double? LimiterMeanDb { get; init; }

    public long? Xruns { get; init; }

    public long? DroppedFrames { get; init; }

    public long? RingMaxFillFrames { get; init; }

    public string? Preset { get; init; }

    public ParameterSet? Parameters { get; init; }

    /// <summary>The iXML document of a take file: the settings at its start (readable by BWF tools).</summary>
    public static string IXml(string take, string role, string? preset, ParameterSet? parameters, double ceilingDbtp)
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BWFXML>\n<IXML_VERSION>2.10</IXML_VERSION>\n");
        xml.Append("<PROJECT>HardwareMaster</PROJECT>\n<TAKE>").Append(SecurityElement.Escape(take)).Append("</TAKE>\n");
        xml.Append("<NOTE>").Append(SecurityElement.Escape(role)).Append("</NOTE>\n");
        xml.Append("<HARDWAREMASTER>\n<PRESET>").Append(SecurityElement.Escape(preset ?? "(defaults)")).Append("</PRESET>\n");
        xml.Append("<CEILING_DBTP>").Append(ceilingDbtp.ToString("0.0##", CultureInfo.InvariantCulture)).Append("</CEILING_DBTP>\n");
        if (parameters is not null)
        {
            xml.Append("<PARAMETERS>\n");
            foreach (string assignment in ReportWriter.ParameterAssignments(parameters))
            {
                int eq = assignment.IndexOf('=', StringComparison.Ordinal);
                xml.Append("<PARAMETER id=\"").Append(SecurityElement.Escape(assignment[..eq])).Append("\">")
                    .Append(SecurityElement.Escape(assignment[(eq + 1)..])).Append("</PARAMETER>\n");
            }

            xml.Append("</PARAMETERS>\n");
        }

        xml.Append("</HARDWAREMASTER>\n</BWFXML>\n");
        return xml.ToString();
    }

    /// <summary>Writes the JSON and text reports; returns the JSON's path, or <c>null</c> (and why) when it could not.</summary>
    public string? TryWrite(string directory, out string? problem)
    {
        problem = null;
        string json = Path.Combine(directory, Take + ".json");
        try
        {
            AtomicFile.WriteAllText(json, ToJson() + "\n");
            AtomicFile.WriteAllText(Path.Combine(directory, Take + ".txt"), ToText());
            return json;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex.Message;
            return File.Exists(json) ? json : null;
        }
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("take", Take);
            w.WriteStartArray("files");
            foreach (string file in Files)
            {
                w.WriteStringValue(file);
            }

            w.WriteEndArray();
            w.WriteString("layout", Layout);
            w.WriteString("format", Format);
            w.WriteNumber("sample_rate", SampleRateHz);
            w.WriteString("start_time", Started.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
            w.WriteNumber("duration_s", Math.Round(Seconds, 6));
            w.WriteString("end_reason", EndReason);
            if (Error is null)
            {
                w.WriteNull("error");
            }
            else
            {
                w.WriteString("error", Error);
            }

            if (Master is { } master)
            {
                ReportWriter.WriteMeterMembers(w, master);
            }

            if (Input is { } input)
            {
                w.WriteStartObject("input");
                ReportWriter.WriteMeterMembers(w, input);
                w.WriteEndObject();
            }

            Number(w, "ceiling_dbtp", CeilingDbtp);
            Number(w, "limiter_overs", LimiterOvers);
            if (CompressorMaxDb is not null)
            {
                w.WriteStartObject("gain_reduction");
                Number(w, "compressor_max_db", CompressorMaxDb);
                Number(w, "compressor_mean_db", CompressorMeanDb);
                Number(w, "limiter_max_db", LimiterMaxDb);
                Number(w, "limiter_mean_db", LimiterMeanDb);
                w.WriteEndObject();
            }

            Number(w, "xruns", Xruns);
            Number(w, "dropped_frames", DroppedFrames);
            Number(w, "dropped_samples", DroppedFrames * RecordingRing.ChannelsPerFrame);
            Number(w, "ring_max_fill_frames", RingMaxFillFrames);
            if (Preset is null)
            {
                w.WriteNull("preset");
            }
            else
            {
                w.WriteString("preset", Preset);
            }

            if (Parameters is { } parameters)
            {
                ReportWriter.WriteParameters(w, parameters);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public string ToText()
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        text.WriteLine($"HardwareMaster take {Take}");
        text.WriteLine($"  Files           {string.Join(", ", Files)} ({Format})");
        text.WriteLine($"  Started         {Started:yyyy-MM-dd HH:mm:ss zzz}");
        text.WriteLine($"  Duration        {Seconds:0.000} s");
        text.WriteLine($"  Ended           {EndReason}{(Error is null ? string.Empty : ": " + Error)}");
        if (Master is { } master)
        {
            ReportWriter.WriteText(text, "Master", master);
        }

        if (Input is { } input)
        {
            ReportWriter.WriteText(text, "Input", input);
        }

        if (LimiterOvers is { } overs)
        {
            text.WriteLine($"  Limiter overs   {overs} block(s) above {CeilingDbtp - 0.1:0.0} dBTP (ceiling {CeilingDbtp:0.0} − 0.1 dB; should be 0)");
        }

        if (CompressorMaxDb is not null)
        {
            text.WriteLine($"  Gain reduction  compressor max {CompressorMaxDb:0.0} dB mean {CompressorMeanDb:0.0} dB; limiter max {LimiterMaxDb:0.0} dB mean {LimiterMeanDb:0.0} dB");
        }

        if (Xruns is not null)
        {
            text.WriteLine($"  Xruns           {Xruns}; dropped {DroppedFrames} frames ({DroppedFrames * RecordingRing.ChannelsPerFrame} samples); ring max fill {RingMaxFillFrames} frames");
        }

        text.WriteLine($"  Preset          {Preset ?? "(defaults)"}");
        if (Parameters is { } parameters)
        {
            ReportWriter.WriteWrapped(text, "  Parameters      ", ReportWriter.ParameterAssignments(parameters));
        }

        return text.ToString();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, Math.Round(v, 3));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
