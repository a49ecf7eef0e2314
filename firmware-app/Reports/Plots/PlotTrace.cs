using HardwareMaster.App.Parameters;
using HardwareMaster.App.Rendering;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Reports.Plots;

/// <summary>
/// Collects what <c>--plot</c> draws, per 100 ms window: short-term loudness (3 s, BS.1770) and true peak of the input
/// and the output, compressor and limiter gain reduction, and the long-term third-octave spectrum of both. Memory is a
/// few numbers per window (about 1 MB for an hour), never the samples.
/// </summary>
/// <remarks>
/// As an <see cref="IRenderTrace"/> it follows the renderer's threading: <see cref="Input"/> and <see cref="Output"/>
/// (reader/writer thread) and <see cref="GainReduction"/> (chain thread) touch separate state. <c>measure</c> calls
/// <see cref="Begin"/> and <see cref="Input"/> only. Read the results after the render or the read has finished.
/// </remarks>
internal sealed class PlotTrace : IRenderTrace
{
    /// <summary>Spacing of the plotted windows in seconds.</summary>
    public const double WindowSeconds = 0.1;

    private static readonly IReadOnlyList<double> s_none = [];
    private WindowMeter? _input;
    private WindowMeter? _output;
    private GainReductionWindows? _gainReduction;

    /// <summary>A trace for <c>measure</c>, or a render whose compressor and limiter both may run.</summary>
    public PlotTrace()
    {
    }

    /// <summary>A trace for a render: a stage that <paramref name="values"/> bypasses collects no gain reduction.</summary>
    /// <param name="values">The render's parameters (<c>comp.bypass</c>, <c>limiter.bypass</c>).</param>
    /// <remarks>
    /// The renderer reports 0 dB for a bypassed stage (OfflineRenderer wraps every trace in StageAwareTrace); the flags
    /// say the stage did not run at all, so the figure leaves its curve out instead of drawing a flat line at 0 dB.
    /// </remarks>
    public PlotTrace(ParameterSet values)
    {
        ArgumentNullException.ThrowIfNull(values);
        CompressorBypassed = values.IsOn(ParameterIds.CompBypass);
        LimiterBypassed = values.IsOn(ParameterIds.LimiterBypass);
    }

    /// <summary>The compressor is bypassed: <see cref="CompressorDb"/> stays empty.</summary>
    public bool CompressorBypassed { get; }

    /// <summary>The limiter is bypassed: <see cref="LimiterDb"/> stays empty.</summary>
    public bool LimiterBypassed { get; }

    /// <summary>Sample rate given to <see cref="Begin"/> (0 before).</summary>
    public int SampleRateHz { get; private set; }

    /// <summary>Frames per window: 100 ms rounded to whole frames, as the loudness meter's hop.</summary>
    public int WindowFrames { get; private set; }

    /// <summary>The source: one entry per window (the last one may be partial).</summary>
    public TraceSide InputSide => _input?.Side ?? TraceSide.Empty;

    /// <summary>The master of the last writing pass (empty for <c>measure</c>).</summary>
    public TraceSide OutputSide => _output?.Side ?? TraceSide.Empty;

    /// <summary>Compressor gain reduction per window (dB, positive = reduction, largest end-of-block value in the window; empty when bypassed).</summary>
    public IReadOnlyList<double> CompressorDb => CompressorBypassed ? s_none : _gainReduction?.Compressor ?? s_none;

    /// <summary>Limiter gain reduction per window (dB, positive = reduction, largest in the window; empty when bypassed).</summary>
    public IReadOnlyList<double> LimiterDb => LimiterBypassed ? s_none : _gainReduction?.Limiter ?? s_none;

    /// <inheritdoc />
    public void Begin(int sampleRateHz, int channels)
    {
        SampleRateHz = sampleRateHz;
        WindowFrames = (sampleRateHz + 5) / 10;
        _input = new WindowMeter(sampleRateHz, channels, WindowFrames);
        _output = new WindowMeter(sampleRateHz, channels, WindowFrames);
        _gainReduction = new GainReductionWindows(WindowFrames);
    }

    /// <inheritdoc />
    public void Input(ReadOnlySpan<float> left, ReadOnlySpan<float> right) => Started(_input).Process(left, right);

    /// <inheritdoc />
    public void BeginWritePass()
    {
        WindowMeter old = Started(_output);
        _output = new WindowMeter(SampleRateHz, old.Channels, WindowFrames);
        _gainReduction = new GainReductionWindows(WindowFrames);
    }

    /// <inheritdoc />
    public void Output(ReadOnlySpan<float> left, ReadOnlySpan<float> right) => Started(_output).Process(left, right);

    /// <inheritdoc />
    public void GainReduction(double compressorDb, double limiterDb, int frames) =>
        (_gainReduction ?? throw new InvalidOperationException("Begin was not called.")).Add(compressorDb, limiterDb, frames);

