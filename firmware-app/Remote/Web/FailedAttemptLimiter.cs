using System.Net;

namespace HardwareMaster.App.Remote.Web;

/// <summary>
/// Counts failed pairing/authentication attempts per client address and refuses a client that failed
/// <see cref="MaxFailures"/> times within <see cref="Window"/> until the window has passed (HTTP 429). Bounded: at most
/// <see cref="MaxClients"/> addresses are tracked (the oldest is forgotten), so a flood cannot grow memory.
/// </summary>
/// <param name="time">The clock (tests pass a fake one).</param>
/// <param name="maxFailures">Failures allowed per window.</param>
/// <param name="window">The window.</param>
public sealed class FailedAttemptLimiter(TimeProvider time, int maxFailures = 5, TimeSpan? window = null)
{
    /// <summary>Addresses tracked at most.</summary>
    public const int MaxClients = 1024;

    private readonly Dictionary<IPAddress, Entry> _entries = [];
    private readonly Lock _gate = new();
    private long _failures;
    private long _refusals;

    /// <summary>Failures allowed per window.</summary>
    public int MaxFailures { get; } = maxFailures;

    /// <summary>The window.</summary>
    public TimeSpan Window { get; } = window ?? TimeSpan.FromMinutes(1);

    /// <summary>Failed attempts so far (any thread).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Requests refused with 429 so far (any thread).</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>Whether <paramref name="address"/> is locked out now (counted as a refusal when it is).</summary>
    /// <param name="address">The client.</param>
    /// <returns><c>true</c> when it must get 429.</returns>
    public bool IsLockedOut(IPAddress address)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(address, out Entry entry) && entry.Failures >= MaxFailures && time.GetUtcNow() - entry.Since < Window)
            {
                _refusals++;
                return true;
            }

            return false;
        }
    }

    /// <summary>Records a failed attempt by <paramref name="address"/>.</summary>
    /// <param name="address">The client.</param>
    /// <returns>Its failures in the current window.</returns>
    public int RecordFailure(IPAddress address)
    {
        lock (_gate)
        {
            _failures++;
            DateTimeOffset now = time.GetUtcNow();
            if (!_entries.TryGetValue(address, out Entry entry) || now - entry.Since >= Window)
            {
                entry = new Entry(now, 0);
                if (_entries.Count >= MaxClients)
                {
                    Forget(now);
                }
            }

            entry = entry with { Failures = entry.Failures + 1 };
            _entries[address] = entry;
            return entry.Failures;
        }
    }

    /// <summary>Forgets <paramref name="address"/>'s failures (after it paired).</summary>
    /// <param name="address">The client.</param>
    public void RecordSuccess(IPAddress address)
    {
        lock (_gate)
        {
            _entries.Remove(address);
        }
    }

    private void Forget(DateTimeOffset now)
    {
        IPAddress? oldest = null;
        DateTimeOffset oldestSince = DateTimeOffset.MaxValue;
        foreach ((IPAddress key, Entry value) in _entries)
        {
            if (now - value.Since >= Window)
            {
                _entries.Remove(key);
                continue;
            }

            if (value.Since < oldestSince)
            {
                oldestSince = value.Since;
                oldest = key;
            }
        }

        if (_entries.Count >= MaxClients && oldest is not null)
        {
            _entries.Remove(oldest);
        }
    }

    private readonly record struct Entry(DateTimeOffset Since, int Failures);
}
