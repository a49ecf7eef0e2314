using HardwareMaster.App.Engine;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Monitor;

/// <summary>The box's monitor path: always there with a box (the MONITOR page), carrying the stored correction EQ.</summary>
internal static class BoxMonitorHosting
{
    /// <summary>
    /// Wraps the engine's monitor path (the one <c>--monitor</c> attached) or attaches a new one on the device output
    /// (function off: the output stays the master until a function or a correction EQ is on; on a <c>file:</c> device a
    /// path that plays nowhere), and loads
    /// <c>STATE/monitor-eq.json</c> into it. Control thread, before the audio starts.
    /// </summary>
    /// <param name="engine">The engine.</param>
    /// <param name="stateDirectory">The box's state directory.</param>
    /// <param name="route">The route of a new path: <see cref="MonitorRoute.MainOutput"/> on a playback device,
    /// <see cref="MonitorRoute.None"/> on a <c>file:</c> device (its output is a render: the master, never the monitor).</param>
    /// <returns>The box's monitor.</returns>
    public static BoxMonitor Attach(AudioEngine engine, string stateDirectory, MonitorRoute route = MonitorRoute.MainOutput)
    {
        MonitorPath? path = engine.Monitor;
        if (path is null)
        {
            path = new MonitorPath(route);
            engine.AttachMonitor(path);
        }

        return new BoxMonitor(path, stateDirectory);
    }

    /// <summary>Logs what was loaded (or why not) once the logger exists.</summary>
    public static void LogCalibration(BoxMonitor? monitor, ILogger logger)
    {
        if (monitor is null)
        {
            return;
        }

        if (monitor.CalibrationProblem is { } problem)
        {
            logger.LogWarning("monitor EQ not loaded: {Problem} (the monitor plays without a correction; import again with hardwaremaster monitor-eq import)", problem);
        }
        else if (monitor.Calibration is { } calibration)
        {
            logger.LogInformation(
                "monitor EQ: {Count} filters from {Source}, imported {Date}{Due}{Output}",
                calibration.Filters.Count,
                calibration.Source,
                monitor.CalibrationDate,
                calibration.IsDue(DateTimeOffset.UtcNow) ? " (over a year ago: re-measure the room)" : string.Empty,
                !monitor.HasOutput ? " — a file device without --monitor-output: nothing plays it, --output stays the master"
                    : monitor.HasSeparateOutput ? string.Empty : " — a 2-output device: the output IS the monitor (OUT=MON), not the master");
        }
    }
}
