using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Simulator;

/// <summary>Where the simulator's gestures go when the box's controls are simulated pins (<c>run --simulate --box</c>).</summary>
public interface IBoxGestureSink
{
    /// <summary>True when every gesture handed over has been played out on the pins.</summary>
    bool IsIdle { get; }

    /// <summary>Queues a gesture to be played on the pins of the control that makes it.</summary>
    /// <param name="input">The gesture.</param>
    /// <returns>False when the profile has no control that makes it (the gesture is dropped, as on the box).</returns>
    bool TryEnqueue(in BoxInput input);
}
