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

    /// <summary>
    /// Nowhere: a <c>file:</c> device without <c>--monitor-output</c>, whose only output is a render (the master). The
    /// path runs (the page's match gain, the reference's offset stay live) but its signal goes nowhere, so nothing on the
    /// MONITOR page can change the file; the screen says "no monitor out" (<see cref="MonitorPath.HasOutput"/>).
    /// </summary>
    None = 2,
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
    /// <summary>Length of the crossfade between the old and the new monitor signal when the function changes, ms.</summary>
    public const double CrossfadeMs = 15;

    // Two processors: the current one, and the previous one kept running for the crossfade after a switch.
    private readonly MonitorProcessor[] _processors = [new(), new()];
    private int _current;
    private int _requested;
    private int _fadeFrames = 1;
    private int _fadePosition = -1; // −1: no crossfade
    private float[] _mixLeft = [];
    private float[] _mixRight = [];
    private int _mixFrames;
    private bool _mixed;
    private bool _calibrated;
    private IMonitorSink? _sink;
    private float[] _deltaLeft = [];
    private float[] _deltaRight = [];
    private int _deltaFrames;
    private ReferencePlayer? _reference;
    private int _sampleRateHz;
    private int _maxBlockFrames;

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

    /// <summary>False for <see cref="MonitorRoute.None"/>: the monitor signal is heard nowhere.</summary>
    public bool HasOutput => Route != MonitorRoute.None;

    /// <summary>The sink when it is a device's separate monitor pair (<see cref="DevicePairMonitorSink"/>), else null.</summary>
    internal DevicePairMonitorSink? PairSink => _sink as DevicePairMonitorSink;

    /// <summary>The function (any thread).</summary>
    /// <remarks>A change takes effect at the audio thread's next block with a <see cref="CrossfadeMs"/> crossfade from the old signal.</remarks>
    public MonitorFunction Function
    {
        get => (MonitorFunction)Volatile.Read(ref _requested);
        set => Volatile.Write(ref _requested, (int)value);
    }

    /// <summary>Whether a monitor function or correction EQ is on.</summary>
    public bool IsActive => Function != MonitorFunction.Off || Volatile.Read(ref _calibrated);

    /// <summary>Whether a correction EQ is loaded.</summary>
    public bool IsCalibrated => Volatile.Read(ref _calibrated);

    /// <summary>The monitor output of the last <see cref="Render"/>, left (the crossfade included).</summary>
    public ReadOnlySpan<float> Left => _mixed ? _mixLeft.AsSpan(0, _mixFrames) : CurrentProcessor.Left;

    /// <summary>The monitor output of the last <see cref="Render"/>, right.</summary>
    public ReadOnlySpan<float> Right => _mixed ? _mixRight.AsSpan(0, _mixFrames) : CurrentProcessor.Right;

    /// <summary>True while a function switch's crossfade runs (audio thread's view).</summary>
    public bool IsCrossfading => Volatile.Read(ref _fadePosition) >= 0;

    private MonitorProcessor CurrentProcessor => _processors[_current];

    /// <summary>True when the device output is the monitor signal right now (2-output interface, something active): the screen must say so.</summary>
    public bool ReplacesOutput => Route == MonitorRoute.MainOutput && (IsActive || _reference?.IsAudible == true);

    /// <summary>The reference player mixed in ahead of the monitor DSP (reference A/B), or null.</summary>
    public ReferencePlayer? Reference => Volatile.Read(ref _reference);

    /// <summary>
    /// Attaches the reference player (or detaches with null): while it plays, the monitor path plays the reference
    /// (crossfaded, loudness-matched) instead of the master, through the same monitor function and correction EQ.
    /// Control thread, not while running (prepared here when the path already is).
    /// </summary>
    public void AttachReference(ReferencePlayer? reference)
    {
        if (reference is not null && _sampleRateHz > 0)
        {
            reference.Prepare(_sampleRateHz, _maxBlockFrames);
        }

        Volatile.Write(ref _reference, reference);
    }

    /// <summary>The loudness-match gain in use, dB.</summary>
    public double MatchGainDb => CurrentProcessor.MatchGainDb;

    /// <summary>The DSP in use (for tests and the calibration).</summary>
    public MonitorProcessor Processor => CurrentProcessor;

    /// <summary>Loads (or clears with an empty list) the monitor correction EQ. Control thread.</summary>
    public void SetCalibration(IReadOnlyList<MonitorEqFilter> filters)
    {
        _processors[0].SetCalibration(filters);
        _processors[1].SetCalibration(filters);
        Volatile.Write(ref _calibrated, filters.Count > 0);
    }

    /// <summary>Allocates for the stream. Control thread, not while running.</summary>
    public void Prepare(int sampleRateHz, int maxBlockFrames)
    {
        foreach (MonitorProcessor processor in _processors)
        {
            processor.Prepare(sampleRateHz, maxBlockFrames);
        }

        _mixLeft = new float[maxBlockFrames];
        _mixRight = new float[maxBlockFrames];
        _fadeFrames = Math.Max(1, (int)Math.Round(CrossfadeMs * 0.001 * sampleRateHz));
        StartWithoutCrossfade();
        _deltaLeft = new float[maxBlockFrames];
        _deltaRight = new float[maxBlockFrames];
        _deltaFrames = 0;
        _sampleRateHz = sampleRateHz;
        _maxBlockFrames = maxBlockFrames;
        _reference?.Prepare(sampleRateHz, maxBlockFrames);
    }

    /// <summary>Forgets the DSP's history (after the engine's warm-up, a device restart). Control thread, not while running.</summary>
    internal void Reset()
    {
        StartWithoutCrossfade();
        _reference?.Reset();
        _deltaFrames = 0;
    }

    // The requested function on the current processor from its next block, with its own fade-in, no crossfade.
    private void StartWithoutCrossfade()
    {
        CurrentProcessor.Restart(Function, fadeIn: true);
        Volatile.Write(ref _fadePosition, -1);
        _mixed = false;
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
    /// <paramref name="right"/> (the device output) for <see cref="MonitorRoute.MainOutput"/> while active, to the sink
    /// for <see cref="MonitorRoute.Sink"/>, nowhere for <see cref="MonitorRoute.None"/>. Audio thread; called by the engine after its observers.
    /// </summary>
    /// <param name="left">The master, left (the device's output buffer).</param>
    /// <param name="right">The master, right.</param>
    /// <param name="deliver">False during warm-up: process (so the code is warm) but send nothing.</param>
    internal void Render(Span<float> left, Span<float> right, bool deliver)
    {
        int frames = left.Length;
        bool haveDelta = _deltaFrames == frames;
        ReadOnlySpan<float> deltaLeft = haveDelta ? _deltaLeft.AsSpan(0, frames) : default;
        ReadOnlySpan<float> deltaRight = haveDelta ? _deltaRight.AsSpan(0, frames) : default;
        ReferencePlayer? reference = deliver ? _reference : null;
        bool referenced = reference is not null && reference.Render(left, right) && reference.Left.Length == frames;
        ReadOnlySpan<float> sourceLeft = referenced ? reference!.Left : left, sourceRight = referenced ? reference!.Right : right;
        if (_fadePosition < 0 && Volatile.Read(ref _requested) != (int)CurrentProcessor.Function)
        {
            // A switch: the old processor plays on for the crossfade; the other one starts the new function at full level.
            _current ^= 1;
            CurrentProcessor.Restart(Function, fadeIn: false);
            Volatile.Write(ref _fadePosition, 0);
        }

        CurrentProcessor.Process(sourceLeft, sourceRight, deltaLeft, deltaRight);
        _mixed = _fadePosition >= 0 && Crossfade(sourceLeft, sourceRight, deltaLeft, deltaRight);
        _deltaFrames = 0;
        if (!deliver)
        {
            return;
        }

        if (Route == MonitorRoute.Sink)
        {
            _sink?.Write(Left, Right);
        }
        else if (Route == MonitorRoute.MainOutput && (IsActive || _mixed || referenced) && Left.Length == frames)
        {
            Left.CopyTo(left);
            Right.CopyTo(right);
        }
    }

    // Mixes old·(1−x) + new·x into the mix buffers, x rising linearly over the crossfade; false when none is running.
    private bool Crossfade(ReadOnlySpan<float> masterLeft, ReadOnlySpan<float> masterRight, ReadOnlySpan<float> deltaLeft, ReadOnlySpan<float> deltaRight)
    {
        MonitorProcessor old = _processors[_current ^ 1];
        old.Process(masterLeft, masterRight, deltaLeft, deltaRight);
        ReadOnlySpan<float> newLeft = CurrentProcessor.Left, newRight = CurrentProcessor.Right, oldLeft = old.Left, oldRight = old.Right;
        int n = Math.Min(newLeft.Length, oldLeft.Length);
        int position = _fadePosition;
        float step = 1f / _fadeFrames;
        for (int i = 0; i < n; i++)
        {
            float x = position >= _fadeFrames ? 1f : (position + 1) * step;
            position++;
            _mixLeft[i] = (oldLeft[i] * (1 - x)) + (newLeft[i] * x);
            _mixRight[i] = (oldRight[i] * (1 - x)) + (newRight[i] * x);
        }

        _mixFrames = n;
        Volatile.Write(ref _fadePosition, position >= _fadeFrames ? -1 : position);
        return true;
    }
}
