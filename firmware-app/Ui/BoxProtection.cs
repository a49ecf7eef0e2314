using HardwareMaster.App.Host.Protection;

namespace HardwareMaster.App.Ui;

/// <summary>The self-protecting engine and the latency modes as the face sees them (<see cref="EngineProtection"/>; faked in tests).</summary>
/// <remarks>UI thread; <see cref="Status"/> allocates nothing.</remarks>
public interface IBoxProtection
{
    /// <summary>Mode, block, xruns in the last minute, thermal state, the latest notice.</summary>
    ProtectionStatus Status { get; }

    /// <summary>Steps back from a safer block the engine stepped to; false when there is nothing to step back to.</summary>
    bool StepBack();

    /// <summary>Switches the latency mode (a short muted reopen); false when it is the mode already.</summary>
    bool SetLatencyMode(LatencyMode mode);
}
