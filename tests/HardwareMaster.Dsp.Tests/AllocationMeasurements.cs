namespace HardwareMaster.Dsp.Tests;

/// <summary>
/// Tests that count allocated bytes run alone: another test's garbage collection can retire this thread's allocation
/// context and make the per-thread counter jump without any allocation here (seen once in a full parallel run).
/// </summary>
[CollectionDefinition(nameof(AllocationMeasurements), DisableParallelization = true)]
public sealed class AllocationMeasurements
{
}
