namespace HardwareMaster.App.Simulator;

/// <summary>
/// Holds an unpaced device (the file device, which runs as fast as the CPU allows) at the next scripted gesture until
/// the UI loop has handled it, so a <c>--script</c> run over a file lands every gesture on the same block every time.
/// Paced devices (a sound card, the paced generator) are never held: their gestures land on the first UI frame after
/// their time.
/// </summary>
/// <remarks>
/// The audio side (<see cref="WaitIfDue"/>) is only called for unpaced devices, whose thread is not a real-time one;
/// it never allocates. The UI side publishes the next due frame with <see cref="SetNextDue"/>; <see cref="Release"/>
/// lets audio run free for good (end of the script, the UI loop stopping).
/// </remarks>
public sealed class ScriptGate : IDisposable
{
    private readonly ManualResetEventSlim _resume = new(false);
    private readonly ManualResetEventSlim _uiWake = new(false);
    private readonly bool _paceRealTime;
    private long _paceStart;
    private int _paceRate;
    private long _nextDueFrame = long.MaxValue;
    private double _firstDueSeconds = double.NaN;
    private int _released;

    /// <summary>Creates the gate.</summary>
    /// <param name="paceRealTime">
    /// Also play an unpaced device in real time (an interactive session on a file: the meters move as the song plays);
    /// without it the file runs as fast as the CPU allows, stopping only at gestures.
    /// </param>
    public ScriptGate(bool paceRealTime = false) => _paceRealTime = paceRealTime;

    /// <summary>Set when audio is waiting (the UI loop waits on it between frames, so it answers at once).</summary>
    public ManualResetEventSlim UiWake => _uiWake;

    /// <summary>Times the audio was held.</summary>
    public long Holds { get; private set; }

    /// <summary>Whether the gate was released for good.</summary>
    public bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>UI side: the frame at which the next gesture is due (<see cref="long.MaxValue"/> when none).</summary>
    /// <param name="frame">Frame on the audio timeline.</param>
    public void SetNextDue(long frame)
    {
        Volatile.Write(ref _nextDueFrame, frame);
        _resume.Set();
    }

    /// <summary>Before the device starts: the first gesture's time (the rate is known only when the device opens).</summary>
    /// <param name="seconds">Seconds on the audio timeline.</param>
    public void ArmFirst(double seconds) => _firstDueSeconds = seconds;

    /// <summary>Device side, when it starts at <paramref name="sampleRateHz"/>: holds at the first gesture unless the UI already said otherwise.</summary>
    /// <param name="sampleRateHz">The device's rate.</param>
    public void OnDeviceStart(int sampleRateHz)
    {
        _paceRate = sampleRateHz;
        _paceStart = 0;
        if (!double.IsNaN(_firstDueSeconds) && Volatile.Read(ref _released) == 0)
        {
            Interlocked.CompareExchange(ref _nextDueFrame, ScriptPlayer.FrameOf(_firstDueSeconds, sampleRateHz), long.MaxValue);
        }
    }

    /// <summary>UI side: never hold again.</summary>
    public void Release()
    {
        Volatile.Write(ref _released, 1);
        Volatile.Write(ref _nextDueFrame, long.MaxValue);
        _resume.Set();
    }

    /// <summary>Audio side, before a block that starts at <paramref name="framesProcessed"/>: waits while a gesture is due.</summary>
    /// <param name="framesProcessed">Frames processed before this block.</param>
    public void WaitIfDue(long framesProcessed)
    {
        if (_paceRealTime && _paceRate > 0)
        {
            Pace(framesProcessed);
        }

        if (Volatile.Read(ref _nextDueFrame) > framesProcessed)
        {
            return;
        }

        Holds++;
        while (true)
        {
            _resume.Reset();
            if (Volatile.Read(ref _released) != 0 || Volatile.Read(ref _nextDueFrame) > framesProcessed)
            {
                return;
            }

            _uiWake.Set();
            _resume.Wait(100);
        }
    }

    // Sleeps until the wall clock reaches the block's time (from the first block on).
    private void Pace(long framesProcessed)
    {
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_paceStart == 0)
        {
            _paceStart = now - (framesProcessed * System.Diagnostics.Stopwatch.Frequency / _paceRate);
            return;
        }

        long due = _paceStart + (framesProcessed * System.Diagnostics.Stopwatch.Frequency / _paceRate);
        long aheadMs = (due - now) * 1000 / System.Diagnostics.Stopwatch.Frequency;
        if (aheadMs > 1)
        {
            Thread.Sleep((int)Math.Min(aheadMs, 1000));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Release();
        _resume.Dispose();
        _uiWake.Dispose();
    }
}
