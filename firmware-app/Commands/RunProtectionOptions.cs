using System.CommandLine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Host.Protection;

namespace HardwareMaster.App.Commands;

/// <summary>`run --latency-mode standard|studio|live` and `run --xrun-limit N` (issue 14, items 7 and 8).</summary>
internal static class RunProtectionOptions
{
    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The run verb.</param>
    /// <returns>The two options.</returns>
    public static (Option<string?> LatencyMode, Option<int?> XrunLimit) Add(Command command)
    {
        var latencyMode = new Option<string?>("--latency-mode") { Description = "standard (the preset's look-ahead), studio (5 ms look-ahead: best true peak and least distortion) or live (0.5 ms look-ahead, 32-frame blocks); switchable on the box's SYSTEM page." };
        var xrunLimit = new Option<int?>("--xrun-limit") { Description = "More xruns than this within a minute steps the engine to a bigger block, with a notice (default 8; 1..10000)." };
        command.Options.Add(latencyMode);
        command.Options.Add(xrunLimit);
        return (latencyMode, xrunLimit);
    }

    /// <summary>Applies the options to a request; a bad value is one line in <paramref name="problems"/> and a null request.</summary>
    /// <param name="request">The request built from the other options (null when they had problems).</param>
    /// <param name="latencyMode">The mode name, or null.</param>
    /// <param name="xrunLimit">The burst limit, or null.</param>
    /// <param name="problems">Problems so far; a new list when one is added.</param>
    /// <returns>The request, or null.</returns>
    public static RunRequest? Apply(RunRequest? request, string? latencyMode, int? xrunLimit, ref IReadOnlyList<string> problems)
    {
        var lines = new List<string>(problems);
        LatencyMode mode = LatencyMode.Standard;
        if (latencyMode is not null && !LatencyModes.TryParse(latencyMode, out mode))
        {
            lines.Add($"--latency-mode {latencyMode}: unknown mode (standard, studio or live)");
        }

        if (xrunLimit is < 1 or > 10000)
        {
            lines.Add($"--xrun-limit {xrunLimit}: must be 1..10000 xruns per minute");
        }

        if (lines.Count > problems.Count || request is null)
        {
            problems = lines;
            return null;
        }

        return request with
        {
            LatencyMode = mode,
            Protection = xrunLimit is { } limit ? new ProtectionOptions(XrunsPerMinute: limit) : request.Protection,
        };
    }
}
