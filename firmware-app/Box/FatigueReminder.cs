using HardwareMaster.App.Engine;
using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Box;

/// <summary>
/// The ear-fatigue reminder: after <see cref="Interval"/> of listening (45 minutes by default) it is due until
/// acknowledged, because tired ears push the top end. Only time with signal counts: a frame counts when the output's
/// momentary loudness is at or above <see cref="SignalThresholdLufs"/>.
/// </summary>
/// <remarks>
/// UI/control thread only; <see cref="Update"/> allocates nothing. Time comes from the injected
/// <see cref="TimeProvider"/>; a frame interval longer than <see cref="MaxFrameInterval"/> (a stalled loop, a
/// suspended machine) counts as that much, so a gap is never mistaken for listening.
/// </remarks>
public sealed class FatigueReminder : IFatigueReminder
{
    /// <summary>The default listening time before a break, 45 minutes.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(45);

    /// <summary>The longest interval between two <see cref="Update"/> calls that is counted in full (2 s).</summary>
    public static readonly TimeSpan MaxFrameInterval = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time;
    private long _lastTimestamp;
    private long _listenedTicks;
    private TimeSpan _interval;

    /// <summary>Creates the reminder.</summary>
    /// <param name="time">The clock (<see cref="TimeProvider.System"/> when null).</param>
    /// <param name="interval">Listening time before the reminder; <see cref="TimeSpan.Zero"/> turns it off; <see cref="DefaultInterval"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative interval.</exception>
    public FatigueReminder(TimeProvider? time = null, TimeSpan? interval = null)
    {
        _time = time ?? TimeProvider.System;
        Interval = interval ?? DefaultInterval;
        _lastTimestamp = _time.GetTimestamp();
    }

    /// <summary>Listening time before the reminder is due; <see cref="TimeSpan.Zero"/> = off (never due).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative interval.</exception>
    public TimeSpan Interval
    {
        get => _interval;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _interval = value;
        }
    }

    /// <summary>True when the reminder is off.</summary>
    public bool IsOff => _interval == TimeSpan.Zero;

    /// <summary>Output momentary loudness at or above which a frame counts as listening, LUFS (default −60).</summary>
    public double SignalThresholdLufs { get; init; } = -60.0;

    /// <inheritdoc />
    public bool IsDue => !IsOff && _listenedTicks >= _interval.Ticks;

    /// <inheritdoc />
    public TimeSpan Listened => TimeSpan.FromTicks(_listenedTicks);

    /// <summary>Listening time left before the reminder (zero when due or off).</summary>
    public TimeSpan Remaining => IsOff || IsDue ? TimeSpan.Zero : TimeSpan.FromTicks(_interval.Ticks - _listenedTicks);

    /// <inheritdoc />
    public void Acknowledge()
    {
        _listenedTicks = 0;
        _lastTimestamp = _time.GetTimestamp();
    }

    /// <inheritdoc />
    public void Update(in MeterSnapshot meters)
    {
        long now = _time.GetTimestamp();
        TimeSpan elapsed = _time.GetElapsedTime(_lastTimestamp, now);
        _lastTimestamp = now;
        if (elapsed <= TimeSpan.Zero || !(meters.MomentaryLufs >= SignalThresholdLufs))
        {
            return;
        }

        _listenedTicks += Math.Min(elapsed.Ticks, MaxFrameInterval.Ticks);
    }
}
