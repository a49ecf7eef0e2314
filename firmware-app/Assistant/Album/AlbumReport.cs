using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Reports;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Assistant.Album;

/// <summary>One flagged inconsistency of a track.</summary>
/// <param name="Id">What: <c>loudness</c>, <c>loudness_range</c>, <c>spectral_tilt</c>, <c>true_peak</c>.</param>
/// <param name="Reason">One line with the value and the album's median.</param>
internal readonly record struct Outlier(string Id, string Reason);

/// <summary>
/// The album's consistency report, as text or JSON.
/// </summary>
/// <remarks>
/// Outlier rule (robust, for three or more written tracks): a track's loudness range or spectral tilt is flagged when it
/// lies further from the album's median than max(2 × MAD, floor), MAD being the median absolute deviation; floors 2 LU
/// (range) and 0.5 dB/octave (tilt), so near-identical tracks are not flagged for hundredths. Loudness: in album mode
/// flagged like the others with a 3 LU floor (relative loudness is kept on purpose, only a track far from the rest is
/// named); in track mode flagged when it misses the target by more than 0.5 LU. A true peak above the ceiling
/// (+0.1 dB) is always flagged.
/// </remarks>
internal static class AlbumReport
{
    /// <summary>The outliers of each track (same order as <see cref="AlbumOutcome.Tracks"/>; empty for a failed track).</summary>
    /// <param name="outcome">The album.</param>
    /// <param name="ceilingDbtp">The true-peak ceiling.</param>
    /// <returns>Per track, its outliers.</returns>
    public static IReadOnlyList<IReadOnlyList<Outlier>> FindOutliers(AlbumOutcome outcome, double ceilingDbtp)
    {
        var written = outcome.Tracks.Where(t => t.Result is not null).ToArray();
        double[] loudness = written.Select(t => t.Result!.Output.IntegratedLufs ?? double.NaN).ToArray();
        double[] ranges = written.Select(t => t.Result!.Output.LoudnessRangeLu ?? double.NaN).ToArray();
        double[] tilts = written.Select(t => t.TiltDbPerOctave).ToArray();
        var result = new List<IReadOnlyList<Outlier>>();
        foreach (TrackOutcome track in outcome.Tracks)
        {
            var flags = new List<Outlier>();
            if (track.Result is { } r)
            {
                LoudnessReport o = r.Output;
                if (outcome.Mode == AlbumMode.Track)
                {
                    if (o.IntegratedLufs is double i && Math.Abs(i - outcome.TargetLufs) > 0.5)
                    {
                        flags.Add(new Outlier("loudness", Invariant($"{i:0.0} LUFS misses the {outcome.TargetLufs:0.0} LUFS target by {i - outcome.TargetLufs:+0.0;-0.0} LU")));
                    }
                }
                else
                {
                    Flag(flags, "loudness", o.IntegratedLufs ?? double.NaN, loudness, 3.0, "LUFS", "loudness");
                }

                Flag(flags, "loudness_range", o.LoudnessRangeLu ?? double.NaN, ranges, 2.0, "LU", "loudness range");
                Flag(flags, "spectral_tilt", track.TiltDbPerOctave, tilts, 0.5, "dB/oct", "spectral tilt");
                if (o.TruePeakDbtp > ceilingDbtp + 0.1)
                {
                    flags.Add(new Outlier("true_peak", Invariant($"true peak {o.TruePeakDbtp:0.0} dBTP is over the {ceilingDbtp:0.0} dBTP ceiling")));
                }
            }

            result.Add(flags);
        }

        return result;
    }