    private static WindowMeter Started(WindowMeter? meter) => meter ?? throw new InvalidOperationException("Begin was not called.");

    /// <summary>Short-term loudness, true peak and spectrum of one side.</summary>
    private sealed class WindowMeter(int sampleRateHz, int channels, int windowFrames)
    {
        private readonly ProgramMeter _meter = new(sampleRateHz, channels);
        private readonly LongTermSpectrum _spectrum = new(sampleRateHz);
        private readonly List<double> _shortTerm = [];
        private readonly List<double> _truePeak = [];
        private int _fill;
        private float _peak;

        public int Channels { get; } = channels;

        /// <summary>The windows so far, a partial last window included; the spectrum as it stands.</summary>
        public TraceSide Side
        {
            get
            {
                var shortTerm = new List<double>(_shortTerm);
                var truePeak = new List<double>(_truePeak);
                if (_fill > 0)
                {
                    shortTerm.Add(_meter.ShortTermLufs);
                    truePeak.Add(ToDb(_peak));
                }

                double[] bands = new double[LongTermSpectrum.ThirdOctaveCentersHz.Count];
                if (_spectrum.Segments > 0)
                {
                    _spectrum.ThirdOctaveLevelsDb(bands);
                }
                else
                {
                    Array.Fill(bands, double.NegativeInfinity);
                }

                return new TraceSide(shortTerm, truePeak, bands, _meter.DurationFrames);
            }
        }

        public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            bool stereo = Channels == 2;
            _spectrum.Process(left, stereo ? right : ReadOnlySpan<float>.Empty);
            int start = 0;
            while (start < left.Length)
            {
                int n = Math.Min(windowFrames - _fill, left.Length - start);
                _meter.Process(left.Slice(start, n), stereo ? right.Slice(start, n) : ReadOnlySpan<float>.Empty);
                _peak = Math.Max(_peak, _meter.LastBlockTruePeak);
                _fill += n;
                start += n;
                if (_fill == windowFrames)
                {
                    _shortTerm.Add(_meter.ShortTermLufs);
                    _truePeak.Add(ToDb(_peak));
                    _fill = 0;
                    _peak = 0;
                }
            }
        }

        private static double ToDb(float linear) => linear > 0 ? 20 * Math.Log10(linear) : double.NegativeInfinity;
    }

    /// <summary>Per-block gain reduction folded into windows (largest value of the blocks ending in a window).</summary>
    private sealed class GainReductionWindows(int windowFrames)
    {
        private readonly List<double> _compressor = [];
        private readonly List<double> _limiter = [];
        private long _fill;
        private double _compressorMax;
        private double _limiterMax;
        private bool _pending;

        public IReadOnlyList<double> Compressor => Snapshot(_compressor, _compressorMax);

        public IReadOnlyList<double> Limiter => Snapshot(_limiter, _limiterMax);

        public void Add(double compressorDb, double limiterDb, int frames)
        {
            _compressorMax = Math.Max(_compressorMax, Finite(compressorDb));
            _limiterMax = Math.Max(_limiterMax, Finite(limiterDb));
            _pending = true;
            _fill += frames;

            // A block longer than a window fills every window it spans with its reading.
            while (_fill >= windowFrames)
            {
                _compressor.Add(_compressorMax);
                _limiter.Add(_limiterMax);
                _fill -= windowFrames;
                _pending = _fill > 0;
                _compressorMax = _pending ? Finite(compressorDb) : 0;
                _limiterMax = _pending ? Finite(limiterDb) : 0;
            }
        }

        private static double Finite(double db) => double.IsFinite(db) ? Math.Max(0, db) : 0;

        private List<double> Snapshot(List<double> windows, double pendingMax)
        {
            var copy = new List<double>(windows);
            if (_pending)
            {
                copy.Add(pendingMax);
            }

            return copy;
        }
    }
}

/// <summary>What the trace saw of one side (input or output), per window and in total.</summary>
/// <param name="ShortTermLufs">Short-term loudness at the end of each window (LUFS; −∞ for silence).</param>
/// <param name="TruePeakDbtp">True peak within each window (dBTP; −∞ for silence).</param>
/// <param name="ThirdOctaveDb">Long-term mid level per band of <see cref="LongTermSpectrum.ThirdOctaveCentersHz"/> (dB; −∞ where unmeasured).</param>
/// <param name="DurationFrames">Frames seen.</param>
internal sealed record TraceSide(IReadOnlyList<double> ShortTermLufs, IReadOnlyList<double> TruePeakDbtp, IReadOnlyList<double> ThirdOctaveDb, long DurationFrames)
{
    /// <summary>Nothing seen.</summary>
    public static TraceSide Empty { get; } = new([], [], [], 0);

    /// <summary>Number of windows.</summary>
    public int Windows => ShortTermLufs.Count;
}
