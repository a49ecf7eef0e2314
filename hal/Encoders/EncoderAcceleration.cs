namespace HardwareMaster.Hal.Encoders;

/// <summary>
/// Turns detents that come quickly into bigger steps, so a fast spin crosses a wide range while
/// slow turning stays one step per detent.
/// </summary>
/// <remarks>
/// When a detent follows the previous one in the same direction within
/// <see cref="FastIntervalMs"/>, the step is multiplied by <c>round(FastIntervalMs / interval)</c>,
/// clamped to <see cref="MaxMultiplier"/> (40 ms → ×1, 20 ms → ×2, 10 ms → ×4, 5 ms → ×8).
/// A change of direction always gives ×1, so a reversal is never amplified. Pure; not thread-safe.
/// </remarks>
public sealed class EncoderAcceleration
{
    private readonly long _fastIntervalTicks;
    private long _lastTicks = long.MinValue;
    private int _lastDirection;

    /// <summary>Creates the acceleration stage.</summary>
    /// <param name="timestampFrequency">Ticks per second of the timestamps passed to <see cref="Apply"/>.</param>
    /// <param name="fastIntervalMs">Detents closer than this are accelerated (default 40 ms).</param>
    /// <param name="maxMultiplier">Largest step multiplier; 1 disables acceleration.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is not positive.</exception>
    public EncoderAcceleration(long timestampFrequency, double fastIntervalMs = 40, int maxMultiplier = 8)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        if (!(fastIntervalMs > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(fastIntervalMs), fastIntervalMs, "The fast interval must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMultiplier);
        FastIntervalMs = fastIntervalMs;
        MaxMultiplier = maxMultiplier;
        _fastIntervalTicks = (long)Math.Round(fastIntervalMs * timestampFrequency / 1000.0);
    }

    /// <summary>Detent interval below which acceleration starts.</summary>
    public double FastIntervalMs { get; }

    /// <summary>Largest multiplier.</summary>
    public int MaxMultiplier { get; }

    /// <summary>Scales one detent.</summary>
    /// <param name="direction">+1 or −1 (0 returns 0 and changes nothing).</param>
    /// <param name="nowTicks">Timestamp of the detent.</param>
    /// <returns>The signed, possibly multiplied step.</returns>
    public int Apply(int direction, long nowTicks)
    {
        if (direction == 0)
        {
            return 0;
        }

        int multiplier = 1;
        if (direction == _lastDirection && _lastTicks != long.MinValue && MaxMultiplier > 1)
        {
            long interval = Math.Max(1, nowTicks - _lastTicks);
            if (interval < _fastIntervalTicks)
            {
                long ratio = (_fastIntervalTicks + (interval / 2)) / interval;
                multiplier = (int)Math.Clamp(ratio, 1, MaxMultiplier);
            }
        }

        _lastDirection = direction;
        _lastTicks = nowTicks;
        return direction * multiplier;
    }

    /// <summary>Forgets the previous detent.</summary>
    public void Reset()
    {
        _lastTicks = long.MinValue;
        _lastDirection = 0;
    }
}
