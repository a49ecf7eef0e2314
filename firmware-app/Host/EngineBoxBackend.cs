using System.Diagnostics;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Host;

/// <summary>
/// The box's face on the running engine: parameters through <see cref="EngineController"/> (the one route to the audio
/// thread), meters and bypass from <see cref="AudioEngine"/>, device state from <see cref="AudioSupervisor"/>.
/// </summary>
/// <remarks>
/// UI thread only. <see cref="Get"/> reads a local mirror of the values (kept up to date by <see cref="TrySet"/>) instead
/// of cloning <see cref="EngineController.Values"/>, so reading and setting allocate nothing here; what the controller
/// itself costs per detent is its own. Anything that sets parameters behind the backend's back calls <see cref="Resync"/>.
/// </remarks>
public sealed class EngineBoxBackend : IBoxBackend, IDisposable
{
    private static readonly string[] StateNames = BuildStateNames();

    private readonly EngineController _controller;
    private readonly AudioEngine _engine;
    private readonly AudioSupervisor _supervisor;
    private readonly CpuThermometer _thermometer;
    private readonly TimeProvider _time;
    private readonly long _startedTicks;
    private readonly double[] _values;
    private long _cpuReadTicks;
    private bool _cpuRead;
    private double _cpuPercent = double.NaN;
    private double _cpuP99Percent = double.NaN;

    /// <summary>Creates the backend.</summary>
    /// <param name="supervisor">The audio loop (its engine and controller are the ones edited and read).</param>
    /// <param name="controller">The engine's controller.</param>
    /// <param name="thermometer">CPU temperature source (default: the system's thermal zones).</param>
    /// <param name="time">Clock for the uptime and the once-a-second CPU figures.</param>
    public EngineBoxBackend(AudioSupervisor supervisor, EngineController controller, CpuThermometer? thermometer = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        ArgumentNullException.ThrowIfNull(controller);
        _supervisor = supervisor;
        _controller = controller;
        _engine = controller.Engine;
        _thermometer = thermometer ?? new CpuThermometer();
        _time = time ?? TimeProvider.System;
        _startedTicks = _time.GetTimestamp();
        ParameterSet values = controller.Values;
        Registry = values.Registry;
        _values = new double[Registry.Count];
        CopyFrom(values);
    }

    /// <inheritdoc />
    public ParameterRegistry Registry { get; }

    /// <summary>Counts parameter changes made through <see cref="TrySet"/> (the host saves the last state when it moves).</summary>
    public long Version { get; private set; }

    /// <summary>The controller (for presets and assists that apply whole sets).</summary>
    public EngineController Controller => _controller;

    /// <inheritdoc />
    public bool GlobalBypass
    {
        get => _engine.GlobalBypass;
        set => _engine.GlobalBypass = value;
    }

    /// <inheritdoc />
    public double Get(int index) => _values[index];

    /// <inheritdoc />
    public bool TrySet(int index, double value)
    {
        ParameterDefinition definition = Registry.All[index];
        double clamped = definition.Clamp(value);
        try
        {
            _controller.Set(index, clamped);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // the chain refused it; the controller kept the previous value
        }

        if (_values[index] != clamped)
        {
            _values[index] = clamped;
            Version++;
        }

        return true;
    }

    /// <summary>Re-reads every value from the controller (after a preset or an assist set them directly). Allocates.</summary>
    public void Resync() => CopyFrom(_controller.Values);

    /// <summary>The snapshot the face read last (for `--stats-json` and logs; reading it consumes nothing).</summary>
    public MeterSnapshot LastMeters { get; private set; }

    /// <inheritdoc />
    public MeterSnapshot ReadMeters()
    {
        MeterSnapshot meters = _engine.ReadMeters();
        LastMeters = meters;
        return meters;
    }

    /// <inheritdoc />
    public void ResetLoudness() => _engine.ResetLoudness();

    /// <inheritdoc />
    public void SetProgrammeLoudness(double lufs) => _engine.Chain.SetProgrammeLoudness(lufs);

    /// <inheritdoc />
    public IBoxProtection? Protection { get; init; }

    /// <inheritdoc />
    public IBoxReadiness? Readiness { get; init; }

    /// <inheritdoc />
    public IBoxRecorder? Recorder { get; init; }

    /// <inheritdoc />
    public IBoxMonitor? Monitor { get; init; }

    /// <inheritdoc />
    public IBoxReference? Reference { get; init; }

    /// <inheritdoc />
    /// <remarks>
    /// The latency is the chain's (<see cref="AudioEngine.LatencyFrames"/>: the limiter's look-ahead and oversampling
    /// filters) plus the open device's round trip (<see cref="AudioSupervisor.DeviceLatencyFrames"/>; ALSA: the primed
    /// buffer, periods × block; file, generator and simulated devices: 0). The block is not added again: the engine
    /// processes each block in place (input frame n becomes output frame n + chain latency), and what a block costs on a
    /// real interface is the device's buffering, already in its figure. Measured by <c>LatencyReportTests</c>.
    /// </remarks>
    public SystemStatus ReadSystem()
    {
        int rate = _engine.SampleRateHz;
        int block = _engine.BlockFrames;
        long now = _time.GetTimestamp();
        if (!_cpuRead || _time.GetElapsedTime(_cpuReadTicks, now) >= CpuThermometer.Interval)
        {
            _cpuRead = true;
            _cpuReadTicks = now;
            EngineStatistics stats = _engine.ReadStatistics();
            bool measured = stats.ComputeTime.Blocks > 0;
            _cpuPercent = measured ? stats.ComputeTime.MedianPercent : double.NaN;
            _cpuP99Percent = measured ? stats.ComputeTime.P99Percent : double.NaN;
        }

        double latencyMs = rate > 0 ? (_engine.LatencyFrames + _supervisor.DeviceLatencyFrames) * 1000.0 / rate : double.NaN;
        return new SystemStatus(
            rate,
            block,
            latencyMs,
            _supervisor.XrunCount,
            _cpuPercent,
            _cpuP99Percent,
            _thermometer.ReadCelsius(),
            _time.GetElapsedTime(_startedTicks, now),
            StateNames[(int)_supervisor.State]) { PairingSecret = RemoteHub?.PairingSecret };
    }

    /// <summary>The remote hub whose pairing secret the SYSTEM page shows, or null.</summary>
    public Remote.RemoteHub? RemoteHub { get; set; }

    /// <inheritdoc />
    public IMidiLearn? MidiLearn => RemoteHub?.MidiLearn;

    /// <inheritdoc />
    public void Dispose() => _thermometer.Dispose();

    private void CopyFrom(ParameterSet values)
    {
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = values.Get(i);
        }
    }

    private static string[] BuildStateNames()
    {
        SupervisorState[] states = Enum.GetValues<SupervisorState>();
        var names = new string[states.Max(static s => (int)s) + 1];
        foreach (SupervisorState state in states)
        {
            names[(int)state] = state.ToString().ToLowerInvariant();
        }

        Debug.Assert(names.All(static n => n is not null), "every state has a name");
        return names;
    }
}
