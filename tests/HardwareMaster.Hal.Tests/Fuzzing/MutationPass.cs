using System.Text;

namespace HardwareMaster.Fuzzing;

/// <summary>One parser under the mutation pass.</summary>
/// <param name="Name">Its folder under tests/HardwareMaster.Fuzz/corpus and crashes.</param>
/// <param name="Documented">The exception it documents for bad input; anything else it lets out is a failure.</param>
/// <param name="Json">Mutate JSON tokens (else raw bytes).</param>
/// <param name="Count">How many mutants follow the seeds.</param>
/// <param name="Parse">Parses one input (throws what the parser throws).</param>
public sealed record FuzzedParser(string Name, Type Documented, bool Json, int Count, Action<byte[]> Parse);

/// <summary>
/// Runs a seeded mutation pass of one parser over its seed corpus (tests/HardwareMaster.Fuzz/corpus/PARSER)
/// and collects every input that neither parsed nor threw the parser's documented exception.
/// Shared source of the CI mutation tests (HardwareMaster.Hal.Tests and HardwareMaster.App.Tests).
/// </summary>
internal static class MutationPass
{
    /// <summary>A generous safety net against a hanging parser; the pass itself takes a few seconds.</summary>
    private static readonly TimeSpan HangSafetyNet = TimeSpan.FromMinutes(5);

    /// <summary>The fixed seed of the CI passes.</summary>
    public const int Seed = 20261201;

    /// <summary>The repository root (the folder holding HardwareMaster.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "HardwareMaster.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return dir ?? throw new InvalidOperationException("repository root (HardwareMaster.sln) not found");
        }
    }

    /// <summary>The seed corpus of <paramref name="parser"/>, in a fixed order.</summary>
    public static byte[][] Corpus(string parser)
    {
        string dir = Path.Combine(RepoRoot, "tests", "HardwareMaster.Fuzz", "corpus", parser);
        return Directory.GetFiles(dir).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
    }

    /// <summary>The saved crash inputs of <paramref name="parsers"/> as (parser, file name) rows.</summary>
    public static IEnumerable<object[]> CrashFiles(params FuzzedParser[] parsers)
    {
        foreach (string parser in parsers.Select(p => p.Name))
        {
            string dir = Path.Combine(RepoRoot, "tests", "HardwareMaster.Fuzz", "crashes", parser);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (string file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                yield return [parser, Path.GetFileName(file)];
            }
        }
    }

    /// <summary>The bytes of a saved crash input.</summary>
    public static byte[] CrashInput(string parser, string fileName) =>
        File.ReadAllBytes(Path.Combine(RepoRoot, "tests", "HardwareMaster.Fuzz", "crashes", parser, fileName));

    /// <summary>
    /// Feeds the saved crash input <paramref name="fileName"/> of the parser named <paramref name="parser"/> (one of
    /// <paramref name="parsers"/>) to it; returns what it let out other than a documented exception of
    /// <paramref name="parsers"/> (empty when nothing).
    /// </summary>
    public static string RunCrashInput(IReadOnlyList<FuzzedParser> parsers, string parser, string fileName)
    {
        byte[] input = CrashInput(parser, fileName);
        try
        {
            parsers.Single(p => p.Name == parser).Parse(input);
            return "";
        }
        catch (Exception ex)
        {
            return parsers.Any(p => p.Documented.IsInstanceOfType(ex))
                ? ""
                : $"{parser}/{fileName}: {ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}";
        }
    }

    /// <summary>Decodes bytes as <see cref="File.ReadAllText(string)"/> does: BOM detection, UTF-8 with replacement.</summary>
    public static string DecodeText(byte[] data)
    {
        using var reader = new StreamReader(new MemoryStream(data, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Feeds the seeds and then <see cref="FuzzedParser.Count"/> mutants to <paramref name="target"/>; returns a report
    /// of the inputs that threw anything but its documented exception (empty when there were none).
    /// </summary>
    public static string Run(FuzzedParser target, int seed = Seed)
    {
        (string parser, Type documented, bool json, int count, Action<byte[]> parse) = target;
        byte[][] corpus = Corpus(parser);
        var engine = new MutationEngine(seed);
        var failures = new List<string>();
        var signatures = new HashSet<string>(StringComparer.Ordinal);
        int failed = 0;
        int current = -1;
        var worker = new Thread(() =>
        {
            for (int i = 0; i < corpus.Length + count; i++)
            {
                byte[] input = i < corpus.Length ? corpus[i] : engine.Mutate(corpus[i % corpus.Length], corpus, json);
                Volatile.Write(ref current, i);
                try
                {
                    parse(input);
                }
                catch (Exception ex) when (documented.IsInstanceOfType(ex))
                {
                }
                catch (Exception ex)
                {
                    failed++;
                    string frame = FirstOwnFrame(ex);
                    if (signatures.Add(ex.GetType().Name + frame) && failures.Count < 8)
                    {
                        failures.Add($"input {i} ({Show(input, json)}): {ex.GetType().FullName}: {ex.Message} {frame}");
                    }
                }
            }
        })
        { IsBackground = true };
        worker.Start();
        if (!worker.Join(HangSafetyNet))
        {
            return $"{parser}: input {Volatile.Read(ref current)} did not finish (hang)";
        }

        return failed == 0
            ? ""
            : $"{parser}: {failed} of {corpus.Length + count} inputs (seed {seed}) threw something other than {documented.Name}; distinct:\n" + string.Join("\n", failures);
    }

    /// <summary>The first stack frame in HardwareMaster code (else the first frame): where the parser let it out.</summary>
    internal static string FirstOwnFrame(Exception ex)
    {
        string[] frames = (ex.StackTrace ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return frames.FirstOrDefault(f => f.StartsWith("at HardwareMaster.", StringComparison.Ordinal)) ?? frames.FirstOrDefault() ?? "";
    }

    private static string Show(byte[] input, bool json)
    {
        if (json)
        {
            string text = Encoding.UTF8.GetString(input).ReplaceLineEndings(" ");
            return text.Length > 160 ? text[..160] + "…" : text;
        }

        return "base64 " + Convert.ToBase64String(input.AsSpan(0, Math.Min(input.Length, 120)));
    }
}
