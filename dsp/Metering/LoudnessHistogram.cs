namespace HardwareMaster.Dsp.Metering;

/// <summary>
/// Fixed-size histogram of block loudness for gated measurements (integrated loudness, loudness
/// range): 0.01 LU bins from −70 LUFS to +10 LUFS (8 000 bins). Each bin holds its block count, the
/// exact sum of the blocks' mean-square energies and the exact energies of its first
/// <see cref="ExactPerBin"/> blocks. Memory does not depend on programme duration (≈ 400 kB).
/// </summary>
/// <remarks>
/// <para>
/// Gated means are exact (energy sums, not bin centres). The only quantisation is in the bin that
/// holds a relative-gate threshold: while it holds at most <see cref="ExactPerBin"/> blocks each is
/// compared with the threshold exactly, so short programmes (where one block moves the result by
/// several hundredths of an LU) are measured exactly; a fuller bin is included when its centre is at
/// or above the threshold, which is the same as moving the gate by ≤ 0.005 LU and matters only when
/// the bin's blocks are a negligible share of the total.
/// </para>
/// <para>
/// A percentile is read exactly in a bin of at most <see cref="ExactPerBin"/> blocks and as the
/// energy mean of its bin otherwise (within 0.01 LU of the exact order statistic; exact for equal
/// blocks, as with tones). Blocks above +10 LUFS go to the top bin with their true energy; when that bin holds a
/// relative-gate threshold it is gated as a whole by its mean energy (exact for steady material such as a tone scaled
/// far above full scale, approximate otherwise: only absurd float files get there).
/// One owner thread adds and clears (allocation-free, O(1)); one other thread may read concurrently under the
/// <see cref="Sequence"/> seqlock: its scan never throws, and a scan that overlapped a write is recognised and discarded.
/// </para>
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

    /// <summary>Blocks per bin whose energies are also kept individually.</summary>
    public const int ExactPerBin = 4;

    private readonly long[] _counts = new long[BinCount];
    private readonly double[] _energies = new double[BinCount];
    private readonly double[] _exact = new double[BinCount * ExactPerBin];

    // A bin whose stamp differs from _epoch is empty whatever its cells hold, so Clear is O(1) (an audio-thread loudness
    // reset must not wipe 400 kB); Add empties a stale bin before it uses it.
    private readonly int[] _binEpoch = new int[BinCount];
    private int _epoch = 1;
    private long _totalCount;
    private double _totalEnergy;

    // Seqlock sequence: odd while Add or Clear is writing. A reader on another thread reads the sequence, scans, and keeps
    // the result only when the sequence is even and unchanged (see ProgramMeter.TryReadGatedLoudness).
    private int _sequence;

    /// <summary>Number of blocks added.</summary>
    public long Count => Volatile.Read(ref _totalCount);

    /// <summary>Write sequence: even while no write is in progress, advanced by 2 by every <see cref="Add"/> and <see cref="Clear"/>. Any thread.</summary>
    public int Sequence => Volatile.Read(ref _sequence);

    /// <summary>Adds a block of mean-square energy <paramref name="energy"/> (already gated at −70 LUFS by the caller). O(1), owner thread.</summary>
    public void Add(double energy)
    {
        BeginWrite();
        int bin = BinOf(Loudness.EnergyToLufs(energy));
        if (_binEpoch[bin] != _epoch)
        {
            _counts[bin] = 0;
            _energies[bin] = 0.0;
            _binEpoch[bin] = _epoch;
        }

        long count = _counts[bin];
        if (count < ExactPerBin)
        {
            _exact[(bin * ExactPerBin) + (int)count] = energy;
        }

        _counts[bin] = count + 1;
        _energies[bin] += energy;
        _totalCount++;
        _totalEnergy += energy;
        EndWrite();
    }

    /// <summary>
    /// Adds every block of <paramref name="other"/> (as if they had been added here): counts and energy sums per bin, and
    /// the individual energies while the merged bin holds at most <see cref="ExactPerBin"/> blocks. Owner thread; the
    /// other histogram must not be written meanwhile.
    /// </summary>
    public void AddFrom(LoudnessHistogram other)
    {
        BeginWrite();
        for (int bin = 0; bin < BinCount; bin++)
        {
            long add = other.CountOf(bin);
            if (add == 0)
            {
                continue;
            }

            if (_binEpoch[bin] != _epoch)
            {
                _counts[bin] = 0;
                _energies[bin] = 0.0;
                _binEpoch[bin] = _epoch;
            }

            long count = _counts[bin];
            for (int k = 0; k < Math.Min(add, ExactPerBin) && count + k < ExactPerBin; k++)
            {
                _exact[(bin * ExactPerBin) + (int)count + k] = other._exact[(bin * ExactPerBin) + k];
            }

            _counts[bin] = count + add;
            _energies[bin] += other.EnergyOf(bin);
        }

        _totalCount += other._totalCount;
        _totalEnergy += other._totalEnergy;
        EndWrite();
    }

    /// <summary>Removes every block. O(1) (a new epoch), owner thread.</summary>
    public void Clear()
    {
        BeginWrite();
        if (_epoch == int.MaxValue)
        {
            Array.Clear(_binEpoch);
            _epoch = 0;
        }

        _epoch++;
        _totalCount = 0;
        _totalEnergy = 0.0;
        EndWrite();
    }

    private void BeginWrite()
    {
        Volatile.Write(ref _sequence, _sequence + 1);
        Interlocked.MemoryBarrier(); // the data stores below must not become visible before the odd sequence
    }

    private void EndWrite() => Volatile.Write(ref _sequence, _sequence + 1); // release: the data stores are visible first

    // Cells of a bin in the current epoch (0 for a stale bin). Read once per use: a concurrent reader sees each value
    // consistently with itself, and the seqlock throws away a scan that overlapped a write.
    private long CountOf(int bin) => _binEpoch[bin] == _epoch ? _counts[bin] : 0;

    private double EnergyOf(int bin) => _binEpoch[bin] == _epoch ? _energies[bin] : 0.0;

    /// <summary>
    /// Mean energy of the blocks at or above <paramref name="relativeGateLu"/> below the mean energy of
    /// all blocks (BS.1770-4 §2.8 gating; relative gate −10 LU), or 0 when there are none.
    /// </summary>
    public double RelativeGatedMeanEnergy(double relativeGateLu, out long includedCount)
    {
        includedCount = 0;
        if (_totalCount <= 0)
        {
            return 0.0;
        }

        double threshold = RelativeThreshold(relativeGateLu);
        int boundary = BinOf(Loudness.EnergyToLufs(threshold));
        BoundaryBin(boundary, threshold, out long count, out double energy, out _);
        for (int i = boundary + 1; i < BinCount; i++)
        {
            count += CountOf(i);
            energy += EnergyOf(i);
        }

        includedCount = count;
        return count == 0 ? 0.0 : energy / count;
    }

    /// <summary>
    /// Loudness range per EBU Tech 3342: relative gate <paramref name="relativeGateLu"/> (−20 LU) below
    /// the mean energy, then the 95th minus the 10th percentile of the remaining block loudness, in LU;
    /// null without blocks. Percentiles are order statistics at index round((n − 1)·p), as libebur128 picks them.
    /// </summary>
    public double? LoudnessRange(double relativeGateLu, double lowPercentile, double highPercentile)
    {
        if (_totalCount <= 0)
        {
            return null;
        }

        double threshold = RelativeThreshold(relativeGateLu);
        int boundary = BinOf(Loudness.EnergyToLufs(threshold));
        BoundaryBin(boundary, threshold, out long n, out _, out bool boundaryExact);
        for (int i = boundary + 1; i < BinCount; i++)
        {
            n += CountOf(i);
        }

        if (n == 0)
        {
            return null;
        }

        long lowIndex = (long)(((n - 1) * lowPercentile) + 0.5);
        long highIndex = (long)(((n - 1) * highPercentile) + 0.5);
        double low = double.NaN;
        double high = double.NaN;
        long seen = 0;
        for (int i = boundary; i < BinCount; i++)
        {
            long c;
            bool exact;
            if (i == boundary)
            {
                BoundaryBin(boundary, threshold, out c, out _, out _);
                exact = boundaryExact;
            }
            else
            {
                c = CountOf(i);
                exact = c <= ExactPerBin;
            }

            if (c == 0)
            {
                continue;
            }

            if (double.IsNaN(low) && lowIndex < seen + c)
            {
                low = BinValueLufs(i, lowIndex - seen, c, exact, threshold);
            }

            if (highIndex < seen + c)
            {
                high = BinValueLufs(i, highIndex - seen, c, exact, threshold);
                break;
            }

            seen += c;
        }

        // NaN only when a concurrent write changed the counts mid-scan (the seqlock discards that result).
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

    private double RelativeThreshold(double relativeGateLu) => _totalEnergy / Math.Max(1, _totalCount) * Math.Pow(10.0, relativeGateLu / 10.0);

    // The blocks of the bin holding the threshold that pass it: exactly when the bin's blocks are all
    // kept individually, else the whole bin when its centre is at or above the threshold.
    private void BoundaryBin(int bin, double threshold, out long count, out double energy, out bool exact)
    {
        long c = CountOf(bin);
        count = 0;
        energy = 0.0;
        exact = c <= ExactPerBin;
        if (exact)
        {
            for (int k = 0; k < (int)c; k++)
            {
                double e = _exact[(bin * ExactPerBin) + k];
                if (e >= threshold)
                {
                    count++;
                    energy += e;
                }
            }

            return;
        }

        // The top bin also holds every block above +10 LUFS with its true energy (absurd levels such as a float file
        // scaled by 1e30): its centre says nothing about them, so it is compared by its mean energy.
        double binEnergy = EnergyOf(bin);
        double centreLufs = bin == BinCount - 1 ? Loudness.EnergyToLufs(binEnergy / c) : MinimumLufs + ((bin + 0.5) / BinsPerLu);
        if (bin == 0 || centreLufs >= Loudness.EnergyToLufs(threshold))
        {
            count = c;
            energy = binEnergy;
        }
    }

    // Loudness of the rank-th (0-based) included block of a bin.
    private double BinValueLufs(int bin, long rank, long included, bool exact, double threshold)
    {
        long c = CountOf(bin);
        if (!exact || c > ExactPerBin)
        {
            return c > 0 ? Loudness.EnergyToLufs(EnergyOf(bin) / c) : double.NaN;
        }

        Span<double> values = stackalloc double[ExactPerBin];
        int m = 0;
        for (int k = 0; k < (int)c; k++)
        {
            double e = _exact[(bin * ExactPerBin) + k];
            if (e >= threshold)
            {
                // Insertion sort (at most ExactPerBin values).
                int j = m++;
                while (j > 0 && values[j - 1] > e)
                {
                    values[j] = values[j - 1];
                    j--;
                }

                values[j] = e;
            }
        }

        long index = Math.Min(rank, Math.Min(included, m) - 1);
        return index >= 0 ? Loudness.EnergyToLufs(values[(int)index]) : double.NaN;
    }
}
