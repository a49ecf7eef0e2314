using System.Numerics.Tensors;

namespace HardwareMaster.Dsp.Metering;

/// <summary>
/// Programme meter for mono or stereo audio: ITU-R BS.1770-4 / EBU R 128 momentary, short-term and
/// integrated loudness, EBU Tech 3342 loudness range, true peak (BS.1770-4 Annex 2), sample peak,
/// PLR and duration. Everything the <c>measure</c> report and the engine's meters need.
/// </summary>
/// <remarks>
/// <para>
/// <b>How it measures.</b> Each channel is K-weighted (<see cref="KWeightingFilter"/>, derived for the
/// actual rate, state in double) and its squares are summed into sub-blocks of at most 2.5 ms that
/// divide the 100 ms hop exactly (48 kHz: 120 frames, 44.1 kHz: 105, 96 kHz: 240). The last 3 s of
/// sub-block energies live in a ring; after every sub-block the momentary (400 ms) and short-term
/// (3 s) windows are summed again, so their maxima are true maxima to within one sub-block whatever
/// the caller's block size (EBU Tech 3341 cases 10 and 13). Every 100 ms (75 % overlap) a complete
/// 400 ms block enters the integrated-loudness histogram and a complete 3 s block the loudness-range
/// histogram (<see cref="LoudnessHistogram"/>: 0.01 LU bins with exact energy sums), so memory is the
/// same for ten seconds or ten hours.
/// </para>
/// <para>
/// <b>Channels.</b> Left and right have weight 1.0. Mono is measured as a single channel of weight
/// 1.0 (BS.1770 and libebur128's default), not as dual mono: a mono file reads 3 LU lower than the
/// same signal on both channels of a stereo file.
/// </para>
/// <para>
/// <b>Non-finite input.</b> NaN and ±∞ samples count as 0 for loudness and both peaks, and are
/// counted in <see cref="NonFiniteSampleCount"/>; the meters never become NaN.
/// </para>
/// <para>
/// <b>Threading.</b> Not thread-safe, with one exception. <see cref="Process(AudioBlock)"/> is real-time
/// safe (no allocation, no locks) and does O(1) work per 100 ms for the gated statistics (a histogram
/// increment). All members, including <see cref="GetReport"/>, belong to the thread that owns the meter
/// (the audio thread in the engine) — except <see cref="TryReadGatedLoudness"/> and <see cref="GatedSequence"/>,
/// which one other thread (the engine's meter reader) may call while the owner runs: the histogram scan
/// (two 8 000-bin histograms, tens of microseconds) then runs there, never on the audio thread.
/// </para>
/// </remarks>
public sealed class ProgramMeter
{
    private const double AbsoluteGateLufs = -70.0;
    private const double IntegratedRelativeGateLu = -10.0;
    private const double RangeRelativeGateLu = -20.0;
    private const double RangeLowPercentile = 0.10;
    private const double RangeHighPercentile = 0.95;
    private const double MaxSubBlockSeconds = 0.0025;

    private readonly int _sampleRateHz;
    private readonly int _channels;
    private readonly bool _measureTruePeak;
    private readonly KWeightingFilter _leftWeighting;
    private readonly KWeightingFilter _rightWeighting;
    private readonly TruePeakDetector _leftTruePeak;
    private readonly TruePeakDetector _rightTruePeak;
    private readonly LoudnessHistogram _gatingBlocks = new();
    private readonly LoudnessHistogram _shortTermBlocks = new();

    private readonly int _subBlockFrames;
    private readonly int _subBlocksPerHop;
    private readonly int _momentarySubBlocks;
    private readonly int _shortTermSubBlocks;
    private readonly int _rangeHopSubBlocks;
    private readonly double _momentaryFrames;
    private readonly double _shortTermFrames;
    private readonly double _absoluteGateEnergy;

    // Ring of the last 3 s of sub-block energies (sum over channels of squared K-weighted samples).
    private readonly double[] _ring;

    // Sum of each complete hop-long group of ring entries (group g holds ring[g·perHop … (g+1)·perHop − 1]),
    // so a window sum needs only its partial groups and these sums instead of all its entries.
    private readonly double[] _groupSums;
    private int _ringNext;
    private long _subBlocksDone;
    private double _subBlockEnergyLeft;
    private double _subBlockEnergyRight;
    private int _subBlockFill;

