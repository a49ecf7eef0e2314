using System.Reflection;
using HardwareMaster.App.Parameters;
using HardwareMaster.Hal.Json;

namespace HardwareMaster.App.Presets;

/// <summary>
/// The genre presets shipped inside the executable (embedded <c>presets/*.json</c>) plus, optionally,
/// user presets from a directory (<c>/var/lib/hardwaremaster/presets</c> on the box).
/// </summary>
public sealed class PresetLibrary
{
    private const string ResourcePrefix = "HardwareMaster.App.presets.";
    private readonly Dictionary<string, Preset> _factory = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Loads the factory presets; a broken embedded preset is a build defect and throws.</summary>
    public PresetLibrary(ParameterRegistry registry)
    {
        Registry = registry;
        Assembly assembly = typeof(PresetLibrary).Assembly;
        foreach (string resource in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            Preset preset = PresetSerializer.Parse(reader.ReadToEnd(), resource[ResourcePrefix.Length..], registry);
            _factory.Add(preset.Name, preset);
        }
    }

    /// <summary>The registry presets are validated against.</summary>
    public ParameterRegistry Registry { get; }

    /// <summary>The factory presets, by name in alphabetical order.</summary>
    public IReadOnlyList<Preset> Factory => _factory.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

    /// <summary>Finds a factory preset by name (case-insensitive).</summary>
    public bool TryGetFactory(string name, out Preset preset) => _factory.TryGetValue(name, out preset!);

    /// <summary>Loads a preset file; every problem is reported by <see cref="PresetException"/>.</summary>
    /// <remarks>
    /// Reads at most <see cref="BoundedFile.DefaultMaxBytes"/> (1 MiB) + 1 bytes and refuses anything that is not a
    /// regular file (a device such as <c>/dev/zero</c>, a FIFO, a directory) before opening it.
    /// </remarks>
    /// <exception cref="PresetException">Unreadable file, bad JSON, unknown keys or ids, wrong types or values out of range.</exception>
    public Preset LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(path);
        }
        catch (BoundedFileException e)
        {
            throw new PresetException(path.Length == 0 ? "(empty file name)" : path, [e.Problem]);
        }

        return PresetSerializer.Parse(bytes, path, Registry);
    }

    /// <summary>Saves a user preset atomically (temporary file, fsync, rename).</summary>
    public static void Save(string path, Preset preset) => AtomicFile.WriteAllText(path, PresetSerializer.Serialize(preset));
}
