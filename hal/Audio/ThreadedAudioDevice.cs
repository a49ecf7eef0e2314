using System.Diagnostics;
using HardwareMaster.Hal.Audio.RealTime;

namespace HardwareMaster.Hal.Audio;

/// <summary>What a backend's block step reports to the audio loop.</summary>
public enum BlockStatus
{
    /// <summary>The block was transferred; keep going.</summary>
    Continue,

    /// <summary>A finite source reached its end; the loop stops and raises <see cref="IAudioDevice.Completed"/>.</summary>
    EndOfStream,

    /// <summary>The backend failed and has already reported a fatal error; the loop stops.</summary>
    Failed,
}

/// <summary>
/// A device driven by its own audio thread: read a block, call the engine, write the block. Used by ALSA,
/// generator, simulated and (later) file devices.
/// </summary>
/// <remarks>
/// The thread is promoted to SCHED_FIFO when <see cref="AudioDeviceOptions.RealtimePriority"/> is above 0 (a refusal is
/// reported as <see cref="AudioDeviceErrorKind.RealtimeWarning"/>). After start the loop allocates nothing; the
/// callback's exceptions are caught and reported as <see cref="AudioDeviceErrorKind.CallbackFailed"/>.
/// </remarks>
public abstract class ThreadedAudioDevice : AudioDeviceBase
{
    private float[] _inputLeft = [];
    private float[] _inputRight = [];
    private float[] _outputLeft = [];
    private float[] _outputRight = [];
    private float[] _monitorLeft = [];
    private float[] _monitorRight = [];
    private Thread? _thread;
    private IAudioCallback? _callback;
    private volatile bool _stopRequested;

    /// <summary>Initialises the shared state.</summary>
    /// <param name="name">Display name including the backend.</param>
    /// <param name="options">Options (validated here).</param>
    protected ThreadedAudioDevice(string name, AudioDeviceOptions options)
        : base(name, options)
    {
    }

    /// <summary>How long <see cref="OnStop"/> waits for the audio thread before calling <see cref="AbortBlockingIo"/>.</summary>
    protected virtual TimeSpan StopTimeout => TimeSpan.FromSeconds(2);

    /// <summary>
    /// The block's monitor pair (<see cref="AudioDeviceOptions.OutputMap"/>), for <see cref="WriteBlock"/> to play on the
    /// map's monitor channels; empty without a monitor pair. Audio thread.
    /// </summary>
    protected ReadOnlySpan<float> MonitorOutputLeft => _monitorLeft;

    /// <summary>The block's monitor pair, right (see <see cref="MonitorOutputLeft"/>).</summary>
    protected ReadOnlySpan<float> MonitorOutputRight => _monitorRight;

    /// <summary><c>true</c> once <see cref="IAudioDevice.Stop"/> has asked the audio thread to end.</summary>
    protected bool StopRequested => _stopRequested;

    /// <inheritdoc />
    protected sealed override void OnStart(IAudioCallback callback)
    {
        Open();
        int frames = BlockFrames;
        if (_inputLeft.Length != frames)
        {
            _inputLeft = new float[frames];
            _inputRight = new float[frames];
            _outputLeft = new float[frames];
            _outputRight = new float[frames];
        }

        int monitorFrames = Options.OutputMap is { HasMonitorPair: true } ? frames : 0;
        if (_monitorLeft.Length != monitorFrames)
        {
            _monitorLeft = new float[monitorFrames];
            _monitorRight = new float[monitorFrames];
        }

        _callback = callback;
        _stopRequested = false;
        _thread = new Thread(ThreadMain, maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = "audio " + Name,
        };
        _thread.Start();
    }

    /// <inheritdoc />
    protected sealed override void OnStop()
    {
        _stopRequested = true;
        Thread? thread = _thread;
        if (thread is not null && thread != Thread.CurrentThread)
        {
            if (!thread.Join(StopTimeout))
            {
                AbortBlockingIo();
                thread.Join(TimeSpan.FromSeconds(5));
            }
        }

        _thread = null;
        _callback = null;
        if (thread is null || !thread.IsAlive || thread == Thread.CurrentThread)
        {
            Close();
        }

        // else: the thread is stuck inside a native call; closing its handles under it could crash, so they are left
        // to the SafeHandle finalizers. Backends avoid this by never blocking without a timeout.
    }

