namespace HardwareMaster.Hal.Audio;

/// <summary>
/// A source and sink of fixed-size planar stereo float32 blocks: ALSA, PortAudio, generator, simulated or file devices.
/// </summary>
/// <remarks>
/// Lifecycle: construct (cheap, opens nothing) → <see cref="Start"/> (opens and starts; throws
/// <see cref="AudioDeviceException"/> on the caller's thread when it cannot) → <see cref="Stop"/> (closes; the same
/// instance may be started again) → <see cref="IDisposable.Dispose"/>. A failure while running never throws on the audio thread:
/// the device stops itself and raises <see cref="Error"/> with a fatal kind; the host then disposes it and retries.
/// Events are raised on a thread-pool thread, never on the real-time thread.
/// </remarks>
public interface IAudioDevice : IDisposable
{
    /// <summary>A human-readable name including the backend, e.g. <c>alsa:hw:CARD=Codec,DEV=0</c>.</summary>
    string Name { get; }

    /// <summary>The sample rate the device runs at.</summary>
    int SampleRateHz { get; }

    /// <summary>Frames per callback block.</summary>
    int BlockFrames { get; }

    /// <summary>Input plus output latency in frames as reported by the backend (valid after <see cref="Start"/>).</summary>
    int LatencyFrames { get; }

    /// <summary>
    /// The sample format the output reaches the device or file in (valid after <see cref="Start"/>): the word length to
    /// dither to. <see cref="AudioSampleFormat.Float32LE"/> for devices without an integer edge (generators, float PCMs).
    /// </summary>
    AudioSampleFormat OutputFormat { get; }

    /// <summary><c>false</c> for devices that run as fast as possible (files, unpaced generators, ALSA null/file sinks are paced by nothing).</summary>
    bool IsPaced { get; }

    /// <summary>Under/overruns recovered since the device was created. Readable from any thread.</summary>
    long XrunCount { get; }

    /// <summary><c>true</c> between a successful <see cref="Start"/> and <see cref="Stop"/>, a fatal error or completion.</summary>
    bool IsRunning { get; }

    /// <summary>Warnings, xruns and fatal errors (see <see cref="AudioDeviceError.IsFatal"/>).</summary>
    event Action<AudioDeviceError>? Error;

    /// <summary>A finite device (file, generator or any device with <see cref="AudioDeviceOptions.MaxFrames"/>) delivered all its frames and stopped.</summary>
    event Action? Completed;

    /// <summary>Opens the device and starts calling <paramref name="callback"/>.</summary>
    /// <exception cref="AudioDeviceException">The device cannot be opened or configured.</exception>
    /// <exception cref="InvalidOperationException">Already running, or disposed.</exception>
    void Start(IAudioCallback callback);

    /// <summary>Stops calling back and closes the device. Idempotent.</summary>
    void Stop();
}
