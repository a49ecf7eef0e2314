namespace HardwareMaster.Dsp.Metering;

/// <summary>
/// Everything a loudness measurement reports (EBU R 128 / ITU-R BS.1770-4 / EBU Tech 3341, 3342).
/// </summary>
/// <param name="IntegratedLufs">Gated integrated loudness (BS.1770-4 §2.8); null when no 400 ms block passes the gates (silence, or shorter than 400 ms).</param>
/// <param name="LoudnessRangeLu">Loudness range (EBU Tech 3342); null when no 3 s block passes the absolute gate (silence, or shorter than 3 s).</param>
/// <param name="MaxMomentaryLufs">True maximum of the 400 ms momentary loudness (evaluated every ≤ 2.5 ms); null before any non-silent audio.</param>
/// <param name="MaxShortTermLufs">True maximum of the 3 s short-term loudness (evaluated every ≤ 2.5 ms); null before any non-silent audio.</param>
/// <param name="TruePeakDbtp">Largest 4× (2× at ≥ 96 kHz) oversampled absolute value over all channels, dBTP; −∞ for digital silence.</param>
/// <param name="SamplePeakDbfs">Largest absolute sample over all channels, dBFS; −∞ for digital silence.</param>
/// <param name="PlrDb">Peak-to-loudness ratio: <paramref name="TruePeakDbtp"/> − <paramref name="IntegratedLufs"/>; null when either is undefined.</param>
/// <param name="DurationFrames">Frames measured.</param>
/// <param name="SampleRateHz">Sample rate of the measurement.</param>
/// <param name="NonFiniteSamples">Samples that were NaN or ±∞ (measured as 0); 0 for a clean programme.</param>
public readonly record struct LoudnessReport(
    double? IntegratedLufs,
    double? LoudnessRangeLu,
    double? MaxMomentaryLufs,
    double? MaxShortTermLufs,
    double TruePeakDbtp,
    double SamplePeakDbfs,
    double? PlrDb,
    long DurationFrames,
    int SampleRateHz,
    long NonFiniteSamples = 0);
