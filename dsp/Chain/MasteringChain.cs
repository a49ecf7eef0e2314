using System.Runtime.Intrinsics;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Chain;

/// <summary>
/// The mastering chain in its fixed order: trim → DC/high-pass → EQ → compressor → width → loudness gain →
/// true-peak limiter → dither, with per-stage click-free bypass, constant latency, input sanitising and
/// optional meter taps on input and output.
/// </summary>
/// <remarks>
/// <para>
/// Threading: every <c>Set…</c> method, <see cref="SetBypass"/>, the taps and the gain-reduction reads may be
/// called from a control thread while <see cref="Process"/> runs on the audio thread, and also before
/// <see cref="Prepare"/> (an offline render sets everything, then prepares). Setters validate (and throw
/// <see cref="ArgumentOutOfRangeException"/>) on the calling thread; filter design runs there too; the audio
/// thread only swaps immutable snapshots by reference at block start and ramps continuous values per sample.
/// <see cref="Prepare"/> and <see cref="Reset"/> are control-thread calls that must not overlap <see cref="Process"/>.
/// </para>
/// <para>
/// Bypass: a bypassed stage keeps processing (its detectors and filters stay warm) and its output is
/// crossfaded linearly over <see cref="BypassFadeMs"/> with its input; for the limiter the input is taken from a
/// delay line of the limiter's latency, so bypass never changes the chain's latency.
/// </para>
/// <para>
/// Input sanitising: NaN and ±∞ become 0 and are counted (<see cref="NonFiniteSampleCount"/>); finite samples
/// are clamped to ±<see cref="InputClampLinear"/> (+60 dBFS) and magnitudes below 1e-30 become 0 (no
/// subnormals enter the chain). Taps: the input tap sees the sanitised input, the output tap the final output.
/// </para>
/// <para>
/// Block size: any block size works; blocks longer than MaxBlockFrames are processed in chunks. With fixed
/// parameters the output is bit-identical for any block size (every ramp and control loop is per sample).
/// </para>
/// </remarks>
public sealed class MasteringChain : IAudioProcessor
{
    /// <summary>Length of the bypass crossfade, ms.</summary>
    public const double BypassFadeMs = 10;

    /// <summary>Largest input magnitude passed on (+60 dBFS); larger finite samples are clamped.</summary>
    public const float InputClampLinear = 1000f;

    /// <summary>Lowest loudness gain, dB.</summary>
    public const double MinLoudnessGainDb = -60;

    /// <summary>Highest loudness gain, dB.</summary>
    public const double MaxLoudnessGainDb = 40;

    private const int StageCount = 8;

    private readonly GainProcessor _trim = new(TrimSettings.MinGainDb, TrimSettings.MaxGainDb, smoothingMs: 20);
    private readonly HighPassFilter _highPass = new();
    private readonly ParametricEq _eq = new();
    private readonly GlueCompressor _compressor = new();
    private readonly StereoWidth _width = new();
    private readonly GainProcessor _loudness = new(MinLoudnessGainDb, MaxLoudnessGainDb, smoothingMs: 50);
    private readonly TruePeakLimiter _limiter = new();
    private readonly TpdfDither _dither = new();
    private readonly IAudioProcessor[] _stages;
    private readonly int[] _bypassRequested = new int[StageCount];
    private readonly double[] _fade = new double[StageCount];

    private IAudioTap? _inputTap;
    private IAudioTap? _outputTap;
    private IAudioTap? _limiterDeltaTap;
    private float[][] _delta = [];
    private long _nonFiniteCount;
    private ProcessSpec _spec;
    private bool _prepared;
    private float[][] _dry = [];
    private int _limiterLatency;
    private double _fadeStep;

    /// <summary>Creates the chain with every stage at its defaults (flat EQ, HPF 20 Hz/12 dB, compressor 2:1 at −18 dB, width 100 %, limiter −1 dBTP, dither off).</summary>
    public MasteringChain()
    {
        _stages = [_trim, _highPass, _eq, _compressor, _width, _loudness, _limiter, _dither];
        for (int i = 0; i < StageCount; i++)
        {
            _fade[i] = 1;
        }
    }

    /// <summary>Total latency of the chain, frames (the limiter's look-ahead path; constant across bypass). Valid after Prepare.</summary>
    public int LatencyFrames => _limiterLatency;