    private double[]? _captured; // ProcessSplit's second-half meter: completed sub-blocks' (left, right) energies
    private int _capturedCount;
    private double _momentaryEnergy;
    private double _shortTermEnergy;
    private double _maxMomentaryEnergy;
    private double _maxShortTermEnergy;
    private float _samplePeak;
    private float _truePeak;
    private float _blockTruePeak;
    private long _durationFrames;
    private long _nonFiniteSamples;

    /// <summary>Creates a meter.</summary>
    /// <param name="sampleRateHz">Sample rate, 8 000 – 384 000 Hz.</param>
    /// <param name="channels">1 (mono) or 2 (stereo).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public ProgramMeter(int sampleRateHz, int channels)
        : this(sampleRateHz, channels, 1)
    {
    }

    /// <summary>
    /// Creates a meter, optionally without true-peak detection (the oversampling interpolators are most of a meter's
    /// cost): with <paramref name="measureTruePeak"/> false the report's <see cref="LoudnessReport.TruePeakDbtp"/> is
    /// NaN (−∞ for silence: all-zero samples) and its PLR null; loudness, loudness range, sample peak and duration are measured exactly as with it.
    /// For passes that need only the loudness (an offline render's programme and pre-limiter loudness).
    /// </summary>
    /// <param name="sampleRateHz">Sample rate, 8 000 – 384 000 Hz.</param>
    /// <param name="channels">1 (mono) or 2 (stereo).</param>
    /// <param name="measureTruePeak">Whether to detect the true peak.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public ProgramMeter(int sampleRateHz, int channels, bool measureTruePeak)
        : this(sampleRateHz, channels, 1)
    {
        _measureTruePeak = measureTruePeak;
    }

