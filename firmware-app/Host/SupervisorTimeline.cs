namespace HardwareMaster.App.Host;

/// <summary>The audio timeline of a running <see cref="AudioSupervisor"/>.</summary>
/// <param name="Supervisor">The loop.</param>
public sealed record SupervisorTimeline(AudioSupervisor Supervisor) : IAudioTimeline
{
    /// <inheritdoc />
    public bool IsRunning => Supervisor.State == SupervisorState.Running;

    /// <inheritdoc />
    public int SampleRateHz => Supervisor.Engine.SampleRateHz;

    /// <inheritdoc />
    public long FramesProcessed => Supervisor.Engine.FramesProcessed;
}