    /// <summary>
    /// Whether a stage whose bypass crossfade has finished is left idle instead of kept running. False (the default, the
    /// box): a bypassed stage keeps processing so that its filters and detectors are warm when it returns. True (an offline
    /// render, whose bypass never changes while it runs): a fully bypassed trim, high-pass, EQ, width, loudness gain or
    /// dither is not run at all; its output would be its input, so the audio is exactly the same. The compressor (its
    /// gain-reduction readout) and the limiter (its delay line carries the dry path) always run. Set before processing.
    /// </summary>
    public bool IdleBypassedStages { get; set; }

    /// <summary>Number of NaN/±∞ input samples replaced by 0 since Prepare. Any thread.</summary>
    public long NonFiniteSampleCount => Interlocked.Read(ref _nonFiniteCount);

    /// <summary>The spec given to the last Prepare.</summary>
    public ProcessSpec Spec => _spec;

    /// <summary>Current trim settings.</summary>
    public TrimSettings Trim => new() { GainDb = _trim.GainDb };

    /// <summary>Current high-pass settings.</summary>
    public HighPassSettings HighPass => _highPass.Settings;

    /// <summary>Current compressor settings.</summary>
    public CompressorSettings Compressor => _compressor.Settings;

    /// <summary>Current width settings.</summary>
    public WidthSettings Width => _width.Settings;

    /// <summary>Current loudness gain, dB.</summary>
    public double LoudnessGainDb => _loudness.GainDb;

    /// <summary>Current limiter settings.</summary>
    public LimiterSettings Limiter => _limiter.Settings;

    /// <summary>Current dither settings.</summary>
    public DitherSettings Dither => _dither.Settings;

    /// <summary>Sets the input trim. Any thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Gain out of range.</exception>
    public void SetTrim(TrimSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        SetTrimGainDb(settings.GainDb);
    }

    /// <summary>Sets the input trim gain without building a record (a knob detent allocates nothing). Any thread.</summary>
    /// <param name="gainDb">Gain, dB (<see cref="TrimSettings.MinGainDb"/>..<see cref="TrimSettings.MaxGainDb"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">Gain out of range.</exception>
    public void SetTrimGainDb(double gainDb) => _trim.SetGainDb(gainDb);

    /// <summary>Sets the DC blocker / high-pass. Control thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void SetHighPass(HighPassSettings settings) => _highPass.Settings = settings;

    /// <summary>Current settings of EQ band <paramref name="bandIndex"/> (0–6).</summary>
    public EqBandSettings GetEqBand(int bandIndex) => _eq.GetBand(bandIndex);

    /// <summary>Sets EQ band <paramref name="bandIndex"/> (0–6; default layout HP, low shelf, 3 bells, high shelf, LP). Control thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Band index or a field out of range.</exception>
    public void SetEqBand(int bandIndex, EqBandSettings settings) => _eq.SetBand(bandIndex, settings);

    /// <summary>Designed EQ magnitude at <paramref name="frequencyHz"/>, dB, at the prepared rate (for UI curves). Control thread.</summary>
    public double EqMagnitudeDb(double frequencyHz) => _eq.MagnitudeDb(frequencyHz, _spec.SampleRateHz > 0 ? _spec.SampleRateHz : 48000);

    /// <summary>Sets the glue compressor. Control thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void SetCompressor(CompressorSettings settings) => _compressor.Settings = settings;

    /// <summary>
    /// Tells the glue compressor the programme's measured integrated loudness at its input, LUFS (NaN = unknown: the
    /// reference <see cref="GlueCompressor.ReferenceLoudnessLufs"/> is assumed). Only the compressor's detector is offset
    /// (by reference − programme), so its threshold is relative to the programme and its reduction does not depend on the
    /// input level; the audio path's gain structure is unchanged. A runtime measurement (render: its first pass; the box:
    /// a learn), not a preset parameter. Allocation-free; applied at block start. Any control thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not NaN and outside <see cref="GlueCompressor.MinProgrammeLoudnessLufs"/>..<see cref="GlueCompressor.MaxProgrammeLoudnessLufs"/>.</exception>
    public void SetProgrammeLoudness(double lufs) => _compressor.ProgrammeLoudnessLufs = lufs;

