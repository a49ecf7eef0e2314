using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Assistant.Album;

/// <summary>
/// Spectral tilt of a master: the least-squares slope, in dB per octave, of its third-octave band levels (mid signal,
/// <see cref="LongTermSpectrum.ThirdOctaveLevelsDb"/>) against log2 of the band centre, over the bands from 100 Hz to
/// 10 kHz. Band power, so pink noise is 0 dB/octave and white noise +3; typical masters lie around −3…−5.
/// </summary>
internal static class SpectralTilt
{
    /// <summary>Lowest band centre fitted, Hz.</summary>
    public const double LowHz = 100;

    /// <summary>Highest band centre fitted, Hz.</summary>
    public const double HighHz = 10000;

    /// <summary>The tilt of <paramref name="spectrum"/>, dB/octave; NaN without at least three non-silent bands.</summary>
    /// <param name="spectrum">A long-term spectrum.</param>
    /// <returns>The slope.</returns>
    public static double DbPerOctave(LongTermSpectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        IReadOnlyList<double> centres = LongTermSpectrum.ThirdOctaveCentersHz;
        Span<double> levels = stackalloc double[centres.Count];
        spectrum.ThirdOctaveLevelsDb(levels);
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < centres.Count; i++)
        {
            if (centres[i] < LowHz || centres[i] > HighHz || !double.IsFinite(levels[i]))
            {
                continue;
            }

            double x = Math.Log2(centres[i] / 1000.0);
            n++;
            sx += x;
            sy += levels[i];
            sxx += x * x;
            sxy += x * levels[i];
        }

        double denominator = (n * sxx) - (sx * sx);
        return n >= 3 && denominator > 0 ? ((n * sxy) - (sx * sy)) / denominator : double.NaN;
    }
}
