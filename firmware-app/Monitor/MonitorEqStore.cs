using System.Globalization;
using System.Text;
using System.Text.Json;
using HardwareMaster.App.Presets;
using HardwareMaster.Dsp.Monitor;

namespace HardwareMaster.App.Monitor;

/// <summary>A stored monitor correction EQ: the filters and when (and from what) they were imported.</summary>
/// <param name="Filters">The filters.</param>
/// <param name="ImportedUtc">When <c>monitor-eq import</c> stored them (UTC).</param>
/// <param name="Source">The imported file's name (no folder).</param>
public sealed record MonitorCalibration(IReadOnlyList<MonitorEqFilter> Filters, DateTimeOffset ImportedUtc, string Source)
{
    /// <summary>After this long the box reminds you to measure the room again (speakers, furniture and ears drift).</summary>
    public static readonly TimeSpan RemeasureAfter = TimeSpan.FromDays(365);

    /// <summary>True when the import is older than <see cref="RemeasureAfter"/> at <paramref name="nowUtc"/>.</summary>
    public bool IsDue(DateTimeOffset nowUtc) => nowUtc - ImportedUtc > RemeasureAfter;
}

/// <summary>
/// <c>STATE/monitor-eq.json</c>: the monitor correction EQ <c>hardwaremaster monitor-eq import</c> stores and the running
/// box loads into <see cref="MonitorPath.SetCalibration"/> at start and on a reload. Written atomically (temp + fsync +
/// rename); a corrupt or unreadable file is reported in one line and ignored (no correction, never a half one).
/// </summary>
public static class MonitorEqStore
{
    /// <summary>The file's name in the state directory.</summary>
    public const string FileName = "monitor-eq.json";

    private const int Schema = 1;

    private static readonly string[] TypeNames = ["peak", "low-shelf", "high-shelf", "low-pass", "high-pass", "low-pass-1", "high-pass-1", "low-shelf-1", "high-shelf-1", "notch", "all-pass", "band-pass"];

    /// <summary>The file in <paramref name="stateDirectory"/>.</summary>
    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, FileName);

    /// <summary>Stores <paramref name="calibration"/> atomically (creates the folder).</summary>
    /// <exception cref="IOException">Not writable, a folder in the way, disk full.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void Save(string stateDirectory, MonitorCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        Directory.CreateDirectory(stateDirectory);
        AtomicFile.WriteAllText(PathIn(stateDirectory), ToJson(calibration) + "\n");
    }

    /// <summary>Removes the stored EQ; false when there was none.</summary>
    /// <exception cref="IOException">The path is not a regular file, or cannot be removed.</exception>
    public static bool Clear(string stateDirectory)
    {
        string path = PathIn(stateDirectory);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            if (Directory.Exists(path))
            {
                throw new IOException($"{path} is a folder, not a file");
            }

            return false;
        }

        if (info.LinkTarget is not null || (info.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) != 0)
        {
            throw new IOException($"{path} is not a regular file; not removed");
        }

        info.Delete();
        return true;
    }

    /// <summary>Loads the stored EQ.</summary>
    /// <param name="stateDirectory">The state directory.</param>
    /// <param name="problem">Why a file that exists cannot be used (one line, with the path), or null.</param>
    /// <returns>The calibration, or null when there is none (or it is unusable: see <paramref name="problem"/>).</returns>
    public static MonitorCalibration? Load(string stateDirectory, out string? problem)
    {
        problem = null;
        string path = PathIn(stateDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var info = new FileInfo(path);
            if (info.Length > 1 << 20)
            {
                problem = $"{path}: larger than 1 MiB; not a monitor EQ";
                return null;
            }

            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            return Parse(document.RootElement, out problem) is { } calibration ? calibration : Fail(path, ref problem);
        }
        catch (JsonException ex)
        {
            problem = $"{path}: not valid JSON ({ex.Message})";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"{path}: {ex.Message}";
        }

        return null;
    }

    /// <summary>The JSON text (indented).</summary>
    public static string ToJson(MonitorCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schema", Schema);
            writer.WriteString("imported", calibration.ImportedUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("source", calibration.Source);
            writer.WriteStartArray("filters");
            foreach (MonitorEqFilter filter in calibration.Filters)
            {
                writer.WriteStartObject();
                writer.WriteString("type", TypeNames[(int)filter.Type]);
                writer.WriteNumber("frequencyHz", filter.FrequencyHz);
                writer.WriteNumber("gainDb", filter.GainDb);
                writer.WriteNumber("q", filter.Q);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static MonitorCalibration? Fail(string path, ref string? problem)
    {
        problem = $"{path}: {problem}";
        return null;
    }

    private static MonitorCalibration? Parse(JsonElement root, out string? problem)
    {
        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "the top level must be an object";
            return null;
        }

        if (!root.TryGetProperty("schema", out JsonElement schema) || !schema.TryGetInt32(out int version) || version != Schema)
        {
            problem = $"\"schema\" must be {Schema}";
            return null;
        }

        if (!root.TryGetProperty("imported", out JsonElement imported) || imported.ValueKind != JsonValueKind.String ||
            !DateTimeOffset.TryParse(imported.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset when))
        {
            problem = "\"imported\" must be a UTC date and time (yyyy-MM-ddTHH:mm:ssZ)";
            return null;
        }

        string source = root.TryGetProperty("source", out JsonElement s) && s.ValueKind == JsonValueKind.String ? s.GetString() ?? string.Empty : string.Empty;
        if (!root.TryGetProperty("filters", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
        {
            problem = "\"filters\" must be an array";
            return null;
        }

        var filters = new List<MonitorEqFilter>();
        int index = 0;
        foreach (JsonElement item in list.EnumerateArray())
        {
            index++;
            int kind = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String
                ? Array.IndexOf(TypeNames, type.GetString())
                : -1;
            double f = 0, g = 0, q = 0;
            if (kind < 0 || !Number(item, "frequencyHz", out f) || !Number(item, "gainDb", out g) || !Number(item, "q", out q))
            {
                problem = $"filter {index}: needs \"type\" ({string.Join(", ", TypeNames)}), \"frequencyHz\", \"gainDb\" and \"q\"";
                return null;
            }

            if (!(f >= RewFilterImport.MinFrequencyHz && f <= RewFilterImport.MaxFrequencyHz) || !(Math.Abs(g) <= RewFilterImport.MaxGainDb) || !(q > 0 && q <= RewFilterImport.MaxQ))
            {
                problem = $"filter {index}: out of range (Fc {RewFilterImport.MinFrequencyHz:0}–{RewFilterImport.MaxFrequencyHz:0} Hz, gain ±{RewFilterImport.MaxGainDb:0} dB, 0 < Q ≤ {RewFilterImport.MaxQ:0})";
                return null;
            }

            filters.Add(new MonitorEqFilter((MonitorEqType)kind, f, g, q));
        }

        if (filters.Count > MonitorEqFilter.MaxFilters)
        {
            problem = $"more than {MonitorEqFilter.MaxFilters} filters";
            return null;
        }

        return new MonitorCalibration(filters, when, source);
    }

    private static bool Number(JsonElement item, string name, out double value)
    {
        value = 0;
        return item.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out value) && double.IsFinite(value);
    }
}
