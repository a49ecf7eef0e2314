using System.Runtime.InteropServices;

namespace HardwareMaster.App.Engine;

/// <summary>
/// CPU time consumed by the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>), so the engine can tell a
/// block that computed for too long from a block whose thread was not running (preempted by the scheduler or the hypervisor,
/// stopped by a garbage collection). Wall time minus CPU time is the time the thread waited.
/// </summary>
/// <remarks>
/// The thread CPU clock is not served by the vDSO: each reading is a system call (≈ 0.5 µs measured on the 2-core VM, i.e.
/// ≈ 0.08 % of a 64-frame period at 48 kHz for the two readings per block). With paravirtual steal-time accounting
/// (CONFIG_PARAVIRT_TIME_ACCOUNTING, on KVM/Firecracker guests) time stolen by the host is not counted as CPU time.
/// Where the clock is missing (not Linux) <see cref="IsAvailable"/> is <c>false</c> and readings are 0.
/// </remarks>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3; // Linux <time.h>
    private const int RusageThread = 1; // Linux <sys/resource.h>

    /// <summary><c>true</c> when the thread CPU clock can be read on this system.</summary>
    public static bool IsAvailable { get; } = Probe();

    /// <summary>CPU time of the calling thread, ns (0 when <see cref="IsAvailable"/> is <c>false</c>). Allocation-free.</summary>
    /// <returns>Nanoseconds of CPU time since the thread started.</returns>
    public static long NowNanoseconds()
    {
        if (!IsAvailable || ClockGetTime(ClockThreadCpuTimeId, out Timespec time) != 0)
        {
            return 0;
        }

        return ((long)time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    /// <summary>
    /// Minor page faults and involuntary context switches of the calling thread so far (<c>getrusage(RUSAGE_THREAD)</c>,
    /// one system call, no allocation). Both 0 where unavailable.
    /// </summary>
    /// <param name="minorFaults">Page faults served without I/O (first touch of memory, copy-on-write…).</param>
    /// <param name="involuntarySwitches">Times the thread was switched out while runnable.</param>
    public static void ReadUsage(out long minorFaults, out long involuntarySwitches)
    {
        minorFaults = 0;
        involuntarySwitches = 0;
        if (IsAvailable && GetRusage(RusageThread, out Rusage usage) == 0)
        {
            minorFaults = usage.MinorFaults;
            involuntarySwitches = usage.InvoluntarySwitches;
        }
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out Timespec time);

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out Rusage usage);

    // struct rusage (Linux, LP64): two struct timeval, then 14 longs; only the fields read here are named.
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public nint UserSeconds;
        public nint UserMicroseconds;
        public nint SystemSeconds;
        public nint SystemMicroseconds;
        public nint MaxRss;
        public nint SharedMemory;
        public nint UnsharedData;
        public nint UnsharedStack;
        public nint MinorFaults;
        public nint MajorFaults;
        public nint Swaps;
        public nint BlockInputs;
        public nint BlockOutputs;
        public nint MessagesSent;
        public nint MessagesReceived;
        public nint Signals;
        public nint VoluntarySwitches;
        public nint InvoluntarySwitches;
    }

    // struct timespec { time_t tv_sec; long tv_nsec; }: two native words on LP64 (arm64, x86-64) and on 32-bit ABIs with 32-bit time_t.
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }
}
