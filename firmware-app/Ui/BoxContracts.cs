using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Ui;

// The seams of the box's face. The UI model (BoxFace) sits on IBoxBackend, IBoxPresets, ILoudnessTargeting and
// IFatigueReminder; the host (the hardware loop or `run --simulate`) drives it through IBoxFace. Everything here is
// called from the one UI/control thread, and nothing allocates in steady state (a .NET GC stops the audio thread too).

/// <summary>The box's controls, by name (hardware profiles and `--script` use the lower-case names).</summary>
public enum BoxControl
{
    /// <summary>Encoder: walks the pages.</summary>
    Page,

    /// <summary>Encoder: walks the fields of a page.</summary>
    Param,

    /// <summary>Encoder: edits the focused field (push = fine/coarse, long = reset to default).</summary>
    Value,

    /// <summary>Button with LED: global, loudness-matched bypass.</summary>
    Bypass,

    /// <summary>Button with LED: EQ stage bypass.</summary>
    Eq,

    /// <summary>Button with LED: compressor stage bypass.</summary>
    Comp,

    /// <summary>Button with LED: limiter stage bypass.</summary>
    Limit,

    /// <summary>Optional button with LED: recorder start/stop (long = new take); lit while recording, blinking on error.</summary>
    Rec,

    /// <summary>Optional button with LED: reference A/B on the monitor path (long = next file, double = previous); lit while the reference plays.</summary>
    Ref,
}

/// <summary>What happened to a control (the `--script` action words: cw, ccw, press, long, double).</summary>
public enum BoxAction
{
    /// <summary>Clockwise detents (<see cref="BoxInput.Count"/> of them).</summary>
    Cw,

    /// <summary>Counter-clockwise detents.</summary>
    Ccw,

    /// <summary>A short press (encoder push or button).</summary>
    Press,

    /// <summary>A long press.</summary>
    Long,

    /// <summary>A double press.</summary>
    Double,
}

/// <summary>One input gesture.</summary>
/// <param name="Control">Which control.</param>
/// <param name="Action">What it did.</param>
/// <param name="Count">Detents for <see cref="BoxAction.Cw"/>/<see cref="BoxAction.Ccw"/> (≥ 1, acceleration included); 1 otherwise.</param>
public readonly record struct BoxInput(BoxControl Control, BoxAction Action, int Count = 1);

/// <summary>Device and host state for the SYSTEM page; strings are stable references (no allocation per read).</summary>
public readonly record struct SystemStatus(
    int SampleRateHz,
    int BlockFrames,
    double LatencyMs,
    long Xruns,
    double CpuPercent,
    double CpuP99Percent,
    double CpuTemperatureC,
    TimeSpan Uptime,
    string DeviceState)
{
    /// <summary>The remote web page's pairing secret (shown on the bottom line), or null when remote control is off.</summary>
    public string? PairingSecret { get; init; }
}

/// <summary>What the face needs from the engine (implemented over EngineController + AudioSupervisor; faked in tests).</summary>
public interface IBoxBackend
{
    /// <summary>The parameter registry every control edits through.</summary>
    ParameterRegistry Registry { get; }

    /// <summary>The current value of registry entry <paramref name="index"/>.</summary>
    double Get(int index);

    /// <summary>Sets registry entry <paramref name="index"/> (clamped to its range); false when the chain refused it (nothing changed).</summary>
    bool TrySet(int index, double value);

    /// <summary>Global, loudness-matched bypass (trim and loudness gain included).</summary>
    bool GlobalBypass { get; set; }

    /// <summary>One meter snapshot: call once per frame (maxima since the previous call).</summary>
    MeterSnapshot ReadMeters();

    /// <summary>Device, CPU and host state.</summary>
    SystemStatus ReadSystem();

    /// <summary>Restarts the programme measurements (integrated, LRA, PLR, TP max).</summary>
    void ResetLoudness();

    /// <summary>
    /// Tells the chain the programme's integrated loudness at the compressor's input, LUFS (NaN = unknown), so the glue
    /// does not depend on the input level (<see cref="Dsp.Chain.MasteringChain.SetProgrammeLoudness"/>). A backend without
    /// a chain ignores it (the default).
    /// </summary>
    void SetProgrammeLoudness(double lufs)
    {
    }

    /// <summary>The self-protecting engine and latency modes, or null (the SYSTEM page then offers neither).</summary>
    IBoxProtection? Protection => null;

    /// <summary>The READY? page's programme analysis, or null (no READY? page).</summary>
    IBoxReadiness? Readiness => null;

    /// <summary>The recorder (`run --record DIR`), or null (no REC page; the REC button does nothing).</summary>
    IBoxRecorder? Recorder => null;

