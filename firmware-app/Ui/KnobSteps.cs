using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Ui;

/// <summary>
/// The one place where a value-encoder detent becomes a parameter change, so the knob feel is the registry's alone:
/// <see cref="ParameterDefinition.Nudge(double, int, bool)"/> with its steps per sweep (coarse) and its fine mode.
/// </summary>
internal static class KnobSteps
{
    /// <summary>Moves <paramref name="value"/> by <paramref name="detents"/> (negative = counter-clockwise).</summary>
    /// <param name="definition">The parameter.</param>
    /// <param name="value">The current value.</param>
    /// <param name="detents">Signed detents.</param>
    /// <param name="fine">Fine mode.</param>
    /// <returns>The new value, clamped to the range.</returns>
    public static double Nudge(ParameterDefinition definition, double value, int detents, bool fine) =>
        definition.Nudge(value, detents, fine);
}
