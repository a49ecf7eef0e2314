using System.Text.Json;
using System.Text.Json.Serialization;
using HardwareMaster.App.Engine;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Host;

/// <summary>What <c>hardwaremaster run --stats-json FILE</c> writes on exit.</summary>
/// <param name="Device">Device spec.</param>
/// <param name="SampleRateHz">Rate the engine ran at.</param>
/// <param name="BlockFrames">Block size.</param>
/// <param name="FinalState">How the run ended (stopped, completed, faulted).</param>
/// <param name="AudioSeconds">Audio processed, seconds.</param>
/// <param name="Blocks">Blocks processed.</param>
/// <param name="Xruns">Device xruns over every device opened.</param>
/// <param name="DeadlineMisses">Blocks whose compute time exceeded the period (engine-caused).</param>
/// <param name="LateCallbacks">Callbacks more than two periods after the previous one (scheduler/device-caused).</param>
/// <param name="DeviceOpenFailures">Failed attempts to open the device.</param>
/// <param name="DeviceLosses">Times the running device was lost.</param>
/// <param name="DroppedMessages">Control messages dropped (ring full).</param>
/// <param name="NonFiniteSamples">NaN/Inf input samples replaced by silence.</param>
/// <param name="TimeToFirstBlockMs">From the start of the audio loop to the first processed block, ms.</param>
/// <param name="ComputePercent">Per-block compute time, % of the block period.</param>
/// <param name="Output">Loudness and peaks of the output.</param>
public sealed record RunStatistics(
    string Device,
    int SampleRateHz,
    int BlockFrames,
    string FinalState,
    double AudioSeconds,
    long Blocks,
    long Xruns,
    long DeadlineMisses,
    long LateCallbacks,
    int DeviceOpenFailures,
    int DeviceLosses,
    long DroppedMessages,
    long NonFiniteSamples,
    double? TimeToFirstBlockMs,
    ComputePercentiles ComputePercent,
    OutputMeters Output)
{
    /// <summary>Collects the statistics after the loop ended (the engine's meter is then free to read).</summary>
    /// <param name="supervisor">The finished loop.</param>
    /// <param name="finalState">Its final state.</param>
    /// <returns>The statistics.</returns>
    public static RunStatistics Collect(AudioSupervisor supervisor, SupervisorState finalState)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        AudioEngine engine = supervisor.Engine;
        EngineStatistics stats = engine.ReadStatistics();
        LoudnessReport? report = engine.GetOutputReport();
        return new RunStatistics(
            supervisor.Options.DeviceSpec,
            engine.SampleRateHz,
            engine.BlockFrames,
            finalState.ToString().ToLowerInvariant(),
            engine.SampleRateHz > 0 ? (double)stats.Frames / engine.SampleRateHz : 0,
            stats.Blocks,
            supervisor.XrunCount,
            stats.DeadlineMisses,
            stats.LateCallbacks,
            supervisor.OpenFailures,
            supervisor.DeviceLosses,
            stats.DroppedMessages,
            stats.NonFiniteSamples,
            supervisor.TimeToFirstBlock?.TotalMilliseconds,
            new ComputePercentiles(stats.ComputeTime.MinPercent, stats.ComputeTime.MedianPercent, stats.ComputeTime.P99Percent, stats.ComputeTime.MaxPercent),
            new OutputMeters(
                report?.IntegratedLufs,
                report?.LoudnessRangeLu,
                Finite(report?.TruePeakDbtp),
                Finite(report?.SamplePeakDbfs),
                report?.MaxMomentaryLufs,
                report?.MaxShortTermLufs));
    }

    /// <summary>The statistics as indented JSON (source-generated, AOT-safe).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, RunStatisticsJsonContext.Default.RunStatistics);

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}

/// <summary>Compute time percentiles, % of the block period.</summary>
/// <param name="Min">Fastest block.</param>
/// <param name="Median">50th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Slowest block.</param>
public sealed record ComputePercentiles(double Min, double Median, double P99, double Max);

/// <summary>Output meter summary (null where undefined: silence, too short).</summary>
/// <param name="IntegratedLufs">Integrated loudness.</param>
/// <param name="LoudnessRangeLu">Loudness range.</param>
/// <param name="TruePeakDbtp">True peak.</param>
/// <param name="SamplePeakDbfs">Sample peak.</param>
/// <param name="MaxMomentaryLufs">Highest momentary loudness.</param>
/// <param name="MaxShortTermLufs">Highest short-term loudness.</param>
public sealed record OutputMeters(double? IntegratedLufs, double? LoudnessRangeLu, double? TruePeakDbtp, double? SamplePeakDbfs, double? MaxMomentaryLufs, double? MaxShortTermLufs);

/// <summary>Source-generated JSON for <see cref="RunStatistics"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunStatistics))]
internal sealed partial class RunStatisticsJsonContext : JsonSerializerContext;
