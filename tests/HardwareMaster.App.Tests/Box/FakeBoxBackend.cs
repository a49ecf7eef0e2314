using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Tests.Box;

/// <summary>
/// An <see cref="IBoxBackend"/> over an array of parameter values, with a simple loudness model for the assists:
/// each <see cref="ReadMeters"/> is one UI frame (<see cref="FrameSeconds"/>) of programme at
/// <see cref="ProgrammeLufs"/>; the output loudness is programme + <c>loudness.gain</c> (optionally through a soft
/// limiter knee), momentary and short-term are energy means over the last 400 ms / 3 s of frames, integrated is the
/// BS.1770 gated mean (−70 LUFS absolute, −10 LU relative) of every frame since the last reset.
/// </summary>
/// <remarks>Preallocated: reading the meters and setting values allocate nothing.</remarks>
internal sealed class FakeBoxBackend : IBoxBackend
{
    /// <summary>One UI frame at 25 fps, s.</summary>
    public const double FrameSeconds = 0.04;

    private const int MomentaryFrames = 10;
    private const int ShortTermFrames = 75;
    private readonly double[] _values;
    private readonly double[] _momentary = new double[MomentaryFrames];
    private readonly double[] _shortTerm = new double[ShortTermFrames];
    private const double HistogramFloorLufs = -70;
    private const double HistogramBinLu = 0.01;
    private static readonly double[] s_binEnergy = BinEnergies();
    private readonly long[] _histogram = new long[8000];
    private readonly int _gainIndex;
    private long _frames;
    private int _framesSinceReset;
    private int _resetCountdown = -1;

    public FakeBoxBackend(ParameterRegistry? registry = null)
    {
        Registry = registry ?? ParameterRegistry.Chain;
        _values = new double[Registry.Count];
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = Registry.All[i].Default;
        }