    /// <summary>The programme loudness the compressor's detector is offset for, LUFS (NaN = unknown).</summary>
    public double ProgrammeLoudnessLufs => _compressor.ProgrammeLoudnessLufs;

    /// <summary>Sets width and mono-below. Control thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void SetWidth(WidthSettings settings) => _width.Settings = settings;

    /// <summary>Sets the loudness gain (from loudness targeting), dB (−60..+40), smoothed per sample (50 ms). Any thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Out of range.</exception>
    public void SetLoudnessGainDb(double gainDb) => _loudness.SetGainDb(gainDb);

    /// <summary>Sets the limiter. The look-ahead (and so <see cref="LatencyFrames"/>) changes only at the next Prepare. Any thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void SetLimiter(LimiterSettings settings) => _limiter.Settings = settings;

    /// <summary>The limiter's detector grid, 8 or 4 (<see cref="TruePeakLimiter.DetectorOversampling"/>). Any thread, also while running.</summary>
    public int LimiterDetectorOversampling
    {
        get => _limiter.DetectorOversampling;
        set => _limiter.DetectorOversampling = value;
    }

    /// <summary>Sets dither. Use Bits = 0 whenever the output word is float. Any thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void SetDither(DitherSettings settings) => _dither.Settings = settings;

    /// <summary>Bypasses or restores <paramref name="stage"/> with a <see cref="BypassFadeMs"/> crossfade. Any thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown stage.</exception>
    public void SetBypass(ChainStage stage, bool bypassed)
    {
        int index = StageIndex(stage);
        Volatile.Write(ref _bypassRequested[index], bypassed ? 1 : 0);
    }

    /// <summary>Whether <paramref name="stage"/> is (being) bypassed. Any thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown stage.</exception>
    public bool IsBypassed(ChainStage stage) => Volatile.Read(ref _bypassRequested[StageIndex(stage)]) != 0;

    /// <summary>Compressor gain reduction: current and max since the previous call (which this call restarts). Any thread.</summary>
    public GainReductionReading ReadCompressorGainReduction() => _compressor.GainReduction.Read();

    /// <summary>Limiter gain reduction: current and max since the previous call (which this call restarts). Any thread.</summary>
    public GainReductionReading ReadLimiterGainReduction() => _limiter.GainReduction.Read();

    /// <summary>Attaches (or with null detaches) a tap that sees the sanitised input of every block. Any thread.</summary>
    public void SetInputTap(IAudioTap? tap) => Volatile.Write(ref _inputTap, tap);

    /// <summary>Attaches (or with null detaches) a tap that sees the final output of every block. Any thread.</summary>
    public void SetOutputTap(IAudioTap? tap) => Volatile.Write(ref _outputTap, tap);

    /// <summary>
    /// Attaches (or with null detaches) a tap that sees, for every block, what the limiter took away: its input delayed
    /// by its latency minus its output (after its bypass crossfade), so 0 dB of gain reduction or a bypassed limiter
    /// gives exact silence. The audio passing through the chain is not touched. Any thread. (Issue 14, delta listen.)
    /// </summary>
    public void SetLimiterDeltaTap(IAudioTap? tap) => Volatile.Write(ref _limiterDeltaTap, tap);

    /// <inheritdoc />
    public void Prepare(in ProcessSpec spec)
    {
        spec.Validate();
        _spec = spec;
        foreach (var stage in _stages)
        {
            stage.Prepare(spec);
        }

        _dry = new float[spec.Channels][];
        for (int c = 0; c < spec.Channels; c++)
        {
            _dry[c] = new float[spec.MaxBlockFrames];
        }

        _delta = new float[spec.Channels][];
        for (int c = 0; c < spec.Channels; c++)
        {
            _delta[c] = new float[spec.MaxBlockFrames];
        }

        _limiterLatency = _limiter.LatencyFrames;
        _fadeStep = 1000.0 / (BypassFadeMs * spec.SampleRateHz);
        Interlocked.Exchange(ref _nonFiniteCount, 0);
        _prepared = true;
        Reset();
    }

    /// <inheritdoc />
    public void Reset()
    {
        foreach (var stage in _stages)
        {
            stage.Reset();
        }

        for (int i = 0; i < StageCount; i++)
        {
            _fade[i] = Volatile.Read(ref _bypassRequested[i]) != 0 ? 0 : 1;
        }
    }

