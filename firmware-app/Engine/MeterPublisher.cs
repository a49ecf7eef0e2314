using System.Numerics.Tensors;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Engine;

/// <summary>
/// The engine's meters and how they reach the UI: input and output <see cref="ProgramMeter"/>s (one fused
/// <see cref="ProgramMeterPair"/>), the output <see cref="CorrelationMeter"/>, sample and true peaks, gain reduction per
/// stage; the audio thread measures and publishes per block, ONE reader thread takes <see cref="MeterSnapshot"/>s.
/// </summary>
/// <remarks>
/// <para>
/// Two publication paths, both lock-free and allocation-free on the audio thread:
/// "max since the previous read" values (peaks, true peak, momentary/short-term maxima, gain reduction) are atomic
/// max cells that the reader takes (read and zero in one exchange: no peak is lost or counted twice); "latest" values
/// (input short-term, correlation, true-peak max, loudness duration, bypass state) are one <see cref="MeterFrame"/>
/// written per block through a <see cref="SeqLock{T}"/>, so the reader never sees half of one block and half of another.
/// </para>
/// <para>
/// Integrated loudness and loudness range come from the meters' histograms, which the audio thread only increments
/// (O(1) every 100 ms); the reader scans them (<see cref="ProgramMeter.TryReadGatedLoudness"/>, under the histograms'
/// own seqlock) when they changed, at most every <c>reportIntervalFrames</c> of audio — never the audio thread.
/// </para>
/// <para>
/// A loudness reset (<see cref="RequestLoudnessReset"/>, any thread) is a flag; the audio thread performs it at the next
/// block start (<see cref="BeginBlock"/>, O(1)).
/// </para>
/// </remarks>
internal sealed class MeterPublisher
{
    private const double LufsCellOffset = 200;
    private readonly SeqLock<MeterFrame> _frames = new();
    private ProgramMeterPair? _pair;
    private CorrelationMeter? _correlation;
    private int _sampleRateHz;
    private long _reportIntervalFrames = 1;
    private int _resetRequested;

    // Max-since-read cells (AtomicFloat): linear peaks, LUFS + LufsCellOffset, dB of gain reduction.
    private int _inputPeakLeft;
    private int _inputPeakRight;
    private int _outputPeakLeft;
    private int _outputPeakRight;
    private int _truePeak;
    private int _momentary;
    private int _shortTerm;
    private int _inputMomentary;
    private int _compressorReduction;
    private int _limiterReduction;

    // Reader state (one reader thread).
    private int _outputGatedSequence = 1; // odd: never a completed sequence, so the first read computes
    private int _inputGatedSequence = 1;
    private long _gatedAtFrames = -1;
    private double _integratedLufs = double.NaN;
    private double _loudnessRangeLu = double.NaN;
    private double _inputIntegratedLufs = double.NaN;

    /// <summary>The input and output meters (null before <see cref="Prepare"/>).</summary>
    public ProgramMeterPair? Pair => Volatile.Read(ref _pair);

    /// <summary>Output short-term loudness now, LUFS. Audio thread.</summary>
    public double OutputShortTermLufs => _pair?.Output.ShortTermLufs ?? double.NegativeInfinity;

    /// <summary>Input short-term loudness now, LUFS. Audio thread.</summary>
    public double InputShortTermLufs => _pair?.Input.ShortTermLufs ?? double.NegativeInfinity;

    /// <summary>Creates the meters for a stream (kept when rate and block size allow) and clears them. Control thread, not while running.</summary>
    /// <param name="sampleRateHz">Rate.</param>
    /// <param name="blockFrames">Largest block.</param>
    /// <param name="reportIntervalMs">Least audio between two scans of the histograms by the reader, ms.</param>
    public void Prepare(int sampleRateHz, int blockFrames, int reportIntervalMs)
    {
        ProgramMeterPair? pair = _pair;
        if (pair is null || pair.Output.SampleRateHz != sampleRateHz || pair.MaxBlockFrames < blockFrames)
        {
            Volatile.Write(ref _pair, new ProgramMeterPair(new ProgramMeter(sampleRateHz, 2), new ProgramMeter(sampleRateHz, 2), blockFrames));
            _correlation = new CorrelationMeter(sampleRateHz);
        }

        _sampleRateHz = sampleRateHz;
        _reportIntervalFrames = Math.Max(1, (long)reportIntervalMs * sampleRateHz / 1000);
        Reset();
    }

