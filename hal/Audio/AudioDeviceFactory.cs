using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using HardwareMaster.Hal.Audio.Alsa;
using HardwareMaster.Hal.Audio.FileDevice;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.Audio.PortAudio;
using HardwareMaster.Hal.Audio.SimulatedDevice;

namespace HardwareMaster.Hal.Audio;

/// <summary>Creates a device for <paramref name="spec"/> and <paramref name="options"/>.</summary>
/// <param name="spec">The part of the device spec after the scheme and colon.</param>
/// <param name="options">Options; <see cref="AudioDeviceOptions.Name"/> already holds <paramref name="spec"/>.</param>
/// <returns>A device that has not been started.</returns>
public delegate IAudioDevice AudioDeviceCreator(string spec, AudioDeviceOptions options);

/// <summary>
/// Turns a device spec into an <see cref="IAudioDevice"/>: <c>alsa:NAME</c>, <c>pa:NAME</c>, <c>gen:SIGNAL</c>,
/// <c>sim:NAME</c>, <c>file:PATH</c>, plus schemes registered by tests. A spec without a scheme is an ALSA name.
/// </summary>
public static class AudioDeviceFactory
{
    private static readonly ConcurrentDictionary<string, AudioDeviceCreator> Schemes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["alsa"] = static (spec, options) => new AlsaAudioDevice(options),
        ["pa"] = static (spec, options) => new PortAudioAudioDevice(options),
        ["gen"] = static (spec, options) => GeneratorAudioDevice.FromSpec(spec, options),
        ["sim"] = static (spec, options) => SimulatedAudioHardware.Get(spec).CreateDevice(options),
        ["file"] = static (spec, options) => new FileAudioDevice(spec, options),
    };

    private static readonly string[] BuiltInSchemes = ["alsa", "pa", "file", "gen", "sim"];

    /// <summary>The registered schemes.</summary>
    public static IReadOnlyCollection<string> RegisteredSchemes => [.. Schemes.Keys];

    /// <summary>Adds or replaces a scheme (e.g. a test device).</summary>
    /// <param name="scheme">The scheme without the colon.</param>
    /// <param name="creator">Creates the device.</param>
    public static void Register(string scheme, AudioDeviceCreator creator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        ArgumentNullException.ThrowIfNull(creator);
        Schemes[scheme] = creator;
    }

    /// <summary>
    /// Checks a device spec without opening anything, so a command can reject it up front instead of failing (or
    /// retrying) later: the scheme must be known, a generator must parse (<c>gen:bogus</c>), a simulated device must
    /// exist in this process (<c>sim:NAME</c> is made by tests), and an ALSA name (also a spec without a registered
    /// scheme, e.g. <c>xyz:foo</c>) must name a PCM defined in the ALSA configuration. A defined PCM whose card is
    /// missing (<c>hw:CARD=Codec</c> before the interface is plugged in) is valid: the service waits for it. PortAudio and
    /// file names are checked when opened (PortAudio lists devices only once initialised; files by the file device).
    /// </summary>
    /// <param name="spec">The device spec.</param>
    /// <param name="options">Stream options: the rate for generators, and <see cref="AudioDeviceOptions.InputName"/>/<see cref="AudioDeviceOptions.OutputName"/> overrides of an ALSA device.</param>
    /// <param name="problem">One line naming the spec and what is wrong, or <c>null</c>.</param>
    /// <returns><c>true</c> when the spec can be tried.</returns>
    public static bool TryValidate(string? spec, AudioDeviceOptions options, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        problem = null;
        if (string.IsNullOrWhiteSpace(spec))
        {
            problem = "the device spec is empty (use alsa:NAME, pa:NAME, file:PATH, gen:SIGNAL)";
            return false;
        }

        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon > 0 ? spec[..colon] : string.Empty;
        if (colon <= 0 || !Schemes.ContainsKey(scheme))
        {
            problem = ValidateAlsaNames(spec, spec, options, colon > 0 ? scheme : null);
            return problem is null;
        }

        string name = spec[(colon + 1)..];
        switch (scheme.ToLowerInvariant())
        {
            case "gen":
                try
                {
                    GeneratorAudioDevice.ParseSignal(name, options.SampleRateHz);
                }
                catch (ArgumentException ex)
                {
                    problem = $"device '{spec}': {ex.Message}";
                }

                break;
            case "sim":
                if (!SimulatedAudioHardware.Exists(name))
                {
                    problem = $"device '{spec}': no simulated device named '{name}' in this process (sim: devices are made by tests; use gen:silence or gen:demo instead)";
                }

                break;
            case "alsa":
                problem = ValidateAlsaNames(spec, name, options, null);
                break;
            default:
                if (name.Length == 0)
                {
                    problem = $"device '{spec}': the name after '{scheme}:' is empty";
                }

                break;
        }

        return problem is null;
    }

    /// <summary>Creates (but does not start) the device named by <paramref name="spec"/>.</summary>
    /// <param name="spec">E.g. <c>alsa:hw:CARD=Codec,DEV=0</c>, <c>alsa:plughw:1,0</c>, <c>pa:default</c>, <c>gen:demo</c>, <c>sim:usb</c>.</param>
    /// <param name="options">Stream options; its <see cref="AudioDeviceOptions.Name"/> is replaced by the spec's name.</param>
    /// <returns>The device.</returns>
    /// <exception cref="ArgumentException">The scheme is unknown or the spec is malformed.</exception>
    public static IAudioDevice Create(string spec, AudioDeviceOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        ArgumentNullException.ThrowIfNull(options);
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon > 0 ? spec[..colon] : string.Empty;
        if (colon <= 0 || !Schemes.TryGetValue(scheme, out AudioDeviceCreator? creator))
        {
            // ALSA names have colons of their own (hw:1,0): only a registered scheme counts as one.
            return new AlsaAudioDevice(options with { Name = spec });
        }

        string name = spec[(colon + 1)..];
        return creator(name, options with { Name = name });
    }

    private static string? ValidateAlsaNames(string spec, string name, AudioDeviceOptions options, string? unknownScheme)
    {
        foreach (string pcm in new[] { options.InputName ?? name, options.OutputName ?? name }.Distinct(StringComparer.Ordinal))
        {
            if (AlsaNative.IsPcmDefined(pcm) != false)
            {
                continue; // defined, or libasound is missing (the open then says so)
            }

            string baseName = AlsaNative.PcmBaseName(pcm);
            return unknownScheme is not null && pcm == name
                ? $"device '{spec}': '{unknownScheme}' is neither a device scheme ({string.Join(", ", BuiltInSchemes)}) nor an ALSA PCM defined in the ALSA configuration"
                : $"device '{spec}': unknown ALSA PCM '{baseName}' in '{pcm}' (not defined in the ALSA configuration; see `hardwaremaster devices`)";
        }

        return null;
    }
}
