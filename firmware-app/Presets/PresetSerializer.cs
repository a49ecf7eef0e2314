using System.Globalization;
using System.Text;
using System.Text.Json;
using HardwareMaster.App.Parameters;
using HardwareMaster.Hal.Json;

namespace HardwareMaster.App.Presets;

/// <summary>
/// Reads and writes presets as JSON: <c>{"schema":1,"name":"…","description":"…","parameters":{"comp.ratio":2,…}}</c>.
/// </summary>
/// <remarks>
/// Values may be numbers, <c>true</c>/<c>false</c> for switches, or strings (choice labels such as
/// <c>"rms"</c>, <c>"on"</c>, or numbers with their unit such as <c>"-1 dBTP"</c>). Loading validates
/// everything and reports every problem at once, each as <c>line N: what</c>: unknown keys (at the top level and in
/// <c>parameters</c>), duplicate keys, wrong JSON types, lone surrogates and values out of range are errors, never
/// silently ignored, because a mastering preset that loads with a typo would master with defaults. Uses <see cref="JsonDocument"/> and
/// <see cref="Utf8JsonWriter"/> only, so it is trimming- and AOT-safe.
/// </remarks>
public static class PresetSerializer
{
    /// <summary>The top-level keys of a preset file.</summary>
    public static readonly IReadOnlyList<string> Keys = ["schema", "name", "description", "parameters"];

    /// <summary>Longest accepted preset name (it is shown on the 128-pixel OLED).</summary>
    public const int MaxNameLength = 64;

    /// <summary>Parses <paramref name="json"/>; <paramref name="source"/> names the file in error messages.</summary>
    /// <exception cref="PresetException">The JSON is malformed or any key or value is unknown, of the wrong type or out of range.</exception>
    public static Preset Parse(string json, string source, ParameterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(json);
        StrictJsonDocument document;
        try
        {
            document = StrictJson.Parse(json, source);
        }
        catch (StrictJsonException e)
        {
            throw new PresetException(source, [Where(e.Line) + e.Problem]);
        }

        return Parse(document, source, registry);
    }

    /// <summary>Parses a preset file's bytes (UTF-8); <paramref name="source"/> names the file in error messages.</summary>
    /// <exception cref="PresetException">The JSON is malformed or any key or value is unknown, of the wrong type or out of range.</exception>
    public static Preset Parse(ReadOnlyMemory<byte> utf8, string source, ParameterRegistry registry)
    {
        StrictJsonDocument document;
        try
        {
            document = StrictJson.Parse(utf8, source);
        }
        catch (StrictJsonException e)
        {
            throw new PresetException(source, [Where(e.Line) + e.Problem]);
        }

        return Parse(document, source, registry);
    }

