using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;

namespace HardwareMaster.App.Configuration;

/// <summary>Finds the preset the configuration names: a factory preset, a preset file, or a user preset in the state directory.</summary>
public static class PresetResolver
{
    /// <summary>Default state directory on the box (<c>StateDirectory=hardwaremaster</c>).</summary>
    public const string DefaultStateDirectory = "/var/lib/hardwaremaster";

    /// <summary>Resolves <paramref name="name"/>.</summary>
    /// <param name="name">Factory name, path to a <c>.json</c> file, or the name of <c>STATE/presets/NAME.json</c>; <c>null</c> = defaults.</param>
    /// <param name="stateDirectory">Where user presets live (<c>$STATE_DIRECTORY</c> or /var/lib/hardwaremaster).</param>
    /// <returns>The preset.</returns>
    /// <exception cref="ConfigurationException">Not found, or the file has problems (all in one line, as <c>render --preset-file</c> reports them).</exception>
    public static Preset Resolve(string? name, string? stateDirectory = null)
    {
        var library = new PresetLibrary(ParameterRegistry.Chain);
        if (string.IsNullOrWhiteSpace(name))
        {
            return new Preset("defaults", "Registry defaults", new ParameterSet(ParameterRegistry.Chain));
        }

        if (library.TryGetFactory(name, out Preset factory))
        {
            return factory;
        }

        string state = stateDirectory ?? Environment.GetEnvironmentVariable("STATE_DIRECTORY") ?? DefaultStateDirectory;
        string userPath = Path.Combine(state, "presets", name + ".json");
        string? path = File.Exists(name) ? name : File.Exists(userPath) ? userPath : null;
        if (path is null)
        {
            string names = string.Join(", ", library.Factory.Select(p => p.Name));
            throw new ConfigurationException([$"preset '{name}' not found: not a factory preset ({names}), not a file, not in {Path.Combine(state, "presets")}"]);
        }

        try
        {
            return library.LoadFile(path);
        }
        catch (PresetException ex)
        {
            throw new ConfigurationException([ex.Message]);
        }
    }
}
