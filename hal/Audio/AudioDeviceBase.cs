using HardwareMaster.Hal.Audio.RealTime;

namespace HardwareMaster.Hal.Audio;

/// <summary>
/// Shared lifecycle, event dispatch and xrun accounting for every <see cref="IAudioDevice"/>.
/// </summary>
/// <remarks>
/// Events are queued to the thread pool, so handlers never run on the real-time thread. Xruns are only counted on
/// the audio thread (one interlocked increment); a 100 ms monitor timer turns a changed count into one
/// <see cref="AudioDeviceErrorKind.Xrun"/> event. <see cref="Start"/>, <see cref="Stop"/> and <see cref="Dispose()"/>
/// are serialised by a lock and may be called from any non-audio thread.
/// </remarks>
public abstract class AudioDeviceBase : IAudioDevice
{
    private readonly Lock _gate = new();
    private long _xrunCount;
    private long _reportedXruns;
    private int _running;
    private bool _disposed;
    private Timer? _monitor;

    /// <summary>Initialises the shared state.</summary>
    /// <param name="name">Display name including the backend.</param>
    /// <param name="options">Validated options.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    protected AudioDeviceBase(string name, AudioDeviceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Name = name;
        Options = options;
        SampleRateHz = options.SampleRateHz;
        BlockFrames = options.BlockFrames;
    }

    /// <inheritdoc />
    public event Action<AudioDeviceError>? Error;

    /// <inheritdoc />
    public event Action? Completed;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int SampleRateHz { get; }

    /// <inheritdoc />
    public int BlockFrames { get; }

    /// <inheritdoc />
    public int LatencyFrames => InputLatencyFrames + OutputLatencyFrames;

    /// <summary>Capture latency in frames (valid after <see cref="Start"/>).</summary>
    public int InputLatencyFrames { get; protected set; }

    /// <summary>Playback latency in frames (valid after <see cref="Start"/>).</summary>
    public int OutputLatencyFrames { get; protected set; }

    /// <inheritdoc />
    public abstract bool IsPaced { get; }

    /// <inheritdoc />
    public virtual AudioSampleFormat OutputFormat => AudioSampleFormat.Float32LE;

    /// <inheritdoc />
    public long XrunCount => Interlocked.Read(ref _xrunCount);

    /// <inheritdoc />
    public bool IsRunning => Volatile.Read(ref _running) != 0;

    /// <summary>The options the device was created with.</summary>
    public AudioDeviceOptions Options { get; }

    /// <summary>The outcome of the last real-time promotion of the audio thread (<c>null</c> before the first block or when not requested).</summary>
    public RealtimeResult? RealtimeStatus { get; protected set; }

    /// <inheritdoc />
    public void Start(IAudioCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsRunning)
            {
                throw new InvalidOperationException($"Audio device '{Name}' is already running.");
            }

            // A previous run that ended by itself (error or completion) still holds its resources: release them first.
            StopCore();
            if (Options.LockMemory)
            {
                RealtimeResult locked = RealtimeThread.TryLockMemory();
                if (!locked.Succeeded)
                {
                    ReportError(AudioDeviceErrorKind.RealtimeWarning, locked.Warning!);
                }
            }

            Volatile.Write(ref _running, 1);
            try
            {
                OnStart(callback);
            }
            catch
            {
                Volatile.Write(ref _running, 0);
                StopCore();
                throw;
            }

            _monitor = new Timer(static state => ((AudioDeviceBase)state!).PollXruns(), this, 100, 100);
        }
    }

    /// <inheritdoc />
    public void Stop()
    {
        lock (_gate)
        {
            Volatile.Write(ref _running, 0);
            StopCore();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _running, 0);
            StopCore();
            _disposed = true;
        }

        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases managed resources beyond what <see cref="OnStop"/> released.</summary>
    /// <param name="disposing"><c>true</c> from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Opens the device and starts the audio thread or stream. Throws <see cref="AudioDeviceException"/> when it cannot.</summary>
    /// <param name="callback">The engine.</param>
    protected abstract void OnStart(IAudioCallback callback);

    /// <summary>Stops the audio thread or stream and closes the device. Must be idempotent and must not throw.</summary>
    protected abstract void OnStop();

    /// <summary>Counts one recovered xrun. Audio thread; lock- and allocation-free.</summary>
    protected void CountXrun() => Interlocked.Increment(ref _xrunCount);

    /// <summary>Marks the device as no longer running (called by the audio side when it ends by itself).</summary>
    protected void MarkStopped() => Volatile.Write(ref _running, 0);

    /// <summary>Queues an <see cref="Error"/> event to the thread pool. A fatal kind also marks the device stopped.</summary>
    /// <param name="kind">What happened.</param>
    /// <param name="message">One line naming the device and the cause.</param>
    protected void ReportError(AudioDeviceErrorKind kind, string message)
    {
        var error = new AudioDeviceError(kind, message, XrunCount);
        if (error.IsFatal)
        {
            MarkStopped();
        }

        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Device.Error?.Invoke(state.Error), (Device: this, Error: error), preferLocal: false);
    }

    /// <summary>Marks the device stopped and queues a <see cref="Completed"/> event to the thread pool.</summary>
    protected void ReportCompleted()
    {
        MarkStopped();
        ThreadPool.UnsafeQueueUserWorkItem(static device => device.Completed?.Invoke(), this, preferLocal: false);
    }

    private void StopCore()
    {
        _monitor?.Dispose();
        _monitor = null;
        OnStop();
        PollXruns();
    }

    private void PollXruns()
    {
        long count = XrunCount;
        long previous = Interlocked.Exchange(ref _reportedXruns, count);
        if (count != previous)
        {
            ReportError(AudioDeviceErrorKind.Xrun, $"{Name}: {count - previous} xrun(s) recovered ({count} in total).");
        }
    }
}
