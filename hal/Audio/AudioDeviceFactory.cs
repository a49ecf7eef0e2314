using System.Collections.Concurrent;
using HardwareMaster.Hal.Audio.Alsa;
using HardwareMaster.Hal.Audio.Files;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.Audio.PortAudio;
using HardwareMaster.Hal.Audio.Simulation;

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
}
