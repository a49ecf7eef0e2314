using HardwareMaster.App.Monitor;

namespace HardwareMaster.App.Ui;

/// <summary>The reference player as the box's face (and a remote) drives it (implemented by <see cref="ReferencePlayer"/>; faked in tests).</summary>
/// <remarks>
/// <see cref="Status"/> and <see cref="OffsetDb"/> are read once per UI frame and must not allocate (an immutable snapshot
/// the player's worker replaces, a published double); the requests may come from any thread.
/// </remarks>
public interface IBoxReference
{
    /// <summary>The latest snapshot: folder, files, selection, file loaded, notice.</summary>
    ReferenceStatus Status { get; }

    /// <summary>Whether the reference is asked to play.</summary>
    bool IsOn { get; }

    /// <summary>The loudness-match offset applied to the reference, dB.</summary>
    double OffsetDb { get; }

    /// <summary>Turns the reference on or off (crossfaded).</summary>
    /// <returns>Whether it is now asked to play.</returns>
    bool Toggle();

    /// <summary>Turns the reference on or off.</summary>
    void SetOn(bool on);

    /// <summary>Selects the next file (wrapping).</summary>
    /// <returns>Its name, or null when none is listed.</returns>
    string? Next();

    /// <summary>Selects the previous file (wrapping).</summary>
    /// <returns>Its name, or null when none is listed.</returns>
    string? Previous();
}
