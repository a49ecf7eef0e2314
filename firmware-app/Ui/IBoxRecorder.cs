using HardwareMaster.App.Recording;

namespace HardwareMaster.App.Ui;

/// <summary>The recorder as the box's face drives it (implemented by <see cref="Recording.Recorder"/>; faked in tests).</summary>
/// <remarks>
/// <see cref="Status"/> is read once per UI frame and must not allocate (an immutable snapshot the writer thread
/// replaces); the requests may come from any thread and are acted on by the recorder's own thread.
/// </remarks>
public interface IBoxRecorder
{
    /// <summary>The latest snapshot: state, take, elapsed time, file names, free space, error.</summary>
    RecorderStatus Status { get; }

    /// <summary>Starts a take when idle, stops it when recording or armed.</summary>
    void Toggle();

    /// <summary>Ends the current take and starts the next one (a new song).</summary>
    void RequestNewTake();
}
