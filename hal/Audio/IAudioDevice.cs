namespace HardwareMaster.Hal.Audio;

/// <summary>
/// The engine side of an audio device: called once per fixed block of <see cref="IAudioDevice.BlockFrames"/> frames.
/// </summary>
public interface IAudioCallback
{
    /// <summary>Reads the input block and fills the output block.</summary>
    /// <param name="buffers">Planar stereo float32 input and output of exactly one block.</param>
    /// <remarks>
    /// Called on the device's real-time thread (or the audio library's callback thread). It must not allocate,
    /// block or throw. A device that catches an exception reports <see cref="AudioDeviceErrorKind.CallbackFailed"/>
    /// and stops cleanly; it never lets the exception reach native code.
    /// </remarks>
    void ProcessBlock(in AudioBuffers buffers);
}

/// <summary>
/// One block of planar stereo float32 audio handed to <see cref="IAudioCallback.ProcessBlock"/>.
/// Samples are nominally in [−1, 1]; anything outside is clipped at the device edge when the device format is integer.
/// </summary>
/// <remarks>
/// Valid only for the duration of the call. A device without capture gives silent inputs; a device without
/// playback gives outputs that are discarded. The output spans are cleared to silence before every call.
/// </remarks>
public readonly ref struct AudioBuffers
{
    /// <summary>Creates a view over preallocated device buffers.</summary>
    /// <param name="inputLeft">Captured left channel.</param>
    /// <param name="inputRight">Captured right channel (a copy of the left for mono devices).</param>
    /// <param name="outputLeft">Left channel to play.</param>
    /// <param name="outputRight">Right channel to play.</param>
    /// <param name="blockIndex">Zero-based index of this block since <see cref="IAudioDevice.Start"/>.</param>
    public AudioBuffers(ReadOnlySpan<float> inputLeft, ReadOnlySpan<float> inputRight, Span<float> outputLeft, Span<float> outputRight, long blockIndex)
    {
        InputLeft = inputLeft;
        InputRight = inputRight;
        OutputLeft = outputLeft;
        OutputRight = outputRight;
        BlockIndex = blockIndex;
    }

    /// <summary>Captured left channel, <see cref="Frames"/> samples.</summary>
    public ReadOnlySpan<float> InputLeft { get; }

    /// <summary>Captured right channel, <see cref="Frames"/> samples.</summary>
    public ReadOnlySpan<float> InputRight { get; }

    /// <summary>Left channel to play, <see cref="Frames"/> samples.</summary>
    public Span<float> OutputLeft { get; }

    /// <summary>Right channel to play, <see cref="Frames"/> samples.</summary>
    public Span<float> OutputRight { get; }

    /// <summary>Frames in this block (always the device's block size).</summary>
    public int Frames => OutputLeft.Length;

    /// <summary>Zero-based index of this block since the device was started.</summary>
    public long BlockIndex { get; }
}

/// <summary>Which directions a device opens.</summary>
public enum AudioDirection
{
    /// <summary>Capture and playback (the box).</summary>
    Duplex,

    /// <summary>Playback only; the callback sees silent inputs (generator and file playback paths).</summary>
    OutputOnly,

    /// <summary>Capture only; the callback's outputs are discarded (live measurement).</summary>
    InputOnly,
}

/// <summary>Sample formats at the device edge. The callback always sees float32.</summary>
public enum AudioSampleFormat
{
    /// <summary>Signed 16-bit little-endian (ALSA S16_LE, PortAudio paInt16).</summary>
    S16LE,

    /// <summary>Signed 24-bit little-endian packed in 3 bytes (ALSA S24_3LE, PortAudio paInt24).</summary>
    S24Packed3LE,

    /// <summary>Signed 32-bit little-endian (ALSA S32_LE, PortAudio paInt32); 24-bit converters deliver this too.</summary>
    S32LE,

    /// <summary>IEEE 754 float32 little-endian (ALSA FLOAT_LE, PortAudio paFloat32).</summary>
    Float32LE,
}

