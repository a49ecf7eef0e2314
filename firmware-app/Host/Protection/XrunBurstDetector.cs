namespace HardwareMaster.App.Host.Protection;

/// <summary>
/// Counts xruns over a sliding window (one minute by default) from the running total, polled about once a second,
/// and says when more than the limit happened in that window: an xrun <em>burst</em>, as opposed to the odd xrun a
/// box can live with. Pure: the caller passes the time, so tests inject xruns deterministically.
/// </summary>
/// <remarks>One thread (the protection poll). Allocation-free after construction.</remarks>
public sealed class XrunBurstDetector
{
    private readonly long[] _ticks;
    private readonly long[] _counts;
    private readonly long _windowTicks;
    private int _head;
    private int _length;
    private long _lastTotal = -1;
    private long _inWindow;

    /// <summary>Creates a detector.</summary>
    /// <param name="limit">More than this many xruns in <paramref name="window"/> is a burst (≥ 1).</param>
    /// <param name="window">The window (default one minute).</param>
    /// <param name="ticksPerSecond">Tick rate of the timestamps passed to <see cref="Update"/> (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="capacity">Polls kept (must cover the window at the poll rate; 256 = one minute at 4 Hz).</param>
    public XrunBurstDetector(int limit, TimeSpan? window = null, long ticksPerSecond = TimeSpan.TicksPerSecond, int capacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        Limit = limit;
        Window = window ?? TimeSpan.FromMinutes(1);
        _windowTicks = (long)(Window.TotalSeconds * ticksPerSecond);
        _ticks = new long[capacity];
        _counts = new long[capacity];
    }

    /// <summary>More than this many xruns in the window is a burst.</summary>
    public int Limit { get; }

    /// <summary>The sliding window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Xruns counted in the window at the last update.</summary>
    public long InWindow => _inWindow;

    /// <summary>Adds a reading of the running xrun total at <paramref name="nowTicks"/>.</summary>
    /// <param name="xrunTotal">Xruns since the start (never decreasing; a smaller value restarts the count).</param>
    /// <param name="nowTicks">The time of the reading.</param>
    /// <returns>True when the window now holds more than <see cref="Limit"/> xruns.</returns>
    public bool Update(long xrunTotal, long nowTicks)
    {
        long delta = _lastTotal < 0 || xrunTotal < _lastTotal ? 0 : xrunTotal - _lastTotal;
        _lastTotal = xrunTotal;
        while (_length > 0 && nowTicks - _ticks[_head] > _windowTicks)
        {
            _inWindow -= _counts[_head];
            _head = (_head + 1) % _ticks.Length;
            _length--;
        }

        if (delta > 0)
        {
            if (_length == _ticks.Length)
            {
                // Full (polled faster than the capacity covers): fold the oldest into the next one, keep the count.
                int next = (_head + 1) % _ticks.Length;
                _counts[next] += _counts[_head];
                _head = next;
                _length--;
            }

            int tail = (_head + _length) % _ticks.Length;
            _ticks[tail] = nowTicks;
            _counts[tail] = delta;
            _length++;
            _inWindow += delta;
        }

        return _inWindow > Limit;
    }

    /// <summary>Forgets the window (after a step to a safer setting, the next burst is counted afresh).</summary>
    public void Clear()
    {
        _head = 0;
        _length = 0;
        _inWindow = 0;
    }
}
