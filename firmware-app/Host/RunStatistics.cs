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
/// <param name="DeadlineMisses">Blocks whose wall-clock time exceeded the period, by cause (only <c>computeOverruns</c> are the engine's doing).</param>
/// <param name="LateCallbacks">Callbacks more than two periods after the previous one (scheduler, device or garbage collection).</param>
/// <param name="LateCallbacksAfterGc">Of those, the ones with a garbage collection since the previous block.</param>
/// <param name="DeviceOpenFailures">Failed attempts to open the device.</param>
/// <param name="DeviceLosses">Times the running device was lost.</param>
/// <param name="DroppedMessages">Control messages dropped (ring full).</param>
/// <param name="NonFiniteSamples">NaN/Inf input samples replaced by silence.</param>
/// <param name="TimeToFirstBlockMs">From the start of the audio loop to the first processed block, ms.</param>
/// <param name="ComputePercent">Per-block wall-clock time in the engine, % of the block period.</param>
/// <param name="ComputeCpuPercent">Per-block CPU time of the audio thread in the engine, % of the block period (null where unmeasurable).</param>
/// <param name="SlowestBlocks">The slowest blocks (wall clock), slowest first, with when they happened (block index) and their CPU time.</param>
/// <param name="GarbageCollections">Garbage collections in the process while it ran (generation 0/1/2) and their total pause.</param>
/// <param name="Output">Loudness and peaks of the output.</param>
public sealed record RunStatistics(
    string Device,
    int SampleRateHz,
    int BlockFrames,
    string FinalState,
    double AudioSeconds,
    long Blocks,
    long Xruns,
    DeadlineMisses DeadlineMisses,
    long LateCallbacks,
    long LateCallbacksAfterGc,
    int DeviceOpenFailures,
    int DeviceLosses,
    long DroppedMessages,
    long NonFiniteSamples,
    double? TimeToFirstBlockMs,
    ComputePercentiles ComputePercent,
    ComputePercentiles? ComputeCpuPercent,
    IReadOnlyList<SlowBlock> SlowestBlocks,
    GarbageCollections GarbageCollections,
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
            stats.LateCallbacksAfterGc,
            supervisor.OpenFailures,
            supervisor.DeviceLosses,
            stats.DroppedMessages,
            stats.NonFiniteSamples,
            supervisor.TimeToFirstBlock?.TotalMilliseconds,
            ComputePercentiles.From(stats.ComputeTime),
            stats.ComputeCpuTime is { } cpu ? ComputePercentiles.From(cpu) : null,
            engine.ReadSlowestBlocks(),
            new GarbageCollections(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds),
            new OutputMeters(
                report?.IntegratedLufs,
                report?.LoudnessRangeLu,
                Finite(report?.TruePeakDbtp),
                Finite(report?.SamplePeakDbfs),
                report?.MaxMomentaryLufs,
                report?.MaxShortTermLufs))
        {
            ChainLatencyFrames = engine.LatencyFrames,
            DeviceLatencyFrames = supervisor.LastDeviceLatencyFrames,
        };
    }

    /// <summary>The chain's latency at the end, frames (the limiter's look-ahead and filters; the latency mode sets it).</summary>
    public int ChainLatencyFrames { get; init; }

    /// <summary>The round trip of the device that ran last, frames (ALSA: its primed buffer; file, generator, simulated: 0).</summary>
    public int DeviceLatencyFrames { get; init; }

    /// <summary>What the SYSTEM page shows as latency, frames: <see cref="ChainLatencyFrames"/> + <see cref="DeviceLatencyFrames"/>.</summary>
    public int LatencyFrames => ChainLatencyFrames + DeviceLatencyFrames;

    /// <summary>The final parameter values, id → value (<c>run --simulate</c>; null otherwise).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? Parameters { get; init; }

    /// <summary>The box's final UI state (<c>run --simulate</c>; null otherwise).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BoxUiStatistics? Ui { get; init; }

    /// <summary>The self-protecting engine and the latency mode (xrun bursts, steps, thermal warnings).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Protection.ProtectionStatistics? Protection { get; init; }

    /// <summary>The READY? page's verdicts over what the box heard (with the box's face; null otherwise).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Assistant.Ready.ReadyStatistics? Ready { get; init; }

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
public sealed record ComputePercentiles(double Min, double Median, double P99, double Max)
{
    /// <summary>Converts an engine summary.</summary>
    /// <param name="summary">The summary.</param>
    /// <returns>The percentiles.</returns>
    public static ComputePercentiles From(ComputeTimeSummary summary) => new(summary.MinPercent, summary.MedianPercent, summary.P99Percent, summary.MaxPercent);
}

