namespace HardwareMaster.App.Configuration;

/// <summary>
/// The one answer to "where do the user slots, the last state, the learned MIDI map and the pairing secret live",
/// used by <c>run</c> (the remote hub, the MIDI/OSC checks), <c>remote pair</c> and their checks, so the secret
/// <c>remote pair</c> prints is the one a run accepts: <c>--state-dir DIR</c>, else the config's <c>stateDir</c>, else
/// the default (<c>$STATE_DIRECTORY</c>, which systemd's <c>StateDirectory=hardwaremaster</c> exports, else
/// <see cref="PresetResolver.DefaultStateDirectory"/>).
/// </summary>
/// <remarks>
/// A <c>run --simulate</c> without either keeps the simulated box's presets in a temporary folder (discarded), but its
/// remote paths still use the default here: a secret must outlive the run.
/// </remarks>
internal static class StateDirectoryResolver
{
    /// <summary>The configuration <c>remote pair</c> reads when no <c>--config</c> is given and the file exists (the shipped unit's).</summary>
    public const string DefaultConfigPath = "/etc/hardwaremaster/config.json";

    /// <summary>The default state directory: <c>$STATE_DIRECTORY</c> when set (systemd), else /var/lib/hardwaremaster.</summary>
    public static string Default =>
        Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } fromSystemd && !fromSystemd.Contains(':', StringComparison.Ordinal)
            ? fromSystemd
            : PresetResolver.DefaultStateDirectory;

    /// <summary>The state directory: <paramref name="commandLine"/> &gt; the config's <c>stateDir</c> &gt; <see cref="Default"/>.</summary>
    /// <param name="commandLine"><c>--state-dir</c>, or null.</param>
    /// <param name="config">The run's configuration, or null.</param>
    /// <returns>The folder.</returns>
    public static string Resolve(string? commandLine, RunConfiguration? config) => commandLine ?? config?.StateDirectory ?? Default;
}
