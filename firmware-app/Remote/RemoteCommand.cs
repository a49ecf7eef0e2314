namespace HardwareMaster.App.Remote;

/// <summary>What a remote command asks for.</summary>
public enum RemoteCommandKind
{
    /// <summary>Set registry entry <see cref="RemoteCommand.Index"/> to <see cref="RemoteCommand.Value"/> (clamped to its range).</summary>
    SetParameter,

    /// <summary>Move registry entry <see cref="RemoteCommand.Index"/> by <see cref="RemoteCommand.Value"/> steps of its knob step (relative encoders).</summary>
    StepParameter,

    /// <summary>Global (loudness-matched) bypass on (<see cref="RemoteCommand.Value"/> ≠ 0) or off.</summary>
    SetGlobalBypass,

    /// <summary>Recall the factory preset named <see cref="RemoteCommand.Text"/>.</summary>
    RecallFactoryPreset,

    /// <summary>Recall user slot <see cref="RemoteCommand.Index"/> (0-based).</summary>
    RecallUserSlot,

    /// <summary>Restart the loudness programme (integrated, LRA, TP max).</summary>
    ResetLoudness,

    /// <summary>Save the current parameters to user slot <see cref="RemoteCommand.Index"/> (0-based), through the box's own preset store (atomic, as the PRESETS page's save).</summary>
    SaveUserSlot,

    /// <summary>Reference A/B: <see cref="RemoteCommand.Index"/> 0 off, 1 on, 2 toggle, 3 next file, 4 previous file (<see cref="Ui.IBoxReference"/>).</summary>
    Reference,
}

/// <summary>Where a remote command came from (for logs, statistics and the box's pop-up).</summary>
public enum RemoteOrigin : byte
{
    /// <summary>A MIDI controller.</summary>
    Midi,

    /// <summary>An OSC client.</summary>
    Osc,

    /// <summary>The web page.</summary>
    Web,

    /// <summary>A test.</summary>
    Test,
}

/// <summary>
/// One request from a remote control path (MIDI, OSC, web) to change the box. Every remote path reaches the engine
/// only through these, queued in a <see cref="RemoteCommandQueue"/> and applied on the control thread (the box's UI
/// loop, or <see cref="RemoteControlLoop"/> on a box without a face) — the same registry and the same lock-free route
/// to the audio thread as the knobs.
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="Index">Registry index (parameters) or user slot; −1 when unused.</param>
/// <param name="Value">Value, step count or on/off.</param>
/// <param name="Text">Preset name, or null.</param>
/// <param name="Origin">Who asked.</param>
public readonly record struct RemoteCommand(RemoteCommandKind Kind, int Index, double Value, string? Text, RemoteOrigin Origin)
{
    /// <summary>Sets a parameter.</summary>
    /// <param name="index">Registry index.</param>
    /// <param name="value">Value (clamped on apply).</param>
    /// <param name="origin">Who asked.</param>
    /// <returns>The command.</returns>
    public static RemoteCommand Set(int index, double value, RemoteOrigin origin) => new(RemoteCommandKind.SetParameter, index, value, null, origin);

    /// <summary>Steps a parameter by knob steps.</summary>
    /// <param name="index">Registry index.</param>
    /// <param name="steps">Steps (negative = down).</param>
    /// <param name="origin">Who asked.</param>
    /// <returns>The command.</returns>
    public static RemoteCommand Step(int index, int steps, RemoteOrigin origin) => new(RemoteCommandKind.StepParameter, index, steps, null, origin);
}
