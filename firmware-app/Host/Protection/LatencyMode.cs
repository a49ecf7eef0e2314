using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.App.Host.Protection;

/// <summary>How much delay the box trades for quality, like a broadcast processor's latency modes.</summary>
public enum LatencyMode
{
    /// <summary>The preset's look-ahead (1 ms in most presets) and the configured block.</summary>
    Standard,

    /// <summary>The longest look-ahead (5 ms): best true peak and least limiter distortion, for mastering.</summary>
    Studio,

    /// <summary>The shortest look-ahead (0.5 ms) and block (32 frames): for playing through the box live.</summary>
    Live,
}

/// <summary>What each <see cref="LatencyMode"/> sets, and what it costs (measured, see firmware-app/README.md).</summary>
public static class LatencyModes
{
    /// <summary>The studio look-ahead, ms (the limiter's maximum).</summary>
    public const double StudioLookaheadMs = LimiterSettings.MaxLookaheadMs;

    /// <summary>The live look-ahead, ms (the limiter's minimum).</summary>
    public const double LiveLookaheadMs = LimiterSettings.MinLookaheadMs;

    /// <summary>The live block, frames (0.67 ms at 48 kHz); a configured block that is smaller is kept.</summary>
    public const int LiveBlockFrames = 32;

    /// <summary>
    /// Measured limiter THD (harmonics 2–10) of a 100 Hz sine whose level swings ±3 dB at 2 Hz around 6 dB over a
    /// −1 dBTP ceiling, %, per mode (standard at 1 ms), by <c>LimiterLatencyModeCostTests</c> (the method of
    /// <c>LimiterDistortionTests</c>; a steady sine shows 0.000 % in every mode): index = (int)mode.
    /// </summary>
    public static readonly double[] MeasuredThdPercent = [0.112, 0.003, 0.141];

    /// <summary>
    /// Measured worst true peak of the limiter output re its ceiling, dB (8× reference meter; square waves, impulses,
    /// a clipped mix and noise 20 dB over, as in <c>TruePeakLimiterTests</c>), by <c>LimiterLatencyModeCostTests</c>:
    /// no mode overshoots. Index = (int)mode.
    /// </summary>
    public static readonly double[] MeasuredTruePeakReCeilingDb = [-0.099, -0.100, -0.098];

    /// <summary>The lower-case names (`run --latency-mode`, stats, the SYSTEM page).</summary>
    public static readonly string[] Names = ["standard", "studio", "live"];

    /// <summary>Parses a mode name.</summary>
    /// <param name="text">standard, studio or live (any case).</param>
    /// <param name="mode">The mode.</param>
    /// <returns>False when the name is unknown.</returns>
    public static bool TryParse(string? text, out LatencyMode mode)
    {
        for (int i = 0; i < Names.Length; i++)
        {
            if (string.Equals(text, Names[i], StringComparison.OrdinalIgnoreCase))
            {
                mode = (LatencyMode)i;
                return true;
            }
        }

        mode = LatencyMode.Standard;
        return false;
    }

    /// <summary>The look-ahead of <paramref name="mode"/>, ms.</summary>
    /// <param name="mode">The mode.</param>
    /// <param name="standardLookaheadMs">The preset's look-ahead (what standard keeps).</param>
    public static double LookaheadMs(LatencyMode mode, double standardLookaheadMs) => mode switch
    {
        LatencyMode.Studio => StudioLookaheadMs,
        LatencyMode.Live => LiveLookaheadMs,
        _ => standardLookaheadMs,
    };

    /// <summary>The block of <paramref name="mode"/>, frames.</summary>
    /// <param name="mode">The mode.</param>
    /// <param name="configuredBlockFrames">The configured block (what standard and studio keep).</param>
    public static int BlockFrames(LatencyMode mode, int configuredBlockFrames) =>
        mode == LatencyMode.Live ? Math.Min(configuredBlockFrames, LiveBlockFrames) : configuredBlockFrames;
}