/// <summary>
/// How to open an audio device. Names are backend-specific (ALSA: <c>hw:CARD=Device,DEV=0</c>, <c>plughw:1,0</c>,
/// <c>default</c>; PortAudio: the device name as listed, or <c>default</c>).
/// </summary>
/// <param name="Name">Device used for both directions unless <paramref name="InputName"/> or <paramref name="OutputName"/> overrides it.</param>
/// <param name="SampleRateHz">Sample rate; the device must run at exactly this rate (no resampling in the driver is relied upon).</param>
/// <param name="BlockFrames">Frames per callback block (and the ALSA period size).</param>
/// <param name="Periods">Periods in the ALSA buffer (2–3 is typical); PortAudio uses it to suggest the latency.</param>
/// <param name="RealtimePriority">SCHED_FIFO priority of the audio thread (1–99); 0 keeps normal scheduling.</param>
/// <param name="LockMemory">Call <c>mlockall(MCL_CURRENT|MCL_FUTURE)</c> before starting, when permitted.</param>
/// <param name="Direction">Duplex, output-only or input-only.</param>
/// <param name="InputName">Capture device name overriding <paramref name="Name"/>.</param>
/// <param name="OutputName">Playback device name overriding <paramref name="Name"/>.</param>
/// <param name="SampleFormat">Force this edge format; <c>null</c> negotiates the best the device offers (S32, float, S24_3, S16).</param>
/// <param name="MaxFrames">Stop after this many frames and raise <see cref="IAudioDevice.Completed"/>; <c>null</c> runs until stopped.</param>
/// <param name="Paced">For generator and simulated devices: follow the wall clock (<c>true</c>) or run as fast as possible.</param>
/// <param name="StallTimeoutMs">A hardware device that delivers no audio for this long is reported as lost (<see cref="AudioDeviceErrorKind.DeviceLost"/>).</param>
public sealed record AudioDeviceOptions(
    string Name = "default",
    int SampleRateHz = 48000,
    int BlockFrames = 64,
    int Periods = 2,
    int RealtimePriority = 70,
    bool LockMemory = true,
    AudioDirection Direction = AudioDirection.Duplex,
    string? InputName = null,
    string? OutputName = null,
    AudioSampleFormat? SampleFormat = null,
    long? MaxFrames = null,
    bool Paced = true,
    int StallTimeoutMs = 2000)
{
    /// <summary>The capture device name actually used.</summary>
    public string EffectiveInputName => InputName ?? Name;

    /// <summary>The playback device name actually used.</summary>
    public string EffectiveOutputName => OutputName ?? Name;

    /// <summary>Checks ranges; called by every device constructor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SampleRateHz, 8000, nameof(SampleRateHz));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SampleRateHz, 768000, nameof(SampleRateHz));
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockFrames, 1, nameof(BlockFrames));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BlockFrames, 8192, nameof(BlockFrames));
        ArgumentOutOfRangeException.ThrowIfLessThan(Periods, 2, nameof(Periods));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Periods, 16, nameof(Periods));
        ArgumentOutOfRangeException.ThrowIfNegative(RealtimePriority, nameof(RealtimePriority));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RealtimePriority, 99, nameof(RealtimePriority));
        ArgumentOutOfRangeException.ThrowIfLessThan(StallTimeoutMs, 100, nameof(StallTimeoutMs));
        if (MaxFrames is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(MaxFrames));
        }
    }
}

/// <summary>What went wrong on a device.</summary>
public enum AudioDeviceErrorKind
{
    /// <summary>Not fatal: real-time scheduling or memory locking was refused; audio runs with normal priority.</summary>
    RealtimeWarning,

    /// <summary>Not fatal: one or more buffer under/overruns were recovered (see <see cref="IAudioDevice.XrunCount"/>).</summary>
    Xrun,

    /// <summary>Fatal: the device failed or vanished (USB unplugged); the device has stopped.</summary>
    DeviceLost,

    /// <summary>Fatal: the callback threw; the device has stopped.</summary>
    CallbackFailed,
}

/// <summary>An error or warning reported by <see cref="IAudioDevice.Error"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Message">One line naming the device and the cause (ALSA's or PortAudio's error text where there is one).</param>
/// <param name="XrunCount">The device's xrun counter when the event was raised.</param>
public sealed record AudioDeviceError(AudioDeviceErrorKind Kind, string Message, long XrunCount)
{
    /// <summary><c>true</c> when the device has stopped and must be disposed (and perhaps reopened).</summary>
    public bool IsFatal => Kind is AudioDeviceErrorKind.DeviceLost or AudioDeviceErrorKind.CallbackFailed;
}

/// <summary>A failure to open, configure or start a device; the message names the device and the native error text.</summary>
public sealed class AudioDeviceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the device and the cause.</param>
    public AudioDeviceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a native error code.</summary>
    /// <param name="message">One line naming the device and the cause.</param>
    /// <param name="nativeErrorCode">The (negative) ALSA or PortAudio error code.</param>
    public AudioDeviceException(string message, int nativeErrorCode)
        : base(message)
    {
        NativeErrorCode = nativeErrorCode;
    }

    /// <summary>Creates the exception wrapping another.</summary>
    /// <param name="message">One line naming the device and the cause.</param>
    /// <param name="innerException">The underlying failure.</param>
    public AudioDeviceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The native error code (negative errno for ALSA, PaError for PortAudio), 0 when there is none.</summary>
    public int NativeErrorCode { get; }

    /// <summary>
    /// <c>false</c> when retrying cannot help (a malformed or unknown device spec, a file at the wrong sample rate, an
    /// output folder that does not exist or is read-only); the host then fails at once instead of retrying. <c>true</c>
    /// (the default) for what can come back by itself: a device that is unplugged, busy or not yet there.
    /// </summary>
    public bool CanRecover { get; init; } = true;
}

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

/// <summary>One playable or recordable device as listed by <see cref="AudioDeviceEnumerator"/>.</summary>
/// <param name="Backend"><c>alsa</c> or <c>pa</c>.</param>
/// <param name="Name">The name to pass in <see cref="AudioDeviceOptions.Name"/> (e.g. <c>hw:CARD=Codec,DEV=0</c>).</param>
/// <param name="Description">The backend's description (card long name, host API).</param>
/// <param name="MaxInputChannels">Capture channels (0 when it cannot capture or could not be probed).</param>
/// <param name="MaxOutputChannels">Playback channels (0 when it cannot play or could not be probed).</param>
/// <param name="MinRateHz">Lowest supported rate (0 when unknown).</param>
/// <param name="MaxRateHz">Highest supported rate (0 when unknown).</param>
/// <param name="DefaultRateHz">The backend's default rate (0 when it has none).</param>
/// <param name="Note">Why probing failed (e.g. "busy"), or <c>null</c>.</param>
public sealed record AudioDeviceInfo(
    string Backend,
    string Name,
    string Description,
    int MaxInputChannels,
    int MaxOutputChannels,
    int MinRateHz,
    int MaxRateHz,
    double DefaultRateHz,
    string? Note);