    /// <summary>Clears every measurement, cell and the reader's cache. Control thread, not while running.</summary>
    public void Reset()
    {
        _pair?.Reset();
        _correlation?.Reset();
        Volatile.Write(ref _resetRequested, 0);
        _ = AtomicFloat.Take(ref _inputPeakLeft) + AtomicFloat.Take(ref _inputPeakRight) + AtomicFloat.Take(ref _outputPeakLeft)
            + AtomicFloat.Take(ref _outputPeakRight) + AtomicFloat.Take(ref _truePeak) + AtomicFloat.Take(ref _momentary)
            + AtomicFloat.Take(ref _shortTerm) + AtomicFloat.Take(ref _inputMomentary) + AtomicFloat.Take(ref _compressorReduction)
            + AtomicFloat.Take(ref _limiterReduction);
        _frames.Write(new MeterFrame { InputShortTermLufs = double.NegativeInfinity, Correlation = double.NaN });
        ResetReaderCache();
    }

    /// <summary>Asks the audio thread to restart integrated loudness, LRA, PLR and the true-peak max at its next block. Any thread.</summary>
    public void RequestLoudnessReset() => Volatile.Write(ref _resetRequested, 1);

    /// <summary>Performs a requested loudness reset. Audio thread, at block start (nothing pending in the pair).</summary>
    public void BeginBlock()
    {
        if (Volatile.Read(ref _resetRequested) == 0 || Interlocked.Exchange(ref _resetRequested, 0) == 0 || _pair is not { } pair)
        {
            return;
        }

        pair.Input.ResetProgramme();
        pair.Output.ResetProgramme();
    }

    /// <summary>Sample peaks of the device input (before the chain). Audio thread.</summary>
    public void MeasureInputPeaks(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        AtomicFloat.Max(ref _inputPeakLeft, Peak(left));
        AtomicFloat.Max(ref _inputPeakRight, Peak(right));
    }

    /// <summary>
    /// Measures the final output (with the input block the pair's input tap took from the chain), and the gain reduction of
    /// each dynamics stage — 0 while that stage is bypassed, whatever its (unheard) detector computes. Audio thread.
    /// </summary>
    public void MeasureOutput(Span<float> left, Span<float> right, MasteringChain chain)
    {
        AtomicFloat.Max(ref _outputPeakLeft, Peak(left));
        AtomicFloat.Max(ref _outputPeakRight, Peak(right));
        if (_pair is { } pair)
        {
            pair.OutputTap.Process(new AudioBlock(left, right));
            AtomicFloat.Max(ref _truePeak, pair.Output.LastBlockTruePeak);
            AtomicFloat.Max(ref _momentary, LufsToCell(pair.Output.MomentaryLufs));
            AtomicFloat.Max(ref _shortTerm, LufsToCell(pair.Output.ShortTermLufs));
            AtomicFloat.Max(ref _inputMomentary, LufsToCell(pair.Input.MomentaryLufs));
        }

        _correlation?.Process(left, right);
        float compressor = chain.ReadCompressorGainReduction().MaxSinceLastReadDb;
        float limiter = chain.ReadLimiterGainReduction().MaxSinceLastReadDb;
        BlockCompressorReductionDb = chain.IsBypassed(ChainStage.Compressor) ? 0 : compressor;
        BlockLimiterReductionDb = chain.IsBypassed(ChainStage.Limiter) ? 0 : limiter;
        AtomicFloat.Max(ref _compressorReduction, BlockCompressorReductionDb);
        AtomicFloat.Max(ref _limiterReduction, BlockLimiterReductionDb);
    }

    /// <summary>The compressor's largest gain reduction in the last block, dB (audio thread only: block observers).</summary>
    public float BlockCompressorReductionDb { get; private set; }

    /// <summary>The limiter's largest gain reduction in the last block, dB (audio thread only: block observers).</summary>
    public float BlockLimiterReductionDb { get; private set; }

    /// <summary>The output's true peak in the last block, linear (audio thread only: block observers; 0 without meters).</summary>
    public float BlockTruePeak => _pair?.Output.LastBlockTruePeak ?? 0;

    /// <summary>Publishes the block's latest state. Audio thread, after <see cref="MeasureOutput"/>.</summary>
    public void Publish(bool globalBypass, double bypassMatchDb)
    {
        ProgramMeterPair? pair = _pair;
        _frames.Write(new MeterFrame
        {
            InputShortTermLufs = pair?.Input.ShortTermLufs ?? double.NegativeInfinity,
            Correlation = _correlation?.Correlation ?? double.NaN,
            TruePeakMax = pair?.Output.TruePeakMax ?? 0,
            LoudnessFrames = pair?.Output.DurationFrames ?? 0,
            GlobalBypass = globalBypass,
            BypassMatchDb = bypassMatchDb,
        });
    }

