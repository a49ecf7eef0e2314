namespace HardwareMaster.Hal.Display;

/// <summary>Settings of the OLED <see cref="ScreenSaver"/>.</summary>
/// <param name="IdleMs">Inactivity before the saver starts (default 2 minutes).</param>
/// <param name="DimContrast">Contrast while saving (lower ages the pixels less).</param>
/// <param name="ShiftIntervalMs">How often the picture moves to the next offset while saving.</param>
/// <param name="MaxShiftPixels">Largest offset from the home position, in pixels (0 disables shifting).</param>
public sealed record ScreenSaverOptions(double IdleMs = 120_000, byte DimContrast = 0x01, double ShiftIntervalMs = 20_000, int MaxShiftPixels = 2);

/// <summary>
/// Protects the OLED against burn-in: after a period without user activity it dims the panel and
/// moves the picture around a small orbit, so static meter scales do not wear the same pixels.
/// Any <see cref="NotifyActivity"/> restores full brightness and the home position.
/// </summary>
/// <remarks><see cref="NotifyActivity"/> may be called from any thread; <see cref="Evaluate"/> from the display thread.</remarks>
public sealed class ScreenSaver
{
    // Orbit of offsets (in units of MaxShiftPixels/2, rounded) visited in turn while saving.
    private static ReadOnlySpan<sbyte> OrbitX => [1, 2, 1, 0, -1, -2, -1, 0];

    private static ReadOnlySpan<sbyte> OrbitY => [0, 1, 2, 1, 0, -1, -2, -1];

    private readonly TimeProvider _time;
    private readonly long _idleTicks;
    private readonly long _shiftTicks;
    private long _lastActivityTicks;

    /// <summary>Creates the saver; the clock starts as "active now".</summary>
    /// <param name="time">Clock.</param>
    /// <param name="options">Timing and strength.</param>
    /// <exception cref="ArgumentOutOfRangeException">A time is not positive or the shift is negative.</exception>
    public ScreenSaver(TimeProvider time, ScreenSaverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        Options = options ?? new ScreenSaverOptions();
        if (!(Options.IdleMs > 0) || !(Options.ShiftIntervalMs > 0) || Options.MaxShiftPixels < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options, "Idle and shift times must be positive and the shift not negative.");
        }

        _time = time;
        _idleTicks = (long)(Options.IdleMs * time.TimestampFrequency / 1000.0);
        _shiftTicks = Math.Max(1, (long)(Options.ShiftIntervalMs * time.TimestampFrequency / 1000.0));
        _lastActivityTicks = time.GetTimestamp();
    }

    /// <summary>The settings.</summary>
    public ScreenSaverOptions Options { get; }

    /// <summary>Records user activity (a knob turn, a button, a new alert). Any thread.</summary>
    public void NotifyActivity() => Interlocked.Exchange(ref _lastActivityTicks, _time.GetTimestamp());

    /// <summary>Decides the current saver state.</summary>
    /// <param name="shiftX">Horizontal picture offset in pixels.</param>
    /// <param name="shiftY">Vertical picture offset in pixels.</param>
    /// <returns><c>true</c> while saving (dimmed).</returns>
    public bool Evaluate(out int shiftX, out int shiftY)
    {
        long idle = _time.GetTimestamp() - Interlocked.Read(ref _lastActivityTicks);
        if (idle < _idleTicks)
        {
            shiftX = 0;
            shiftY = 0;
            return false;
        }

        int step = (int)(((idle - _idleTicks) / _shiftTicks) % OrbitX.Length);
        int max = Options.MaxShiftPixels;
        shiftX = Math.Clamp((OrbitX[step] * max) / 2, -max, max);
        shiftY = Math.Clamp((OrbitY[step] * max) / 2, -max, max);
        return true;
    }
}
