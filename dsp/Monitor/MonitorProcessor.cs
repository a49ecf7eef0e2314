using HardwareMaster.Dsp.Filters;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Monitor;

/// <summary>
/// The monitor path's DSP (issue 14): takes the finished master (and, for <see cref="MonitorFunction.Delta"/>, the
/// limiter's difference signal) and makes what the engineer listens to — a translation voicing, mono, side or the
/// delta — loudness-matched to the master, then the monitor correction EQ (Room EQ Wizard import). It reads its
/// inputs and writes only its own buffers (<see cref="Left"/>, <see cref="Right"/>), so the master cannot change.
/// </summary>
/// <remarks>
/// <para>Voicings are design approximations, not measurements of one product (firmware-app/README.md, "Monitor path",
/// lists every filter, why, the published sources found and the measured response that <c>VoicingResponseTests</c>
/// holds to 0.2 dB):</para>
/// <list type="bullet">
/// <item>phone: mono; 4th-order high-pass 350 Hz; bell +5 dB 1.8 kHz Q 1.2; 2nd-order low-pass 9 kHz.</item>
/// <item>earbuds: high-pass 25 Hz; low shelf +5 dB 90 Hz; bell +3 dB 3.5 kHz Q 1.5; high shelf −2 dB 9 kHz.</item>
/// <item>car: high-pass 35 Hz; low shelf +6 dB 70 Hz; bell −3 dB 300 Hz Q 1.0; high shelf −4 dB 7 kHz.</item>
/// </list>
/// <para>Loudness match: the K-weighted (ITU-R BS.1770-4 §2.1) mean square of the master and of the voiced signal,
/// each averaged by a one-pole with a 1.5 s time constant (close to the 3 s short-term window; a running mean for
/// the first seconds after a switch), give the gain sqrt(master / voiced), clamped to −30..+24 dB and ramped per
/// block. Below −100 dB the gain is held, so silence (a limiter's delta at 0 dB GR) stays silence.</para>
/// <para>Threading: <see cref="Function"/> and <see cref="SetCalibration"/> from any thread; <see cref="Process"/>
/// on the audio thread only, allocation-free.</para>
/// </remarks>
public sealed class MonitorProcessor
{
    /// <summary>Averaging time constant of the loudness match, s.</summary>
    public const double MatchTimeConstantSeconds = 1.5;

    /// <summary>Highest match gain, dB (a quiet side or delta signal is lifted at most this much).</summary>
    public const double MaxMatchGainDb = 24;

    /// <summary>Lowest match gain, dB.</summary>
    public const double MinMatchGainDb = -30;

    /// <summary>Fade-in after a function switch, ms (the new signal ramps from silence).</summary>
    public const double SwitchFadeMs = 10;

    private const double SilenceMeanSquare = 1e-10; // −100 dB
    private const int VoicingSlots = 4;

    private readonly CascadeDesign?[] _voicings = new CascadeDesign?[7];
    private int _requested;
    private int _active = -1;
    private CascadeDesign? _calibrationRequested;
    private CascadeDesign? _calibrationActive;
    private int _sampleRateHz;
    private float[] _left = [];
    private float[] _right = [];
    private double[] _scratch = [];
    private double[] _voiceStateLeft = new double[VoicingSlots * 2];
    private double[] _voiceStateRight = new double[VoicingSlots * 2];
    private double[] _calStateLeft = new double[MonitorEqFilter.MaxFilters * 2];
    private double[] _calStateRight = new double[MonitorEqFilter.MaxFilters * 2];
    private KWeightingFilter? _refLeft, _refRight, _monLeft, _monRight;
    private double _refEnergy, _monEnergy, _gain = 1, _fade = 1, _fadeStep;
    private long _blocksSinceSwitch;
    private int _frames;
    private double _matchGainDbPublished;

    /// <summary>The function asked for (any thread); the audio thread takes it at its next block.</summary>
    public MonitorFunction Function
    {
        get => (MonitorFunction)Volatile.Read(ref _requested);
        set => Volatile.Write(ref _requested, (int)value);
    }

    /// <summary>Whether the monitor output differs from the master (a function is on or a correction EQ is loaded).</summary>
    public bool IsActive => Function != MonitorFunction.Off || Volatile.Read(ref _calibrationRequested) is not null;

    /// <summary>The loudness-match gain in use, dB (any thread; 0 when no function is on).</summary>
    public double MatchGainDb => Volatile.Read(ref _matchGainDbPublished);

    /// <summary>The monitor output, left, of the last <see cref="Process"/> (its first frames).</summary>
    public ReadOnlySpan<float> Left => _left.AsSpan(0, _frames);

    /// <summary>The monitor output, right.</summary>
    public ReadOnlySpan<float> Right => _right.AsSpan(0, _frames);

