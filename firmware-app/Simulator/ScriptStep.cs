using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Simulator;

/// <summary>One timed gesture of a <see cref="BoxScript"/>.</summary>
/// <param name="Seconds">When, in seconds of audio processed since the start.</param>
/// <param name="Input">The gesture.</param>
/// <param name="Line">Line number in the script (1-based), for messages.</param>
public readonly record struct ScriptStep(double Seconds, BoxInput Input, int Line);
