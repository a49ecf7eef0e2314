namespace HardwareMaster.Hal.Tests.AudioFiles;

/// <summary>
/// Measures bytes allocated by the current thread while running a body (after one unmeasured run).
/// </summary>
/// <remarks>
/// The per-thread counter can jump by the unused rest of the thread's allocation context (up to ~8 KB)
/// when the runtime retires that context without this thread allocating anything: during a garbage
/// collection started by another thread, or a runtime suspension (tiered-compilation stub clean-up).
/// Seen here as rare one-off readings of 7632–7696 bytes. So the body is measured several times and the
/// smallest reading is returned. A real allocation in the body happens on every run and still shows in
/// the minimum, so this cannot hide one.
/// </remarks>
internal static class AllocationProbe
{
    /// <summary>The smallest number of bytes <paramref name="body"/> allocated over <paramref name="attempts"/> runs.</summary>
    public static long SmallestBytesAllocated(Action body, int attempts = 4)
    {
        body(); // the body itself (a lambda) is compiled on first call; keep that out of the measurement
        long smallest = long.MaxValue;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            body();
            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return smallest;
    }
}

/// <summary>Allocation measurements run alone, so other tests' garbage collections do not disturb them.</summary>
[CollectionDefinition(nameof(AllocationMeasurements), DisableParallelization = true)]
public sealed class AllocationMeasurements
{
}
