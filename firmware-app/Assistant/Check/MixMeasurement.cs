using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Assistant.Check;

/// <summary>
/// Everything <see cref="MixChecklist"/> judges, measured in one pass over a mix (a file by <see cref="MixMeter"/>, or the
/// box's input): loudness, per-sample health, peak statistics, low-band mono compatibility, the long-term spectrum and
/// the storage format.
/// </summary>
/// <param name="Format">Sample rate, channels, word length.</param>
/// <param name="Loudness">BS.1770 / EBU R128 report (<see cref="ProgramMeter"/>).</param>
/// <param name="Health">DC, full-scale samples, clipped runs, correlation (<see cref="SignalHealth"/>).</param>
/// <param name="Peaks">Crest factor and the density of near-full-scale peaks (<see cref="PeakDensityMeter"/>).</param>
/// <param name="LowEnd">Correlation and mono fold-down loss of the low band (<see cref="LowEndMonoMeter"/>).</param>
/// <param name="Spectrum">Long-term mid/side spectrum of the whole mix (<see cref="LongTermSpectrum"/>).</param>
internal sealed record MixMeasurement(
    MixFormat Format,
    LoudnessReport Loudness,
    SignalHealthReport Health,
    PeakStatistics Peaks,
    LowEndReport LowEnd,
    LongTermSpectrum Spectrum);
