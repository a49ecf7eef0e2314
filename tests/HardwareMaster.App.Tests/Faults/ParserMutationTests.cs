using System.Text;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.App.Tests.Faults;

/// <summary>
/// A short, seeded (deterministic) mutation pass over the settings parsers: every mutated input either parses or
/// fails with the parser's own one-line exception; nothing else escapes (no InvalidOperationException, no
/// NullReferenceException, no stack trace for the user).
/// </summary>
public class ParserMutationTests
{
    private const int Mutations = 3000;

    private static readonly byte[][] Tokens =
    [
        "\\udc00"u8.ToArray(), "\\ud800"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(),
        "\""u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(), "null"u8.ToArray(), "true"u8.ToArray(), "1e999"u8.ToArray(),
        "-0"u8.ToArray(), "99999999999999999999"u8.ToArray(), "\"schema\":\"1\","u8.ToArray(), "\"paramters\":{},"u8.ToArray(),
        "//"u8.ToArray(), "/*"u8.ToArray(), [0xFF], [0xC3], [0x00], "\n"u8.ToArray(),
    ];

    [Fact]
    public void PresetParser_SeededMutationsOfEveryFactoryPreset_OnlyPresetException()
    {
        string directory = Path.Combine(RepoRoot(), "firmware-app", "presets");
        foreach (string file in Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            Fuzz(File.ReadAllBytes(file), 11, bytes => PresetSerializer.Parse(bytes, "m.json", ParameterRegistry.Chain), typeof(PresetException));
        }
    }

    [Fact]
    public void RunConfigurationParser_SeededMutations_OnlyConfigurationException()
    {
        byte[] seed = File.ReadAllBytes(Path.Combine(RepoRoot(), "deploy-pi", "config.json"));
        Fuzz(seed, 12, bytes => RunConfiguration.Parse(bytes, "m.json"), typeof(ConfigurationException));
    }

    [Fact]
    public void HardwareProfileParser_SeededMutations_OnlyHardwareProfileException()
    {
        byte[] seed = Encoding.UTF8.GetBytes(HardwareProfileLoader.ToJson(HardwareProfile.CreatePi4Or5Default()));
        Fuzz(seed, 13, bytes => HardwareProfileLoader.Parse(bytes, "m.json"), typeof(HardwareProfileException));
    }

    private static void Fuzz(byte[] seed, int randomSeed, Action<byte[]> parse, Type allowed)
    {
        var random = new Random(randomSeed);
        for (int i = 0; i < Mutations; i++)
        {
            byte[] input = Mutate(seed, random);
            try
            {
                parse(input);
            }
            catch (Exception e) when (e.GetType() == allowed)
            {
                // A configuration lists each problem as its own line; the others are one line in all.
                IEnumerable<string> lines = e is ConfigurationException c ? c.Problems : [e.Message];
                foreach (string line in lines)
                {
                    Assert.True(!line.Contains('\n') && line.StartsWith("m.json: ", StringComparison.Ordinal), $"mutation {i} (seed {randomSeed}): '{line}'\ninput (base64): {Convert.ToBase64String(input)}");
                }
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {i} (seed {randomSeed}) threw {e.GetType().Name}: {e.Message}\ninput (base64): {Convert.ToBase64String(input)}");
            }
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8)));
                    break;
                case 2:
                    bytes.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 3:
                    int length = Math.Min(bytes.Count - at, 1 + random.Next(40));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    const string Structural = "{}[]\",:0-.e\\";
                    bytes[at] = (byte)Structural[random.Next(Structural.Length)];
                    break;
            }
        }

        return bytes.ToArray();
    }

    private static string RepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "HardwareMaster.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("repository root not found");
    }
}
