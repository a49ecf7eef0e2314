using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// Feed-forward bus ("glue") compressor with a log-domain soft-knee gain computer, peak/RMS detection,
/// stereo link, side-chain high-pass, smooth attack/release (plus program-dependent auto release),
/// makeup, dry/wet mix and a gain-reduction readout. Latency 0.
/// </summary>
/// <remarks>
/// Gain computer and detector follow D. Giannoulis, M. Massberg, J. D. Reiss, "Digital Dynamic Range
/// Compressor Design — A Tutorial and Analysis", JAES 60(6), 2012: with overshoot o = level − threshold,
/// knee W and ratio R the reduction is 0 for 2o &lt; −W, (1 − 1/R)·(o + W/2)²/(2W) inside the knee and
/// (1 − 1/R)·o above it; the reduction (dB) is smoothed by a branching one-pole (attack when rising,
/// release when falling; time constant = time to 63 % of a step).
/// Control rate: with the RMS detector the gain computer and followers run once per control period P (a power of two,
/// at most 32 frames and at most 1/32 of the shortest follower time constant: P = 32 at 48 kHz for the presets' 30 ms
/// attack, P = 1 below about 1.3 ms), on the detector's power at that frame, with the followers' coefficients for P
/// frames (1 − e^(−P/τ), so the time constants are unchanged); the linear gain ramps in P equal steps to each new control
/// point's value. The RMS power is smooth (10 ms averaging), so this tracks the per-sample compressor within 0.0001 dB on
/// average and 0.04 dB at most on programme material (GlueCompressorControlRateTests), at a fraction of the cost.
/// The peak detector runs every frame (P = 1): its raw power changes from frame to frame.
/// Auto release adds a slow averaging follower (time constant 2·ReleaseMs) and uses the larger of the two
/// reductions while the fast follower releases at ReleaseMs/4: short transients recover quickly, sustained
/// reduction recovers slowly (the dual-release idea of classic bus compressors).
/// Threading: <see cref="Settings"/> may be set from the control thread at any time, also before Prepare.
/// The setter derives coefficients (and designs the side-chain filter) on the calling thread and publishes
/// an immutable snapshot that the audio thread picks up at block start. Makeup and mix are smoothed per
/// sample (20 ms); threshold, ratio and knee changes are smoothed by the attack/release follower itself.
/// Level independence: <see cref="ProgrammeLoudnessLufs"/> (a measurement, not a setting) offsets the detector by
/// <see cref="ReferenceLoudnessLufs"/> − programme loudness, so <see cref="CompressorSettings.ThresholdDb"/> means
/// "dB for a programme at the reference loudness" and the same settings take the same reduction from a quiet and a
/// loud mix. Only the detector sees the offset (the audio path's gain is unchanged); it is applied as an effective
/// threshold in the published snapshot, so a new value lands at block start and the follower smooths the step.
/// </remarks>
public sealed class GlueCompressor : IAudioProcessor
{
    private const double RmsWindowMs = 10;
    private const double DbPerLog2Power = 3.0102999566398119521373889472; // 10·log10(2)
    private const int ChunkFrames = 256;

    /// <summary>
    /// Longest control period, frames: the gain computer runs at least every this many frames (0.67 ms at 48 kHz).
    /// </summary>
    internal const int MaxControlPeriodFrames = 32;

    // The control period is at most 1/ControlPointsPerTimeConstant of the shortest follower time constant.
    private const int ControlPointsPerTimeConstant = 32;

    /// <summary>The programme loudness the threshold is written for, LUFS: with this programme (or none known) the detector sees no offset.</summary>
    public const double ReferenceLoudnessLufs = -18;

    /// <summary>Quietest programme loudness accepted, LUFS (the BS.1770 absolute gate).</summary>
    public const double MinProgrammeLoudnessLufs = -70;

    /// <summary>Loudest programme loudness accepted, LUFS.</summary>
    public const double MaxProgrammeLoudnessLufs = 0;

    private readonly object _designLock = new();
    private readonly GainReductionMeter _meter = new();
    private readonly double[] _work = new double[2 * ChunkFrames];
    private readonly TripleBuffer<Design> _published = new(default);
    private CompressorSettings _settings = new(); // control threads, under _designLock
    private Design _latest;                       // control threads, under _designLock: the design last published
    private double _programmeLufs = double.NaN;   // control threads, under _designLock: NaN = unknown (no offset)
    private bool _prepared;
    private int _sampleRateHz;
    private int _channels;