    /// <summary>Takes a snapshot (max cells restart). One reader thread.</summary>
    /// <param name="blocks">Blocks processed.</param>
    /// <param name="deadlineMisses">Deadline misses.</param>
    /// <param name="cpuPercent">Compute load since the previous read, %.</param>
    public MeterSnapshot Read(long blocks, long deadlineMisses, double cpuPercent)
    {
        MeterFrame frame = _frames.Read();
        RefreshGated(frame.LoudnessFrames);
        double truePeakMaxDbtp = ToDb(frame.TruePeakMax);
        return new MeterSnapshot
        {
            InputPeakLeftDbfs = ToDb(AtomicFloat.Take(ref _inputPeakLeft)),
            InputPeakRightDbfs = ToDb(AtomicFloat.Take(ref _inputPeakRight)),
            OutputPeakLeftDbfs = ToDb(AtomicFloat.Take(ref _outputPeakLeft)),
            OutputPeakRightDbfs = ToDb(AtomicFloat.Take(ref _outputPeakRight)),
            TruePeakDbtp = ToDb(AtomicFloat.Take(ref _truePeak)),
            TruePeakMaxDbtp = truePeakMaxDbtp,
            MomentaryLufs = CellToLufs(AtomicFloat.Take(ref _momentary)),
            ShortTermLufs = CellToLufs(AtomicFloat.Take(ref _shortTerm)),
            IntegratedLufs = _integratedLufs,
            LoudnessRangeLu = _loudnessRangeLu,
            PlrDb = double.IsFinite(_integratedLufs) && double.IsFinite(truePeakMaxDbtp) ? truePeakMaxDbtp - _integratedLufs : double.NaN,
            InputMomentaryLufs = CellToLufs(AtomicFloat.Take(ref _inputMomentary)),
            InputShortTermLufs = frame.InputShortTermLufs,
            InputIntegratedLufs = _inputIntegratedLufs,
            Correlation = frame.Correlation,
            CompressorReductionDb = AtomicFloat.Take(ref _compressorReduction),
            LimiterReductionDb = AtomicFloat.Take(ref _limiterReduction),
            GlobalBypass = frame.GlobalBypass,
            BypassMatchDb = frame.BypassMatchDb,
            CpuPercent = cpuPercent,
            Blocks = blocks,
            DeadlineMisses = deadlineMisses,
            LoudnessSeconds = _sampleRateHz > 0 ? (double)frame.LoudnessFrames / _sampleRateHz : 0,
        };
    }

    /// <summary>The output meter's full report. Only while no device runs (the meter belongs to the audio thread).</summary>
    public LoudnessReport? OutputReport() => _pair?.Output.GetReport();

    private static float Peak(ReadOnlySpan<float> samples)
    {
        float peak = TensorPrimitives.MaxMagnitude(samples);
        return float.IsFinite(peak) ? Math.Abs(peak) : 0;
    }

    private static float LufsToCell(double lufs) => lufs > -LufsCellOffset + 1 ? (float)(lufs + LufsCellOffset) : 0;

    private static double CellToLufs(float cell) => cell > 0 ? cell - LufsCellOffset : double.NegativeInfinity;

    private static double ToDb(float linear) => linear > 0 ? 20 * Math.Log10(linear) : double.NegativeInfinity;

    private void ResetReaderCache()
    {
        _outputGatedSequence = 1;
        _inputGatedSequence = 1;
        _gatedAtFrames = -1;
        _integratedLufs = double.NaN;
        _loudnessRangeLu = double.NaN;
        _inputIntegratedLufs = double.NaN;
    }

    // Rescans the histograms when they changed and enough audio passed since the last scan (or the programme restarted).
    private void RefreshGated(long loudnessFrames)
    {
        if (_pair is not { } pair)
        {
            return;
        }

        int output = pair.Output.GatedSequence;
        int input = pair.Input.GatedSequence;
        bool changed = output != _outputGatedSequence || input != _inputGatedSequence;
        bool due = _gatedAtFrames < 0 || loudnessFrames < _gatedAtFrames || loudnessFrames - _gatedAtFrames >= _reportIntervalFrames;
        if (!changed || !due)
        {
            return;
        }

        if (pair.Output.TryReadGatedLoudness(out double integrated, out double range) && pair.Input.TryReadGatedLoudness(out double inputIntegrated, out _))
        {
            _integratedLufs = integrated;
            _loudnessRangeLu = range;
            _inputIntegratedLufs = inputIntegrated;
            _outputGatedSequence = output;
            _inputGatedSequence = input;
            _gatedAtFrames = loudnessFrames;
        }
    }
}
