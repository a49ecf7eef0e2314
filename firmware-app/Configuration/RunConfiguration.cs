using System.Globalization;
using System.Text.Json;
using HardwareMaster.Hal.Json;

namespace HardwareMaster.App.Configuration;

/// <summary>
/// The box's service settings: <c>/etc/hardwaremaster/config.json</c> (keys <c>device</c>, <c>output</c>,
/// <c>sampleRateHz</c>, <c>blockFrames</c>, <c>periods</c>, <c>realtimePriority</c>, <c>preset</c>) overridden by the
/// command line.
/// </summary>
/// <param name="Device">Device spec: <c>alsa:NAME</c>, <c>pa:NAME</c>, <c>file:PATH</c>, <c>gen:SIGNAL</c>, <c>sim:NAME</c>.</param>
/// <param name="Output">Separate playback device (ALSA/PortAudio) or output file (file device); <c>null</c> = same as <paramref name="Device"/>.</param>
/// <param name="SampleRateHz">Sample rate.</param>
/// <param name="BlockFrames">Frames per block (the ALSA period).</param>
/// <param name="Periods">Periods in the device buffer.</param>
/// <param name="RealtimePriority">SCHED_FIFO priority of the audio thread (0 = normal scheduling).</param>
/// <param name="Preset">Factory preset name, preset file path, or <c>null</c> for the defaults.</param>
/// <param name="Midi">MIDI control input (<c>hw:1,0</c> or <c>file:PATH</c>), or <c>null</c> (off).</param>
/// <param name="MidiMap">MIDI mapping file, or <c>null</c> (the learned map in the state folder).</param>
/// <param name="Osc">OSC listen address <c>ADDR:PORT</c>, or <c>null</c> (off).</param>
/// <param name="OscAllow">OSC source addresses accepted (comma-separated), or <c>null</c> (any).</param>
public sealed record RunConfiguration(
    string Device = "alsa:default",
    string? Output = null,
    int SampleRateHz = 48000,
    int BlockFrames = 64,
    int Periods = 2,
    int RealtimePriority = 70,
    string? Preset = null,
    string? Midi = null,
    string? MidiMap = null,
    string? Osc = null,
    string? OscAllow = null)
{
    /// <summary>Where the remote web page listens (<c>ADDR:PORT</c>, key <c>remote</c>), or null (off).</summary>
    public string? Remote { get; init; }

    /// <summary>Where presets, user slots and the pairing secret live (key <c>stateDir</c>), or null (the default).</summary>
    public string? StateDirectory { get; init; }

    /// <summary>The live recorder (<c>"record": { "dir": …, … }</c>, see <see cref="Recording.RecorderOptions"/>), or <c>null</c>.</summary>
    public Recording.RecorderOptions? Record { get; init; }

    /// <summary>The monitor function to start with (key <c>monitor</c>: mono, side, phone, earbuds, car, delta, off), or null.</summary>
    public string? Monitor { get; init; }

    /// <summary>The reference A/B folder(s) (key <c>referenceDir</c>; <c>:</c>-separated, <c>*</c> wildcards; see <see cref="Monitor.ReferenceFolder"/>), or null.</summary>
    public string? ReferenceDir { get; init; }

    /// <summary>The output channel map (key <c>channelMap</c>, e.g. <c>"master=1,2 monitor=3,4"</c>), or null (stereo).</summary>
    public string? ChannelMap { get; init; }

    /// <summary>Lowest accepted sample rate.</summary>
    public const int MinSampleRateHz = 8000;

    /// <summary>Highest accepted sample rate.</summary>
    public const int MaxSampleRateHz = 384000;

    /// <summary>Smallest accepted block.</summary>
    public const int MinBlockFrames = 16;

    /// <summary>Largest accepted block.</summary>
    public const int MaxBlockFrames = 8192;

    /// <summary>Fewest periods.</summary>
    public const int MinPeriods = 2;

    /// <summary>Most periods.</summary>
    public const int MaxPeriods = 16;

    /// <summary>Highest SCHED_FIFO priority.</summary>
    public const int MaxRealtimePriority = 99;

    private static readonly string[] Keys = ["device", "output", "sampleRateHz", "blockFrames", "periods", "realtimePriority", "preset", "remote", "stateDir", "record", "midi", "midiMap", "osc", "oscAllow", "monitor", "referenceDir", "channelMap"];

    /// <summary>Every problem with the values, one line each naming the key, the value and what is allowed (empty when valid).</summary>
    /// <param name="source">Where the values came from (file name or "command line").</param>
    /// <returns>The problems.</returns>
    public IReadOnlyList<string> Validate(string source)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Device))
        {
            problems.Add($"{source}: device must not be empty (e.g. \"alsa:default\", \"alsa:hw:CARD=Codec,DEV=0\", \"file:in.wav\", \"gen:demo\")");
        }

        Range(problems, source, "sampleRateHz", SampleRateHz, MinSampleRateHz, MaxSampleRateHz);
        Range(problems, source, "blockFrames", BlockFrames, MinBlockFrames, MaxBlockFrames);
        Range(problems, source, "periods", Periods, MinPeriods, MaxPeriods);
        Range(problems, source, "realtimePriority", RealtimePriority, 0, MaxRealtimePriority);
        if (Remote is { } remote && !HardwareMaster.App.Remote.Web.RemoteEndpoint.TryParse(remote, out _, out string? remoteProblem))
        {
            problems.Add($"{source}: remote: {remoteProblem}");
        }

        return problems;
    }

    /// <summary>Parses a JSON config file's text; every bad key or value is one line in the exception.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="source">File name for messages.</param>
    /// <param name="defaults">Values for keys the file leaves out.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigurationException">The text is not a JSON object, or keys/values are wrong (all listed).</exception>
    public static RunConfiguration Parse(string json, string source, RunConfiguration? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        StrictJsonDocument document;
        try
        {
            document = StrictJson.Parse(json, source);
        }
        catch (StrictJsonException ex)
        {
            throw new ConfigurationException([ex.Message]);
        }

        return Parse(document, source, defaults);
    }

    /// <summary>Parses a JSON config file's bytes (UTF-8); every bad key or value is one line in the exception.</summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="source">File name for messages.</param>
    /// <param name="defaults">Values for keys the file leaves out.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigurationException">The text is not a JSON object, or keys/values are wrong (all listed).</exception>
    public static RunConfiguration Parse(ReadOnlyMemory<byte> utf8, string source, RunConfiguration? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        StrictJsonDocument document;
        try
        {
            document = StrictJson.Parse(utf8, source);
        }
        catch (StrictJsonException ex)
        {
            throw new ConfigurationException([ex.Message]);
        }

        return Parse(document, source, defaults);
    }

    /// <summary>Reads and parses a config file (a regular file of at most 1 MiB; devices and FIFOs are refused unopened).</summary>
    /// <param name="path">The file.</param>
    /// <param name="defaults">Values for keys the file leaves out.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigurationException">The file cannot be read or has problems.</exception>
    public static RunConfiguration Load(string path, RunConfiguration? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(path);
        }
        catch (BoundedFileException ex)
        {
            throw new ConfigurationException([$"{(path.Length == 0 ? "(empty file name)" : path)}: cannot read the configuration: {ex.Problem}"]);
        }

        return Parse(bytes, path, defaults);
    }

    private static RunConfiguration Parse(StrictJsonDocument document, string source, RunConfiguration? defaults)
    {
        RunConfiguration config = defaults ?? new RunConfiguration();
        var problems = new List<string>();
        var mistyped = new HashSet<string>(StringComparer.Ordinal);
        using (document)
        {
            if (document.Root.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException([$"{source}: line 1: the configuration must be a JSON object {{ \"device\": …, \"sampleRateHz\": … }} (got {StrictJson.Describe(document.Root)})"]);
            }

            foreach (JsonProperty property in document.Root.EnumerateObject())
            {
                JsonElement value = property.Value;
                string where = StrictJson.Format(source, document.LineOf(property.Name), string.Empty);
                int problemsBefore = problems.Count;
                switch (property.Name)
                {
                    case "device":
                        if (String(problems, where, property.Name, value, allowNull: false) is { } device)
                        {
                            config = config with { Device = device };
                        }

                        break;
                    case "output":
                        config = config with { Output = String(problems, where, property.Name, value, allowNull: true) };
                        break;
                    case "preset":
                        config = config with { Preset = String(problems, where, property.Name, value, allowNull: true) };
                        break;
                    case "sampleRateHz":
                        config = config with { SampleRateHz = Integer(problems, where, property.Name, value, config.SampleRateHz, MinSampleRateHz, MaxSampleRateHz) };
                        break;
                    case "blockFrames":
                        config = config with { BlockFrames = Integer(problems, where, property.Name, value, config.BlockFrames, MinBlockFrames, MaxBlockFrames) };
                        break;
                    case "periods":
                        config = config with { Periods = Integer(problems, where, property.Name, value, config.Periods, MinPeriods, MaxPeriods) };
                        break;
                    case "realtimePriority":
                        config = config with { RealtimePriority = Integer(problems, where, property.Name, value, config.RealtimePriority, 0, MaxRealtimePriority) };
                        break;
                    case "remote":
                        config = config with { Remote = String(problems, where, property.Name, value, allowNull: true) };
                        break;
                    case "stateDir":
                        config = config with { StateDirectory = String(problems, where, property.Name, value, allowNull: true) };
                        break;
                    case "record":
                        config = config with { Record = Recording.RecorderOptions.Parse(value, where, problems) };
                        break;
                    case "midi":
                        config = config with { Midi = String(problems, where, property.Name, value, allowNull: true) };
                        break;
                    case "midiMap":
                        config = config with { MidiMap = String(problems, where, property.Name, value, allowNull: true) };
                        break;
                    case "osc":
                        config = config with { Osc = String(problems, where, property.Name, value, allowNull: true) };
                        break;
                    case "oscAllow":
                        config = config with { OscAllow = String(problems, where, property.Name, value, allowNull: true) };
                        break;
                    case "monitor":
                        config = config with { Monitor = String(problems, where, property.Name, value, allowNull: true) };
                        if (config.Monitor is { } monitor && !Dsp.Monitor.MonitorFunctionNames.TryParse(monitor, out _))
                        {
                            problems.Add($"{where}\"monitor\": \"{monitor}\" is not a monitor function (mono, side, phone, earbuds, car, delta or off)");
                        }

                        break;
                    case "referenceDir":
                        config = config with { ReferenceDir = String(problems, where, property.Name, value, allowNull: true) };
                        break;
                    case "channelMap":
                        config = config with { ChannelMap = String(problems, where, property.Name, value, allowNull: true) };
                        if (config.ChannelMap is { } map && !Hal.Audio.OutputChannelMap.TryParse(map, out _, out string? mapProblem))
                        {
                            problems.Add($"{where}\"channelMap\": {mapProblem}");
                        }

                        break;
                    default:
                        problems.Add($"{where}unknown key \"{property.Name}\" (known keys: {string.Join(", ", Keys)})");
                        break;
                }

                if (problems.Count > problemsBefore)
                {
                    mistyped.Add(property.Name);
                }
            }
        }

        // Range checks of values the file did not set (the defaults); a key with its own line is not reported twice.
        foreach (string problem in config.Validate(source))
        {
            string key = problem[(source.Length + 2)..].Split(' ')[0];
            if (!mistyped.Contains(key))
            {
                problems.Add(problem);
            }
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        return config;
    }

    private static void Range(List<string> problems, string source, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            problems.Add($"{source}: {key} must be an integer from {min} to {max} (got {value.ToString(CultureInfo.InvariantCulture)})");
        }
    }

    private static string? String(List<string> problems, string where, string key, JsonElement value, bool allowNull)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        if (allowNull && value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        problems.Add($"{where}{key} must be a string{(allowNull ? " or null" : string.Empty)} (got {Describe(value)})");
        return null;
    }

    private static int Integer(List<string> problems, string where, string key, JsonElement value, int fallback, int min, int max)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int result))
        {
            if (result < min || result > max)
            {
                problems.Add($"{where}{key} must be an integer from {min} to {max} (got {result.ToString(CultureInfo.InvariantCulture)})");
            }

            return result;
        }

        problems.Add($"{where}{key} must be an integer{(value.ValueKind == JsonValueKind.Number ? $" from {min} to {max}" : string.Empty)} (got {Describe(value)})");
        return fallback;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "\"" + Shorten(value.GetString()!) + "\"",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => Shorten(value.GetRawText()),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text.ReplaceLineEndings(" ") : text[..40].ReplaceLineEndings(" ") + "…";
}

/// <summary>The configuration has problems; <see cref="Exception.Message"/> lists them one per line.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="problems">One line per problem.</param>
    public ConfigurationException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    /// <summary>The problems, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