    // Audio-thread state (per channel: 0 = left, 1 = right).
    private double _meanSquare0, _meanSquare1;
    private int _phase;
    private GainRamp _gain0, _gain1;
    private double _reduction0, _reduction1;
    private double _slowReduction0, _slowReduction1;
    private double _hp0s1, _hp0s2, _hp1s1, _hp1s2;
    private SmoothedValue _makeup;
    private SmoothedValue _mix;

    /// <inheritdoc />
    public int LatencyFrames => 0;

    /// <summary>
    /// The measured integrated loudness of the programme at the compressor's input, LUFS, or NaN when unknown (then the
    /// reference is assumed: no offset). The detector is offset by <see cref="ReferenceLoudnessLufs"/> − this value.
    /// Setting publishes a new snapshot (no allocation); the audio thread takes it at block start. Any control thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not NaN and outside <see cref="MinProgrammeLoudnessLufs"/>..<see cref="MaxProgrammeLoudnessLufs"/>.</exception>
    public double ProgrammeLoudnessLufs
    {
        get
        {
            lock (_designLock)
            {
                return _programmeLufs;
            }
        }

        set
        {
            if (!double.IsNaN(value) && !(value >= MinProgrammeLoudnessLufs && value <= MaxProgrammeLoudnessLufs))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"Programme loudness must be {MinProgrammeLoudnessLufs}..{MaxProgrammeLoudnessLufs} LUFS (or NaN = unknown).");
            }

