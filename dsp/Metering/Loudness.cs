namespace HardwareMaster.Dsp.Metering;

/// <summary>Conversions between mean-square energy and loudness (ITU-R BS.1770-4 §2.4, equation 2).</summary>
public static class Loudness
{
    /// <summary>The −0.691 dB constant of BS.1770-4 equation 2, cancelling the K-weighting gain at 997 Hz (a 0 dBFS 997 Hz sine in one channel reads −3.01 LUFS).</summary>
    public const double OffsetDb = -0.691;

    /// <summary>Loudness in LUFS of a channel-weighted mean-square energy; −∞ for 0.</summary>
    public static double EnergyToLufs(double energy) => energy > 0.0 ? OffsetDb + (10.0 * Math.Log10(energy)) : double.NegativeInfinity;

    /// <summary>Mean-square energy that reads <paramref name="lufs"/>.</summary>
    public static double LufsToEnergy(double lufs) => Math.Pow(10.0, (lufs - OffsetDb) / 10.0);

    /// <summary>Linear magnitude to decibels (dBFS or dBTP); −∞ for 0.</summary>
    public static double LinearToDb(double linear) => linear > 0.0 ? 20.0 * Math.Log10(linear) : double.NegativeInfinity;
}
