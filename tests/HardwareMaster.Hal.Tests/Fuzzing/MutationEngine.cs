using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace HardwareMaster.Fuzzing;

/// <summary>
/// A small, deterministic mutation engine for the parser fuzz passes: the same seed and corpus always give
/// the same inputs. Binary mutations (bit flips, byte insert/delete, truncation, splice, interesting values
/// 0/0xFF/0x7FFFFFFF/…, arithmetic, block duplication) for every parser, plus token-level JSON mutations
/// (quotes/braces removed, duplicate keys, huge numbers, deep nesting, lone surrogates, type swaps) for the
/// JSON parsers.
/// </summary>
/// <remarks>
/// Shared source: compiled into HardwareMaster.Hal.Tests, HardwareMaster.App.Tests (the CI mutation tests)
/// and HardwareMaster.Fuzz (the AFL-free fallback of scripts/fuzz.sh). Uses <c>new Random(int)</c>, whose
/// sequence for a given seed is fixed across runs and machines.
/// </remarks>
internal sealed partial class MutationEngine
{
    private static readonly long[] InterestingValues =
    [
        0, 1, -1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
        0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000, long.MaxValue, long.MinValue, 8000, 384000, 48000, 16, 28, 40,
    ];

    private static readonly string[] HugeNumbers =
    [
        "1e400", "-1e400", "1e308", "99999999999999999999999999", "2147483648", "-2147483649", "4294967296",
        "9223372036854775808", "-0", "0.0000000000000000001", "1e-400", "NaN", "Infinity", "-Infinity", "0x10",
        "1.5", "-1", "0", "00", "1e", "-", ".5", "5.",
    ];

    private static readonly string[] OddStrings =
    [
        "\"\\udc00\"", "\"\\ud800\"", "\"\\ud800\\udc00\"", "\"\\udbff\\udfff\"", "\"a\\udc00b\"", "\"\\u0000\"", "\"\"",
        "\"\\\"\"", "\"on\"", "\"off\"", "\"1\"", "\"-1 dBTP\"", "\"1e400 dB\"", "\"NaN\"", "\"true\"", "\"0x3C\"", "\"0x\"",
        "\"0xFFFFFFFFFF\"", "\"\u00e9\u20ac\ud83d\ude00\"", "\"" + new string('x', 4096) + "\"",
    ];

    private static readonly string[] OddValues = ["null", "true", "false", "[]", "{}", "[1,2]", "{\"a\":1}", "0", "-1", "\"\""];

    private static readonly string[] Tokens = ["{", "}", "[", "]", ",", ":", "\"", "/*", "*/", "//", "\n", "\\", "\ufeff", "\0", "null"];

    private readonly Random _random;

    /// <summary>Creates an engine whose inputs are fixed by <paramref name="seed"/>.</summary>
    public MutationEngine(int seed) => _random = new Random(seed);

    /// <summary>
    /// Returns a mutant of <paramref name="seed"/>: 1–4 stacked mutations; for JSON, token-level ones most
    /// of the time, binary ones otherwise. <paramref name="corpus"/> supplies splice partners.
    /// </summary>
    public byte[] Mutate(byte[] seed, IReadOnlyList<byte[]> corpus, bool json)
    {
        byte[] data = seed;
        int rounds = 1 + _random.Next(4);
        for (int round = 0; round < rounds; round++)
        {
            data = json && _random.Next(4) != 0 ? MutateJson(data) : MutateBinary(data, corpus);
        }

        return data;
    }

