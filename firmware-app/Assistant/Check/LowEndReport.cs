namespace HardwareMaster.App.Assistant.Check;

/// <summary>Mono compatibility of the low band, as <see cref="LowEndMonoMeter"/> measured it.</summary>
/// <param name="Channels">1 or 2 (a mono programme has nothing to fold).</param>
/// <param name="Correlation">Correlation Σlr/√(Σl²Σr²) of the band-passed channels (NaN when the band is silent or the programme mono).</param>
/// <param name="MonoFoldDb">Level of the band after a mono fold-down ((l+r)/2) against the mean of the two channels, dB: 0 for identical channels, −3 for uncorrelated, −∞ for opposite.</param>
/// <param name="BandShareDb">Power of the band against the whole programme's power, dB (−∞ when silent).</param>
/// <param name="LowHz">Lower edge of the band (a high-pass keeping DC and rumble out).</param>
/// <param name="HighHz">Upper edge of the band.</param>
internal readonly record struct LowEndReport(int Channels, double Correlation, double MonoFoldDb, double BandShareDb, double LowHz, double HighHz);
