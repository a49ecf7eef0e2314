using System.Globalization;
using System.Text.Json;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Recording;

/// <summary>How the recorder records (<c>run --record DIR</c>, config <c>record.*</c>).</summary>
/// <param name="Directory">Where takes go (<c>record.dir</c>).</param>
/// <param name="Encoding">24-bit PCM or 32-bit float (<c>record.bits</c>: "24" or "32f"; default 24).</param>
/// <param name="FourChannel">One 4-channel file per take (input L/R, master L/R) instead of two stereo files (<c>record.layout</c>: "pair" or "quad").</param>
/// <param name="AutoStart">Wait for signal before a take starts (<c>record.autoStart</c>); else the take starts at once.</param>
/// <param name="SignalThresholdDbfs">Input sample peak that counts as signal, dBFS (<c>record.thresholdDbfs</c>, default −50).</param>
/// <param name="StopAfterSilenceSeconds">End the take after this many seconds below the threshold; 0 = never (<c>record.stopAfterSilenceSeconds</c>).</param>
/// <param name="ResumeOnReturn">When the folder comes back after vanishing (stick pulled and replugged), start a new take (<c>record.resume</c>, default true).</param>
/// <param name="BufferSeconds">Ring between the audio thread and the writer, seconds (<c>record.bufferSeconds</c>, default 4).</param>
public sealed record RecorderOptions(
    string Directory,
    SampleEncoding Encoding = SampleEncoding.Pcm24,
    bool FourChannel = false,
    bool AutoStart = false,
    double SignalThresholdDbfs = -50,
    double StopAfterSilenceSeconds = 0,
    bool ResumeOnReturn = true,
    double BufferSeconds = 4)
{
    /// <summary>The config keys inside <c>"record": { … }</c>.</summary>
    public static readonly string[] Keys = ["dir", "bits", "layout", "autoStart", "thresholdDbfs", "stopAfterSilenceSeconds", "resume", "bufferSeconds"];

    /// <summary>Test hook: RIFF size above which takes become RF64 (default 2^32 − 1).</summary>
    internal long Rf64ThresholdBytes { get; init; } = uint.MaxValue;

    /// <summary>How often sizes are written and the data synced, seconds (1 in the product; tests may shorten it).</summary>
    internal double CheckpointSeconds { get; init; } = 1;

    /// <summary>
    /// Parses the config's <c>"record"</c> object; every problem is one line in <paramref name="problems"/> naming
    /// <c>record.KEY</c>.
    /// </summary>
    /// <param name="value">The value of <c>"record"</c> (an object, or null for none).</param>
    /// <param name="where">Prefix for messages (source and line).</param>
    /// <param name="problems">Problems are added here.</param>
    /// <returns>The options, or <c>null</c> (null value, no <c>dir</c>, or problems).</returns>
    public static RecorderOptions? Parse(JsonElement value, string where, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where}record must be an object {{ \"dir\": \"/media/usb/takes\", … }} or null");
            return null;
        }

        int before = problems.Count;
        string? dir = null;
        var options = new RecorderOptions(string.Empty);
        foreach (JsonProperty property in value.EnumerateObject())
        {
            JsonElement v = property.Value;
            string key = "record." + property.Name;
            switch (property.Name)
            {
                case "dir":
                    dir = v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString() : Bad(problems, where, key, "a non-empty folder path");
                    break;
                case "bits":
                    string? bits = v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null;
                    if (ParseBits(bits) is { } encoding)
                    {
                        options = options with { Encoding = encoding };
                    }
                    else
                    {
                        Bad(problems, where, key, "\"24\" or \"32f\"");
                    }

                    break;
                case "layout":
                    if (v.ValueKind == JsonValueKind.String && v.GetString() is "pair" or "quad")
                    {
                        options = options with { FourChannel = v.GetString() == "quad" };
                    }
                    else
                    {
                        Bad(problems, where, key, "\"pair\" (input and master files) or \"quad\" (one 4-channel file)");
                    }

                    break;
                case "autoStart":
                    options = options with { AutoStart = Boolean(problems, where, key, v) };
                    break;
                case "resume":
                    options = options with { ResumeOnReturn = Boolean(problems, where, key, v) };
                    break;
                case "thresholdDbfs":
                    options = options with { SignalThresholdDbfs = Number(problems, where, key, v, -120, 0, options.SignalThresholdDbfs) };
                    break;
                case "stopAfterSilenceSeconds":
                    options = options with { StopAfterSilenceSeconds = Number(problems, where, key, v, 0, 86400, 0) };
                    break;
                case "bufferSeconds":
                    options = options with { BufferSeconds = Number(problems, where, key, v, 0.5, 60, options.BufferSeconds) };
                    break;
                default:
                    problems.Add($"{where}unknown key \"{key}\" (known keys: {string.Join(", ", Keys.Select(k => "record." + k))})");
                    break;
            }
        }

        if (dir is null && problems.Count == before)
        {
            problems.Add($"{where}record.dir is missing (the folder takes are written to)");
        }

        return problems.Count > before || dir is null ? null : options with { Directory = dir };
    }

    /// <summary>"24" → 24-bit PCM, "32f" → float; else null.</summary>
    /// <param name="bits">The text.</param>
    /// <returns>The encoding.</returns>
    public static SampleEncoding? ParseBits(string? bits) => bits switch
    {
        "24" => SampleEncoding.Pcm24,
        "32f" => SampleEncoding.Float32,
        _ => null,
    };

    /// <summary>Checks the folder: <c>null</c> when takes can be written there (it exists or can be created later is not enough: it must exist), else why not.</summary>
    /// <returns>The problem, or <c>null</c>.</returns>
    public string? CheckDirectory()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            return "the path is empty";
        }

        if (File.Exists(Directory))
        {
            return "is a file; give a folder";
        }

        return System.IO.Directory.Exists(Directory) ? null : "folder does not exist";
    }

    private static string? Bad(List<string> problems, string where, string key, string what)
    {
        problems.Add($"{where}{key} must be {what}");
        return null;
    }

    private static bool Boolean(List<string> problems, string where, string key, JsonElement v)
    {
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetBoolean();
        }

        Bad(problems, where, key, "true or false");
        return false;
    }

    private static double Number(List<string> problems, string where, string key, JsonElement v, double min, double max, double fallback)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && d >= min && d <= max)
        {
            return d;
        }

        Bad(problems, where, key, $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        return fallback;
    }
}