    /// <inheritdoc />
    public void Process(AudioBlock block)
    {
        if (!_prepared)
        {
            return;
        }

        int max = _spec.MaxBlockFrames;
        for (int start = 0; start < block.Frames; start += max)
        {
            ProcessChunk(block.Slice(start, Math.Min(max, block.Frames - start)), StageCount);
        }
    }

    /// <summary>
    /// Analysis fast path: sanitises <paramref name="block"/> in place, feeds the input tap and runs only the stages
    /// before <paramref name="stage"/> (for example <see cref="ChainStage.LoudnessGain"/>: trim, high-pass, EQ,
    /// compressor and width; the loudness gain, limiter and dither are skipped). The output tap is not fed. The block
    /// then holds exactly what reaches <paramref name="stage"/> in <see cref="Process"/> with the same settings, which
    /// is all an offline render's loudness-measuring first pass needs. Audio thread; allocation-free, never throws
    /// (<see cref="ChainStage.Dither"/> + 1 or more runs every stage).
    /// </summary>
    /// <remarks>
    /// The skipped stages keep their state (their history does not advance), so call <see cref="Reset"/> before
    /// switching the same chain from analysis to <see cref="Process"/>.
    /// </remarks>
    /// <param name="stage">First stage not to run.</param>
    /// <param name="block">The audio, processed in place.</param>
    public void ProcessUntil(ChainStage stage, AudioBlock block)
    {
        if (!_prepared)
        {
            return;
        }

        int index = (int)stage;
        int stages = index < 0 ? 0 : Math.Min(index, StageCount);
        int max = _spec.MaxBlockFrames;
        for (int start = 0; start < block.Frames; start += max)
        {
            ProcessChunk(block.Slice(start, Math.Min(max, block.Frames - start)), stages);
        }
    }

    /// <summary>
    /// Resume path for an offline render that keeps an earlier pass's audio: runs only the stages from
    /// <paramref name="first"/> up to (not including) <paramref name="until"/> on a block that already holds what reaches
    /// <paramref name="first"/> (the output of <see cref="ProcessUntil"/>(<paramref name="first"/>) of a chain with the
    /// same settings for those earlier stages). The block is not sanitised again and the input tap is not fed; the output
    /// tap is fed when the last stage runs. Running <see cref="ProcessUntil"/>(S) and then this from S over the same blocks
    /// gives exactly the output of <see cref="Process"/>. Audio thread; allocation-free, never throws.
    /// </summary>
    /// <param name="first">First stage to run.</param>
    /// <param name="until">First stage not to run (<see cref="ChainStage.Dither"/> + 1 or more: to the end).</param>
    /// <param name="block">The audio, processed in place.</param>
    public void ProcessStages(ChainStage first, ChainStage until, AudioBlock block)
    {
        if (!_prepared)
        {
            return;
        }

        int from = Math.Clamp((int)first, 0, StageCount);
        int to = Math.Clamp((int)until, 0, StageCount);
        int channels = Math.Min(block.Channels, _spec.Channels);
        int max = _spec.MaxBlockFrames;
        for (int start = 0; start < block.Frames; start += max)
        {
            AudioBlock chunk = block.Slice(start, Math.Min(max, block.Frames - start));
            for (int s = from; s < to; s++)
            {
                RunStage(s, chunk, channels);
            }

            if (to == StageCount && from < to)
            {
                Volatile.Read(ref _outputTap)?.Process(chunk);
            }
        }
    }

    private static int StageIndex(ChainStage stage)
    {
        int index = (int)stage;
        if ((uint)index >= StageCount)
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown chain stage.");
        }

