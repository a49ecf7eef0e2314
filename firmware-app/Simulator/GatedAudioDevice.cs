using HardwareMaster.App.Engine;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.FileDevice;

namespace HardwareMaster.App.Simulator;

/// <summary>
/// Wraps the real device of a simulated run so an unpaced one (the file device) waits at scripted gestures
/// (<see cref="ScriptGate"/>); everything else passes straight through. Registered per run under a scheme of its own
/// (<see cref="Register"/>), so the supervisor opens, retries and closes it like any device.
/// </summary>
public sealed class GatedAudioDevice : IAudioDevice, IAudioCallback
{
    private readonly IAudioDevice _inner;
    private readonly ScriptGate _gate;
    private IAudioCallback? _callback;
    private AudioEngine? _engine;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The real device.</param>
    /// <param name="gate">The gate.</param>
    public GatedAudioDevice(IAudioDevice inner, ScriptGate gate)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(gate);
        _inner = inner;
        _gate = gate;
    }

    /// <inheritdoc />
    public event Action<AudioDeviceError>? Error
    {
        add => _inner.Error += value;
        remove => _inner.Error -= value;
    }

    /// <inheritdoc />
    public event Action? Completed
    {
        add => _inner.Completed += value;
        remove => _inner.Completed -= value;
    }

    /// <summary>The wrapped device.</summary>
    public IAudioDevice Inner => _inner;

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public int SampleRateHz => _inner.SampleRateHz;

    /// <inheritdoc />
    public int BlockFrames => _inner.BlockFrames;

    /// <inheritdoc />
    public int LatencyFrames => _inner.LatencyFrames;

    /// <inheritdoc />
    public AudioSampleFormat OutputFormat => _inner.OutputFormat;

    /// <inheritdoc />
    public bool IsPaced => _inner.IsPaced;

    /// <inheritdoc />
    public long XrunCount => _inner.XrunCount;

    /// <inheritdoc />
    public bool IsRunning => _inner.IsRunning;

    /// <summary>
    /// Registers scheme <paramref name="scheme"/> whose spec is the real device spec: <c>SCHEME:file:PATH</c> opens
    /// <c>file:PATH</c> wrapped in a gated device.
    /// </summary>
    /// <param name="scheme">A scheme unique to this run.</param>
    /// <param name="gate">The run's gate.</param>
    public static void Register(string scheme, ScriptGate gate) =>
        AudioDeviceFactory.Register(scheme, (spec, options) => new GatedAudioDevice(AudioDeviceFactory.Create(spec, options with { Name = spec }), gate));

    /// <inheritdoc />
    public void Start(IAudioCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _callback = callback;
        _engine = callback as AudioEngine;
        if (_inner is FileAudioDevice file && _engine is not null)
        {
            // What the supervisor does for a bare file device: the output lines up with the input.
            file.LatencyCompensationFrames = _engine.LatencyFrames;
        }

        bool gated = !_inner.IsPaced && _engine is not null;
        if (gated)
        {
            _gate.OnDeviceStart(_inner.SampleRateHz);
        }

        _inner.Start(gated ? this : callback);
    }

    /// <inheritdoc />
    public void Stop() => _inner.Stop();

    /// <inheritdoc />
    public void ProcessBlock(in AudioBuffers buffers)
    {
        _gate.WaitIfDue(_engine!.FramesProcessed);
        _callback!.ProcessBlock(buffers);
    }

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();
}
