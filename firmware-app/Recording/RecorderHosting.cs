using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Recording;

/// <summary>Starts the recorder of a <c>run</c> (kept out of <see cref="RunHost"/> so its wiring stays one line).</summary>
internal static class RecorderHosting
{
    /// <summary>Creates and starts the recorder when the request asks for one (repairing unfinished takes first).</summary>
    /// <returns>The running recorder, or <c>null</c>.</returns>
    public static Recorder? Start(RunRequest request, EngineController controller, AudioSupervisor supervisor, ILogger logger)
    {
        if (request.Record is not { } options)
        {
            return null;
        }

        int rate = request.Supervisor.Device.SampleRateHz;
        var recorder = new Recorder(options, controller.Engine, controller, () => request.Preset.Name, () => supervisor.XrunCount, logger, rate);
        recorder.Start();
        logger.LogInformation(
            "recorder: {Folder}, {Layout}, {Bits}, {Start}{Silence}",
            options.Directory,
            options.FourChannel ? "one 4-channel file per take" : "input + master files",
            options.Encoding == Hal.AudioFiles.SampleEncoding.Float32 ? "32-bit float" : "24-bit",
            options.AutoStart ? $"starts on signal above {options.SignalThresholdDbfs} dBFS" : "recording from the start",
            options.StopAfterSilenceSeconds > 0 ? $", stops after {options.StopAfterSilenceSeconds} s of silence" : string.Empty);
        return recorder;
    }
}
