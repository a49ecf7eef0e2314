using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.Dsp.Monitor;
using HardwareMaster.Hal.AudioFiles;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Monitor;

/// <summary>`run --monitor FUNCTION` / `--monitor-output file:PATH` (config key <c>monitor</c>), as resolved by <c>run</c>.</summary>
/// <param name="Function">The monitor function to start with.</param>
/// <param name="OutputPath">The monitor file, or null (then the device output plays the monitor while a function is on).</param>
public sealed record MonitorRequest(MonitorFunction Function, string? OutputPath);

/// <summary>Attaches the monitor path of a run and finishes its file (the two hooks of <see cref="RunHost"/>).</summary>
internal static class MonitorHosting
{
    /// <summary>Longest ring, seconds (a file run is unpaced: the ring holds the whole input up to this).</summary>
    private const double MaxRingSeconds = 60;

    /// <summary>True when the run's device is <c>file:</c>: its <c>--output</c> is a render (the master) and never carries the monitor.</summary>
    /// <param name="request">The run.</param>
    /// <returns>Whether the device is a file.</returns>
    public static bool IsFileDevice(RunRequest request) =>
        request.Supervisor.DeviceSpec.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The route of a path the run attaches without a monitor file or pair: <see cref="MonitorRoute.MainOutput"/> on a
    /// playback device (a 2-output interface: OUT=MON), <see cref="MonitorRoute.None"/> on a <c>file:</c> device (its
    /// output is the master).
    /// </summary>
    /// <param name="request">The run.</param>
    /// <returns>The route.</returns>
    public static MonitorRoute DefaultRoute(RunRequest request) => IsFileDevice(request) ? MonitorRoute.None : MonitorRoute.MainOutput;

    /// <summary>Attaches the path to <paramref name="engine"/> when the request asks for one. Control thread, before the audio starts.</summary>
    /// <param name="request">The run.</param>
    /// <param name="engine">The engine.</param>
    /// <param name="problem">Why the monitor file cannot be created (one line), or null.</param>
    /// <returns>The monitor file, or null.</returns>
    public static MonitorFileSink? Attach(RunRequest request, AudioEngine engine, out string? problem)
    {
        problem = null;
        if (request.Supervisor.Device.OutputMap is { HasMonitorPair: true })
        {
            // A 4+-output interface: the monitor path plays on its own pair (off = the master there too).
            engine.AttachMonitor(new MonitorPath(MonitorRoute.Sink, new DevicePairMonitorSink()) { Function = request.Monitor?.Function ?? MonitorFunction.Off });
            return null;
        }

        if (request.Monitor is not { } monitor)
        {
            return null;
        }

        if (monitor.OutputPath is null && monitor.Function != MonitorFunction.Off && IsFileDevice(request))
        {
            problem = $"--monitor {monitor.Function.ToString().ToLowerInvariant()}: a file: device's --output is the master and never carries the monitor; add --monitor-output file:PATH";
            return null;
        }

        MonitorFileSink? sink = null;
        if (monitor.OutputPath is { } path)
        {
            string spec = request.Supervisor.DeviceSpec;
            int rate = request.Supervisor.Device.SampleRateHz;
            bool isFile = IsFileDevice(request);
            long? maxFrames = request.Supervisor.MaxFrames;
            double seconds = 4;
            if (isFile)
            {
                try
                {
                    using AudioFileReader reader = AudioFileReader.Open(spec[5..]);
                    maxFrames = Math.Min(reader.Format.LengthFrames, maxFrames ?? long.MaxValue); // as long as --output
                    seconds = Math.Clamp((double)reader.Format.LengthFrames / rate + 1, 4, MaxRingSeconds);
                }
                catch (AudioFileException)
                {
                    // The device reports it.
                }
            }

            try
            {
                sink = MonitorFileSink.Create(path, rate, seconds, isFile ? () => engine.LatencyFrames : null, maxFrames);
            }
            catch (AudioFileException ex)
            {
                problem = "--monitor-output " + ex.Message;
                return null;
            }
        }

        engine.AttachMonitor(new MonitorPath(sink is null ? DefaultRoute(request) : MonitorRoute.Sink, sink) { Function = monitor.Function });
        return sink;
    }

    /// <summary>Commits the monitor file when the run ended cleanly (<paramref name="exitCode"/> 0), else discards it. After the audio stopped.</summary>
    /// <param name="sink">The file, or null.</param>
    /// <param name="exitCode">The run's exit code so far.</param>
    /// <param name="logger">For the dropped-frames warning.</param>
    /// <returns>The exit code (1 when a clean run could not write the file).</returns>
    public static int Finish(MonitorFileSink? sink, int exitCode, ILogger logger)
    {
        if (sink is null)
        {
            return exitCode;
        }

        if (sink.DroppedFrames > 0)
        {
            logger.LogWarning("monitor file {Path}: {Dropped} frames dropped (ring of {Capacity} frames full; silence in their place)", sink.Path, sink.DroppedFrames, sink.CapacityFrames);
        }

        if (sink.Finish(commit: exitCode == 0) is { } problem)
        {
            Cli.Error(problem);
            return exitCode == 0 ? 1 : exitCode;
        }

        return exitCode;
    }
}
