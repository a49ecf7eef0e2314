using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Host;

/// <summary>A source of gestures for the UI loop (hardware controls, the keyboard); polled, never blocking.</summary>
public interface IBoxInputSource
{
    /// <summary>Takes the next gesture, if any. Never blocks, never allocates.</summary>
    /// <param name="input">The gesture.</param>
    /// <returns>Whether one was taken.</returns>
    bool TryRead(out BoxInput input);
}
