using System.Globalization;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Reports;

/// <summary>
/// Why a loudness value is undefined, and what else a person should know about a measurement: a 10 ms file is
/// "too short to gate", not "silent"; NaN/±∞ samples are "not finite"; digital silence is "silent".
/// </summary>
internal static class MeasurementNotes
{
    /// <summary>Length of a BS.1770-4 gating block, seconds.</summary>
    public const double GatingBlockSeconds = 0.4;

    /// <summary>Length of an EBU Tech 3342 short-term block, seconds.</summary>
    public const double RangeBlockSeconds = 3.0;

    /// <summary>Why <see cref="LoudnessReport.IntegratedLufs"/> is null ("too short to gate (&lt; 400 ms)", "silent", …); null when it has a value.</summary>
    public static string? IntegratedStatus(in LoudnessReport report) =>
        report.IntegratedLufs is not null ? null
        : Seconds(report) < GatingBlockSeconds ? "too short to gate (< 400 ms)"
        : IsSilent(report) ? "silent"
        : "below the -70 LUFS gate";

    /// <summary>Why <see cref="LoudnessReport.LoudnessRangeLu"/> is null ("too short (&lt; 3 s)", "silent", …); null when it has a value.</summary>
    public static string? RangeStatus(in LoudnessReport report) =>
        report.LoudnessRangeLu is not null ? null
        : Seconds(report) < RangeBlockSeconds ? "too short (< 3 s)"
        : IsSilent(report) ? "silent"
        : "below the -70 LUFS gate";

    /// <summary>Every note for <paramref name="report"/>, one short line each (empty for a normal programme).</summary>
    public static IReadOnlyList<string> For(in LoudnessReport report)
    {
        var notes = new List<string>();
        if (report.NonFiniteSamples > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"not finite: {report.NonFiniteSamples} samples are NaN or infinite and were measured as 0"));
        }

        if (IntegratedStatus(report) is { } integrated)
        {
            notes.Add($"integrated loudness: {integrated}");
        }

        if (RangeStatus(report) is { } range && range != IntegratedStatus(report))
        {
            notes.Add($"loudness range: {range}");
        }

        if (double.IsPositiveInfinity(report.TruePeakDbtp) || double.IsPositiveInfinity(report.SamplePeakDbfs))
        {
            notes.Add("peak out of range: beyond the largest 32-bit float");
        }

        return notes;
    }

    private static double Seconds(in LoudnessReport report) => report.SampleRateHz > 0 ? (double)report.DurationFrames / report.SampleRateHz : 0.0;

    private static bool IsSilent(in LoudnessReport report) => double.IsNegativeInfinity(report.SamplePeakDbfs) && double.IsNegativeInfinity(report.TruePeakDbtp);
}