    /// <summary>One binary mutation.</summary>
    public byte[] MutateBinary(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(input);
        switch (_random.Next(11))
        {
            case 0: // bit flip
                if (data.Count > 0)
                {
                    int at = _random.Next(data.Count);
                    data[at] ^= (byte)(1 << _random.Next(8));
                }

                break;
            case 1: // random byte
                if (data.Count > 0)
                {
                    data[_random.Next(data.Count)] = (byte)_random.Next(256);
                }

                break;
            case 2: // insert bytes
                {
                    int at = _random.Next(data.Count + 1);
                    int count = 1 + _random.Next(_random.Next(2) == 0 ? 4 : 64);
                    byte fill = (byte)_random.Next(256);
                    bool same = _random.Next(2) == 0;
                    var bytes = new byte[count];
                    for (int i = 0; i < count; i++)
                    {
                        bytes[i] = same ? fill : (byte)_random.Next(256);
                    }

                    data.InsertRange(at, bytes);
                    break;
                }

            case 3: // delete a range
                if (data.Count > 0)
                {
                    int at = _random.Next(data.Count);
                    int count = Math.Min(data.Count - at, 1 + _random.Next(_random.Next(2) == 0 ? 4 : 64));
                    data.RemoveRange(at, count);
                }

                break;
            case 4: // truncate
                if (data.Count > 0)
                {
                    int keep = _random.Next(data.Count);
                    data.RemoveRange(keep, data.Count - keep);
                }

                break;
            case 5: // interesting value, 1/2/4/8 bytes, either endianness
            case 6:
                if (data.Count > 0)
                {
                    WriteInteresting(data);
                }

                break;
            case 7: // arithmetic on a byte
                if (data.Count > 0)
                {
                    int at = _random.Next(data.Count);
                    data[at] = (byte)(data[at] + _random.Next(-35, 36));
                }

                break;
            case 8: // splice with another corpus file
                if (corpus.Count > 0)
                {
                    byte[] other = corpus[_random.Next(corpus.Count)];
                    int cut = _random.Next(data.Count + 1);
                    int from = _random.Next(other.Length + 1);
                    data.RemoveRange(cut, data.Count - cut);
                    data.AddRange(other.AsSpan(from).ToArray());
                }

                break;
            case 9: // duplicate a block (repeats a chunk)
                if (data.Count > 0)
                {
                    int at = _random.Next(data.Count);
                    int count = Math.Min(data.Count - at, 1 + _random.Next(64));
                    byte[] block = data.GetRange(at, count).ToArray();
                    data.InsertRange(_random.Next(data.Count + 1), block);
                }

                break;
            default: // overwrite a block with a copy of another part
                if (data.Count > 1)
                {
                    int from = _random.Next(data.Count);
                    int to = _random.Next(data.Count);
                    int count = Math.Min(Math.Min(data.Count - from, data.Count - to), 1 + _random.Next(16));
                    byte[] block = data.GetRange(from, count).ToArray();
                    for (int i = 0; i < count; i++)
                    {
                        data[to + i] = block[i];
                    }
                }

                break;
        }

        return [.. data];
    }

    /// <summary>One token-level JSON mutation (falls back to a binary one when nothing matches).</summary>
    public byte[] MutateJson(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        string? mutated = _random.Next(14) switch
        {
            12 => ReplaceContainer(text),
            13 => InsertArrayElement(text),
            0 => RemoveChar(text, '"'),
            1 => RemoveChar(text, _random.Next(2) == 0 ? '{' : '}'),
            2 => RemoveChar(text, _random.Next(2) == 0 ? '[' : ']'),
            3 => DuplicateProperty(text),
            4 => ReplaceMatch(text, NumberPattern(), HugeNumbers[_random.Next(HugeNumbers.Length)]),
            5 => ReplaceMatch(text, StringValuePattern(), ": " + OddStrings[_random.Next(OddStrings.Length)]),
            6 => DeepNesting(text),
            7 => ReplaceMatch(text, ScalarValuePattern(), ": " + OddValues[_random.Next(OddValues.Length)]),
            8 => InsertToken(text),
            9 => RenameKey(text),
            10 => ReplaceMatch(text, ScalarValuePattern(), ": " + HugeNumbers[_random.Next(HugeNumbers.Length)]),
            _ => OddStrings[_random.Next(OddStrings.Length)] is var s && _random.Next(2) == 0 ? s : OddValues[_random.Next(OddValues.Length)],
        };

        return mutated is null ? MutateBinary(input, []) : Encoding.UTF8.GetBytes(mutated);
    }

    private void WriteInteresting(List<byte> data)
    {
        long value = InterestingValues[_random.Next(InterestingValues.Length)];
        int width = 1 << _random.Next(4);
        bool bigEndian = _random.Next(2) == 0;
        Span<byte> bytes = stackalloc byte[8];
        if (bigEndian)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            bytes = bytes[(8 - width)..];
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
            bytes = bytes[..width];
        }

