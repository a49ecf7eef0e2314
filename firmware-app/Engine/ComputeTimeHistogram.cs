namespace HardwareMaster.App.Engine;

/// <summary>
/// Lock-free histogram of per-block compute time as a percentage of the block period
/// (0.1 % bins up to 400 %, one overflow bin). One writer (the audio thread), any number of readers.
/// </summary>
/// <remarks>
/// The writer only does plain increments of its own bins and <see cref="Volatile"/> writes, so it never
/// waits. Readers see a consistent-enough picture for percentiles (a bin may be one count behind).
/// </remarks>
public sealed class ComputeTimeHistogram
{
    private const int BinsPerPercent = 10;
    private const int MaxPercent = 400;
    private readonly long[] _bins = new long[(MaxPercent * BinsPerPercent) + 1];
    private long _count;
    private long _minBits = BitConverter.DoubleToInt64Bits(double.PositiveInfinity);
    private long _maxBits;

    /// <summary>Blocks recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Records one block that took <paramref name="percentOfPeriod"/> % of its period. Audio thread only.</summary>
    public void Record(double percentOfPeriod)
    {
        double p = double.IsFinite(percentOfPeriod) && percentOfPeriod > 0 ? percentOfPeriod : 0;
        int bin = (int)Math.Min(p * BinsPerPercent, _bins.Length - 1);
        Volatile.Write(ref _bins[bin], _bins[bin] + 1);
        if (p < BitConverter.Int64BitsToDouble(_minBits))
        {
            Volatile.Write(ref _minBits, BitConverter.DoubleToInt64Bits(p));
        }

        if (p > BitConverter.Int64BitsToDouble(_maxBits))
        {
            Volatile.Write(ref _maxBits, BitConverter.DoubleToInt64Bits(p));
        }

        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Min, median, p99 and max in % of the block period (zeros before the first block).</summary>
    public ComputeTimeSummary Summarize()
    {
        long count = Count;
        if (count == 0)
        {
            return default;
        }

        return new ComputeTimeSummary(
            count,
            BitConverter.Int64BitsToDouble(Volatile.Read(ref _minBits)),
            Percentile(0.50),
            Percentile(0.99),
            BitConverter.Int64BitsToDouble(Volatile.Read(ref _maxBits)));
    }

    /// <summary>The value below which <paramref name="fraction"/> of the blocks fall (upper edge of the bin).</summary>
    public double Percentile(double fraction)
    {
        long total = 0;
        for (int i = 0; i < _bins.Length; i++)
        {
            total += Volatile.Read(ref _bins[i]);
        }

        if (total == 0)
        {
            return 0;
        }

        long rank = (long)Math.Ceiling(fraction * total);
        long seen = 0;
        for (int i = 0; i < _bins.Length; i++)
        {
            seen += Volatile.Read(ref _bins[i]);
            if (seen >= rank)
            {
                return Math.Min((i + 1) / (double)BinsPerPercent, MaxPercent); // the overflow bin reads as the top edge
            }
        }

        return MaxPercent;
    }
}

/// <summary>Per-block compute time statistics in % of the block period.</summary>
/// <param name="Blocks">Blocks measured.</param>
/// <param name="MinPercent">Fastest block.</param>
/// <param name="MedianPercent">50th percentile (0.1 % resolution).</param>
/// <param name="P99Percent">99th percentile (0.1 % resolution).</param>
/// <param name="MaxPercent">Slowest block.</param>
public readonly record struct ComputeTimeSummary(long Blocks, double MinPercent, double MedianPercent, double P99Percent, double MaxPercent);
