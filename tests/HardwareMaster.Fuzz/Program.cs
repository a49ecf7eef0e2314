using System.Diagnostics;
using System.Security.Cryptography;
using HardwareMaster.Fuzzing;

namespace HardwareMaster.Fuzz;

/// <summary>
/// Entry point. <c>afl PARSER</c>: the SharpFuzz persistent loop under afl-fuzz (input on stdin/file).
/// <c>mutate PARSER COUNT CORPUS_DIR CRASH_DIR [SEED]</c>: the AFL-free seeded mutation pass, the same engine as
/// the CI tests. <c>replay PARSER FILE...</c>: runs inputs once and prints the outcome and any stack trace.
/// </summary>
internal static class Program
{
    private const int HangSeconds = 10;

    private static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "afl")
        {
            Func<byte[], bool> target = Targets.Get(args[1]);
            SharpFuzz.Fuzzer.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                _ = target(buffer.ToArray());
            });
            return 0;
        }

        if (args.Length >= 5 && args[0] == "mutate")
        {
            int seed = args.Length >= 6 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : 20261201;
            return Mutate(args[1], long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3], args[4], seed);
        }

        if (args.Length >= 3 && args[0] == "replay")
        {
            return Replay(args[1], args[2..]);
        }

        Console.Error.WriteLine("usage: HardwareMaster.Fuzz afl PARSER | mutate PARSER COUNT CORPUS_DIR CRASH_DIR [SEED] | replay PARSER FILE...");
        Console.Error.WriteLine($"parsers: {string.Join(", ", Targets.Names)}");
        return 2;
    }

    private static int Replay(string parser, string[] files)
    {
        Func<byte[], bool> target = Targets.Get(parser);
        int crashes = 0;
        foreach (string file in files)
        {
            try
            {
                bool accepted = target(File.ReadAllBytes(file));
                Console.WriteLine($"{file}: ok ({(accepted ? "parsed" : "rejected with the documented exception")})");
            }
            catch (Exception ex)
            {
                crashes++;
                Console.WriteLine($"{file}: CRASH {ex}");
            }
        }

        return crashes == 0 ? 0 : 1;
    }

    private static int Mutate(string parser, long count, string corpusDir, string crashDir, int seed)
    {
        Func<byte[], bool> target = Targets.Get(parser);
        byte[][] corpus = Directory.GetFiles(corpusDir).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        if (corpus.Length == 0)
        {
            Console.Error.WriteLine($"{corpusDir}: no seed files");
            return 2;
        }

        var engine = new MutationEngine(seed);
        bool json = Targets.IsJson(parser);
        long done = 0;
        long crashes = 0;
        long accepted = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        byte[] current = [];
        var worker = new Thread(() =>
        {
            for (long i = 0; i < count; i++)
            {
                byte[] input = i < corpus.Length ? corpus[i] : engine.Mutate(corpus[i % corpus.Length], corpus, json);
                Volatile.Write(ref current, input);
                try
                {
                    if (target(input))
                    {
                        accepted++;
                    }
                }
                catch (Exception ex)
                {
                    crashes++;
                    string signature = ex.GetType().Name + " " + MutationPass.FirstOwnFrame(ex);
                    if (seen.Add(signature))
                    {
                        string saved = Save(crashDir, parser, "mutate", input);
                        Console.Error.WriteLine($"{parser}: crash #{crashes} at input {i} saved as {saved}: {ex.GetType().FullName}: {ex.Message}");
                        Console.Error.WriteLine(string.Join('\n', (ex.StackTrace ?? "").Split('\n').Take(4)));
                    }
                }

                Volatile.Write(ref done, i + 1);
            }
        })
        { IsBackground = true };

        var clock = Stopwatch.StartNew();
        worker.Start();
        long lastDone = -1;
        var lastProgress = Stopwatch.StartNew();
        while (!worker.Join(1000))
        {
            long now = Volatile.Read(ref done);
            if (now != lastDone)
            {
                lastDone = now;
                lastProgress.Restart();
            }
            else if (lastProgress.Elapsed.TotalSeconds > HangSeconds)
            {
                string saved = Save(crashDir, parser, "hang", Volatile.Read(ref current));
                Console.Error.WriteLine($"{parser}: input {now} ran {HangSeconds} s without finishing: saved as {saved}");
                Console.WriteLine($"{parser.ToUpperInvariant()}: {now + 1} inputs, {crashes} crashes, 1 hangs (mutation engine, seed {seed})");
                return 1;
            }
        }

        Console.WriteLine($"{parser.ToUpperInvariant()}: {done} inputs, {crashes} crashes, 0 hangs (mutation engine, seed {seed}, {accepted} accepted, {clock.Elapsed.TotalSeconds:0.0} s)");
        return crashes == 0 ? 0 : 1;
    }

    private static string Save(string crashDir, string parser, string kind, byte[] input)
    {
        string dir = Path.Combine(crashDir, parser);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, $"{kind}-{Convert.ToHexString(SHA1.HashData(input))[..16].ToLowerInvariant()}.bin");
        File.WriteAllBytes(path, input);
        return path;
    }
}
