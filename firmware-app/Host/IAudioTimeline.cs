namespace HardwareMaster.App.Host;

/// <summary>The audio timeline the script plays on.</summary>
public interface IAudioTimeline
{
    /// <summary>Whether the device is running (frames counted before it are the warm-up's).</summary>
    bool IsRunning { get; }

    /// <summary>The engine's rate, Hz.</summary>
    int SampleRateHz { get; }

    /// <summary>Frames processed so far.</summary>
    long FramesProcessed { get; }
}
