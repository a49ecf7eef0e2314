using System.Globalization;
using System.Text;
using System.Text.Json;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.Hal.Json;

namespace HardwareMaster.App.Remote.Midi;

/// <summary>How a controller's value turns into a parameter change.</summary>
public enum MidiValueMode
{
    /// <summary>The value is the position: CC 0..127 (NRPN 0..16383) across the parameter's range, along its taper.</summary>
    Absolute,

    /// <summary>Relative, two's complement: 1..63 = +1..+63 steps, 127..65 = −1..−63, 64 = −64.</summary>
    TwosComplement,

    /// <summary>Relative, binary offset: 64 = no move, 65.. = +1.., 63.. = −1...</summary>
    BinaryOffset,

    /// <summary>Relative, sign and magnitude: bit 6 is the sign (set = down), bits 0–5 the steps (65 = −1, 1 = +1).</summary>
    SignMagnitude,
}

/// <summary>One controller bound to one registry parameter.</summary>
/// <param name="Channel">Channel 0..15, or −1 for any channel.</param>
/// <param name="Controller">CC number 0..127, or −1 for an NRPN binding.</param>
/// <param name="Nrpn">NRPN number 0..16383, or −1 for a CC binding.</param>
/// <param name="ParameterId">The registry id.</param>
/// <param name="ParameterIndex">Its index in the registry.</param>
/// <param name="Mode">Absolute or one of the relative encodings.</param>
public sealed record MidiBinding(int Channel, int Controller, int Nrpn, string ParameterId, int ParameterIndex, MidiValueMode Mode);

/// <summary>A MIDI mapping file could not be used; the message is one line per problem, each naming the file, line and JSON path.</summary>
public sealed class MidiMapException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    /// <summary>The problems.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The MIDI mapping (<c>--midi-map FILE</c>): which CC or NRPN moves which registry parameter, in which encoding, and
/// which program change recalls which preset. Format (JSON, comments allowed):
/// <code>
/// {
///   "controls": [
///     { "cc": 20, "id": "comp.threshold" },                                  // absolute (the default), any channel
///     { "cc": 21, "channel": 2, "id": "eq.band2.gain", "mode": "twos-complement" },
///     { "cc": 22, "id": "width.amount", "mode": "binary-offset" },
///     { "cc": 23, "id": "limiter.ceiling", "mode": "sign-magnitude" },
///     { "nrpn": 1000, "id": "trim.gain" }                                    // 14-bit, CC 99/98 then 6/38
///   ],
///   "programs": ["pop-rock", "edm-club"]                                     // program 0, 1, … → factory preset
/// }
/// </code>
/// Without <c>"programs"</c>, program N recalls the N-th factory preset.
/// </summary>
public sealed class MidiMap
{
    /// <summary>The relative encodings' JSON names, in <see cref="MidiValueMode"/> order.</summary>
    public static readonly string[] ModeNames = ["absolute", "twos-complement", "binary-offset", "sign-magnitude"];

    private static readonly string[] Keys = ["controls", "programs"];
    private static readonly string[] ControlKeys = ["cc", "nrpn", "channel", "id", "mode"];

    /// <summary>Creates a map.</summary>
    /// <param name="bindings">The controls.</param>
    /// <param name="programs">Program number → factory preset name (null = program N is the N-th factory preset).</param>
    public MidiMap(IReadOnlyList<MidiBinding> bindings, IReadOnlyList<string>? programs)
    {
        Bindings = bindings;
        Programs = programs;
    }

    /// <summary>The controls.</summary>
    public IReadOnlyList<MidiBinding> Bindings { get; }

    /// <summary>Program number → preset name, or null for "the N-th factory preset".</summary>
    public IReadOnlyList<string>? Programs { get; }

    /// <summary>Reads a mapping file (at most 1 MiB).</summary>
    /// <param name="path">The file.</param>
    /// <param name="registry">The parameters ids must name.</param>
    /// <returns>The map.</returns>
    /// <exception cref="MidiMapException">Unreadable, not JSON, or with bad entries (all listed).</exception>
    public static MidiMap Load(string path, ParameterRegistry registry)
    {
        byte[] bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(path);
        }
        catch (BoundedFileException ex)
        {
            throw new MidiMapException([$"{ex.Path}: cannot read the MIDI map: {ex.Problem}"]);
        }

