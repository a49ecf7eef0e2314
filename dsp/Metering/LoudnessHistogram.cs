namespace HardwareMaster.Dsp.Metering;

/// <summary>
/// Fixed-size histogram of block loudness for gated measurements (integrated loudness, loudness
/// range): 0.01 LU bins from −70 LUFS to +10 LUFS (8 000 bins), each holding the block count and the
/// exact sum of the blocks' mean-square energies. Memory does not depend on programme duration.
/// </summary>
/// <remarks>
/// Because each bin keeps its energy sum, gated means are exact; quantisation only decides which
/// side of a relative gate the blocks within 0.01 LU of the threshold fall on, and a percentile is
/// read as the energy mean of the bin it falls in (≤ 0.01 LU from the exact order statistic; exact when
/// the blocks of a bin are equal, as for tones). Blocks above +10 LUFS go to the top bin with their
/// true energy. Not thread-safe; <see cref="Add"/> is allocation-free.
/// </remarks>
internal sealed class LoudnessHistogram
{
    /// <summary>Lowest loudness held (the absolute gate of BS.1770-4 and Tech 3342), LUFS.</summary>
    public const double MinimumLufs = -70.0;

    /// <summary>Upper edge of the histogram, LUFS.</summary>
    public const double MaximumLufs = 10.0;

    /// <summary>Bins per LU.</summary>
    public const int BinsPerLu = 100;

    /// <summary>Number of bins.</summary>
    public const int BinCount = (int)((MaximumLufs - MinimumLufs) * BinsPerLu);

    private readonly long[] _counts = new long[BinCount];
    private readonly double[] _energies = new double[BinCount];
    private long _totalCount;
    private double _totalEnergy;

    /// <summary>Number of blocks added.</summary>
    public long Count => _totalCount;

    /// <summary>Adds a block of mean-square energy <paramref name="energy"/> (already gated at −70 LUFS by the caller).</summary>
    public void Add(double energy)
    {
        int bin = BinOf(Loudness.EnergyToLufs(energy));
        _counts[bin]++;
        _energies[bin] += energy;
        _totalCount++;
        _totalEnergy += energy;
    }

    /// <summary>Removes every block.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Array.Clear(_energies);
        _totalCount = 0;
        _totalEnergy = 0.0;
    }

    /// <summary>
    /// Mean energy of the blocks at or above <paramref name="relativeGateLu"/> below the mean of all
    /// blocks (BS.1770-4 §2.8 gating; relative gate −10 LU), or 0 when there are none.
    /// </summary>
    public double RelativeGatedMeanEnergy(double relativeGateLu, out long includedCount)
    {
        includedCount = 0;
        if (_totalCount == 0)
        {
            return 0.0;
        }

        int first = FirstBinAtOrAbove(Loudness.EnergyToLufs(_totalEnergy / _totalCount) + relativeGateLu);
        double energy = 0.0;
        long count = 0;
        for (int i = first; i < BinCount; i++)
        {
            count += _counts[i];
            energy += _energies[i];
        }

        includedCount = count;
        return count == 0 ? 0.0 : energy / count;
    }

    /// <summary>
    /// Loudness range per EBU Tech 3342: relative gate <paramref name="relativeGateLu"/> (−20 LU) below
    /// the mean, then the difference between the 95th and 10th percentiles, in LU; null without blocks.
    /// </summary>
    public double? LoudnessRange(double relativeGateLu, double lowPercentile, double highPercentile)
    {
        if (_totalCount == 0)
        {
            return null;
        }

        int first = FirstBinAtOrAbove(Loudness.EnergyToLufs(_totalEnergy / _totalCount) + relativeGateLu);
        long n = 0;
        for (int i = first; i < BinCount; i++)
        {
            n += _counts[i];
        }

        if (n == 0)
        {
            return null;
        }

        // Order statistics as libebur128 picks them: index round((n − 1)·p).
        long lowIndex = (long)(((n - 1) * lowPercentile) + 0.5);
        long highIndex = (long)(((n - 1) * highPercentile) + 0.5);
        double low = double.NaN;
        double high = double.NaN;
        long seen = 0;
        for (int i = first; i < BinCount; i++)
        {
            long c = _counts[i];
            if (c == 0)
            {
                continue;
            }

            if (double.IsNaN(low) && lowIndex < seen + c)
            {
                low = Loudness.EnergyToLufs(_energies[i] / c);
            }

            if (highIndex < seen + c)
            {
                high = Loudness.EnergyToLufs(_energies[i] / c);
                break;
            }

            seen += c;
        }

        return high - low;
    }

    private static int BinOf(double lufs)
    {
        double position = Math.Floor((lufs - MinimumLufs) * BinsPerLu);
        if (!(position >= 0.0))
        {
            return 0;
        }

        return position >= BinCount ? BinCount - 1 : (int)position;
    }

    // First bin whose blocks count as "at or above" the threshold: the bin holding the threshold is
    // included when its centre is at or above it.
    private static int FirstBinAtOrAbove(double thresholdLufs)
    {
        double position = (thresholdLufs - MinimumLufs) * BinsPerLu;
        if (!(position > 0.0))
        {
            return 0;
        }

        if (position >= BinCount)
        {
            return BinCount - 1;
        }

        int bin = (int)Math.Floor(position);
        return (bin + 0.5) >= position ? bin : bin + 1;
    }
}