    /// <summary>MIDI learn (`run --midi`), or null (holding the param push on a parameter then does nothing).</summary>
    IMidiLearn? MidiLearn => null;

    /// <summary>The monitor path (voicings, delta, correction EQ), or null (no MONITOR page, no indicator).</summary>
    IBoxMonitor? Monitor => null;

    /// <summary>The reference player (reference A/B on the monitor path), or null (the REF button does nothing).</summary>
    IBoxReference? Reference => null;
}

/// <summary>Factory presets, 8 user slots and the last state, stored atomically in the state directory.</summary>
public interface IBoxPresets
{
    /// <summary>Factory preset names, in display order.</summary>
    IReadOnlyList<string> FactoryNames { get; }

    /// <summary>Number of user slots (8).</summary>
    int UserSlotCount { get; }

    /// <summary>The name stored in user slot <paramref name="slot"/> (0-based), or null when empty.</summary>
    string? UserSlotName(int slot);

    /// <summary>The name of the preset last recalled or saved (null for edited defaults).</summary>
    string? CurrentName { get; }

    /// <summary>Applies factory preset <paramref name="index"/>; false (and <see cref="LastProblem"/>) when it could not.</summary>
    bool RecallFactory(int index);

    /// <summary>Applies user slot <paramref name="slot"/>; false when empty or unreadable.</summary>
    bool RecallUser(int slot);

    /// <summary>Saves the current parameters to user slot <paramref name="slot"/>, atomically; false on a disk problem.</summary>
    bool SaveUser(int slot);

    /// <summary>The last problem in one line (a corrupt slot recovered from its previous copy, a full disk), or null.</summary>
    string? LastProblem { get; }
}

/// <summary>Where live loudness targeting stands.</summary>
public enum LoudnessAssistMode
{
    /// <summary>The loudness gain is only what the knobs set.</summary>
    Manual,

    /// <summary>Armed: measuring the programme's integrated loudness (learn).</summary>
    Learning,

    /// <summary>Learned: the loudness gain was set so the next pass lands on target.</summary>
    Learned,

    /// <summary>Riding: a slow gated loudness controller moves the loudness gain (bounded, holds in silence).</summary>
    Riding,
}

/// <summary>Live loudness targeting: target choice, learn and ride.</summary>
public interface ILoudnessTargeting
{
    /// <summary>The target, LUFS (−14, −16, −23, −24 or custom).</summary>
    double TargetLufs { get; set; }

    /// <summary>Current mode.</summary>
    LoudnessAssistMode Mode { get; }

    /// <summary>Arms learn: measures from now until <see cref="FinishLearn"/>.</summary>
    void StartLearn();

    /// <summary>Ends learn and sets the loudness gain so the next pass lands on target; false when nothing measurable was heard.</summary>
    bool FinishLearn();

    /// <summary>Turns ride on or off.</summary>
    void SetRide(bool on);

    /// <summary>Cancels learn or ride (the loudness gain stays where it is).</summary>
    void Cancel();

    /// <summary>Called once per UI frame with that frame's snapshot.</summary>
    void Update(in MeterSnapshot meters);
}

/// <summary>The ear-fatigue reminder (45 minutes of listening by default; can be off).</summary>
public interface IFatigueReminder
{
    /// <summary>True while the reminder should be shown.</summary>
    bool IsDue { get; }

    /// <summary>Listening time counted so far.</summary>
    TimeSpan Listened { get; }

    /// <summary>Dismisses the reminder and starts counting again.</summary>
    void Acknowledge();

    /// <summary>Called once per UI frame with that frame's snapshot (counts time with signal only).</summary>
    void Update(in MeterSnapshot meters);
}

/// <summary>The face as a host sees it: feed input, tick, draw.</summary>
public interface IBoxFace
{
    /// <summary>Handles one gesture.</summary>
    void Handle(in BoxInput input);

    /// <summary>Advances one frame: reads the meters once and updates the assists and pop-ups.</summary>
    void Tick();

    /// <summary>Draws the current screen into <paramref name="frame"/>.</summary>
    void Render(MonoFrameBuffer frame);

    /// <summary>The current page's name (e.g. "main", "eq"), for `--stats-json` and logs.</summary>
    string PageName { get; }

    /// <summary>Whether the LED of button <paramref name="button"/> is lit (lit = stage active / global bypass in).</summary>
    bool IsLedLit(BoxControl button);

    /// <summary>True when the screen changed since the last <see cref="Render"/> (for `--snapshot-dir`).</summary>
    bool IsDirty { get; }
}