    /// <summary>
    /// Creates a meter whose loudness-range blocks are taken every <paramref name="rangeHopsOf100Ms"/>
    /// × 100 ms instead of every 100 ms (10 gives libebur128's 1 s hop; for cross-checks only).
    /// </summary>
    internal ProgramMeter(int sampleRateHz, int channels, int rangeHopsOf100Ms)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRateHz, 384000);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, AudioBlock.MaxChannels);
        _sampleRateHz = sampleRateHz;
        _channels = channels;
        _measureTruePeak = true;
        _leftWeighting = new KWeightingFilter(sampleRateHz);
        _rightWeighting = new KWeightingFilter(sampleRateHz);
        _leftTruePeak = new TruePeakDetector(sampleRateHz);
        _rightTruePeak = new TruePeakDetector(sampleRateHz);

        // 100 ms hop rounded to whole frames (as libebur128 does for rates not divisible by 10).
        int hopFrames = (sampleRateHz + 5) / 10;
        _subBlockFrames = LargestDivisorAtMost(hopFrames, Math.Max(1, (int)(MaxSubBlockSeconds * sampleRateHz)));
        _subBlocksPerHop = hopFrames / _subBlockFrames;
        _momentarySubBlocks = 4 * _subBlocksPerHop;
        _shortTermSubBlocks = 30 * _subBlocksPerHop;
        _momentaryFrames = 4.0 * hopFrames;
        _shortTermFrames = 30.0 * hopFrames;
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeHopsOf100Ms, 1);
        _rangeHopSubBlocks = rangeHopsOf100Ms * _subBlocksPerHop;
        _ring = new double[_shortTermSubBlocks];
        _groupSums = new double[_shortTermSubBlocks / _subBlocksPerHop];
        _absoluteGateEnergy = Loudness.LufsToEnergy(AbsoluteGateLufs);
    }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRateHz => _sampleRateHz;

    /// <summary>Channels (1 or 2).</summary>
    public int Channels => _channels;

    /// <summary>Frames per sub-block: the time resolution of momentary and short-term loudness (≤ 2.5 ms).</summary>
    public int SubBlockFrames => _subBlockFrames;

    /// <summary>Current momentary loudness (last 400 ms, silence before the start), LUFS; −∞ when silent.</summary>
    public double MomentaryLufs => Loudness.EnergyToLufs(_momentaryEnergy);

    /// <summary>Current short-term loudness (last 3 s, silence before the start), LUFS; −∞ when silent.</summary>
    public double ShortTermLufs => Loudness.EnergyToLufs(_shortTermEnergy);

    /// <summary>Number of NaN or infinite samples seen (measured as 0).</summary>
    public long NonFiniteSampleCount => _nonFiniteSamples;

    /// <summary>Largest true-peak value (linear, all channels) of the last <c>Process</c> call. Owner thread.</summary>
    public float LastBlockTruePeak => _blockTruePeak;

    /// <summary>Largest true-peak value (linear, all channels) since Reset or <see cref="ResetProgramme"/>, without the interpolator's pending tail. Owner thread.</summary>
    public float TruePeakMax => _truePeak;

    /// <summary>
    /// For offline analysis that needs only the programme's true-peak maximum: stretches of a block that cannot raise
    /// <see cref="TruePeakMax"/> are not interpolated (the maximum and the report are exactly the same);
    /// <see cref="LastBlockTruePeak"/> is then exact only for a block that raised the maximum (otherwise at most it).
    /// Set before the first block.
    /// </summary>
    public bool ProgrammeTruePeakOnly { get; init; }

    /// <summary>Frames measured since Reset or <see cref="ResetProgramme"/>. Owner thread.</summary>
    public long DurationFrames => _durationFrames;

    /// <summary>
    /// Advances by an even amount whenever a gating or loudness-range block is added or the programme restarts (so a reader
    /// knows when integrated loudness or loudness range can have changed). Any thread.
    /// </summary>
    public int GatedSequence => _gatingBlocks.Sequence + _shortTermBlocks.Sequence;

    /// <summary>Measures one block (any length, mono or stereo as constructed). Allocation-free.</summary>
    /// <exception cref="ArgumentException">The block's channel count differs from the meter's (a caller bug; never on the normal path).</exception>
    public void Process(AudioBlock block)
    {
        if (block.Channels != _channels)
        {
            throw new ArgumentException($"The meter has {_channels} channel(s) but the block has {block.Channels}.", nameof(block));
        }

        Process(block.Channel(0), _channels == 2 ? block.Channel(1) : default);
    }

    /// <summary>Measures one block given as planar spans. Allocation-free.</summary>
    /// <param name="left">Left (or mono) samples.</param>
    /// <param name="right">Right samples, same length as <paramref name="left"/>; empty for a mono meter.</param>
    /// <exception cref="ArgumentException">A stereo meter got spans of different lengths (a caller bug; never on the normal path).</exception>
    public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        bool stereo = _channels == 2;
        if (stereo && right.Length != left.Length)
        {
            throw new ArgumentException($"Left has {left.Length} frames but right has {right.Length}.", nameof(right));
        }

        int frames = left.Length;
        if (frames == 0)
        {
            return;
        }

        _blockTruePeak = 0f;
        bool sanitizeLeft = TrackPeak(left, _leftTruePeak);
        bool sanitizeRight = stereo && TrackPeak(right, _rightTruePeak);
        AccumulateLoudness(left, right, sanitizeLeft, sanitizeRight);
    }

    /// <summary>
    /// Restarts the programme measurement — integrated loudness, loudness range, true and sample peak, maxima and
    /// duration — while momentary and short-term loudness run on without a gap (their windows and the filters keep
    /// their history). Gating and loudness-range blocks are taken again once a whole 400 ms / 3 s window lies after
    /// this call. O(1), allocation-free: the audio thread may call it between blocks. Owner thread.
    /// </summary>
    public void ResetProgramme()
    {
        _gatingBlocks.Clear();
        _shortTermBlocks.Clear();
        _subBlocksDone = 0;
        _maxMomentaryEnergy = 0.0;
        _maxShortTermEnergy = 0.0;
        _samplePeak = 0f;
        _truePeak = 0f;
        _durationFrames = 0;
        _nonFiniteSamples = 0;
    }

    /// <summary>
    /// Integrated loudness and loudness range of the programme so far (NaN while undefined), read by ONE thread other
    /// than the owner while the owner keeps calling <c>Process</c>: the histograms are read under their seqlock, so the
    /// owner never waits and the reader never sees a half-added block. The scan (two 8 000-bin histograms, tens of
    /// microseconds) runs on the reader. Also usable by the owner. Allocation-free, never throws.
    /// </summary>
    /// <param name="integratedLufs">Gated integrated loudness (BS.1770-4 §2.8), LUFS; NaN when no block passes the gates.</param>
    /// <param name="loudnessRangeLu">Loudness range (EBU Tech 3342), LU; NaN when undefined.</param>
    /// <returns><c>false</c> when every attempt overlapped a write (the outputs are then NaN; try again later).</returns>
    public bool TryReadGatedLoudness(out double integratedLufs, out double loudnessRangeLu)
    {
        for (int attempt = 0; attempt < 4; attempt++)
        {
            int gating = _gatingBlocks.Sequence;
            int range = _shortTermBlocks.Sequence;
            if (((gating | range) & 1) != 0)
            {
                continue; // a write is in progress (it takes nanoseconds)
            }

            double gated = _gatingBlocks.RelativeGatedMeanEnergy(IntegratedRelativeGateLu, out long included);
            double? lra = _shortTermBlocks.LoudnessRange(RangeRelativeGateLu, RangeLowPercentile, RangeHighPercentile);
            Interlocked.MemoryBarrier(); // the scan's loads complete before the sequences are read again
            if (gating == _gatingBlocks.Sequence && range == _shortTermBlocks.Sequence)
            {
                integratedLufs = included > 0 ? Loudness.EnergyToLufs(gated) : double.NaN;
                loudnessRangeLu = lra ?? double.NaN;
                return true;
            }
        }

        integratedLufs = double.NaN;
        loudnessRangeLu = double.NaN;
        return false;
    }

    /// <summary>
    /// Measures a block on each of two stereo meters of the same rate whose sub-blocks are aligned (both have seen
    /// the same number of frames since Reset, as a chain's input and output meters have): the two K-weighting
    /// recursions run interleaved, which is cheaper than two <see cref="Process(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    /// calls and gives bit-identical results. Falls back to two separate calls whenever the fused path does not
    /// apply (mono, different rates or lengths, unaligned sub-blocks, non-finite samples). Allocation-free.
    /// </summary>
    /// <param name="first">First meter.</param>
    /// <param name="firstLeft">First meter's left samples.</param>
    /// <param name="firstRight">First meter's right samples.</param>
    /// <param name="second">Second meter.</param>
    /// <param name="secondLeft">Second meter's left samples.</param>
    /// <param name="secondRight">Second meter's right samples.</param>
    /// <param name="filters">Scratch of length 4 (no state kept between calls).</param>
    /// <param name="sums">Scratch of length 4 (no state kept between calls).</param>
    internal static void ProcessTwo(
        ProgramMeter first,
        ReadOnlySpan<float> firstLeft,
        ReadOnlySpan<float> firstRight,
        ProgramMeter second,
        ReadOnlySpan<float> secondLeft,
        ReadOnlySpan<float> secondRight,
        KWeightingFilter[] filters,
        double[] sums)
    {
        int frames = firstLeft.Length;
        bool fusable = first._channels == 2 && second._channels == 2
            && first._sampleRateHz == second._sampleRateHz
            && first._subBlockFill == second._subBlockFill
            && firstRight.Length == frames && secondLeft.Length == frames && secondRight.Length == frames;
        if (!fusable || frames == 0)
        {
            first.Process(firstLeft, firstRight);
            second.Process(secondLeft, secondRight);
            return;
        }

        first._blockTruePeak = 0f;
        second._blockTruePeak = 0f;
        bool sanitizeFirstLeft = first.TrackPeak(firstLeft, first._leftTruePeak);
        bool sanitizeFirstRight = first.TrackPeak(firstRight, first._rightTruePeak);
        if (sanitizeFirstLeft || sanitizeFirstRight)
        {
            // Rare: the first meter's block the sanitising way (its peaks are done), then the second alone.
            first.AccumulateLoudness(firstLeft, firstRight, sanitizeFirstLeft, sanitizeFirstRight);
            second.Process(secondLeft, secondRight);
            return;
        }

        bool sanitizeSecondLeft = second.TrackPeak(secondLeft, second._leftTruePeak);
        bool sanitizeSecondRight = second.TrackPeak(secondRight, second._rightTruePeak);
        if (sanitizeSecondLeft || sanitizeSecondRight)
        {
            first.AccumulateLoudness(firstLeft, firstRight, sanitizeLeft: false, sanitizeRight: false);
            second.AccumulateLoudness(secondLeft, secondRight, sanitizeSecondLeft, sanitizeSecondRight);
            return;
        }

        AccumulateTwo(first, firstLeft, firstRight, second, secondLeft, secondRight, filters, sums);
        first._durationFrames += frames;
        second._durationFrames += frames;
    }

    /// <summary>
    /// Measures a whole stereo programme held in memory (<paramref name="left"/>, <paramref name="right"/>) on
    /// <paramref name="meter"/> as one <see cref="Process(ReadOnlySpan{float}, ReadOnlySpan{float})"/> call over it
    /// would, at about the cost of <see cref="ProcessTwo"/> over half of it: the programme is cut in two at a sub-block
    /// boundary near its middle and both halves run through the K-weighting together, the second on a helper meter whose
    /// filters first run over the second of audio before the cut (the filters' memory of that past decays below double
    /// precision within about 0.2 s, so the helper's state and sums are those of the uncut run) and which keeps its
    /// completed sub-blocks' energies; the main meter then takes those sub-blocks in order, so gating, loudness range,
    /// maxima and peaks are those of the uncut run, and its filters continue from the helper's state. Falls back to
    /// one Process call when that does not apply (mono, true-peak detection, a sub-block in progress, non-finite
    /// samples, under 4 s). For offline passes (allocates the helper); owner thread.
    /// </summary>
    /// <param name="meter">The meter.</param>
    /// <param name="left">Left samples of the whole programme.</param>
    /// <param name="right">Right samples, same length.</param>
    /// <returns>Whether the programme was measured in two halves (false: in one Process call).</returns>
    public static bool ProcessSplit(ProgramMeter meter, ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        int frames = left.Length;
        int cut = SplitCut(meter, frames);
        bool splittable = !meter._measureTruePeak && cut > 0 && right.Length == frames;
        if (!splittable)
        {
            meter.Process(left, right);
            return false;
        }

        float peakLeft = Processors.PeakScreen.FiniteAbsMax(left, out bool finiteLeft);
        float peakRight = Processors.PeakScreen.FiniteAbsMax(right, out bool finiteRight);
        if (!finiteLeft || !finiteRight)
        {
            meter.Process(left, right);
            return false;
        }

        meter._samplePeak = Math.Max(meter._samplePeak, Math.Max(peakLeft, peakRight));
        meter._blockTruePeak = 0f;
        long duration = meter._durationFrames;
        int tailFrames = frames - cut;
        ProgramMeter helper = SplitHelper(meter, tailFrames, left[..cut], right[..cut]);

        // [0, tailFrames) on the meter together with [cut, frames) on the helper; then the meter's rest up to the cut.
        var filters = new KWeightingFilter[4];
        var sums = new double[4];
        AccumulateTwo(meter, left[..tailFrames], right[..tailFrames], helper, left[cut..], right[cut..], filters, sums);
        meter.AccumulateLoudness(left[tailFrames..cut], right[tailFrames..cut], sanitizeLeft: false, sanitizeRight: false);
        meter.TakeSecondHalf(helper);
        meter._durationFrames = duration + frames;
        return true;
    }

    // Where ProcessSplit cuts a programme of `frames` into halves: a sub-block boundary at or
    // just after the middle; 0 when it is not cut (mono, a sub-block in progress, shorter than 4 warm-ups).
    private static int SplitCut(ProgramMeter meter, long frames)
    {
        int sub = meter._subBlockFrames;
        long cut = (((frames + 1) / 2) + sub - 1) / sub * sub;
        bool cuttable = meter._channels == 2 && meter._subBlockFill == 0 && meter._captured is null
            && frames >= 4L * SplitWarmUpFrames(meter) && cut < frames && cut <= int.MaxValue;
        return cuttable ? (int)cut : 0;
    }

    // The helper meter for the second half: its K-weighting run over the last second before the cut (`before`), its
    // completed sub-blocks captured for TakeSecondHalf.
    private static ProgramMeter SplitHelper(ProgramMeter meter, long tailFrames, ReadOnlySpan<float> beforeLeft, ReadOnlySpan<float> beforeRight)
    {
        int warmUp = SplitWarmUpFrames(meter);
        var helper = new ProgramMeter(meter._sampleRateHz, 2, measureTruePeak: false)
        {
            _captured = new double[2 * ((tailFrames / meter._subBlockFrames) + 1)],
        };
        double discard0 = 0, discard1 = 0;
        KWeightingFilter.AccumulateStereo(helper._leftWeighting, helper._rightWeighting, beforeLeft[^warmUp..], beforeRight[^warmUp..], ref discard0, ref discard1);
        return helper;
    }

    // The K-weighting of the helper's half taken over: its sub-blocks in order, as if this meter had filled them; then
    // its part-filled sub-block and its filters' state. The duration is the caller's.
    private void TakeSecondHalf(ProgramMeter helper)
    {
        for (int i = 0; i < helper._capturedCount; i += 2)
        {
            _subBlockEnergyLeft = helper._captured![i];
            _subBlockEnergyRight = helper._captured[i + 1];
            _subBlockFill = _subBlockFrames;
            CompleteSubBlock();
        }

        _subBlockEnergyLeft = helper._subBlockEnergyLeft;
        _subBlockEnergyRight = helper._subBlockEnergyRight;
        _subBlockFill = helper._subBlockFill;
        _leftWeighting.CopyStateFrom(helper._leftWeighting);
        _rightWeighting.CopyStateFrom(helper._rightWeighting);
    }



    // One second of audio, the second-half helper's warm-up.
    private static int SplitWarmUpFrames(ProgramMeter meter) => meter._sampleRateHz;

    // The K-weighting of two stereo meters with aligned sub-blocks over blocks of the same length, interleaved
    // (AccumulateTwoStereo), completing sub-blocks as they fill; peaks and durations are the caller's.
    private static void AccumulateTwo(ProgramMeter first, ReadOnlySpan<float> firstLeft, ReadOnlySpan<float> firstRight, ProgramMeter second, ReadOnlySpan<float> secondLeft, ReadOnlySpan<float> secondRight, KWeightingFilter[] filters, double[] sums)
    {
        int frames = firstLeft.Length;
        filters[0] = first._leftWeighting;
        filters[1] = first._rightWeighting;
        filters[2] = second._leftWeighting;
        filters[3] = second._rightWeighting;
        int offset = 0;
        while (offset < frames)
        {
            int n = Math.Min(frames - offset, first._subBlockFrames - first._subBlockFill);
            sums[0] = first._subBlockEnergyLeft;
            sums[1] = first._subBlockEnergyRight;
            sums[2] = second._subBlockEnergyLeft;
            sums[3] = second._subBlockEnergyRight;
            KWeightingFilter.AccumulateTwoStereo(filters, firstLeft.Slice(offset, n), firstRight.Slice(offset, n), secondLeft.Slice(offset, n), secondRight.Slice(offset, n), sums);
            first._subBlockEnergyLeft = sums[0];
            first._subBlockEnergyRight = sums[1];
            second._subBlockEnergyLeft = sums[2];
            second._subBlockEnergyRight = sums[3];
            offset += n;
            first.AdvanceSubBlock(n);
            second.AdvanceSubBlock(n);
        }
    }

    /// <summary>Clears all measurements and filter state, as if newly constructed. Allocation-free.</summary>
    public void Reset()
    {
        _leftWeighting.Reset();
        _rightWeighting.Reset();
        _leftTruePeak.Reset();
        _rightTruePeak.Reset();
        _gatingBlocks.Clear();
        _shortTermBlocks.Clear();
        Array.Clear(_ring);
        Array.Clear(_groupSums);
        _ringNext = 0;
        _subBlocksDone = 0;
        _subBlockEnergyLeft = 0.0;
        _subBlockEnergyRight = 0.0;
        _subBlockFill = 0;
        _momentaryEnergy = 0.0;
        _shortTermEnergy = 0.0;
        _maxMomentaryEnergy = 0.0;
        _maxShortTermEnergy = 0.0;
        _samplePeak = 0f;
        _truePeak = 0f;
        _blockTruePeak = 0f;
        _durationFrames = 0;
        _nonFiniteSamples = 0;
    }

    /// <summary>
    /// Integrated loudness and loudness range of several programmes measured as one (an album: BS.1770-4 gating and
    /// EBU Tech 3342 over the blocks of every meter together, as libebur128's <c>ebur128_loudness_global_multiple</c>;
    /// no block spans two programmes). Any rates and channel counts. Allocates two histograms; owner thread of every meter.
    /// </summary>
    /// <param name="meters">The programmes' meters.</param>
    /// <param name="integratedLufs">Gated integrated loudness of all blocks, LUFS; NaN when no block passes the gates.</param>
    /// <param name="loudnessRangeLu">Loudness range of all short-term blocks, LU; NaN when undefined.</param>
    public static void MeasureTogether(IEnumerable<ProgramMeter> meters, out double integratedLufs, out double loudnessRangeLu)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var gating = new LoudnessHistogram();
        var shortTerm = new LoudnessHistogram();
        foreach (ProgramMeter meter in meters)
        {
            gating.AddFrom(meter._gatingBlocks);
            shortTerm.AddFrom(meter._shortTermBlocks);
        }

        double gated = gating.RelativeGatedMeanEnergy(IntegratedRelativeGateLu, out long included);
        integratedLufs = included > 0 ? Loudness.EnergyToLufs(gated) : double.NaN;
        loudnessRangeLu = shortTerm.LoudnessRange(RangeRelativeGateLu, RangeLowPercentile, RangeHighPercentile) ?? double.NaN;
    }

    /// <summary>
    /// The measurement so far. The true peak includes the interpolator's pending tail as if the
    /// programme ended here, without disturbing the running measurement. Allocation-free; owner thread only.
    /// </summary>
    public LoudnessReport GetReport()
    {
        double? integrated = null;
        double gated = _gatingBlocks.RelativeGatedMeanEnergy(IntegratedRelativeGateLu, out long included);
        if (included > 0)
        {
            integrated = Loudness.EnergyToLufs(gated);
        }

        double? range = _shortTermBlocks.LoudnessRange(RangeRelativeGateLu, RangeLowPercentile, RangeHighPercentile);
        float truePeak = Math.Max(_truePeak, _leftTruePeak.PeekPendingPeak());
        if (_channels == 2)
        {
            truePeak = Math.Max(truePeak, _rightTruePeak.PeekPendingPeak());
        }

        // Without detection the true peak is unknown (NaN), except for silence: all-zero samples interpolate to zero.
        double truePeakDbtp = _measureTruePeak ? Loudness.LinearToDb(truePeak) : _samplePeak == 0f ? double.NegativeInfinity : double.NaN;
        double? plr = _measureTruePeak && integrated.HasValue && truePeak > 0f ? truePeakDbtp - integrated.Value : null;
        return new LoudnessReport(
            integrated,
            range,
            _maxMomentaryEnergy > 0.0 ? Loudness.EnergyToLufs(_maxMomentaryEnergy) : null,
            _maxShortTermEnergy > 0.0 ? Loudness.EnergyToLufs(_maxShortTermEnergy) : null,
            truePeakDbtp,
            Loudness.LinearToDb(_samplePeak),
            plr,
            _durationFrames,
            _sampleRateHz,
            _nonFiniteSamples);
    }

    private static int LargestDivisorAtMost(int value, int limit)
    {
        for (int d = Math.Min(value, limit); d > 1; d--)
        {
            if (value % d == 0)
            {
                return d;
            }
        }

        return 1;
    }

    // K-weighted energy of a block (peaks already tracked) into the sub-blocks, completing them as they fill.
    private void AccumulateLoudness(ReadOnlySpan<float> left, ReadOnlySpan<float> right, bool sanitizeLeft, bool sanitizeRight)
    {
        bool stereo = _channels == 2;
        int frames = left.Length;
        int offset = 0;
        while (offset < frames)
        {
            int n = Math.Min(frames - offset, _subBlockFrames - _subBlockFill);
            if (stereo && !sanitizeLeft && !sanitizeRight)
            {
                KWeightingFilter.AccumulateStereo(_leftWeighting, _rightWeighting, left.Slice(offset, n), right.Slice(offset, n), ref _subBlockEnergyLeft, ref _subBlockEnergyRight);
            }
            else
            {
                _leftWeighting.Accumulate(left.Slice(offset, n), sanitizeLeft, ref _subBlockEnergyLeft);
                if (stereo)
                {
                    _rightWeighting.Accumulate(right.Slice(offset, n), sanitizeRight, ref _subBlockEnergyRight);
                }
            }

            offset += n;
            AdvanceSubBlock(n);
        }

        _durationFrames += frames;
    }

    private void AdvanceSubBlock(int frames)
    {
        _subBlockFill += frames;
        if (_subBlockFill == _subBlockFrames)
        {
            CompleteSubBlock();
        }
    }

    // Sample and true peak of one channel's block; returns true when the block holds non-finite
    // samples (then counted, and measured as 0).
    private bool TrackPeak(ReadOnlySpan<float> x, TruePeakDetector detector)
    {
        bool sanitize = false;
        float peak = Processors.PeakScreen.FiniteAbsMax(x, out bool finite);
        if (!finite)
        {
            sanitize = true;
            peak = 0f;
            for (int i = 0; i < x.Length; i++)
            {
                float v = x[i];
                if (float.IsFinite(v))
                {
                    peak = Math.Max(peak, Math.Abs(v));
                }
                else
                {
                    _nonFiniteSamples++;
                }
            }
        }

        _samplePeak = Math.Max(_samplePeak, peak);
        if (!_measureTruePeak)
        {
            return sanitize;
        }

        // A finite sample peak means every sample is finite: the detector need not scan the block again.
        float truePeak = detector.ProcessBlock(x, knownFinite: !sanitize, ProgrammeTruePeakOnly ? _truePeak : 0f);
        _blockTruePeak = Math.Max(_blockTruePeak, truePeak);
        _truePeak = Math.Max(_truePeak, truePeak);
        return sanitize;
    }

    private void CompleteSubBlock()
    {
        if (_captured is not null)
        {
            // Capture mode (the second half of ProcessSplit): keep the sub-block's energies for the main meter.
            _captured[_capturedCount++] = _subBlockEnergyLeft;
            _captured[_capturedCount++] = _subBlockEnergyRight;
            _subBlockEnergyLeft = 0.0;
            _subBlockEnergyRight = 0.0;
            _subBlockFill = 0;
            return;
        }

        _ring[_ringNext] = _subBlockEnergyLeft + _subBlockEnergyRight;
        _ringNext++;
        int perGroup = _subBlocksPerHop;
        if (_ringNext % perGroup == 0)
        {
            int group = (_ringNext / perGroup) - 1;
            _groupSums[group] = TensorPrimitives.Sum<double>(_ring.AsSpan(group * perGroup, perGroup));
        }

        if (_ringNext == _ring.Length)
        {
            _ringNext = 0;
        }

        _subBlockEnergyLeft = 0.0;
        _subBlockEnergyRight = 0.0;
        _subBlockFill = 0;
        _subBlocksDone++;

        // Windows are re-summed from the ring (no running sum), so a loud passage leaves no
        // cancellation residue and silence reads exactly −∞.
        _momentaryEnergy = SumOfLast(_momentarySubBlocks) / _momentaryFrames;
        _shortTermEnergy = SumOfLast(_shortTermSubBlocks) / _shortTermFrames;
        _maxMomentaryEnergy = Math.Max(_maxMomentaryEnergy, _momentaryEnergy);
        _maxShortTermEnergy = Math.Max(_maxShortTermEnergy, _shortTermEnergy);

        if (_subBlocksDone % _subBlocksPerHop != 0)
        {
            return;
        }

        // BS.1770-4 §2.8: 400 ms gating blocks, 75 % overlap, absolute gate −70 LUFS.
        if (_subBlocksDone >= _momentarySubBlocks && _momentaryEnergy >= _absoluteGateEnergy)
        {
            _gatingBlocks.Add(_momentaryEnergy);
        }

        // EBU Tech 3342: 3 s short-term blocks at 10 Hz, absolute gate −70 LUFS.
        if (_subBlocksDone >= _shortTermSubBlocks && _subBlocksDone % _rangeHopSubBlocks == 0 && _shortTermEnergy >= _absoluteGateEnergy)
        {
            _shortTermBlocks.Add(_shortTermEnergy);
        }
    }

    // Sum of the newest count ring entries (count a whole number of groups): the newest partial group entry by
    // entry, the complete groups by their stored sums, and the part of the oldest group still in the window
    // entry by entry. All terms are ≥ 0, so there is no cancellation, and silence sums to exactly 0.
    private double SumOfLast(int count)
    {
        int perGroup = _subBlocksPerHop;
        int groups = _groupSums.Length;
        int next = _ringNext;
        int partial = next % perGroup;
        int currentGroup = next / perGroup; // the group being filled (next < ring length, so 0 … groups − 1)
        int fullGroups = count / perGroup;
        double sum = 0.0;
        if (partial != 0)
        {
            // Newest entries of the current group, and the oldest group's entries from the same offset on.
            sum = TensorPrimitives.Sum<double>(_ring.AsSpan(currentGroup * perGroup, partial));
            int oldest = currentGroup - fullGroups;
            if (oldest < 0)
            {
                oldest += groups;
            }

            sum += TensorPrimitives.Sum<double>(_ring.AsSpan((oldest * perGroup) + partial, perGroup - partial));
            fullGroups--;
        }

        for (int k = 1; k <= fullGroups; k++)
        {
            int g = currentGroup - k;
            if (g < 0)
            {
                g += groups;
            }

            sum += _groupSums[g];
        }

        return sum;
    }
}