    /// <summary>Allocates for <paramref name="sampleRateHz"/> and blocks up to <paramref name="maxBlockFrames"/>. Control thread, before the audio starts.</summary>
    public void Prepare(int sampleRateHz, int maxBlockFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlockFrames, 1);
        _sampleRateHz = sampleRateHz;
        _left = new float[maxBlockFrames];
        _right = new float[maxBlockFrames];
        _scratch = new double[maxBlockFrames * 2];
        _refLeft = new KWeightingFilter(sampleRateHz);
        _refRight = new KWeightingFilter(sampleRateHz);
        _monLeft = new KWeightingFilter(sampleRateHz);
        _monRight = new KWeightingFilter(sampleRateHz);
        _fadeStep = 1.0 / Math.Max(1, SwitchFadeMs * 0.001 * sampleRateHz);
        double fs = sampleRateHz;
        _voicings[(int)MonitorFunction.Phone] = Voicing(
            MatchedBiquadDesign.HighPass(350, 0.5412, fs),
            MatchedBiquadDesign.HighPass(350, 1.3066, fs),
            MatchedBiquadDesign.Bell(1800, 5, 1.2, fs),
            MatchedBiquadDesign.LowPass(9000, 0.7071, fs));
        _voicings[(int)MonitorFunction.Earbuds] = Voicing(
            MatchedBiquadDesign.HighPass(25, 0.7071, fs),
            MatchedBiquadDesign.LowShelf(90, 5, 0.7071, fs),
            MatchedBiquadDesign.Bell(3500, 3, 1.5, fs),
            MatchedBiquadDesign.HighShelf(9000, -2, 0.7071, fs));
        _voicings[(int)MonitorFunction.Car] = Voicing(
            MatchedBiquadDesign.HighPass(35, 0.7071, fs),
            MatchedBiquadDesign.LowShelf(70, 6, 0.7071, fs),
            MatchedBiquadDesign.Bell(300, -3, 1.0, fs),
            MatchedBiquadDesign.HighShelf(7000, -4, 0.7071, fs));
        _calibrationActive = null;
        if (_pendingFilters is { Length: > 0 } pending)
        {
            SetCalibration(pending); // designed again for this rate
        }

