namespace HardwareMaster.Hal.Input;

/// <summary>A consumer-side view of a stream of <see cref="InputEvent"/>s.</summary>
/// <remarks>Control thread only: exactly one thread may call <see cref="TryRead"/>.</remarks>
public interface IInputQueue
{
    /// <summary>Takes the next event, if any. Never blocks, never allocates.</summary>
    /// <param name="inputEvent">The event, or <c>default</c> when none is pending.</param>
    /// <returns><c>true</c> when an event was returned.</returns>
    bool TryRead(out InputEvent inputEvent);
}
