using System.Text.Json;

namespace HardwareMaster.Hal.Json;

/// <summary>A parsed settings document plus the line of every member, for messages that say where.</summary>
public sealed class StrictJsonDocument : IDisposable
{
    private readonly JsonDocument _document;
    private readonly Dictionary<string, long> _lines;

    internal StrictJsonDocument(JsonDocument document, Dictionary<string, long> lines)
    {
        _document = document;
        _lines = lines;
    }

    /// <summary>The top-level value.</summary>
    public JsonElement Root => _document.RootElement;

    /// <summary>The 1-based line of the member at <paramref name="path"/> (property names; array indexes as <c>"[0]"</c>), or null.</summary>
    /// <param name="path">Property names from the top, e.g. <c>("parameters", "comp.ratio")</c>.</param>
    /// <returns>The line, or null when the path is not a member.</returns>
    public long? LineOf(params string[] path) => _lines.TryGetValue(StrictJson.Key(path), out long line) ? line : null;

    /// <inheritdoc/>
    public void Dispose() => _document.Dispose();
}
