namespace HardwareMaster.App.Host.Protection;

/// <summary>How the self-protecting engine reacts (run options and the configuration file).</summary>
/// <param name="XrunsPerMinute">More xruns than this within a minute is a burst: step to a bigger block (`run --xrun-limit N`).</param>
/// <param name="MaxBlockFrames">The biggest block it steps to (frames).</param>
/// <param name="WarnTemperatureC">CPU temperature that raises the thermal warning, °C (a Pi 4/5 starts throttling at 80 °C, hard at 85 °C).</param>
/// <param name="ThrottleTemperatureC">Where the Pi's firmware throttles, °C (shown as the limit in the warning).</param>
/// <param name="ThermalRoot">The thermal class folder (tests pass a fake one).</param>
public sealed record ProtectionOptions(
    int XrunsPerMinute = 8,
    int MaxBlockFrames = 1024,
    double WarnTemperatureC = 75,
    double ThrottleTemperatureC = 80,
    string ThermalRoot = CpuThermometer.DefaultRoot)
{
    /// <summary>Temperature drop below the warning before it clears, °C (no flicker around the threshold).</summary>
    public const double HysteresisC = 3;
}

/// <summary>Where the CPU temperature stands.</summary>
public enum ThermalState
{
    /// <summary>Below the warning (or unknown).</summary>
    Normal,

    /// <summary>At or above <see cref="ProtectionOptions.WarnTemperatureC"/>: throttling is near.</summary>
    Warm,

    /// <summary>At or above <see cref="ProtectionOptions.ThrottleTemperatureC"/>: the Pi is throttling now.</summary>
    Throttling,
}

/// <summary>What the SYSTEM page and the notice show; strings are made only when something happens.</summary>
/// <param name="Mode">The latency mode.</param>
/// <param name="BlockFrames">The block the device runs (or will run) with.</param>
/// <param name="ModeBlockFrames">The block of the mode (what stepping back returns to).</param>
/// <param name="XrunsLastMinute">Xruns in the last minute.</param>
/// <param name="Thermal">The thermal state.</param>
/// <param name="TemperatureC">The CPU temperature, °C (NaN when unknown).</param>
/// <param name="Notice">The latest notice (a step to a safer setting, a thermal warning), or null.</param>
/// <param name="NoticeSerial">Increases with every new notice (the face shows each one once).</param>
/// <param name="EconomyDetector">True while the limiter runs its cheaper 4× true-peak detector (a protection step).</param>
public readonly record struct ProtectionStatus(
    LatencyMode Mode,
    int BlockFrames,
    int ModeBlockFrames,
    long XrunsLastMinute,
    ThermalState Thermal,
    double TemperatureC,
    string? Notice,
    int NoticeSerial,
    bool EconomyDetector = false)
{
    /// <summary>True when the engine stepped to a bigger block than its mode's, or to the cheaper detector, and can step back.</summary>
    public bool CanStepBack => BlockFrames > ModeBlockFrames || EconomyDetector;
}

/// <summary>The self-protecting engine in `--stats-json` (<c>protection</c>).</summary>
/// <param name="LatencyMode">The latency mode at the end.</param>
/// <param name="LookaheadMs">The limiter's look-ahead at the end, ms.</param>
/// <param name="BlockFrames">The block at the end.</param>
/// <param name="ConfiguredBlockFrames">The configured block.</param>
/// <param name="XrunsPerMinuteLimit">The burst limit.</param>
/// <param name="XrunBursts">Bursts seen.</param>
/// <param name="StepDowns">Steps to a bigger block.</param>
/// <param name="StepBacks">Steps back (asked from the box).</param>
/// <param name="ModeSwitches">Latency mode changes.</param>
/// <param name="Reopens">Device reopens the supervisor made for these.</param>
/// <param name="ThermalWarnings">Times the thermal warning was raised.</param>
/// <param name="MaxTemperatureC">The hottest reading, °C (null when there is no thermal zone).</param>
/// <param name="Notices">Every notice, in order.</param>
public sealed record ProtectionStatistics(
    string LatencyMode,
    double LookaheadMs,
    int BlockFrames,
    int ConfiguredBlockFrames,
    int XrunsPerMinuteLimit,
    int XrunBursts,
    int StepDowns,
    int StepBacks,
    int ModeSwitches,
    int Reopens,
    int ThermalWarnings,
    double? MaxTemperatureC,
    IReadOnlyList<string> Notices)
{
    /// <summary>The limiter's true-peak detector grid at the end: 8, or 4 after the cheaper-detector step.</summary>
    public int LimiterDetectorOversampling { get; init; } = 8;

    /// <summary>Steps to the cheaper (4×) limiter detector.</summary>
    public int DetectorStepDowns { get; init; }

    /// <summary>Steps back to the 8× detector (asked from the box).</summary>
    public int DetectorStepBacks { get; init; }
}