        return Parse(bytes, path, registry);
    }

    /// <summary>Parses a mapping file's bytes.</summary>
    /// <param name="utf8">The bytes.</param>
    /// <param name="source">File name for messages.</param>
    /// <param name="registry">The parameters ids must name.</param>
    /// <returns>The map.</returns>
    /// <exception cref="MidiMapException">Not JSON, or bad entries (all listed).</exception>
    public static MidiMap Parse(ReadOnlyMemory<byte> utf8, string source, ParameterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        StrictJsonDocument document;
        try
        {
            document = StrictJson.Parse(utf8, source);
        }
        catch (StrictJsonException ex)
        {
            throw new MidiMapException([ex.Message]);
        }

        var problems = new List<string>();
        var bindings = new List<MidiBinding>();
        List<string>? programs = null;
        using (document)
        {
            string At(string problem, params string[] path) => StrictJson.Format(source, document.LineOf(path), "$" + string.Concat(path.Select(p => p.StartsWith('[') ? p : "." + p)) + ": " + problem);
            JsonElement root = document.Root;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MidiMapException([StrictJson.Format(source, 1, $"$: the MIDI map must be a JSON object {{ \"controls\": [ … ] }} (got {StrictJson.Describe(root)})")]);
            }

            var seen = new HashSet<(int Channel, int Controller, int Nrpn)>();
            foreach (JsonProperty property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "controls":
                        if (property.Value.ValueKind != JsonValueKind.Array)
                        {
                            problems.Add(At($"must be an array of {{ \"cc\": N, \"id\": \"…\" }} (got {StrictJson.Describe(property.Value)})", "controls"));
                            break;
                        }

                        int i = 0;
                        foreach (JsonElement control in property.Value.EnumerateArray())
                        {
                            string item = $"[{i++}]";
                            if (ParseControl(control, registry, problems, (problem, key) => key is null ? At(problem, "controls", item) : At(problem, "controls", item, key)) is { } binding)
                            {
                                if (!seen.Add((binding.Channel, binding.Controller, binding.Nrpn)))
                                {
                                    problems.Add(At($"{(binding.Controller >= 0 ? "cc " + binding.Controller : "nrpn " + binding.Nrpn)} on {(binding.Channel < 0 ? "any channel" : "channel " + (binding.Channel + 1))} is bound twice", "controls", item));
                                }

                                bindings.Add(binding);
                            }
                        }

                        break;
                    case "programs":
                        if (property.Value.ValueKind != JsonValueKind.Array)
                        {
                            problems.Add(At($"must be an array of factory preset names (got {StrictJson.Describe(property.Value)})", "programs"));
                            break;
                        }

                        programs = [];
                        var factory = new PresetLibrary(registry).Factory.Select(p => p.Name).ToArray();
                        int n = 0;
                        foreach (JsonElement name in property.Value.EnumerateArray())
                        {
                            string item = $"[{n++}]";
                            string? text = name.ValueKind == JsonValueKind.String ? name.GetString() : null;
                            string? match = text is null ? null : factory.FirstOrDefault(f => string.Equals(f, text, StringComparison.OrdinalIgnoreCase));
                            if (match is null)
                            {
                                problems.Add(At($"must be a factory preset name ({string.Join(", ", factory)}) (got {Show(name)})", "programs", item));
                            }

                            programs.Add(match ?? string.Empty);
                        }

                        if (programs.Count > 128)
                        {
                            problems.Add(At($"has {programs.Count} entries; MIDI has programs 0..127", "programs"));
                        }

                        break;
                    default:
                        problems.Add(At($"unknown key (known keys: {string.Join(", ", Keys)})", property.Name));
                        break;
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new MidiMapException(problems);
        }

        return new MidiMap(bindings, programs);
    }

    /// <summary>The JSON of this map (what MIDI learn saves).</summary>
    /// <returns>The text.</returns>
    public string ToJson()
    {
        var text = new StringBuilder("{\n  \"controls\": [");
        for (int i = 0; i < Bindings.Count; i++)
        {
            MidiBinding b = Bindings[i];
            text.Append(i == 0 ? "\n" : ",\n").Append("    { ");
            text.Append(b.Controller >= 0 ? $"\"cc\": {b.Controller.ToString(CultureInfo.InvariantCulture)}" : $"\"nrpn\": {b.Nrpn.ToString(CultureInfo.InvariantCulture)}");
            if (b.Channel >= 0)
            {
                text.Append(CultureInfo.InvariantCulture, $", \"channel\": {b.Channel + 1}");
            }

            text.Append(", \"id\": ").Append(JsonSerializerEscape(b.ParameterId));
            if (b.Mode != MidiValueMode.Absolute)
            {
                text.Append(", \"mode\": \"").Append(ModeNames[(int)b.Mode]).Append('"');
            }

            text.Append(" }");
        }

        text.Append(Bindings.Count > 0 ? "\n  ]" : "]");
        if (Programs is { } programs)
        {
            text.Append(",\n  \"programs\": [").AppendJoin(", ", programs.Select(JsonSerializerEscape)).Append(']');
        }

        return text.Append("\n}\n").ToString();
    }

    // The value itself when it is short and printable, else its kind.
    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString() is { Length: <= 40 } text => "\"" + text + "\"",
        JsonValueKind.Number when value.GetRawText() is { Length: <= 20 } raw => raw,
        _ => StrictJson.Describe(value),
    };

    private static string JsonSerializerEscape(string value) => "\"" + System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(value) + "\"";

    private static MidiBinding? ParseControl(JsonElement control, ParameterRegistry registry, List<string> problems, Func<string, string?, string> at)
    {
        if (control.ValueKind != JsonValueKind.Object)
        {
            problems.Add(at($"must be an object {{ \"cc\": N, \"id\": \"…\" }} (got {StrictJson.Describe(control)})", null));
            return null;
        }

        int before = problems.Count;
        int cc = -1, nrpn = -1, channel = -1, index = -1;
        string? id = null;
        var mode = MidiValueMode.Absolute;
        foreach (JsonProperty property in control.EnumerateObject())
        {
            JsonElement value = property.Value;
            switch (property.Name)
            {
                case "cc":
                    cc = Integer(value, 0, 127, "a controller number", problems, at, property.Name);
                    if (cc is 6 or 38 or 96 or 97 or 98 or 99 or 100 or 101)
                    {
                        problems.Add(at($"CC {cc} carries NRPN/RPN data entry and cannot be bound on its own (bind \"nrpn\" instead)", property.Name));
                    }

                    break;
                case "nrpn":
                    nrpn = Integer(value, 0, 16383, "an NRPN number", problems, at, property.Name);
                    break;
                case "channel":
                    int oneBased = Integer(value, 1, 16, "a MIDI channel", problems, at, property.Name);
                    channel = oneBased > 0 ? oneBased - 1 : -1;
                    break;
                case "id":
                    id = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    if (id is null || !registry.TryGetIndex(id, out index))
                    {
                        problems.Add(at($"unknown parameter {Show(value)} ('hardwaremaster parameters' lists the ids)", property.Name));
                    }

                    break;
                case "mode":
                    int m = value.ValueKind == JsonValueKind.String ? Array.IndexOf(ModeNames, value.GetString()) : -1;
                    if (m < 0)
                    {
                        problems.Add(at($"must be one of {string.Join(", ", ModeNames)} (got {Show(value)})", property.Name));
                    }
                    else
                    {
                        mode = (MidiValueMode)m;
                    }

                    break;
                default:
                    problems.Add(at($"unknown key (known keys: {string.Join(", ", ControlKeys)})", property.Name));
                    break;
            }
        }

        if ((cc >= 0) == (nrpn >= 0) && problems.Count == before)
        {
            problems.Add(at("needs exactly one of \"cc\" and \"nrpn\"", null));
        }

        if (id is null && problems.Count == before)
        {
            problems.Add(at("needs \"id\" (a registry parameter)", null));
        }

        return problems.Count > before ? null : new MidiBinding(channel, cc, nrpn, id!, index, mode);
    }

    private static int Integer(JsonElement value, int min, int max, string what, List<string> problems, Func<string, string?, string> at, string key)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int result) && result >= min && result <= max)
        {
            return result;
        }

        problems.Add(at($"must be {what} from {min} to {max} (got {Show(value)})", key));
        return -1;
    }
}
