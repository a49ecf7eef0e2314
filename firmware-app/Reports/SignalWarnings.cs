using System.Globalization;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Reports;

/// <summary>
/// What a report should warn about in what it measured: an input's DC offset, clipping, prior limiting, low loudness
/// range and phase trouble (render and measure), and a render's heavy limiting, PLR loss and clipped output.
/// Thresholds are constants here and documented in firmware-app/README.md ("Report warnings").
/// </summary>
internal static class SignalWarnings
{
    /// <summary>
    /// A channel mean at or above this (−50 dBFS ≈ 0.0032) is a DC offset worth removing. Not −60: the mean of 8 s of
    /// pink noise peaking at −15 dBFS (sox synth pinknoise) is already −55 dBFS, its lowest frequencies not averaging out.
    /// </summary>
    public const double DcOffsetDbfs = -50.0;

    /// <summary>
    /// Energy below 20 Hz at or above this share of the whole (−20 dB, 1 %) is rumble worth a high-pass: music whose
    /// lowest note is a 40 Hz bass reads under −30 dB (tests SubsonicMeterTests), so only real subsonic content warns.
    /// </summary>
    public const double SubsonicDb = -20.0;

    /// <summary>Below this PLR (true peak − integrated), together with a loudness range below <see cref="LimitedLraLu"/>, the input is already limited.</summary>
    public const double LimitedPlrDb = 9.0;

    /// <summary>Loudness range under which a low PLR means "already limited".</summary>
    public const double LimitedLraLu = 6.0;

    /// <summary>A loudness range below this is low (little macro-dynamics left for a compressor to work with).</summary>
    public const double LowLraLu = 3.0;

    /// <summary>Whole-programme correlation below this is phase trouble (a mono fold-down loses level).</summary>
    public const double PhaseCorrelation = 0.0;

    /// <summary>Peak limiter gain reduction above this, dB, is heavy limiting.</summary>
    public const double HeavyLimitingDb = 6.0;

    /// <summary>A render that lowers PLR by more than this, dB, has squashed the transients.</summary>
    public const double PlrDropDb = 4.0;

    /// <summary>Warnings about a programme as measured (input of a render, or a measured file).</summary>
    /// <param name="report">Its loudness.</param>
    /// <param name="health">Its per-sample statistics.</param>
    /// <returns>One line per warning; empty for a clean programme.</returns>
    public static IReadOnlyList<string> ForInput(in LoudnessReport report, in SignalHealthReport health)
    {
        var warnings = new List<string>();
        if (health.DcOffsetDbfs >= DcOffsetDbfs)
        {
            warnings.Add(Invariant($"DC offset: the mean is {Db(health.DcLeft)} dBFS{(health.Channels == 2 ? Invariant($" left, {Db(health.DcRight)} dBFS right") : string.Empty)} (warned at {DcOffsetDbfs:0} dBFS); a high-pass removes it (--set hpf.bypass=off)"));
        }

        if (health.SubsonicToTotalDb >= SubsonicDb)
        {
            warnings.Add(Invariant($"subsonic energy: {health.SubsonicToTotalDb:0.0} dB of the programme's energy is below 20 Hz (warned at {SubsonicDb:0} dB); a high-pass removes it (--set hpf.bypass=off)"));
        }

        if (health.FullScaleSamples > 0)
        {
            string overs = health.OverSamples > 0 ? Invariant($", {health.OverSamples} over 0 dBFS") : string.Empty;
            string runs = health.ClippedRuns > 0
                ? Invariant($"; clipped: {health.ClippedRuns} runs of {SignalHealth.ClippedRunSamples}+ full-scale samples in a row (longest {health.LongestClippedRun})")
                : string.Empty;
            warnings.Add(Invariant($"{health.FullScaleSamples} samples at or over full scale (0 dBFS){overs}{runs}"));
        }

        if (report.PlrDb is double plr && report.LoudnessRangeLu is double lra)
        {
            if (plr < LimitedPlrDb && lra < LimitedLraLu)
            {
                warnings.Add(Invariant($"already limited: PLR {plr:0.0} dB (< {LimitedPlrDb:0}) with loudness range {lra:0.0} LU (< {LimitedLraLu:0}); more limiting mostly adds distortion"));
            }

            if (lra < LowLraLu)
            {
                warnings.Add(Invariant($"low loudness range: {lra:0.0} LU (< {LowLraLu:0} LU)"));
            }
        }

        if (health.Channels == 2 && health.Correlation < PhaseCorrelation)
        {
            warnings.Add(Invariant($"phase trouble: stereo correlation {health.Correlation:0.00} (< 0), side {health.SideToMidDb:+0.0;-0.0} dB against mid; a mono fold-down loses level"));
        }

        return warnings;
    }

    /// <summary>Warnings about what a render did: output samples at full scale, heavy limiting, a large PLR drop.</summary>
    /// <param name="input">Loudness of the source.</param>
    /// <param name="output">Loudness of the master.</param>
    /// <param name="outputHealth">Per-sample statistics of the master (as written, before the word-length conversion).</param>
    /// <param name="limiterMaxGrDb">Peak limiter gain reduction, dB; null when the limiter was bypassed.</param>
    /// <returns>One line per warning.</returns>
    public static IReadOnlyList<string> ForRender(in LoudnessReport input, in LoudnessReport output, in SignalHealthReport outputHealth, double? limiterMaxGrDb)
    {
        var warnings = new List<string>();
        if (outputHealth.ZeroDbfsSamples > 0)
        {
            warnings.Add(Invariant($"the master clips: {outputHealth.ZeroDbfsSamples} output samples at or over 0 dBFS (sample peak {output.SamplePeakDbfs:+0.00;-0.00} dBFS, {outputHealth.ClippedRuns} clipped runs)"));
        }

        if (limiterMaxGrDb is double gr && gr > HeavyLimitingDb)
        {
            warnings.Add(Invariant($"heavy limiting: up to {gr:0.0} dB of limiter gain reduction (> {HeavyLimitingDb:0} dB)"));
        }

        if (input.PlrDb is double before && output.PlrDb is double after && before - after > PlrDropDb)
        {
            warnings.Add(Invariant($"PLR dropped by {before - after:0.0} dB (from {before:0.0} to {after:0.0} dB; warned above {PlrDropDb:0} dB): the transients were squashed"));
        }

        return warnings;
    }

    private static string Db(double linear) =>
        linear == 0 ? "-inf" : (20 * Math.Log10(Math.Abs(linear))).ToString("0.0", CultureInfo.InvariantCulture) + (linear < 0 ? " (negative)" : string.Empty);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