    /// <summary>Opens and configures the device on the caller's thread; throws <see cref="AudioDeviceException"/> on failure.</summary>
    protected abstract void Open();

    /// <summary>Closes whatever <see cref="Open"/> opened. Idempotent, never throws. Called after the audio thread ended.</summary>
    protected abstract void Close();

    /// <summary>Called once on the audio thread before the first block (e.g. prime playback, start streams).</summary>
    /// <returns><see cref="BlockStatus.Failed"/> after reporting a fatal error.</returns>
    protected virtual BlockStatus BeginStream() => BlockStatus.Continue;

    /// <summary>Fills one block of input. Audio thread; must not allocate or throw.</summary>
    /// <param name="left">Receives the left channel.</param>
    /// <param name="right">Receives the right channel.</param>
    /// <param name="startFrame">Frame index of the block since start.</param>
    /// <returns>Whether to go on.</returns>
    protected abstract BlockStatus ReadBlock(Span<float> left, Span<float> right, long startFrame);

    /// <summary>Delivers one block of output (and paces an unbuffered device). Audio thread; must not allocate or throw.</summary>
    /// <param name="left">Left channel.</param>
    /// <param name="right">Right channel.</param>
    /// <param name="startFrame">Frame index of the block since start.</param>
    /// <returns>Whether to go on.</returns>
    protected abstract BlockStatus WriteBlock(ReadOnlySpan<float> left, ReadOnlySpan<float> right, long startFrame);

    /// <summary>Called on the audio thread after the last block of a finite run (e.g. drain playback).</summary>
    protected virtual void EndStream()
    {
    }

    /// <summary>Called from <see cref="IAudioDevice.Stop"/> when the audio thread does not end in time (e.g. drop a blocked PCM).</summary>
    protected virtual void AbortBlockingIo()
    {
    }

    private void ThreadMain()
    {
        int priority = Options.RealtimePriority;
        if (priority > 0)
        {
            RealtimeResult promoted = RealtimeThread.TryPromoteCurrentThread(priority);
            RealtimeStatus = promoted;
            if (!promoted.Succeeded)
            {
                ReportError(AudioDeviceErrorKind.RealtimeWarning, $"{Name}: {promoted.Warning}");
            }
        }

        IAudioCallback callback = _callback!;
        float[] inputLeft = _inputLeft, inputRight = _inputRight, outputLeft = _outputLeft, outputRight = _outputRight;
        float[] monitorLeft = _monitorLeft, monitorRight = _monitorRight;
        int frames = BlockFrames;
        long maxFrames = Options.MaxFrames ?? long.MaxValue;
        long blockIndex = 0;
        long frame = 0;
        BlockStatus status = BeginStream();
        while (status == BlockStatus.Continue && !_stopRequested)
        {
            if (frame >= maxFrames)
            {
                status = BlockStatus.EndOfStream;
                break;
            }

            status = ReadBlock(inputLeft, inputRight, frame);
            if (status != BlockStatus.Continue)
            {
                break;
            }

            Array.Clear(outputLeft);
            Array.Clear(outputRight);
            Array.Clear(monitorLeft);
            Array.Clear(monitorRight);
            try
            {
                callback.ProcessBlock(new AudioBuffers(inputLeft, inputRight, outputLeft, outputRight, monitorLeft, monitorRight, blockIndex));
            }
            catch (Exception ex)
            {
                ReportError(AudioDeviceErrorKind.CallbackFailed, $"{Name}: the audio callback threw {ex.GetType().Name}: {ex.Message}");
                status = BlockStatus.Failed;
                break;
            }

            status = WriteBlock(outputLeft, outputRight, frame);
            blockIndex++;
            frame += frames;
        }

        if (status == BlockStatus.EndOfStream && !_stopRequested)
        {
            EndStream();
            ReportCompleted();
        }

        if (priority > 0 && RealtimeStatus is { Succeeded: true })
        {
            RealtimeThread.RestoreNormalScheduling();
        }

        MarkStopped();
        Debug.Assert(status != BlockStatus.Continue || _stopRequested, "The loop only ends on request or status.");
    }
}