        int at = _random.Next(data.Count);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (at + i < data.Count)
            {
                data[at + i] = bytes[i];
            }
        }
    }

    private string? RemoveChar(string text, char c)
    {
        int count = text.Count(x => x == c);
        if (count == 0)
        {
            return null;
        }

        int which = _random.Next(count);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == c && which-- == 0)
            {
                return text.Remove(i, 1);
            }
        }

        return null;
    }

    private string? DuplicateProperty(string text)
    {
        MatchCollection matches = PropertyPattern().Matches(text);
        if (matches.Count == 0)
        {
            return null;
        }

        Match m = matches[_random.Next(matches.Count)];
        string copy = m.Value;
        if (_random.Next(2) == 0)
        {
            // Same key, different value.
            copy = ScalarValuePattern().Replace(copy, ": " + OddValues[_random.Next(OddValues.Length)], 1);
        }

        return text.Insert(m.Index + m.Length, ", " + copy);
    }

    private string? ReplaceMatch(string text, Regex pattern, string replacement)
    {
        MatchCollection matches = pattern.Matches(text);
        if (matches.Count == 0)
        {
            return null;
        }

        Match m = matches[_random.Next(matches.Count)];
        return string.Concat(text.AsSpan(0, m.Index), replacement, text.AsSpan(m.Index + m.Length));
    }

    private string? DeepNesting(string text)
    {
        int depth = _random.Next(3) switch
        {
            0 => 1 + _random.Next(70),
            1 => 60 + _random.Next(10),
            _ => 200 + _random.Next(2000),
        };
        bool arrays = _random.Next(2) == 0;
        string open = arrays ? "[" : "{\"a\":";
        string close = arrays ? "]" : "}";
        string inner = _random.Next(2) == 0 ? "1" : "\"x\"";
        string nested = string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));
        if (_random.Next(3) == 0)
        {
            return nested;
        }

        return ReplaceMatch(text, ScalarValuePattern(), ": " + nested);
    }

    /// <summary>Replaces an object or array value (found by bracket matching) with a scalar such as null.</summary>
    private string? ReplaceContainer(string text)
    {
        var starts = new List<int>();
        for (int i = 1; i < text.Length; i++)
        {
            if (text[i] is '[' or '{')
            {
                starts.Add(i);
            }
        }

        if (starts.Count == 0)
        {
            return null;
        }

        int start = starts[_random.Next(starts.Count)];
        int end = MatchingClose(text, start);
        if (end < 0)
        {
            return null;
        }

        string replacement = _random.Next(2) == 0 ? "null" : OddValues[_random.Next(OddValues.Length)];
        return string.Concat(text.AsSpan(0, start), replacement, text.AsSpan(end + 1));
    }

    /// <summary>Puts null, a number, a string or an empty container into an array.</summary>
    private string? InsertArrayElement(string text)
    {
        int count = text.Count(c => c == '[');
        if (count == 0)
        {
            return null;
        }

        int which = _random.Next(count);
        int at = -1;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '[' && which-- == 0)
            {
                at = i;
                break;
            }
        }

        string element = OddValues[_random.Next(OddValues.Length)];
        bool empty = at + 1 < text.Length && text.AsSpan(at + 1).TrimStart().StartsWith("]");
        return text.Insert(at + 1, empty ? element : element + ",");
    }

    /// <summary>Index of the bracket closing the one at <paramref name="start"/>, skipping strings; -1 when unbalanced.</summary>
    private static int MatchingClose(string text, int start)
    {
        int depth = 0;
        bool inString = false;
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '[' or '{':
                    depth++;
                    break;
                case ']' or '}':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }

    private string InsertToken(string text)
    {
        string token = Tokens[_random.Next(Tokens.Length)];
        int at = _random.Next(text.Length + 1);
        return text.Insert(at, token);
    }

    private string? RenameKey(string text)
    {
        MatchCollection matches = KeyPattern().Matches(text);
        if (matches.Count == 0)
        {
            return null;
        }

        Match m = matches[_random.Next(matches.Count)];
        string key = m.Groups[1].Value;
        string renamed = _random.Next(4) switch
        {
            0 => key.Length > 1 ? key.Remove(_random.Next(key.Length), 1) : "",
            1 => key.ToUpperInvariant(),
            2 => key + key,
            _ => "\\u0061" + key,
        };
        return string.Concat(text.AsSpan(0, m.Groups[1].Index), renamed, text.AsSpan(m.Groups[1].Index + m.Groups[1].Length));
    }

    [GeneratedRegex("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(":\\s*\"[^\"\\\\]*\"")]
    private static partial Regex StringValuePattern();

    [GeneratedRegex(":\\s*(-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?|\"[^\"\\\\]*\"|true|false|null)")]
    private static partial Regex ScalarValuePattern();

    [GeneratedRegex("\"[^\"\\\\]+\"\\s*:\\s*(-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?|\"[^\"\\\\]*\"|true|false|null)")]
    private static partial Regex PropertyPattern();

    [GeneratedRegex("\"([^\"\\\\]+)\"\\s*:")]
    private static partial Regex KeyPattern();
}