    /// <summary>Median of the finite values (NaN when none).</summary>
    /// <param name="values">Values.</param>
    /// <returns>The median.</returns>
    public static double Median(IEnumerable<double> values)
    {
        double[] v = values.Where(double.IsFinite).Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[(v.Length / 2) - 1] + v[v.Length / 2]);
    }

    /// <summary>Writes the text report.</summary>
    /// <param name="o">Destination.</param>
    /// <param name="outcome">The album.</param>
    /// <param name="values">The chain parameters (ceiling).</param>
    public static void WriteText(TextWriter o, AlbumOutcome outcome, ParameterSet values)
    {
        double ceiling = values[ParameterIds.LimiterCeiling];
        IReadOnlyList<IReadOnlyList<Outlier>> outliers = FindOutliers(outcome, ceiling);
        o.WriteLine(Invariant($"album   {outcome.Tracks.Count(t => t.Result is not null)} of {outcome.Tracks.Count} tracks written, mode {(outcome.Mode == AlbumMode.Album ? "album (one loudness gain)" : "track (each to the target)")}, target {outcome.TargetLufs:0.0} LUFS, ceiling {ceiling:0.0} dBTP"));
        if (outcome.Mode == AlbumMode.Album)
        {
            o.WriteLine(Invariant($"  Album loudness  {Num(outcome.AlbumLoudnessLufs, "0.00")} LUFS before the loudness gain; loudness gain {Num(outcome.LoudnessGainDb, "+0.00;-0.00")} dB on every track; glue programme {(double.IsNaN(outcome.ProgrammeLufs) ? "not used" : Invariant($"{outcome.ProgrammeLufs:0.0} LUFS"))}"));
        }

        o.WriteLine($"  Masters         {Num(outcome.MasterLufs)} LUFS together, loudness range {Num(outcome.MasterRangeLu)} LU");
        ReportWriter.WriteWarningLines(o, outcome.Warnings);
        o.WriteLine("  track                         LUFS    LRA   dBTP  tilt dB/oct");
        for (int k = 0; k < outcome.Tracks.Count; k++)
        {
            TrackOutcome t = outcome.Tracks[k];
            string name = Path.GetFileName(t.Track.InputPath);
            if (t.Result is not { } r)
            {
                o.WriteLine($"  {name,-28}  failed: {t.Error}");
                continue;
            }

            LoudnessReport m = r.Output;
            o.WriteLine(Invariant($"  {name,-28} {Num(m.IntegratedLufs),6} {Num(m.LoudnessRangeLu),6} {m.TruePeakDbtp,6:0.0} {Num(t.TiltDbPerOctave, "+0.00;-0.00"),8}{(outliers[k].Count > 0 ? "  <- " + string.Join(", ", outliers[k].Select(x => x.Id)) : string.Empty)}"));
            foreach (Outlier x in outliers[k])
            {
                o.WriteLine($"      {x.Id}: {x.Reason}");
            }
        }
    }

    /// <summary>Writes the JSON report.</summary>
    /// <param name="outcome">The album.</param>
    /// <param name="values">The chain parameters.</param>
    /// <param name="format">The delivery format described (e.g. <c>WAV PCM 16-bit, 44100 Hz</c>) or null.</param>
    /// <returns>The JSON text.</returns>
    public static string Json(AlbumOutcome outcome, ParameterSet values, string? format)
    {
        double ceiling = values[ParameterIds.LimiterCeiling];
        IReadOnlyList<IReadOnlyList<Outlier>> outliers = FindOutliers(outcome, ceiling);
        var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("mode", outcome.Mode == AlbumMode.Album ? "album" : "track");
            json.WriteNumber("target_lufs", outcome.TargetLufs);
            json.WriteNumber("ceiling_dbtp", ceiling);
            Number(json, "album_loudness_lufs", outcome.AlbumLoudnessLufs);
            Number(json, "loudness_gain_db", outcome.LoudnessGainDb);
            Number(json, "programme_lufs", outcome.ProgrammeLufs);
            Number(json, "masters_integrated_lufs", outcome.MasterLufs);
            Number(json, "masters_loudness_range_lu", outcome.MasterRangeLu);
            ReportWriter.WriteWarnings(json, outcome.Warnings);
            json.WriteStartArray("tracks");
            for (int k = 0; k < outcome.Tracks.Count; k++)
            {
                TrackOutcome t = outcome.Tracks[k];
                json.WriteStartObject();
                json.WriteString("input", t.Track.InputPath);
                json.WriteString("output", t.Track.OutputPath);
                json.WriteBoolean("ok", t.Result is not null);
                if (t.Result is { } r)
                {
                    json.WriteString("format", r.Format.Describe());
                    Number(json, "integrated_lufs", r.Output.IntegratedLufs ?? double.NaN);
                    Number(json, "loudness_range_lu", r.Output.LoudnessRangeLu ?? double.NaN);
                    Number(json, "true_peak_dbtp", r.Output.TruePeakDbtp);
                    Number(json, "spectral_tilt_db_per_octave", t.TiltDbPerOctave);
                    Number(json, "input_integrated_lufs", r.Input.IntegratedLufs ?? double.NaN);
                    Number(json, "track_loudness_gain_db", r.LoudnessGainDb);
                    json.WriteStartArray("outliers");
                    foreach (Outlier x in outliers[k])
                    {
                        json.WriteStartObject();
                        json.WriteString("id", x.Id);
                        json.WriteString("reason", x.Reason);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    ReportWriter.WriteWarnings(json, r.Warnings);
                }
                else
                {
                    json.WriteString("error", t.Error);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (format is not null)
            {
                json.WriteString("delivery", format);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static void Flag(List<Outlier> flags, string id, double value, double[] all, double floor, string unit, string what)
    {
        if (!double.IsFinite(value) || all.Count(double.IsFinite) < 3)
        {
            return;
        }

        double median = Median(all);
        double mad = Median(all.Where(double.IsFinite).Select(x => Math.Abs(x - median)));
        double limit = Math.Max(2 * mad, floor);
        if (Math.Abs(value - median) > limit)
        {
            flags.Add(new Outlier(id, Invariant($"{what} {value:0.00} {unit} is {value - median:+0.00;-0.00} from the album median {median:0.00} (limit ±{limit:0.00})")));
        }
    }

    private static string Num(double? value, string format = "0.0") =>
        value is double v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 3));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