            lock (_designLock)
            {
                if (value.Equals(_programmeLufs))
                {
                    return;
                }

                _programmeLufs = value;
                if (_sampleRateHz > 0)
                {
                    _latest = new Design(_settings, _sampleRateHz, _latest.SidechainHighPass, DetectorOffsetDb(value));
                    _published.Publish(_latest);
                }
            }
        }
    }

    /// <summary>Gain-reduction readout (current and max since last read). Read from any thread.</summary>
    public GainReductionMeter GainReduction => _meter;

    /// <summary>Current settings. Setting validates and publishes (control thread).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public CompressorSettings Settings
    {
        get
        {
            lock (_designLock)
            {
                return _settings;
            }
        }

        set
        {
            value.Validate();
            lock (_designLock)
            {
                if (value == _settings)
                {
                    return; // the same values: nothing to redesign
                }

                CompressorSettings previous = _settings;
                _settings = value;
                if (_sampleRateHz > 0)
                {
                    // The side-chain high-pass is a matched design (the costly part): keep it when its corner is unchanged.
                    _latest = value.SidechainHighPassHz == previous.SidechainHighPassHz
                        ? new Design(value, _sampleRateHz, _latest.SidechainHighPass, DetectorOffsetDb(_programmeLufs))
                        : new Design(value, _sampleRateHz, DetectorOffsetDb(_programmeLufs));
                    _published.Publish(_latest);
                }
            }
        }
    }

    /// <inheritdoc />
    public void Prepare(in ProcessSpec spec)
    {
        spec.Validate();
        lock (_designLock)
        {
            _sampleRateHz = spec.SampleRateHz;
            _channels = spec.Channels;
            _makeup.Configure(20, spec.SampleRateHz);
            _mix.Configure(20, spec.SampleRateHz);
            _latest = new Design(_settings, spec.SampleRateHz, DetectorOffsetDb(_programmeLufs));
            _published.Publish(_latest);
            _prepared = true;
        }

        Reset();
    }

    /// <inheritdoc />
    public void Reset()
    {
        _meanSquare0 = _meanSquare1 = 0;
        _reduction0 = _reduction1 = 0;
        _slowReduction0 = _slowReduction1 = 0;
        _hp0s1 = _hp0s2 = _hp1s1 = _hp1s2 = 0;
        _phase = 0;
        _gain0 = _gain1 = new GainRamp(1, 1, 0);
        if (_prepared)
        {
            lock (_designLock)
            {
                _makeup.Target = _latest.MakeupGain;
                _mix.Target = _latest.Mix;
            }
        }

        _makeup.SnapToTarget();
        _mix.SnapToTarget();
        _meter.Clear();
    }

    /// <summary>Frames between two runs of the gain computer for the current settings (1 = every frame). Audio or control thread (tests).</summary>
    internal int ControlPeriodFrames => _published.Front.ControlPeriod;

    /// <inheritdoc />
    public void Process(AudioBlock block)
    {
        if (!_prepared)
        {
            return; // not prepared: pass through (Process never throws)
        }

        int previousPeriod = _published.Front.ControlPeriod;
        _published.TryTake();
        ref readonly Design d = ref _published.Front;
        if (d.ControlPeriod != previousPeriod)
        {
            _phase = 0; // a new control period starts with a control point at the next frame
        }

        _makeup.Target = d.MakeupGain;
        _mix.Target = d.Mix;

        bool stereo = block.Channels > 1 && _channels > 1;
        var left = block.Channel(0);
        var right = stereo ? block.Channel(1) : left;
        int frames = block.Frames;

        // Legend: ms = mean square, r = smoothed reduction (dB, ≥ 0),
        // rs = slow auto-release follower, g = the gain ramp (GainRamp).
        double ms0 = _meanSquare0, ms1 = _meanSquare1;
        double r0 = _reduction0, r1 = _reduction1, rs0 = _slowReduction0, rs1 = _slowReduction1;
        double h0a = _hp0s1, h0b = _hp0s2, h1a = _hp1s1, h1b = _hp1s2;
        GainRamp g0 = _gain0, g1 = _gain1;
        int phase = _phase;
        var makeup = _makeup;
        var mix = _mix;
        var hp = d.SidechainHighPass;
        bool useHp = d.UseSidechainHighPass, rms = d.Rms, auto = d.AutoRelease;
        double link = d.Link, rmsCoefficient = d.RmsCoefficient;
        int period = d.ControlPeriod;
        double inversePeriod = 1.0 / period;

        // Fully linked stereo with both channels' followers and ramps equal (always, unless the link was changed while
        // they differed): one level (from the larger power), one gain computer, one follower, one gain per frame.
        bool linked = stereo && link >= 1.0 && r0 == r1 && rs0 == rs1 && g0 == g1;
        double blockMax = auto ? Math.Max(r0, rs0) : r0;
        if (stereo)
        {
            blockMax = Math.Max(blockMax, auto ? Math.Max(r1, rs1) : r1);
        }

        if (linked && makeup.IsSettled && mix.IsSettled)
        {
            blockMax = Math.Max(blockMax, ProcessLinkedSettled(in d, left, right, mix.Current, makeup.Current, ref ms0, ref ms1, ref r0, ref rs0, ref g0, ref phase, ref h0a, ref h0b, ref h1a, ref h1b));
            frames = 0;
        }

        for (int i = 0; i < frames; i++)
        {
            double x0 = left[i];
            double x1 = stereo ? right[i] : x0;
            double s0 = useHp ? BiquadKernel.Tick(x0, hp, ref h0a, ref h0b) : x0;
            double s1 = stereo ? (useHp ? BiquadKernel.Tick(x1, hp, ref h1a, ref h1b) : x1) : s0;

            double p0, p1;
            if (rms)
            {
                ms0 += ((s0 * s0) - ms0) * rmsCoefficient;
                ms1 += ((s1 * s1) - ms1) * rmsCoefficient;
                p0 = ms0;
                p1 = ms1;
            }
            else
            {
                p0 = s0 * s0;
                p1 = s1 * s1;
            }

            if (linked)
            {
                if (phase == 0)
                {
                    double used = Follow(in d, d.Reduction(DbPerLog2Power * FastMath.Log2(Math.Max(p0, p1) + 1e-30)), ref r0, ref rs0);
                    g0.Next(used, inversePeriod);
                    blockMax = Math.Max(blockMax, used);
                }

                double linkedWet = mix.Next();
                double linkedGain = (1 - linkedWet) + (linkedWet * makeup.Next() * g0.At(phase, period));
                left[i] = BiquadKernel.ToFloat(x0 * linkedGain);
                right[i] = BiquadKernel.ToFloat(x1 * linkedGain);
                phase = phase + 1 == period ? 0 : phase + 1;
                continue;
            }

            if (phase == 0)
            {
                double level0 = DbPerLog2Power * FastMath.Log2(p0 + 1e-30);
                double level1 = stereo ? DbPerLog2Power * FastMath.Log2(p1 + 1e-30) : level0;
                double loudest = Math.Max(level0, level1);
                level0 += link * (loudest - level0);
                level1 += link * (loudest - level1);

                double used0 = Follow(in d, d.Reduction(level0), ref r0, ref rs0);
                g0.Next(used0, inversePeriod);
                blockMax = Math.Max(blockMax, used0);
                if (stereo)
                {
                    double used1 = Follow(in d, d.Reduction(level1), ref r1, ref rs1);
                    g1.Next(used1, inversePeriod);
                    blockMax = Math.Max(blockMax, used1);
                }
            }

            double g = makeup.Next();
            double wet = mix.Next();
            double gain0 = (1 - wet) + (wet * g * g0.At(phase, period));
            left[i] = BiquadKernel.ToFloat(x0 * gain0);
            if (stereo)
            {
                double gain1 = (1 - wet) + (wet * g * g1.At(phase, period));
                right[i] = BiquadKernel.ToFloat(x1 * gain1);
            }

            phase = phase + 1 == period ? 0 : phase + 1;
        }

        if (linked)
        {
            r1 = r0;
            rs1 = rs0;
            g1 = g0;
        }

        _meanSquare0 = BiquadKernel.Flush(ms0);
        _meanSquare1 = BiquadKernel.Flush(ms1);
        _reduction0 = BiquadKernel.Flush(r0);
        _reduction1 = BiquadKernel.Flush(r1);
        _slowReduction0 = BiquadKernel.Flush(rs0);
        _slowReduction1 = BiquadKernel.Flush(rs1);
        _hp0s1 = BiquadKernel.Flush(h0a);
        _hp0s2 = BiquadKernel.Flush(h0b);
        _hp1s1 = BiquadKernel.Flush(h1a);
        _hp1s2 = BiquadKernel.Flush(h1b);
        _gain0 = g0;
        _gain1 = g1;
        _phase = phase;
        _makeup = makeup;
        _mix = mix;
        double current = auto ? Math.Max(Math.Max(r0, rs0), stereo ? Math.Max(r1, rs1) : 0) : Math.Max(r0, stereo ? r1 : 0);
        _meter.Publish((float)current, (float)blockMax);
    }

    // One control point of a channel's followers for the gain computer's target (dB of reduction): the attack/release
    // follower (and the slow auto-release one) advance by one control period; returns the reduction used (dB, ≥ 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Follow(in Design d, double target, ref double r, ref double rs)
    {
        r += (target - r) * (target > r ? d.AttackCoefficient : d.ReleaseCoefficient);
        if (!d.AutoRelease)
        {
            return r;
        }

        rs += (target - rs) * d.SlowCoefficient;
        return Math.Max(r, rs);
    }

    // The fully linked stereo case with makeup and mix settled (the steady state), in passes over chunks of
    // ChunkFrames: (1) side-chain high-pass and RMS averagers of both channels in the lanes of a Vector128<double>
    // → the larger power per frame; (2) at each control point the gain computer, followers and gain (scalar, as the
    // general loop does them), and the ramped gain applied to every frame. Every operation is the one the general loop does (separate multiply and add), so
    // the output is bit-identical to it. Returns the largest reduction at the block's control points.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double ProcessLinkedSettled(
        in Design d,
        Span<float> left,
        Span<float> right,
        double wet,
        double makeupGain,
        ref double ms0,
        ref double ms1,
        ref double r,
        ref double rs,
        ref GainRamp ramp,
        ref int phase,
        ref double h0a,
        ref double h0b,
        ref double h1a,
        ref double h1b)
    {
        var hp = d.SidechainHighPass;
        bool useHp = d.UseSidechainHighPass, rms = d.Rms;
        int period = d.ControlPeriod;
        double inversePeriod = 1.0 / period;
        double dryScalar = 1 - wet, wetMakeupScalar = wet * makeupGain;
        Vector128<double> tiny = Vector128.Create(1e-30);
        Vector128<double> b0 = Vector128.Create(hp.B0), b1 = Vector128.Create(hp.B1), b2 = Vector128.Create(hp.B2);
        Vector128<double> a1 = Vector128.Create(hp.A1), a2 = Vector128.Create(hp.A2);
        Vector128<double> rmsCoefficient = Vector128.Create(d.RmsCoefficient);
        Vector128<double> hs1 = Vector128.Create(h0a, h1a), hs2 = Vector128.Create(h0b, h1b);
        Vector128<double> ms = Vector128.Create(ms0, ms1);
        double r0 = r, rs0 = rs, blockMax = 0;
        GainRamp g = ramp;
        int at = phase;
        Span<double> work = _work;
        int frames = Math.Min(left.Length, right.Length);
        for (int start = 0; start < frames; start += ChunkFrames)
        {
            int n = Math.Min(ChunkFrames, frames - start);
            var l = left.Slice(start, n);
            var rr = right.Slice(start, n);
            var w = work[..(2 * n)];

            SidechainPower(l, rr, w, b0, b1, b2, a1, a2, useHp, rms, rmsCoefficient, ref hs1, ref hs2, ref ms);

            // Segment by segment (the frames up to the next control point): at a control point (phase 0) the gain computer
            // and followers on that frame's power; the ramped gain of every frame (GainRamp.At's arithmetic:
            // From + (phase + 1)·Step, To at the period's last frame) applied to both channels. Every power is finite and
            // non-negative, where the native max equals Math.Max.
            int k = 0;
            while (k < n)
            {
                int end = Math.Min(n, k + (period - at));
                if (at == 0)
                {
                    double used = Follow(in d, d.Reduction(DbPerLog2Power * FastMath.Log2(Math.Max(w[2 * k], w[(2 * k) + 1]) + 1e-30)), ref r0, ref rs0);
                    g.Next(used, inversePeriod);
                    blockMax = Math.Max(blockMax, used);
                }

                bool periodEnds = at + (end - k) == period;
                int last = periodEnds ? end - 1 : end;
                double from = g.From, step = g.Step, count = at + 1;
                int i = k;

                // Two frames at a time: the gains of frames i and i + 1 in the lanes of a vector, each channel's pair of
                // samples times them (per lane the scalar arithmetic below).
                Vector128<double> fromv = Vector128.Create(from), stepv = Vector128.Create(step), dryv = Vector128.Create(dryScalar), wetMakeupv = Vector128.Create(wetMakeupScalar);
                Vector128<double> countv = Vector128.Create(count, count + 1), two = Vector128.Create(2.0);
                for (; i + 1 < last; i += 2)
                {
                    Vector128<double> gain = dryv + (wetMakeupv * (fromv + (countv * stepv)));
                    countv += two;
                    ApplyGainPair(l, i, gain, tiny);
                    ApplyGainPair(rr, i, gain, tiny);
                }

                count = countv.ToScalar();
                for (; i < last; i++)
                {
                    ApplyGain(l, rr, i, dryScalar + (wetMakeupScalar * (from + (count * step))), tiny);
                    count += 1;
                }

                if (periodEnds)
                {
                    ApplyGain(l, rr, end - 1, dryScalar + (wetMakeupScalar * g.To), tiny);
                }

                at = periodEnds ? 0 : at + (end - k);
                k = end;
            }
        }

        ms0 = ms.ToScalar();
        ms1 = ms.GetElement(1);
        h0a = hs1.ToScalar();
        h1a = hs1.GetElement(1);
        h0b = hs2.ToScalar();
        h1b = hs2.GetElement(1);
        r = r0;
        rs = rs0;
        ramp = g;
        phase = at;
        return blockMax;
    }

    // Pass (1) of ProcessLinkedSettled on its own (so that its recursions keep their registers): the side-chain high-pass
    // and RMS averagers of both channels in the lanes of a vector → each frame's (left, right) powers into `power`
    // (interleaved; the control points take the larger).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void SidechainPower(
        ReadOnlySpan<float> left,
        ReadOnlySpan<float> right,
        Span<double> power,
        Vector128<double> b0,
        Vector128<double> b1,
        Vector128<double> b2,
        Vector128<double> a1,
        Vector128<double> a2,
        bool useHp,
        bool rms,
        Vector128<double> rmsCoefficient,
        ref Vector128<double> state1,
        ref Vector128<double> state2,
        ref Vector128<double> meanSquare)
    {
        Vector128<double> hs1 = state1, hs2 = state2, ms = meanSquare;
        int n = Math.Min(left.Length, power.Length / 2);
        Vector128<double> next = default;
        for (int i = 0; i < n; i++)
        {
            // Frames loaded two at a time (Filters.StereoFrames; the odd last one on its own).
            Vector128<double> x;
            if ((i & 1) != 0)
            {
                x = next;
            }
            else if (i + 1 < n)
            {
                StereoFrames.LoadTwoFrames(left, right, i, out x, out next);
            }
            else
            {
                x = Vector128.Create((double)left[i], right[i]);
            }

            Vector128<double> sc = x;
            if (useHp)
            {
                sc = (b0 * x) + hs1;
                hs1 = (b1 * x) - (a1 * sc) + hs2;
                hs2 = (b2 * x) - (a2 * sc);
            }

            Vector128<double> p;
            if (rms)
            {
                ms += ((sc * sc) - ms) * rmsCoefficient;
                p = ms;
            }
            else
            {
                p = sc * sc;
            }

            p.StoreUnsafe(ref MemoryMarshal.GetReference(power), (nuint)(2 * i));
        }

        state1 = hs1;
        state2 = hs2;
        meanSquare = ms;
    }

    // Frames i and i + 1 of one channel times the two lanes of `gain`, to float as BiquadKernel.ToFloat does.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyGainPair(Span<float> channel, int i, Vector128<double> gain, Vector128<double> tiny)
    {
        ref float at = ref Unsafe.Add(ref MemoryMarshal.GetReference(channel), i);
        Vector128<double> y = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref at))).AsSingle()) * gain;
        y = Vector128.AndNot(y, Vector128.LessThan(Vector128.Abs(y), tiny));
        Vector128<float> narrowed = Vector128.Narrow(y, y);
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref at), narrowed.AsDouble().ToScalar());
    }

    // Frame i of both channels times `gain`, to float as BiquadKernel.ToFloat does (magnitudes below 1e-30 to 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyGain(Span<float> left, Span<float> right, int i, double gain, Vector128<double> tiny)
    {
        Vector128<double> y = Vector128.Create((double)left[i], right[i]) * Vector128.Create(gain);
        y = Vector128.AndNot(y, Vector128.LessThan(Vector128.Abs(y), tiny));
        left[i] = (float)y.ToScalar();
        right[i] = (float)y.GetElement(1);
    }

    /// <summary>
    /// The gain between control points: from the gain of the previous control point to the current one in equal steps
    /// over a control period, reaching the current gain exactly at the period's last frame (with a period of 1: the
    /// current gain at every frame, the per-sample compressor). Linear gain (not dB); starts at unity.
    /// </summary>
    private record struct GainRamp(double From, double To, double Step)
    {
        // The next control point: `reductionDb` of reduction (≥ 0), reached after a period of 1 / inversePeriod frames.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Next(double reductionDb, double inversePeriod)
        {
            From = To;
            To = FastMath.DbToAmplitude(-reductionDb);
            Step = (To - From) * inversePeriod;
        }

        // The gain at frame `phase` (0 = the control point) of a period of `period` frames.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly double At(int phase, int period) => phase + 1 == period ? To : From + ((phase + 1) * Step);
    }

    /// <summary>
    /// The static curve: reduction in dB (≥ 0) for a detector level in dB, per Giannoulis et al. (2012) eq. 4.
    /// Public so tests and UI can draw it.
    /// </summary>
    public static double StaticReductionDb(double levelDb, double thresholdDb, double ratio, double kneeDb)
    {
        double slope = 1 - (1 / ratio);
        double over = levelDb - thresholdDb;
        if (2 * over <= -kneeDb)
        {
            return 0;
        }

        if (2 * over < kneeDb)
        {
            double t = over + (kneeDb / 2);
            return slope * t * t / (2 * kneeDb);
        }

        return slope * over;
    }

    /// <summary>
    /// The control period for the shortest follower time constant <paramref name="shortestMs"/> at
    /// <paramref name="sampleRateHz"/>: the largest power of two of at most <see cref="MaxControlPeriodFrames"/> frames that
    /// fits 32 times into it (1 for attacks under about 1.3 ms at 48 kHz: the per-sample compressor).
    /// </summary>
    internal static int ControlPeriodFor(double shortestMs, int sampleRateHz)
    {
        double fit = shortestMs * sampleRateHz / 1000.0 / ControlPointsPerTimeConstant;
        int period = 1;
        while (period < MaxControlPeriodFrames && period * 2 <= fit)
        {
            period *= 2;
        }

        return period;
    }

    // What the detector is offset by for a programme of `programmeLufs` (NaN: unknown, no offset), dB.
    private static double DetectorOffsetDb(double programmeLufs) => double.IsNaN(programmeLufs) ? 0 : ReferenceLoudnessLufs - programmeLufs;

    /// <summary>Immutable per-settings snapshot, built on the control thread (a value: handed over through a triple buffer, no allocation).</summary>
    private readonly struct Design
    {
        public Design(CompressorSettings s, int sampleRateHz, double detectorOffsetDb)
            : this(s, sampleRateHz, s.SidechainHighPassHz > 0 ? MatchedBiquadDesign.HighPass(s.SidechainHighPassHz, 0.7071, sampleRateHz) : BiquadCoefficients.Identity, detectorOffsetDb)
        {
        }

        // sidechainHighPass: the matched high-pass for s.SidechainHighPassHz at sampleRateHz (identity when off).
        // detectorOffsetDb: added to the detector level; folded into the threshold (level + offset > T ⇔ level > T − offset).
        public Design(CompressorSettings s, int sampleRateHz, BiquadCoefficients sidechainHighPass, double detectorOffsetDb)
        {
            Threshold = s.ThresholdDb - detectorOffsetDb;
            Slope = 1 - (1 / s.Ratio);
            Knee = s.KneeDb;
            Rms = s.Detector == DetectorMode.Rms;
            AutoRelease = s.AutoRelease;
            Link = s.StereoLinkPercent / 100;
            Mix = s.MixPercent / 100;
            MakeupGain = Math.Pow(10, s.MakeupDb / 20);
            double releaseMs = s.AutoRelease ? Math.Max(5, s.ReleaseMs / 4) : s.ReleaseMs;
            // The RMS detector's power is smooth (10 ms averaging), so a control point per period sees what every frame would;
            // the peak detector's is not (the followers' attack/release choice would change), so it runs every frame.
            ControlPeriod = s.Detector == DetectorMode.Rms ? ControlPeriodFor(Math.Min(s.AttackMs, releaseMs), sampleRateHz) : 1;
            AttackCoefficient = Coefficient(s.AttackMs, sampleRateHz, ControlPeriod);
            ReleaseCoefficient = Coefficient(releaseMs, sampleRateHz, ControlPeriod);
            SlowCoefficient = Coefficient(2 * s.ReleaseMs, sampleRateHz, ControlPeriod);
            RmsCoefficient = Coefficient(RmsWindowMs, sampleRateHz, 1);
            UseSidechainHighPass = s.SidechainHighPassHz > 0;
            SidechainHighPass = sidechainHighPass;
        }

        public double Threshold { get; }

        public double Slope { get; }

        public double Knee { get; }

        public bool Rms { get; }

        public bool AutoRelease { get; }

        public double Link { get; }

        public double Mix { get; }

        public double MakeupGain { get; }

        /// <summary>Frames between control points (a power of two, 1–<see cref="MaxControlPeriodFrames"/>).</summary>
        public int ControlPeriod { get; }

        // Per control period (the followers advance once per period).
        public double AttackCoefficient { get; }

        public double ReleaseCoefficient { get; }

        public double SlowCoefficient { get; }

        public double RmsCoefficient { get; }

        public bool UseSidechainHighPass { get; }

        public BiquadCoefficients SidechainHighPass { get; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Reduction(double levelDb)
        {
            double over = levelDb - Threshold;
            if (2 * over <= -Knee)
            {
                return 0;
            }

            if (2 * over < Knee)
            {
                double t = over + (Knee / 2);
                return Slope * t * t / (2 * Knee);
            }

            return Slope * over;
        }

        // One-pole coefficient for a time constant of `timeMs` advanced once per `period` frames: 1 − e^(−period/τ), exactly
        // (1 − c)^period of the per-frame coefficient c, so the follower reaches 63 % of a step after τ at any period.
        private static double Coefficient(double timeMs, int sampleRateHz, int period) => 1 - Math.Exp(-1000.0 * period / (timeMs * sampleRateHz));
    }
}
