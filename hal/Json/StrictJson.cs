using System.Text;
using System.Text.Json;

namespace HardwareMaster.Hal.Json;

/// <summary>Settings JSON is malformed or breaks a strict rule. The message is one line: <c>SOURCE: line N: what</c>.</summary>
public sealed class StrictJsonException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">File name (or resource) for the message.</param>
    /// <param name="line">1-based line, or null when unknown.</param>
    /// <param name="problem">What is wrong, one line.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public StrictJsonException(string source, long? line, string problem, Exception? inner = null)
        : base(StrictJson.Format(source, line, problem), inner)
    {
        SourceName = source;
        Line = line;
        Problem = problem;
    }

    /// <summary>File name (or resource) the text came from.</summary>
    public string SourceName { get; }

    /// <summary>1-based line of the problem, or null.</summary>
    public long? Line { get; }

    /// <summary>What is wrong, without source and line.</summary>
    public string Problem { get; }
}

/// <summary>
/// Strict parsing for hand-edited settings files (presets, the run configuration, the hardware profile): comments and
/// trailing commas are allowed, but duplicate keys, lone UTF-16 surrogates (<c>"\udc00"</c>), invalid UTF-8 and nesting
/// deeper than <see cref="MaxDepth"/> are errors with a line number. Only <see cref="Utf8JsonReader"/> and
/// <see cref="JsonDocument"/>, so it is trimming- and AOT-safe.
/// </summary>
public static class StrictJson
{
    /// <summary>Deepest nesting accepted (settings files use three levels).</summary>
    public const int MaxDepth = 16;

    private const char KeySeparator = '\u001f';

    /// <summary>The reader options: comments skipped, trailing commas allowed, <see cref="MaxDepth"/>.</summary>
    public static JsonReaderOptions ReaderOptions => new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth };

    /// <summary>Checks and parses <paramref name="utf8"/> (a UTF-8 byte-order mark is skipped).</summary>
    /// <param name="utf8">The file's bytes.</param>
    /// <param name="source">File name for messages.</param>
    /// <returns>The document; dispose it.</returns>
    /// <exception cref="StrictJsonException">Malformed JSON, a duplicate key, a lone surrogate or too deep nesting.</exception>
    public static StrictJsonDocument Parse(ReadOnlyMemory<byte> utf8, string source)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (utf8.Span.StartsWith(bom))
        {
            utf8 = utf8[3..];
        }

        Dictionary<string, long> lines = Check(utf8.Span, source);
        try
        {
            JsonDocument document = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth });
            return new StrictJsonDocument(document, lines);
        }
        catch (JsonException e)
        {
            throw new StrictJsonException(source, e.LineNumber + 1, $"not valid JSON: {Sentence(e.Message)}", e);
        }
    }

    /// <summary>Checks and parses <paramref name="text"/>.</summary>
    /// <param name="text">The JSON text.</param>
    /// <param name="source">File name for messages.</param>
    /// <returns>The document; dispose it.</returns>
    /// <exception cref="StrictJsonException">Malformed JSON, a duplicate key, a lone surrogate or too deep nesting.</exception>
    public static StrictJsonDocument Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] utf8;
        try
        {
            utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new StrictJsonException(source, LineOfChar(text, e.Index), "the text holds a lone UTF-16 surrogate; it is not valid Unicode", e);
        }

        return Parse(utf8, source);
    }

    /// <summary>Reads a settings file with <see cref="BoundedFile"/> and parses it with <see cref="Parse(ReadOnlyMemory{byte}, string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">Largest accepted size.</param>
    /// <returns>The document; dispose it.</returns>
    /// <exception cref="BoundedFileException">The file cannot be read, is not a regular file or is too large.</exception>
    /// <exception cref="StrictJsonException">The contents break a rule.</exception>
    public static StrictJsonDocument Load(string path, int maxBytes = BoundedFile.DefaultMaxBytes) => Parse(BoundedFile.ReadAllBytes(path, maxBytes), path);

    /// <summary>Formats <c>SOURCE: line N: problem</c> (without the line part when it is unknown).</summary>
    /// <param name="source">File name.</param>
    /// <param name="line">1-based line or null.</param>
    /// <param name="problem">The problem.</param>
    /// <returns>The line.</returns>
    public static string Format(string source, long? line, string problem) => line is long l ? $"{source}: line {l}: {problem}" : $"{source}: {problem}";

    /// <summary>A short description of a value's JSON type for messages ("a string", "an object", "null", …).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The description.</returns>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "nothing",
    };

    internal static string Key(IReadOnlyList<string> path) => string.Join(KeySeparator, path);

    private static Dictionary<string, long> Check(ReadOnlySpan<byte> utf8, string source)
    {
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        var keys = new Stack<HashSet<string>?>(); // null for an array
        var path = new List<string>();
        var indexes = new Stack<int>();
        long line = 1;
        int counted = 0;
        try
        {
            while (reader.Read())
            {
                int start = (int)reader.TokenStartIndex;
                line += utf8[counted..start].Count((byte)'\n');
                counted = start;
                bool inArray = keys.Count > 0 && keys.Peek() is null;
                if (inArray && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.Comment))
                {
                    int index = indexes.Pop();
                    indexes.Push(index + 1);
                    path.Add($"[{index}]");
                    lines.TryAdd(Key(path), line);
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        keys.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        keys.Push(null);
                        indexes.Push(0);
                        break;
                    case JsonTokenType.EndObject:
                        keys.Pop();
                        EndValue(path);
                        break;
                    case JsonTokenType.EndArray:
                        keys.Pop();
                        indexes.Pop();
                        EndValue(path);
                        break;
                    case JsonTokenType.PropertyName:
                        string name = ReadString(ref reader, source, line);
                        if (!keys.Peek()!.Add(name))
                        {
                            throw new StrictJsonException(source, line, $"duplicate key \"{name}\"{Where(path)}; each key may appear once");
                        }

                        path.Add(name);
                        lines[Key(path)] = line;
                        break;
                    case JsonTokenType.String:
                        ReadString(ref reader, source, line);
                        EndValue(path);
                        break;
                    default:
                        EndValue(path);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new StrictJsonException(source, (e.LineNumber ?? line - 1) + 1, $"not valid JSON: {Sentence(e.Message)}", e);
        }

        return lines;
    }

    // A value (or a container) ended: drop its name from the path (an array element's "[i]" or an object member's name).
    private static void EndValue(List<string> path)
    {
        if (path.Count > 0)
        {
            path.RemoveAt(path.Count - 1);
        }
    }

    private static string ReadString(ref Utf8JsonReader reader, string source, long line)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new StrictJsonException(source, line, "a string is not valid Unicode (a lone UTF-16 surrogate escape such as \\udc00, or invalid UTF-8)", e);
        }
    }

    private static string Where(List<string> path)
    {
        if (path.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (string segment in path)
        {
            if (text.Length > 0 && !segment.StartsWith('['))
            {
                text.Append('.');
            }

            text.Append(segment);
        }

        return $" in \"{text}\"";
    }

    private static long LineOfChar(string text, int index)
    {
        int end = Math.Clamp(index, 0, text.Length);
        return text.AsSpan(0, end).Count('\n') + 1;
    }

    private static string Sentence(string message)
    {
        int newline = message.IndexOfAny(['\r', '\n']);
        string first = newline < 0 ? message : message[..newline];
        int path = first.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (path > 0 ? first[..path] : first).TrimEnd();
    }
}
