using System.Globalization;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Reports;

/// <summary>
/// What the big platforms' loudness normalisation would do to a master: the gain each applies on playback.
/// </summary>
/// <remarks>
/// Reference levels: Spotify −14 LUFS integrated, positive gain only up to −1 dBTP true peak (Spotify for Artists,
/// "Loudness normalization", normal mode); YouTube −14 LUFS, turns down only (never up); Apple Music Sound Check
/// −16 LUFS (Apple Digital Masters guidance); EBU R128 broadcast −23 LUFS (EBU R 128, −1 dBTP max).
/// Spotify (normal mode, −14 LUFS) turns loud masters down and quiet ones up, but only as far as
/// leaves −1 dBTP of true-peak headroom; YouTube (−14) only turns down; Apple Music Sound Check (−16)
/// behaves like Spotify's peak-limited rule; EBU R128 broadcast (−23) applies the full gain (the
/// broadcaster's own limiter handles peaks). Gains are null when integrated loudness is undefined.
/// </remarks>
/// <param name="SpotifyDb">Gain Spotify applies, dB.</param>
/// <param name="YouTubeDb">Gain YouTube applies, dB (never positive).</param>
/// <param name="AppleMusicDb">Gain Apple Music applies, dB.</param>
/// <param name="EbuR128Db">Gain to reach −23 LUFS, dB.</param>
public readonly record struct Normalization(double? SpotifyDb, double? YouTubeDb, double? AppleMusicDb, double? EbuR128Db)
{
    /// <summary>Computes the preview from a loudness report.</summary>
    public static Normalization From(in LoudnessReport report) =>
        report.IntegratedLufs is double integrated ? From(integrated, report.TruePeakDbtp) : default;

    /// <summary>Computes the preview from live meter values (the box's LOUDNESS page); allocation-free.</summary>
    /// <param name="integratedLufs">Integrated loudness, LUFS; NaN or infinite when undefined (all gains null).</param>
    /// <param name="truePeakDbtp">True-peak maximum, dBTP; not finite when unknown or silent (no peak limit).</param>
    /// <returns>The gains each platform applies.</returns>
    public static Normalization From(double integratedLufs, double truePeakDbtp)
    {
        if (!double.IsFinite(integratedLufs))
        {
            return default;
        }

        double integrated = integratedLufs;
        double headroom = double.IsFinite(truePeakDbtp) ? -1.0 - truePeakDbtp : double.PositiveInfinity;
        return new Normalization(
            PeakLimited(-14 - integrated, headroom), // Spotify: -14 LUFS, raised only as far as -1 dBTP
            Math.Min(0, -14 - integrated), // YouTube: -14 LUFS, turned down only
            PeakLimited(-16 - integrated, headroom), // Apple Music Sound Check: -16 LUFS
            -23 - integrated); // EBU R128: -23 LUFS
    }

    /// <summary>Above this integrated loudness every streaming platform turns a master down by more than 1 dB.</summary>
    public const double TurnedDownAboveLufs = -13.0;

    /// <summary>
    /// A warning when every streaming platform would only turn the master down (integrated above
    /// <see cref="TurnedDownAboveLufs"/>: Spotify and YouTube by more than 1 dB, Apple Music by more than 3 dB), giving each
    /// gain; null otherwise.
    /// </summary>
    /// <param name="report">The master's (or measured file's) loudness.</param>
    /// <returns>One line, or null.</returns>
    public static string? TurnedDownWarning(in LoudnessReport report)
    {
        // Reference levels (see the remarks): Spotify −14 LUFS with −1 dBTP headroom for positive gain, YouTube −14 LUFS
        // down only, Apple Music Sound Check −16 LUFS, EBU R128 broadcast −23 LUFS.
        if (report.IntegratedLufs is not double integrated || integrated <= TurnedDownAboveLufs)
        {
            return null;
        }

        Normalization n = From(report);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"every platform turns this {integrated:0.0} LUFS master down (Spotify {n.SpotifyDb:+0.0;-0.0} dB, YouTube {n.YouTubeDb:+0.0;-0.0} dB, Apple Music {n.AppleMusicDb:+0.0;-0.0} dB): loudness above -14 LUFS only costs dynamics");
    }

    private static double PeakLimited(double gain, double headroom) => gain <= 0 ? gain : Math.Max(0, Math.Min(gain, headroom));
}
