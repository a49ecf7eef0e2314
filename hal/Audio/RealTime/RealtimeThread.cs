using System.Runtime.InteropServices;

namespace HardwareMaster.Hal.Audio.RealTime;

/// <summary>The outcome of a real-time request: success, or the errno and a warning that says how to fix it.</summary>
/// <param name="Succeeded">The request took effect.</param>
/// <param name="ErrorNumber">errno (or the pthread error number); 0 on success.</param>
/// <param name="Warning">One line for the log when it failed; <c>null</c> on success.</param>
public readonly record struct RealtimeResult(bool Succeeded, int ErrorNumber, string? Warning);

/// <summary>
/// SCHED_FIFO scheduling and memory locking through libc. Failures (EPERM for an unprivileged user, ENOMEM when
/// RLIMIT_MEMLOCK is small) are returned, never thrown: audio still runs with normal priority.
/// </summary>
/// <remarks>
/// Uses <c>pthread_setschedparam</c> consistently (glibc caches parameters per API; see PLATFORM-NOTES §6).
/// On the Pi, grant the rights with systemd's <c>LimitRTPRIO=95</c> and <c>LimitMEMLOCK=infinity</c>.
/// </remarks>
public static partial class RealtimeThread
{
    private const int SchedOther = 0;
    private const int SchedFifo = 1;
    private const int McCurrent = 1; // x86-64 and arm64 values
    private const int McFuture = 2;
    private const int Eperm = 1;
    private const int Enomem = 12;
    private const int Einval = 22;

    private static readonly Lock LockMemoryGate = new();
    private static RealtimeResult? _lockMemoryResult;

    /// <summary>Puts the calling thread in SCHED_FIFO at <paramref name="priority"/> (1–99).</summary>
    /// <param name="priority">The real-time priority.</param>
    /// <returns>Success, or the error and a warning naming the fix. Does not allocate on success.</returns>
    public static RealtimeResult TryPromoteCurrentThread(int priority)
    {
        SchedParam param = new() { Priority = priority };
        int error = PthreadSetSchedParam(PthreadSelf(), SchedFifo, ref param);
        if (error == 0)
        {
            return new RealtimeResult(true, 0, null);
        }

        string why = error switch
        {
            Eperm => "not permitted (EPERM); grant LimitRTPRIO=95 in the systemd unit, an rtprio limit in /etc/security/limits.d, or run as root",
            Einval => "invalid priority (EINVAL); use 1–99",
            _ => $"error {error}",
        };
        return new RealtimeResult(false, error, $"warning: audio thread could not get SCHED_FIFO priority {priority}: {why}; running with normal priority (expect xruns under load).");
    }

    /// <summary>Returns the calling thread to normal (SCHED_OTHER) scheduling.</summary>
    /// <returns>Success or the error.</returns>
    public static RealtimeResult RestoreNormalScheduling()
    {
        SchedParam param = new() { Priority = 0 };
        int error = PthreadSetSchedParam(PthreadSelf(), SchedOther, ref param);
        return error == 0 ? new RealtimeResult(true, 0, null) : new RealtimeResult(false, error, $"warning: could not restore normal scheduling: error {error}.");
    }

    /// <summary>Reads the calling thread's scheduling policy and priority.</summary>
    /// <param name="isFifo"><c>true</c> when the thread is SCHED_FIFO.</param>
    /// <param name="priority">The real-time priority (0 for normal threads).</param>
    /// <returns><c>false</c> when the query failed.</returns>
    public static bool TryGetCurrentThreadScheduling(out bool isFifo, out int priority)
    {
        int error = PthreadGetSchedParam(PthreadSelf(), out int policy, out SchedParam param);
        isFifo = error == 0 && policy == SchedFifo;
        priority = error == 0 ? param.Priority : 0;
        return error == 0;
    }

    /// <summary>
    /// Locks all current and future pages of the process in RAM (<c>mlockall(MCL_CURRENT|MCL_FUTURE)</c>), once per process;
    /// later calls return the first result.
    /// </summary>
    /// <returns>Success, or the errno and a warning naming the fix.</returns>
    public static RealtimeResult TryLockMemory()
    {
        lock (LockMemoryGate)
        {
            if (_lockMemoryResult is { } cached)
            {
                return cached;
            }

            RealtimeResult result;
            if (MLockAll(McCurrent | McFuture) == 0)
            {
                result = new RealtimeResult(true, 0, null);
            }
            else
            {
                int errno = Marshal.GetLastPInvokeError();
                string why = errno switch
                {
                    Enomem => "RLIMIT_MEMLOCK too small (ENOMEM); set LimitMEMLOCK=infinity in the systemd unit or a memlock limit in /etc/security/limits.d",
                    Eperm => "not permitted (EPERM); run with CAP_IPC_LOCK or as root",
                    _ => $"errno {errno}",
                };
                result = new RealtimeResult(false, errno, $"warning: could not lock memory (mlockall): {why}; page faults may cause xruns.");
            }

            _lockMemoryResult = result;
            return result;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [LibraryImport("libc", EntryPoint = "pthread_self")]
    private static partial nuint PthreadSelf();

    [LibraryImport("libc", EntryPoint = "pthread_setschedparam")]
    private static partial int PthreadSetSchedParam(nuint thread, int policy, ref SchedParam param);

    [LibraryImport("libc", EntryPoint = "pthread_getschedparam")]
    private static partial int PthreadGetSchedParam(nuint thread, out int policy, out SchedParam param);

    [LibraryImport("libc", EntryPoint = "mlockall", SetLastError = true)]
    private static partial int MLockAll(int flags);
}
