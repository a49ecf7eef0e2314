using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Reports;

/// <summary>
/// What the big platforms' loudness normalisation would do to a master: the gain each applies on playback.
/// </summary>
/// <remarks>
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
            PeakLimited(-14 - integrated, headroom),
            Math.Min(0, -14 - integrated),
            PeakLimited(-16 - integrated, headroom),
            -23 - integrated);
    }

    private static double PeakLimited(double gain, double headroom) => gain <= 0 ? gain : Math.Max(0, Math.Min(gain, headroom));
}
