namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when told to, so tests never sleep and the
/// desktop simulator can run controls in "virtual time". Timestamps are in 100 ns ticks.
/// </summary>
/// <remarks>
/// Thread-safe for reading. Timers created through <see cref="TimeProvider.CreateTimer"/> are
/// not virtualised (the base implementation runs on real time); the HAL bindings do not use timers.
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    /// <summary>Ticks per second of <see cref="GetTimestamp"/> (10 MHz, i.e. 100 ns ticks).</summary>
    public const long Frequency = 10_000_000;

    private long _ticks;
    private readonly DateTimeOffset _epoch;

    /// <summary>Creates the clock at timestamp 0.</summary>
    /// <param name="startUtc">Wall-clock time at timestamp 0 (default 2026-01-01 UTC).</param>
    public ManualTimeProvider(DateTimeOffset? startUtc = null)
    {
        _epoch = startUtc ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <inheritdoc/>
    public override long TimestampFrequency => Frequency;

    /// <inheritdoc/>
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => _epoch.AddTicks(Interlocked.Read(ref _ticks));

    /// <summary>Moves the clock forward.</summary>
    /// <param name="delta">How far; must not be negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Time cannot go backwards.");
        }

        Interlocked.Add(ref _ticks, delta.Ticks);
    }

    /// <summary>Moves the clock forward by <paramref name="milliseconds"/>.</summary>
    /// <param name="milliseconds">How far, in milliseconds (fractions allowed).</param>
    public void AdvanceMs(double milliseconds) => Advance(TimeSpan.FromTicks((long)Math.Round(milliseconds * 10_000)));
}
