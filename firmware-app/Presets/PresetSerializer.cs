using System.Globalization;
using System.Text;
using System.Text.Json;
using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Presets;

/// <summary>
/// Reads and writes presets as JSON: <c>{"schema":1,"name":"…","description":"…","parameters":{"comp.ratio":2,…}}</c>.
/// </summary>
/// <remarks>
/// Values may be numbers, <c>true</c>/<c>false</c> for switches, or strings (choice labels such as
/// <c>"rms"</c>, <c>"on"</c>, or numbers with their unit such as <c>"-1 dBTP"</c>). Loading validates
/// everything and reports every problem at once. Uses <see cref="JsonDocument"/> and
/// <see cref="Utf8JsonWriter"/> only, so it is trimming- and AOT-safe.
/// </remarks>
public static class PresetSerializer
{
    /// <summary>Parses <paramref name="json"/>; <paramref name="source"/> names the file in error messages.</summary>
    /// <exception cref="PresetException">The JSON is malformed or any value is unknown, of the wrong type or out of range.</exception>
    public static Preset Parse(string json, string source, ParameterRegistry registry)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new PresetException(source, [$"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstLine(e.Message)}"]);
        }

        using (document)
        {
            var problems = new List<string>();
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PresetException(source, ["the top level must be a JSON object"]);
            }

            if (!root.TryGetProperty("schema", out JsonElement schema) || !schema.TryGetInt32(out int schemaVersion))
            {
                problems.Add("missing integer \"schema\" (this build reads schema 1)");
            }
            else if (schemaVersion != Preset.SchemaVersion)
            {
                problems.Add($"schema {schemaVersion} is not supported (this build reads schema {Preset.SchemaVersion})");
            }

            string name = root.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : string.Empty;
            if (name.Length == 0)
            {
                problems.Add("missing string \"name\"");
            }

            string description = root.TryGetProperty("description", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : string.Empty;
            var values = new ParameterSet(registry);
            if (root.TryGetProperty("parameters", out JsonElement parameters))
            {
                if (parameters.ValueKind != JsonValueKind.Object)
                {
                    problems.Add("\"parameters\" must be an object of id: value");
                }
                else
                {
                    foreach (JsonProperty property in parameters.EnumerateObject())
                    {
                        string? problem = TryApply(values, property.Name, property.Value);
                        if (problem is not null)
                        {
                            problems.Add(problem);
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

    private static string Invariant(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string FirstLine(string text)
    {
        int newline = text.IndexOfAny(['\r', '\n']);
        return newline < 0 ? text : text[..newline];
    }
}
