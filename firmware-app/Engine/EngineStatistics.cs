namespace HardwareMaster.App.Engine;

/// <summary>Engine counters read by <see cref="AudioEngine.ReadStatistics"/>.</summary>
/// <param name="Blocks">Blocks processed.</param>
/// <param name="Frames">Frames processed.</param>
/// <param name="DeadlineMisses">Blocks whose wall-clock time exceeded the block period, by cause.</param>
/// <param name="LateCallbacks">Paced devices: callbacks that came more than two periods after the previous one (caused by the scheduler, the device or a garbage collection).</param>
/// <param name="LateCallbacksAfterGc">Of <paramref name="LateCallbacks"/>, those with a garbage collection since the previous block.</param>
/// <param name="DroppedMessages">Control messages dropped because the ring was full.</param>
/// <param name="NonFiniteSamples">NaN/Inf input samples the chain replaced by silence.</param>
/// <param name="ComputeTime">Per-block wall-clock time from the start to the end of <see cref="AudioEngine.ProcessBlock"/>, % of the period.</param>
/// <param name="ComputeCpuTime">Per-block CPU time of the audio thread in <see cref="AudioEngine.ProcessBlock"/>, % of the period (null where the thread CPU clock is missing).</param>
/// <param name="ClippedSamples">Output samples the 0 dBFS safety clipper limited to ±1.0 (only happens while the limiter or the global bypass lets overs through).</param>
public readonly record struct EngineStatistics(
    long Blocks,
    long Frames,
    DeadlineMisses DeadlineMisses,
    long LateCallbacks,
    long LateCallbacksAfterGc,
    long DroppedMessages,
    long NonFiniteSamples,
    ComputeTimeSummary ComputeTime,
    ComputeTimeSummary? ComputeCpuTime,
    long ClippedSamples = 0);