    private static Preset Parse(StrictJsonDocument document, string source, ParameterRegistry registry)
    {
        using (document)
        {
            var problems = new List<string>();
            JsonElement root = document.Root;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PresetException(source, [$"line 1: the top level must be a JSON object (got {StrictJson.Describe(root)})"]);
            }

            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!Keys.Contains(property.Name, StringComparer.Ordinal))
                {
                    string near = Keys.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase) || Distance(k, property.Name) <= 2) is { } k ? $"did you mean \"{k}\"? " : string.Empty;
                    problems.Add($"{Where(document.LineOf(property.Name))}unknown key \"{property.Name}\" ({near}known keys: {string.Join(", ", Keys)})");
                }
            }

            if (!root.TryGetProperty("schema", out JsonElement schema))
            {
                problems.Add($"missing integer \"schema\" (this build reads schema {Preset.SchemaVersion})");
            }
            else if (schema.ValueKind != JsonValueKind.Number || !schema.TryGetInt32(out int schemaVersion))
            {
                problems.Add($"{Where(document.LineOf("schema"))}\"schema\" must be the integer {Preset.SchemaVersion} (got {StrictJson.Describe(schema)}{(schema.ValueKind == JsonValueKind.Number ? " " + schema.GetRawText() : string.Empty)})");
            }
            else if (schemaVersion != Preset.SchemaVersion)
            {
                problems.Add($"{Where(document.LineOf("schema"))}schema {schemaVersion} is not supported (this build reads schema {Preset.SchemaVersion})");
            }

            string name = string.Empty;
            if (!root.TryGetProperty("name", out JsonElement n))
            {
                problems.Add("missing string \"name\"");
            }
            else if (n.ValueKind != JsonValueKind.String)
            {
                problems.Add($"{Where(document.LineOf("name"))}\"name\" must be a string (got {StrictJson.Describe(n)})");
            }
            else
            {
                name = n.GetString()!;
                if (name.Trim().Length == 0)
                {
                    problems.Add($"{Where(document.LineOf("name"))}\"name\" must not be empty");
                }
                else if (name.Length > MaxNameLength || name.Any(char.IsControl))
                {
                    problems.Add($"{Where(document.LineOf("name"))}\"name\" must be at most {MaxNameLength} characters without control characters");
                }
            }

            string description = string.Empty;
            if (root.TryGetProperty("description", out JsonElement d))
            {
                if (d.ValueKind == JsonValueKind.String)
                {
                    description = d.GetString()!;
                }
                else if (d.ValueKind != JsonValueKind.Null)
                {
                    problems.Add($"{Where(document.LineOf("description"))}\"description\" must be a string (got {StrictJson.Describe(d)})");
                }
            }

            var values = new ParameterSet(registry);
            if (root.TryGetProperty("parameters", out JsonElement parameters))
            {
                if (parameters.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{Where(document.LineOf("parameters"))}\"parameters\" must be an object of id: value (got {StrictJson.Describe(parameters)})");
                }
                else
                {
                    foreach (JsonProperty property in parameters.EnumerateObject())
                    {
                        string? problem = TryApply(values, property.Name, property.Value);
                        if (problem is not null)
                        {
                            problems.Add(Where(document.LineOf("parameters", property.Name)) + problem);
                        }
                    }
                }
            }

            if (problems.Count > 0)
            {
                throw new PresetException(source, problems);
            }

            return new Preset(name, description, values);
        }
    }

    /// <summary>Applies one textual <c>id=value</c> assignment (the CLI's <c>--set</c>); returns a problem line or null.</summary>
    public static string? TryApply(ParameterSet values, string id, string text)
    {
        if (!values.Registry.TryGetIndex(id, out int index))
        {
            return $"unknown parameter '{id}'{Suggest(values.Registry, id)}";
        }

        ParameterDefinition definition = values.Registry.All[index];
        if (!definition.TryParse(text, out double value))
        {
            return $"parameter '{id}' = '{text}' is not a value of {definition.RangeText}";
        }

        if (!definition.IsValid(value))
        {
            return $"parameter '{id}' = {Invariant(value)} is outside {definition.RangeText}";
        }

        values.Set(id, value);
        return null;
    }

    /// <summary>Serialises <paramref name="preset"/>, writing every parameter (so a saved preset does not change meaning when defaults change).</summary>
    public static string Serialize(Preset preset)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schema", Preset.SchemaVersion);
            writer.WriteString("name", preset.Name);
            writer.WriteString("description", preset.Description);
            writer.WriteStartObject("parameters");
            ParameterRegistry registry = preset.Values.Registry;
            for (int i = 0; i < registry.Count; i++)
            {
                ParameterDefinition definition = registry.All[i];
                double value = preset.Values.Get(i);
                switch (definition.Taper)
                {
                    case Taper.Toggle:
                        writer.WriteBoolean(definition.Id, value >= 0.5);
                        break;
                    case Taper.Choice:
                        writer.WriteString(definition.Id, definition.Format(value));
                        break;
                    default:
                        writer.WriteNumber(definition.Id, Math.Round(value, 6));
                        break;
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string? TryApply(ParameterSet values, string id, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return TryApply(values, id, element.GetRawText());
            case JsonValueKind.True:
                return TryApply(values, id, "on");
            case JsonValueKind.False:
                return TryApply(values, id, "off");
            case JsonValueKind.String:
                return TryApply(values, id, element.GetString()!);
            default:
                return values.Registry.TryGetIndex(id, out int index)
                    ? $"parameter '{id}' has a {element.ValueKind.ToString().ToLowerInvariant()} value; expected {values.Registry.All[index].RangeText}"
                    : $"unknown parameter '{id}'{Suggest(values.Registry, id)}";
        }
    }

    private static string Suggest(ParameterRegistry registry, string id)
    {
        int dot = id.IndexOf('.');
        string prefix = dot > 0 ? id[..(dot + 1)] : id;
        var near = registry.All.Where(p => p.Id.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Id).Take(8).ToList();
        return near.Count > 0 ? $" (known {prefix}* ids: {string.Join(", ", near)})" : string.Empty;
    }

    private static string Where(long? line) => line is long l ? $"line {l}: " : string.Empty;

    // Levenshtein distance of two short keys (for "did you mean").
    private static int Distance(string a, string b)
    {
        int[] previous = new int[b.Length + 1];
        int[] current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string Invariant(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
