using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Monitor;

namespace HardwareMaster.App.Monitor;

/// <summary>Where the monitor path's signal goes.</summary>
public enum MonitorRoute
{
    /// <summary>
    /// A 2-output interface: the monitor path <em>is</em> the device output whenever a monitor function (or the
    /// correction EQ) is on; observers (recorder, analysis) and the engine's meters still get the untouched master.
    /// The screen says so (<see cref="MonitorPath.ReplacesOutput"/>).
    /// </summary>
    MainOutput = 0,

    /// <summary>A separate monitor pair or file (<see cref="IMonitorSink"/>): the device output stays the master.</summary>
    Sink = 1,
}

/// <summary>Receives the monitor signal of every block (a 4-output interface's monitor pair, a file). Audio thread.</summary>
/// <remarks>Must not allocate, lock, block or throw: copy into preallocated memory and return.</remarks>
public interface IMonitorSink
{
    /// <summary>One block of the monitor signal.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right);
}

/// <summary>
/// The monitor path beside the master (issue 14): applied by <see cref="Engine.AudioEngine"/> after the master is final
/// and after the observers have seen it, it runs a <see cref="MonitorProcessor"/> on a copy and sends the result to its
/// route. It is also the chain's limiter-delta tap (<see cref="MasteringChain.SetLimiterDeltaTap"/>), keeping the
/// difference signal of the block for <see cref="MonitorFunction.Delta"/>.
/// </summary>
/// <remarks>
/// Threading: <see cref="Function"/>, <see cref="SetCalibration"/> and the read-outs from any thread; <see cref="Prepare"/>
/// on the control thread before the audio starts; <see cref="Process(AudioBlock)"/> and <see cref="Render"/> on the
/// audio thread, allocation-free.
/// </remarks>
public sealed class MonitorPath : IAudioTap
{
    private readonly MonitorProcessor _processor = new();
    private IMonitorSink? _sink;
    private float[] _deltaLeft = [];
    private float[] _deltaRight = [];
    private int _deltaFrames;

    /// <summary>Creates a path routed to <paramref name="route"/>.</summary>
    /// <param name="route">The route.</param>
    /// <param name="sink">The sink for <see cref="MonitorRoute.Sink"/>.</param>
    /// <exception cref="ArgumentException"><see cref="MonitorRoute.Sink"/> without a sink.</exception>
    public MonitorPath(MonitorRoute route = MonitorRoute.MainOutput, IMonitorSink? sink = null)
    {
        if (route == MonitorRoute.Sink && sink is null)
        {
            throw new ArgumentException("A monitor sink route needs a sink.", nameof(sink));
        }

        Route = route;
        _sink = sink;
    }

    /// <summary>The route.</summary>
    public MonitorRoute Route { get; }

    /// <summary>The sink when it is a device's separate monitor pair (<see cref="DevicePairMonitorSink"/>), else null.</summary>
    internal DevicePairMonitorSink? PairSink => _sink as DevicePairMonitorSink;

    /// <summary>The function (any thread).</summary>
    public MonitorFunction Function
    {
        get => _processor.Function;
        set => _processor.Function = value;
    }

    /// <summary>Whether a monitor function or correction EQ is on.</summary>
    public bool IsActive => _processor.IsActive;

    /// <summary>True when the device output is the monitor signal right now (2-output interface, something active): the screen must say so.</summary>
    public bool ReplacesOutput => Route == MonitorRoute.MainOutput && IsActive;

    /// <summary>The loudness-match gain in use, dB.</summary>
    public double MatchGainDb => _processor.MatchGainDb;

    /// <summary>The DSP (for tests and the calibration).</summary>
    public MonitorProcessor Processor => _processor;

    /// <summary>Loads (or clears with an empty list) the monitor correction EQ. Control thread.</summary>
    public void SetCalibration(IReadOnlyList<MonitorEqFilter> filters) => _processor.SetCalibration(filters);

    /// <summary>Allocates for the stream. Control thread, not while running.</summary>
    public void Prepare(int sampleRateHz, int maxBlockFrames)
    {
        _processor.Prepare(sampleRateHz, maxBlockFrames);
        _deltaLeft = new float[maxBlockFrames];
        _deltaRight = new float[maxBlockFrames];
        _deltaFrames = 0;
    }

    /// <summary>Forgets the DSP's history (after the engine's warm-up, a device restart). Control thread, not while running.</summary>
    internal void Reset()
    {
        _processor.Reset();
        _deltaFrames = 0;
    }

    /// <summary>The chain's limiter-delta tap: keeps the block's difference signal. Audio thread.</summary>
    /// <param name="block">The difference signal (the chain's scratch; copied).</param>
    public void Process(AudioBlock block)
    {
        // The chain may call this per chunk of a block longer than its MaxBlockFrames; append.
        int n = Math.Min(block.Frames, _deltaLeft.Length - _deltaFrames);
        if (n <= 0)
        {
            return;
        }

        block.Channel(0)[..n].CopyTo(_deltaLeft.AsSpan(_deltaFrames));
        block.Channel(block.Channels > 1 ? 1 : 0)[..n].CopyTo(_deltaRight.AsSpan(_deltaFrames));
        _deltaFrames += n;
    }

    /// <summary>
    /// Makes the block's monitor signal from the final master and routes it: into <paramref name="left"/>/
    /// <paramref name="right"/> (the device output) for <see cref="MonitorRoute.MainOutput"/> while active, else to the
    /// sink. Audio thread; called by the engine after its observers.
    /// </summary>
    /// <param name="left">The master, left (the device's output buffer).</param>
    /// <param name="right">The master, right.</param>
    /// <param name="deliver">False during warm-up: process (so the code is warm) but send nothing.</param>
    internal void Render(Span<float> left, Span<float> right, bool deliver)
    {
        int frames = left.Length;
        bool haveDelta = _deltaFrames == frames;
        _processor.Process(left, right, haveDelta ? _deltaLeft.AsSpan(0, frames) : default, haveDelta ? _deltaRight.AsSpan(0, frames) : default);
        _deltaFrames = 0;
        if (!deliver)
        {
            return;
        }

        if (Route == MonitorRoute.Sink)
        {
            _sink?.Write(_processor.Left, _processor.Right);
        }
        else if (_processor.IsActive && _processor.Left.Length == frames)
        {
            _processor.Left.CopyTo(left);
            _processor.Right.CopyTo(right);
        }
    }
}