        return index;
    }

    private void ProcessChunk(AudioBlock block, int stages)
    {
        int channels = Math.Min(block.Channels, _spec.Channels);
        long bad = 0;
        for (int c = 0; c < channels; c++)
        {
            bad += Sanitise(block.Channel(c));
        }

        if (bad > 0)
        {
            Interlocked.Add(ref _nonFiniteCount, bad);
        }

        Volatile.Read(ref _inputTap)?.Process(block);

        for (int s = 0; s < stages; s++)
        {
            RunStage(s, block, channels);
        }

        if (stages == StageCount)
        {
            Volatile.Read(ref _outputTap)?.Process(block);
        }
    }

    private void RunStage(int stage, AudioBlock block, int channels)
    {
        RunStageCore(stage, block, channels);
        if (stage == (int)ChainStage.Limiter && Volatile.Read(ref _limiterDeltaTap) is { } deltaTap)
        {
            FeedLimiterDelta(deltaTap, block, channels);
        }
    }

    private void FeedLimiterDelta(IAudioTap tap, AudioBlock block, int channels)
    {
        int frames = block.Frames;
        for (int c = 0; c < channels; c++)
        {
            var delta = _delta[c].AsSpan(0, frames);
            _limiter.CopyDelayedInput(c, delta);
            var output = block.Channel(c);
            for (int i = 0; i < frames; i++)
            {
                delta[i] -= output[i];
            }
        }

        if (channels == 1)
        {
            tap.Process(new AudioBlock(_delta[0].AsSpan(0, frames)));
        }
        else
        {
            tap.Process(new AudioBlock(_delta[0].AsSpan(0, frames), _delta[1].AsSpan(0, frames)));
        }
    }

    private void RunStageCore(int stage, AudioBlock block, int channels)
    {
        var processor = _stages[stage];
        bool isLimiter = stage == (int)ChainStage.Limiter;
        double target = Volatile.Read(ref _bypassRequested[stage]) != 0 ? 0 : 1;
        double fade = _fade[stage];
        int frames = block.Frames;

        if (fade == 1 && target == 1)
        {
            processor.Process(block);
            return;
        }

        if (fade == 0 && target == 0 && IdleBypassedStages && !isLimiter && stage != (int)ChainStage.Compressor)
        {
            return; // fully bypassed: the output is the input (offline renders only; the box keeps the stage warm)
        }

        if (!isLimiter)
        {
            for (int c = 0; c < channels; c++)
            {
                block.Channel(c).CopyTo(_dry[c]);
            }
        }

        processor.Process(block);
        if (isLimiter)
        {
            // The limiter's dry path is its own input delay line (its latency), so bypass stays aligned.
            for (int c = 0; c < channels; c++)
            {
                _limiter.CopyDelayedInput(c, _dry[c].AsSpan(0, frames));
            }
        }

        if (fade == 0 && target == 0)
        {
            for (int c = 0; c < channels; c++)
            {
                _dry[c].AsSpan(0, frames).CopyTo(block.Channel(c));
            }

            return;
        }

        double step = _fadeStep;
        double f = fade;
        for (int c = 0; c < channels; c++)
        {
            var x = block.Channel(c);
            var dry = _dry[c];
            f = fade;
            for (int i = 0; i < frames; i++)
            {
                f = f < target ? Math.Min(target, f + step) : Math.Max(target, f - step);
                x[i] = (float)(dry[i] + (f * (x[i] - dry[i])));
            }
        }

        _fade[stage] = f;
    }

    // Four samples at a time: a group that is all in range (|v| in [1e-30, clamp], or +0) is left as is; any other
    // group is fixed sample by sample.
    private static int Sanitise(Span<float> x)
    {
        Vector128<float> low = Vector128.Create(1e-30f), high = Vector128.Create(InputClampLinear);
        int bad = 0;
        int i = 0;
        for (; i + 4 <= x.Length; i += 4)
        {
            Vector128<float> v = Vector128.Create<float>(x.Slice(i, 4));
            Vector128<float> magnitude = Vector128.Abs(v);
            Vector128<float> ok = (Vector128.GreaterThanOrEqual(magnitude, low) & Vector128.LessThanOrEqual(magnitude, high))
                | Vector128.Equals(v.AsInt32(), Vector128<int>.Zero).AsSingle();
            if (!Vector128.EqualsAll(ok.AsInt32(), Vector128<int>.AllBitsSet))
            {
                bad += SanitiseScalar(x.Slice(i, 4));
            }
        }

        return bad + SanitiseScalar(x[i..]);
    }

    private static int SanitiseScalar(Span<float> x)
    {
        int bad = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            if (!float.IsFinite(v))
            {
                x[i] = 0;
                bad++;
            }
            else if (Math.Abs(v) < 1e-30f)
            {
                x[i] = 0;
            }
            else if (Math.Abs(v) > InputClampLinear)
            {
                x[i] = MathF.CopySign(InputClampLinear, v);
            }
        }

        return bad;
    }
}