        _gainIndex = Registry.IndexOf("loudness.gain");
    }

    public ParameterRegistry Registry { get; }

    public bool GlobalBypass { get; set; }

    /// <summary>The last value given to <see cref="SetProgrammeLoudness"/> (NaN = never).</summary>
    public double ProgrammeLoudnessSet { get; private set; } = double.NaN;

    public void SetProgrammeLoudness(double lufs) => ProgrammeLoudnessSet = lufs;

    /// <summary>The programme's loudness before the chain, LUFS (−∞ = silence).</summary>
    public double ProgrammeLufs { get; set; } = double.NegativeInfinity;

    /// <summary>Output loudness above which a soft limiter knee compresses (NaN = no limiter).</summary>
    public double LimiterKneeLufs { get; set; } = double.NaN;

    /// <summary>Above the knee, output rises this many LU per LU of input.</summary>
    public double LimiterSlope { get; set; } = 0.5;

    /// <summary>Frames <see cref="ResetLoudness"/> takes to reach the meters (0 = at once; a real engine applies it on the audio thread).</summary>
    public int ResetDelayFrames { get; set; }

    /// <summary>Every successful <see cref="TrySet"/>, in order (index) — appended only while <see cref="RecordSets"/>.</summary>
    public List<int> SetOrder { get; } = [];

    /// <summary>Whether <see cref="SetOrder"/> records (off for allocation measurements).</summary>
    public bool RecordSets { get; set; }

    /// <summary>Number of successful <see cref="TrySet"/> calls.</summary>
    public int SetCount { get; private set; }

    /// <summary>Registry indices whose <see cref="TrySet"/> is refused.</summary>
    public HashSet<int> Refused { get; } = [];

    public int ResetCount { get; private set; }

    public double Get(int index) => _values[index];

    public double this[string id]
    {
        get => _values[Registry.IndexOf(id)];
        set => _values[Registry.IndexOf(id)] = Registry[id].Clamp(value);
    }

    public bool TrySet(int index, double value)
    {
        if (Refused.Contains(index))
        {
            return false;
        }

        _values[index] = Registry.All[index].Clamp(value);
        SetCount++;
        if (RecordSets)
        {
            SetOrder.Add(index);
        }

        return true;
    }

    public void ResetLoudness()
    {
        ResetCount++;
        _resetCountdown = ResetDelayFrames;
        if (ResetDelayFrames == 0)
        {
            ApplyReset();
        }
    }

    /// <summary>The output loudness of the current frame per the model.</summary>
    public double OutputLufs()
    {
        double output = ProgrammeLufs + _values[_gainIndex];
        if (!double.IsNaN(LimiterKneeLufs) && output > LimiterKneeLufs)
        {
            output = LimiterKneeLufs + ((output - LimiterKneeLufs) * LimiterSlope);
        }

        return output;
    }

    /// <summary>The gated integrated loudness of the output since the last reset, LUFS (NaN when nothing above −70).</summary>
    /// <remarks>A histogram of 0.01 LU bins from −70 to +10 LUFS, as a real meter keeps (bounded memory, no allocation).</remarks>
    public double IntegratedLufs()
    {
        double relativeGate = GatedMean(double.NegativeInfinity) - 10;
        return double.IsNaN(relativeGate) ? double.NaN : GatedMean(relativeGate);
    }

    public MeterSnapshot ReadMeters()
    {
        if (_resetCountdown > 0 && --_resetCountdown == 0)
        {
            ApplyReset();
        }

        double output = OutputLufs();
        double energy = double.IsFinite(output) ? Math.Pow(10, output / 10) : 0;
        _momentary[_frames % MomentaryFrames] = energy;
        _shortTerm[_frames % ShortTermFrames] = energy;
        _frames++;
        _framesSinceReset++;
        if (output > HistogramFloorLufs)
        {
            _histogram[Math.Min(_histogram.Length - 1, (int)((output - HistogramFloorLufs) / HistogramBinLu))]++;
        }
        return new MeterSnapshot
        {
            MomentaryLufs = Loudness(_momentary, Math.Min(_frames, MomentaryFrames)),
            ShortTermLufs = Loudness(_shortTerm, Math.Min(_frames, ShortTermFrames)),
            IntegratedLufs = IntegratedLufs(),
            InputMomentaryLufs = ProgrammeLufs,
            InputShortTermLufs = ProgrammeLufs,
            InputIntegratedLufs = _framesSinceReset >= MomentaryFrames && double.IsFinite(ProgrammeLufs) ? ProgrammeLufs : double.NaN,
            GlobalBypass = GlobalBypass,
            LoudnessSeconds = _framesSinceReset * FrameSeconds,
            Blocks = _frames,
        };
    }

    public SystemStatus ReadSystem() => new(48000, 64, 2.9, 0, 3, 5, double.NaN, TimeSpan.Zero, "running");

    private static double Loudness(double[] energies, long count)
    {
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += energies[i];
        }

        return sum > 0 ? 10 * Math.Log10(sum / count) : double.NegativeInfinity;
    }

    private static double[] BinEnergies()
    {
        double[] energies = new double[8000];
        for (int bin = 0; bin < energies.Length; bin++)
        {
            energies[bin] = Math.Pow(10, (HistogramFloorLufs + ((bin + 0.5) * HistogramBinLu)) / 10);
        }

        return energies;
    }

    private double GatedMean(double gateLufs)
    {
        double sum = 0;
        long count = 0;
        for (int bin = 0; bin < _histogram.Length; bin++)
        {
            if (_histogram[bin] > 0 && HistogramFloorLufs + ((bin + 0.5) * HistogramBinLu) > gateLufs)
            {
                sum += _histogram[bin] * s_binEnergy[bin];
                count += _histogram[bin];
            }
        }

        return count == 0 ? double.NaN : 10 * Math.Log10(sum / count);
    }

    private void ApplyReset()
    {
        Array.Clear(_histogram);
        _framesSinceReset = 0;
        _resetCountdown = -1;
    }
}