/// <summary>Garbage collections of the process (cumulative since it started).</summary>
/// <param name="Gen0">Generation-0 collections (each also counts the higher generations collected with it).</param>
/// <param name="Gen1">Generation-1 collections.</param>
/// <param name="Gen2">Generation-2 collections.</param>
/// <param name="TotalPauseMs">Total time managed threads were paused by the collector, ms.</param>
public sealed record GarbageCollections(int Gen0, int Gen1, int Gen2, double TotalPauseMs);

/// <summary>Output meter summary (null where undefined: silence, too short).</summary>
/// <param name="IntegratedLufs">Integrated loudness.</param>
/// <param name="LoudnessRangeLu">Loudness range.</param>
/// <param name="TruePeakDbtp">True peak.</param>
/// <param name="SamplePeakDbfs">Sample peak.</param>
/// <param name="MaxMomentaryLufs">Highest momentary loudness.</param>
/// <param name="MaxShortTermLufs">Highest short-term loudness.</param>
public sealed record OutputMeters(double? IntegratedLufs, double? LoudnessRangeLu, double? TruePeakDbtp, double? SamplePeakDbfs, double? MaxMomentaryLufs, double? MaxShortTermLufs);

/// <summary>The box's UI at the end of a simulated run.</summary>
/// <param name="Page">The page shown.</param>
/// <param name="Leds">LED states by button name (bypass: global bypass in; eq, comp, limit: stage active).</param>
/// <param name="BypassMatchDb">The loudness-matched bypass gain of the last meter snapshot, dB (null when undefined).</param>
/// <param name="Frames">UI frames run.</param>
/// <param name="Gestures">Gestures handed to the face (keys and script).</param>
/// <param name="ScriptSteps">Script gestures played.</param>
/// <param name="ScreenChanges">Times the screen changed.</param>
/// <param name="DisplayFrames">Frames the OLED took.</param>
/// <param name="DisplayBytes">Bytes sent to the OLED over I²C (only what changed is sent).</param>
/// <param name="DisplayFailures">Presents that failed (I²C errors, a missing panel); audio is never affected.</param>
/// <param name="UiFailures">Exceptions from the face or a view, caught.</param>
/// <param name="Snapshots">PNGs written to <c>--snapshot-dir</c>.</param>
/// <param name="PagesVisited">The pages shown during the run, in the order first seen.</param>
public sealed record BoxUiStatistics(
    string Page,
    IReadOnlyDictionary<string, bool> Leds,
    [property: JsonPropertyName("bypass_match_db")] double? BypassMatchDb,
    long Frames,
    long Gestures,
    int ScriptSteps,
    long ScreenChanges,
    long DisplayFrames,
    long DisplayBytes,
    long DisplayFailures,
    long UiFailures,
    int Snapshots,
    IReadOnlyList<string> PagesVisited)
{
    /// <summary>The profile's I²C controls (expanders), or null without any (and without simulated controls).</summary>
    public BoxControlStatistics? Controls { get; init; }
}

/// <summary>The box's expander controls over a run.</summary>
/// <param name="ExpanderPolls">Expander port samples decoded (every expander, every read).</param>
/// <param name="InvalidTransitions">Quadrature transitions that skipped a state (a poll missed one), over every expander encoder.</param>
/// <param name="SimulatedGestures">With <c>--simulate --box</c>: gestures played on the simulated pins; else null.</param>
/// <param name="UnroutedGestures">With <c>--simulate --box</c>: gestures dropped because the profile has no control for them; else null.</param>
public sealed record BoxControlStatistics(long ExpanderPolls, long InvalidTransitions, long? SimulatedGestures, long? UnroutedGestures);

/// <summary>Source-generated JSON for <see cref="RunStatistics"/>.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunStatistics))]
internal sealed partial class RunStatisticsJsonContext : JsonSerializerContext;
