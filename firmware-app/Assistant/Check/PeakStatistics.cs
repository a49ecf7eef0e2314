namespace HardwareMaster.App.Assistant.Check;

/// <summary>Sample-level peak statistics of a whole programme, as <see cref="PeakDensityMeter"/> measured them.</summary>
/// <param name="SamplePeakDbfs">Largest |sample| over both channels, dBFS (−∞ for silence).</param>
/// <param name="RmsDbfs">RMS of every sample of every channel, dBFS (−∞ for silence).</param>
/// <param name="Windows">100 ms windows with a peak above <see cref="PeakDensityMeter.SilentDbfs"/> (the partial last window counts).</param>
/// <param name="NearPeakWindows">Of those, windows whose peak is within <see cref="PeakDensityMeter.NearPeakDb"/> of the programme's largest window peak.</param>
internal readonly record struct PeakStatistics(double SamplePeakDbfs, double RmsDbfs, long Windows, long NearPeakWindows)
{
    /// <summary>Crest factor: sample peak − RMS, dB (null for silence).</summary>
    public double? CrestFactorDb => double.IsFinite(SamplePeakDbfs) && double.IsFinite(RmsDbfs) ? SamplePeakDbfs - RmsDbfs : null;

    /// <summary>Share (0…1) of the non-silent 100 ms windows that peak within 1 dB of the loudest peak (null when there are none).</summary>
    public double? NearPeakDensity => Windows > 0 ? (double)NearPeakWindows / Windows : null;
}
