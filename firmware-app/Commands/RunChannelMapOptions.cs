using System.CommandLine;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Host;
using HardwareMaster.Hal.Audio;

namespace HardwareMaster.App.Commands;

/// <summary>
/// `run --channel-map "master=1,2 monitor=3,4"` (config key <c>channelMap</c>; issue 14, item 1): on an interface with
/// 4+ outputs the device opens that many channels, the master plays on its pair and the monitor path on the other.
/// </summary>
internal static class RunChannelMapOptions
{
    /// <summary>Adds the option to <paramref name="command"/>.</summary>
    /// <param name="command">The run verb.</param>
    /// <returns>The option.</returns>
    public static Option<string?> Add(Command command)
    {
        var map = new Option<string?>("--channel-map")
        {
            Description = "Output channels of a 4+-output interface, 1-based: \"master=1,2 monitor=3,4\" (optionally channels=N to open more). The master pair is never touched by the monitor path; without a monitor pair the device output plays the monitor while a function is on.",
        };
        command.Options.Add(map);
        return map;
    }

    /// <summary>Applies the option (or the config's <c>channelMap</c>); a bad value is one line in <paramref name="problems"/> and a null request.</summary>
    /// <param name="request">The request so far (null when earlier options had problems).</param>
    /// <param name="text">The option's value, or null.</param>
    /// <param name="configPath">The --config file, or null.</param>
    /// <param name="problems">Problems so far; a new list when one is added.</param>
    /// <returns>The request, or null.</returns>
    public static RunRequest? Apply(RunRequest? request, string? text, string? configPath, ref IReadOnlyList<string> problems)
    {
        string source = "--channel-map";
        if (text is null && configPath is not null && request is not null)
        {
            try
            {
                text = RunConfiguration.Load(configPath).ChannelMap; // checked by the load in RunCommand.Build
                source = configPath + ": channelMap";
            }
            catch (ConfigurationException)
            {
                // Already reported.
            }
        }

        if (text is null)
        {
            return request;
        }

        var lines = new List<string>(problems);
        if (!OutputChannelMap.TryParse(text, out OutputChannelMap? map, out string? problem))
        {
            lines.Add($"{source}: {problem}");
        }
        else if (request is not null && Check(request, map) is { } conflict)
        {
            lines.Add($"{source} {text}: {conflict}");
        }

        if (lines.Count > problems.Count || request is null)
        {
            problems = lines;
            return null;
        }

        return request with { Supervisor = request.Supervisor with { Device = request.Supervisor.Device with { OutputMap = map } } };
    }

    private static string? Check(RunRequest request, OutputChannelMap map)
    {
        string spec = request.Supervisor.DeviceSpec;
        if (spec.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && (map.HasMonitorPair || map != OutputChannelMap.Stereo))
        {
            return "a file: device writes a stereo master; write the monitor with --monitor-output file:PATH";
        }

        if (map.HasMonitorPair && request.Monitor?.OutputPath is not null)
        {
            return "the monitor pair and --monitor-output both take the monitor path; give one";
        }

        return null;
    }
}
