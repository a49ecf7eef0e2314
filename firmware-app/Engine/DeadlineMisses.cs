namespace HardwareMaster.App.Engine;

/// <summary>
/// Blocks that took longer than their period, wall clock, split by cause. Only <paramref name="ComputeOverruns"/> are the
/// engine's doing; the others are time the audio thread was not running.
/// </summary>
/// <param name="Total">All blocks over their period.</param>
/// <param name="ComputeOverruns">The engine used more CPU time than the period (where the CPU clock is missing every miss counts here).</param>
/// <param name="GarbageCollection">CPU time within the period and a garbage collection stopped the thread during the block.</param>
/// <param name="Preemption">CPU time within the period and no garbage collection: the thread was preempted (scheduler, interrupts, hypervisor).</param>
public readonly record struct DeadlineMisses(long Total, long ComputeOverruns, long GarbageCollection, long Preemption);
