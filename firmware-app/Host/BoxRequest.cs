using System.Device.Gpio;
using System.Device.I2c;
using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.App.Host;

/// <summary>How <c>hardwaremaster run --simulate</c> (or <c>--box PROFILE</c>, on the box's hardware) runs the box.</summary>
/// <param name="Script">Timed gestures (<c>--script</c>), or null: the built-in tour without a terminal, nothing with one.</param>
/// <param name="Interactive">A terminal is attached: keys as knobs, the OLED drawn in it, run until q.</param>
/// <param name="SnapshotDirectory">Write each new screen as a PNG here (<c>--snapshot-dir</c>), or null.</param>
/// <param name="StateDirectory">Presets' state directory (<c>--state-dir</c>): the last state is restored from it and saved to it; null = a temporary one.</param>
public sealed record BoxRequest(BoxScript? Script, bool Interactive, string? SnapshotDirectory, string? StateDirectory)
{
    /// <summary>Seconds of audio played after the script's last gesture before a run without a terminal ends.</summary>
    public const double HoldSeconds = 2;

    /// <summary>Run on the box's own controls and OLED from this profile instead of simulating them (<c>run --box</c>).</summary>
    public HardwareProfile? Hardware { get; init; }

    /// <summary>
    /// With <see cref="Hardware"/>: simulate the profile's parts instead of opening them (<c>run --simulate --box
    /// PROFILE</c>): its encoders and buttons on simulated GPIO pins and expanders (the keyboard and the script play
    /// them), its pots on simulated ADS1115s (pot keys), its display simulated and shown like <c>--simulate</c>'s.
    /// </summary>
    public bool SimulateHardware { get; init; }

    /// <summary>Whether the box runs on its real hardware (<c>--box</c> without <c>--simulate</c>).</summary>
    public bool OnBoxHardware => Hardware is not null && !SimulateHardware;

    /// <summary>The GPIO controller for <see cref="Hardware"/> (tests: a scripted driver); null = the system's.</summary>
    public GpioController? Gpio { get; init; }

    /// <summary>The clock for the face, debouncing and timers (tests: a manual one); null = the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Opens the OLED's I²C device for <see cref="Hardware"/> (tests); null = the profile's bus and address.</summary>
    public Func<I2cDevice>? OpenI2c { get; init; }

    /// <summary>Opens the I²C device at (bus, address) for the profile's expanders and pot converters (tests: simulators); null = the system's buses.</summary>
    public Func<int, int, I2cDevice>? OpenI2cAt { get; init; }

    /// <summary>The I²C device the simulated OLED is on (tests: a <c>RecordingI2cDevice</c> that fails); null = a recording one.</summary>
    public I2cDevice? DisplayDevice { get; init; }

    /// <summary>The simulated box's display (<c>--display</c>); null = an SSD1306 OLED.</summary>
    public SimulatedDisplay? SimulatedDisplay { get; init; }

    /// <summary>Builds the face (tests); null = the box's own face.</summary>
    public Func<BoxFaceContext, IBoxFace>? FaceFactory { get; init; }

    /// <summary>Remote control (MIDI, OSC, web) served by the box's UI loop, or null.</summary>
    public Remote.RemoteHub? Remote { get; init; }

    /// <summary>The script actually played: none on the box; <see cref="Script"/>, else the tour without a terminal, else none.</summary>
    public BoxScript? EffectiveScript => OnBoxHardware ? null : Script ?? (Interactive ? null : BoxScript.Tour);
}

/// <summary>Which display a simulated box has (<c>run --simulate --display</c>).</summary>
/// <param name="Type">The controller (an OLED, or <see cref="HardwareMaster.Hal.Display.OledController.Hd44780"/>).</param>
/// <param name="Columns">Character LCD columns (HD44780 only).</param>
/// <param name="Rows">Character LCD rows (HD44780 only).</param>
public sealed record SimulatedDisplay(HardwareMaster.Hal.Display.OledController Type, int Columns = 0, int Rows = 0);
