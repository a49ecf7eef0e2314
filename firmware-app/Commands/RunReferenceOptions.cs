using System.CommandLine;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Host;
using HardwareMaster.App.Monitor;

namespace HardwareMaster.App.Commands;

/// <summary>`run --reference-dir DIR` (issue 14, item 3: reference A/B on the monitor path); config key <c>referenceDir</c>.</summary>
internal static class RunReferenceOptions
{
    /// <summary>Adds the option to <paramref name="command"/>.</summary>
    /// <param name="command">The run verb.</param>
    /// <returns>The option.</returns>
    public static Option<string?> Add(Command command)
    {
        var option = new Option<string?>("--reference-dir")
        {
            Description = "Reference A/B: play WAV/AIFF files from this folder on the monitor path, loudness-matched to the programme (REF button; ':' separates folders, '*' matches a mount point). --box defaults to a USB stick: " + ReferenceFolder.DefaultSpec + ".",
        };
        command.Options.Add(option);
        return option;
    }

    /// <summary>Applies the option (else the config's <c>referenceDir</c>, else the box's default for <c>--box</c>).</summary>
    /// <param name="request">The request so far (null when it had problems).</param>
    /// <param name="referenceDir">The option's value, or null.</param>
    /// <param name="configPath">The --config file, or null.</param>
    /// <returns>The request.</returns>
    public static RunRequest? Apply(RunRequest? request, string? referenceDir, string? configPath)
    {
        if (request is null)
        {
            return null;
        }

        if (referenceDir is null && configPath is not null)
        {
            try
            {
                referenceDir = RunConfiguration.Load(configPath).ReferenceDir; // checked by the load in RunCommand.Build
            }
            catch (ConfigurationException)
            {
                // Already reported.
            }
        }

        if (string.IsNullOrWhiteSpace(referenceDir))
        {
            referenceDir = request.Box?.Hardware is not null ? ReferenceFolder.DefaultSpec : null;
        }

        return referenceDir is null ? request : request with { ReferenceDir = referenceDir };
    }
}
