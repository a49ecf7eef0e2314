using System.CommandLine;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Host;
using HardwareMaster.App.Monitor;
using HardwareMaster.Dsp.Monitor;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Commands;

/// <summary>`run --monitor FUNCTION` and `run --monitor-output file:PATH` (issue 14, item 1); config key <c>monitor</c>.</summary>
internal static class RunMonitorOptions
{
    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    /// <param name="command">The run verb.</param>
    /// <returns>The two options.</returns>
    public static (Option<string?> Monitor, Option<string?> MonitorOutput) Add(Command command)
    {
        var monitor = new Option<string?>("--monitor") { Description = "Start with this monitor function on: mono, side, phone, earbuds, car or delta (off: none). Without --monitor-output the device output plays it (the master still goes to the recorder)." };
        var monitorOutput = new Option<string?>("--monitor-output") { Description = "Write the monitor path to file:PATH (WAV/RF64/AIFF, 32-bit float) while the master goes to --output; committed when the run ends cleanly." };
        command.Options.Add(monitor);
        command.Options.Add(monitorOutput);
        return (monitor, monitorOutput);
    }

    /// <summary>Applies the options to a request; a bad value is one line in <paramref name="problems"/> and a null request.</summary>
    /// <param name="request">The request built from the other options (null when they had problems).</param>
    /// <param name="monitor">The function name, or null (then the config's <c>monitor</c>).</param>
    /// <param name="monitorOutput">file:PATH, or null.</param>
    /// <param name="configPath">The --config file, or null.</param>
    /// <param name="problems">Problems so far; a new list when one is added.</param>
    /// <returns>The request, or null.</returns>
    public static RunRequest? Apply(RunRequest? request, string? monitor, string? monitorOutput, string? configPath, ref IReadOnlyList<string> problems)
    {
        var lines = new List<string>(problems);
        if (monitor is null && configPath is not null && request is not null)
        {
            try
            {
                monitor = RunConfiguration.Load(configPath).Monitor; // checked by the load in RunCommand.Build
            }
            catch (ConfigurationException)
            {
                // Already reported.
            }
        }

        MonitorFunction function = MonitorFunction.Off;
        if (monitor is not null && !MonitorFunctionNames.TryParse(monitor, out function))
        {
            lines.Add($"--monitor {monitor}: unknown monitor function ({Choices})");
        }

        string? path = null;
        if (monitorOutput is not null)
        {
            if (!monitorOutput.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || monitorOutput.Length == 5)
            {
                lines.Add($"--monitor-output {monitorOutput}: give file:PATH (a separate monitor pair on the interface: --channel-map master=1,2 monitor=3,4)");
            }
            else if (request is not null)
            {
                path = monitorOutput[5..];
                if (CheckPath(request, path) is { } problem)
                {
                    lines.Add($"--monitor-output {path}: {problem}");
                }
            }
        }

        if (lines.Count > problems.Count || request is null)
        {
            problems = lines;
            return null;
        }

        return monitor is null && path is null ? request : request with { Monitor = new MonitorRequest(function, path) };
    }

    /// <summary>The CLI names, as the error lists them.</summary>
    internal static string Choices => "mono, side, phone, earbuds, car, delta or off";

    private static string? CheckPath(RunRequest request, string path)
    {
        string spec = request.Supervisor.DeviceSpec;
        string? input = spec.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? spec[5..] : null;
        string? output = input is null ? null : request.Supervisor.Device.OutputName;
        if (output is not null && OutputFile.NameTheSameFile(path, output))
        {
            return "is the master output (--output); give the monitor its own file";
        }

        if (request.StatsJsonPath is { } stats && OutputFile.NameTheSameFile(path, stats))
        {
            return "is the statistics file (--stats-json); give the monitor its own file";
        }

        if (AudioContainers.CheckOutput(path, out OutputMode mode, input) is string problem)
        {
            return problem;
        }

        try
        {
            AudioContainers.ForOutput(path, mode);
        }
        catch (AudioFileException ex)
        {
            return ex.Message.Replace(path + ": ", string.Empty, StringComparison.Ordinal);
        }

        return null;
    }
}
