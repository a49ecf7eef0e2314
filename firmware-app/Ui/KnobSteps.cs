using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Ui;

/// <summary>
/// The one place where a value-encoder detent becomes a parameter change (so the registry's knob feel can be switched
/// here alone): fine = one registry <see cref="ParameterDefinition.Step"/> per detent, coarse = as many steps per
/// detent as make a full sweep take about <see cref="CoarseDetentsPerSweep"/> detents.
/// </summary>
internal static class KnobSteps
{
    /// <summary>About how many coarse detents a full sweep of a continuous parameter takes.</summary>
    public const int CoarseDetentsPerSweep = 48;

    /// <summary>Moves <paramref name="value"/> by <paramref name="detents"/> (negative = counter-clockwise).</summary>
    /// <param name="definition">The parameter.</param>
    /// <param name="value">The current value.</param>
    /// <param name="detents">Signed detents.</param>
    /// <param name="fine">Fine mode (one registry step per detent).</param>
    /// <returns>The new value, clamped to the range.</returns>
    public static double Nudge(ParameterDefinition definition, double value, int detents, bool fine) =>
        definition.Nudge(value, fine ? detents : detents * CoarseFactor(definition));

    /// <summary>Registry steps per coarse detent (1 for switches and choices).</summary>
    /// <param name="definition">The parameter.</param>
    /// <returns>At least 1.</returns>
    public static int CoarseFactor(ParameterDefinition definition)
    {
        if (definition.Taper is Taper.Toggle or Taper.Choice)
        {
            return 1;
        }

        double stepsPerSweep = definition.Taper == Taper.Logarithmic
            ? Math.Log(definition.Maximum / definition.Minimum) / Math.Log((definition.Minimum + definition.Step) / definition.Minimum)
            : (definition.Maximum - definition.Minimum) / definition.Step;
        return Math.Max(1, (int)Math.Round(stepsPerSweep / CoarseDetentsPerSweep));
    }
}