        _active = -1;
    }

    private MonitorEqFilter[]? _pendingFilters;

    /// <summary>
    /// Forgets the history (voicing filter memory, loudness-match averages, gain): the next block starts the function
    /// afresh with its 10 ms fade-in. Control thread, not while running (after the engine's warm-up, a device restart).
    /// </summary>
    public void Reset() => Volatile.Write(ref _active, -1);

    /// <summary>
    /// Starts <paramref name="function"/> afresh at the next <see cref="Process"/> (history forgotten as by
    /// <see cref="Reset"/>), with or without the 10 ms fade-in. Audio thread (the monitor path's crossfade, which fades
    /// the new signal in itself).
    /// </summary>
    /// <param name="function">The function.</param>
    /// <param name="fadeIn">False: the new signal starts at full level.</param>
    public void Restart(MonitorFunction function, bool fadeIn)
    {
        Volatile.Write(ref _requested, (int)function);
        _noFadeIn = !fadeIn;
        Volatile.Write(ref _active, -1);
    }

    private bool _noFadeIn;

    /// <summary>
    /// Loads the monitor correction EQ (or clears it with an empty list). Control thread: designs here, publishes by
    /// reference; the audio thread swaps it in at its next block (clearing the correction's filter memory).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">More than <see cref="MonitorEqFilter.MaxFilters"/> filters.</exception>
    public void SetCalibration(IReadOnlyList<MonitorEqFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(filters.Count, MonitorEqFilter.MaxFilters);
        _pendingFilters = [.. filters];
        if (filters.Count == 0)
        {
            Volatile.Write(ref _calibrationRequested, null);
            return;
        }

        double fs = _sampleRateHz > 0 ? _sampleRateHz : 48000;
        var design = new CascadeDesign(filters.Count);
        for (int i = 0; i < filters.Count; i++)
        {
            design.Add(filters[i].Design(fs), i);
        }

        Volatile.Write(ref _calibrationRequested, design);
    }

    /// <summary>
    /// Makes the monitor signal for one block into <see cref="Left"/>/<see cref="Right"/>. Audio thread; never
    /// allocates or throws. The inputs are only read.
    /// </summary>
    /// <param name="masterLeft">The finished master, left.</param>
    /// <param name="masterRight">The finished master, right.</param>
    /// <param name="deltaLeft">The limiter's difference signal, left (empty when none was tapped: delta plays silence).</param>
    /// <param name="deltaRight">The difference signal, right.</param>
    public void Process(ReadOnlySpan<float> masterLeft, ReadOnlySpan<float> masterRight, ReadOnlySpan<float> deltaLeft, ReadOnlySpan<float> deltaRight)
    {
        int n = Math.Min(masterLeft.Length, _left.Length);
        _frames = n;
        if (n == 0 || _refLeft is null)
        {
            return;
        }

        var left = _left.AsSpan(0, n);
        var right = _right.AsSpan(0, n);
        int function = Volatile.Read(ref _requested);
        if (function != _active)
        {
            Switch(function);
        }

        var calibration = Volatile.Read(ref _calibrationRequested);
        if (!ReferenceEquals(calibration, _calibrationActive))
        {
            _calibrationActive = calibration;
            Array.Clear(_calStateLeft);
            Array.Clear(_calStateRight);
        }

        var f = (MonitorFunction)function;
        switch (f)
        {
            case MonitorFunction.Mono:
            case MonitorFunction.Phone:
                for (int i = 0; i < n; i++)
                {
                    float m = 0.5f * (masterLeft[i] + masterRight[i]);
                    left[i] = m;
                    right[i] = m;
                }

                break;
            case MonitorFunction.Side:
                for (int i = 0; i < n; i++)
                {
                    float s = 0.5f * (masterLeft[i] - masterRight[i]);
                    left[i] = s;
                    right[i] = s;
                }

                break;
            case MonitorFunction.Delta:
                if (deltaLeft.Length >= n && deltaRight.Length >= n)
                {
                    deltaLeft[..n].CopyTo(left);
                    deltaRight[..n].CopyTo(right);
                }
                else
                {
                    left.Clear();
                    right.Clear();
                }

                break;
            default:
                masterLeft[..n].CopyTo(left);
                masterRight[..n].CopyTo(right);
                break;
        }

        var voicing = _voicings[function];
        if (voicing is not null)
        {
            BiquadKernel.ProcessStereo(voicing, left, right, _voiceStateLeft, _voiceStateRight, _scratch);
        }

        if (f != MonitorFunction.Off)
        {
            Match(masterLeft[..n], masterRight[..n], left, right);
        }

        if (calibration is not null)
        {
            BiquadKernel.ProcessStereo(calibration, left, right, _calStateLeft, _calStateRight, _scratch);
        }
    }

    private static CascadeDesign Voicing(params ReadOnlySpan<BiquadCoefficients> sections)
    {
        var design = new CascadeDesign(sections.Length);
        design.AddSequential(sections, 0);
        return design;
    }

    private void Switch(int function)
    {
        _active = function;
        Array.Clear(_voiceStateLeft);
        Array.Clear(_voiceStateRight);
        _refLeft!.Reset();
        _refRight!.Reset();
        _monLeft!.Reset();
        _monRight!.Reset();
        _refEnergy = 0;
        _monEnergy = 0;
        _gain = 1;
        _blocksSinceSwitch = 0;
        _fade = _noFadeIn ? 1 : 0;
        _noFadeIn = false;
        Volatile.Write(ref _matchGainDbPublished, 0);
    }

    private void Match(ReadOnlySpan<float> masterLeft, ReadOnlySpan<float> masterRight, Span<float> left, Span<float> right)
    {
        int n = left.Length;
        double refSumL = 0, refSumR = 0, monSumL = 0, monSumR = 0;
        KWeightingFilter.AccumulateStereo(_refLeft!, _refRight!, masterLeft, masterRight, ref refSumL, ref refSumR);
        KWeightingFilter.AccumulateStereo(_monLeft!, _monRight!, left, right, ref monSumL, ref monSumR);
        double a = 1 - Math.Exp(-n / (MatchTimeConstantSeconds * _sampleRateHz));
        _blocksSinceSwitch++;
        a = Math.Max(a, 1.0 / _blocksSinceSwitch); // a running mean until the time constant takes over
        _refEnergy += a * (((refSumL + refSumR) / n) - _refEnergy);
        _monEnergy += a * (((monSumL + monSumR) / n) - _monEnergy);

        double target = _gain;
        if (_monEnergy > SilenceMeanSquare && _refEnergy > SilenceMeanSquare)
        {
            target = Math.Clamp(Math.Sqrt(_refEnergy / _monEnergy), DbToGain(MinMatchGainDb), DbToGain(MaxMatchGainDb));
        }

        double g = _gain, step = (target - g) / n, fade = _fade, fadeStep = _fadeStep;
        for (int i = 0; i < n; i++)
        {
            g += step;
            fade = Math.Min(1, fade + fadeStep);
            float k = (float)(g * fade);
            left[i] *= k;
            right[i] *= k;
        }

        _gain = target;
        _fade = fade;
        Volatile.Write(ref _matchGainDbPublished, 20 * Math.Log10(target));
    }

    private static double DbToGain(double db) => Math.Pow(10, db / 20);
}
