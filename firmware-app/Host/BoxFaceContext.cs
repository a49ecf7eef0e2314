using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Host;

/// <summary>What the face is built from (the real BoxFace takes these; tests pass their own factory).</summary>
/// <param name="Backend">The engine as the face sees it.</param>
/// <param name="Presets">Factory presets, user slots, last state.</param>
/// <param name="Loudness">Live loudness targeting.</param>
/// <param name="Fatigue">The ear-fatigue reminder.</param>
/// <param name="Time">The clock for pop-ups and timers.</param>
/// <param name="EqMagnitudeDb">The EQ's published magnitude response, dB at a frequency in Hz (the EQ page's curve), or null.</param>
/// <param name="Layout">The controls the box has (null: the full box); a hardware profile with fewer gets the degraded model.</param>
public sealed record BoxFaceContext(IBoxBackend Backend, IBoxPresets Presets, ILoudnessTargeting Loudness, IFatigueReminder Fatigue, TimeProvider Time, Func<double, double>? EqMagnitudeDb = null, BoxLayout? Layout = null);
