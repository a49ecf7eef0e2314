using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Host;

/// <summary>What the UI loop is made of.</summary>
/// <param name="Face">The face.</param>
/// <param name="Inputs">Gesture sources, drained every frame.</param>
/// <param name="Display">The OLED (errors counted and backed off).</param>
/// <param name="Panel">The simulated panel's decoder: the views show what it decoded; null = they show the rendered frame.</param>
/// <param name="Views">Terminal, snapshots.</param>
/// <param name="Leds">The LEDs, or null.</param>
/// <param name="Script">Timed gestures on the audio timeline, or null.</param>
/// <param name="Timeline">The audio timeline (needed by the script).</param>
/// <param name="Gate">The unpaced device's gate (released when the loop ends), or null.</param>
/// <param name="ScreenSaver">Told about every gesture (the OLED driver dims and shifts after idle).</param>
/// <param name="AfterFrame">Housekeeping at the end of every frame (the debounced last-state save); exceptions are counted.</param>
/// <param name="Remote">Remote control (MIDI, OSC, web): its commands are applied before the face ticks, the state published after; or null.</param>
public sealed record BoxLoopParts(
    IBoxFace Face,
    IReadOnlyList<IBoxInputSource> Inputs,
    DisplayLink Display,
    OledDecoder? Panel = null,
    IReadOnlyList<IBoxView>? Views = null,
    IBoxLeds? Leds = null,
    ScriptPlayer? Script = null,
    IAudioTimeline? Timeline = null,
    ScriptGate? Gate = null,
    ScreenSaver? ScreenSaver = null,
    Action? AfterFrame = null,
    HardwareMaster.App.Remote.RemoteSession? Remote = null);
