namespace HardwareMaster.Hal.Tests.AudioFiles;

/// <summary>
/// Measures bytes allocated by the current thread while running a body.
/// </summary>
/// <remarks>
/// A garbage collection triggered by tests running in parallel on other threads shifts the per-thread
/// counter by the unused part of this thread's allocation context (up to ~8 KB) even though nothing was
/// allocated. So the measurement is repeated until one attempt runs without a collection. A real per-call
/// allocation shows up in every attempt, so this cannot hide one.
/// </remarks>
internal static class AllocationProbe
{
    public static long BytesAllocated(Action body, int attempts = 8)
    {
        long smallest = long.MaxValue;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            int collections = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            body();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (GC.CollectionCount(0) == collections)
            {
                return allocated;
            }

            smallest = Math.Min(smallest, allocated);
        }

        return smallest;
    }
}
