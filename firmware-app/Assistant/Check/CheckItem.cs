namespace HardwareMaster.App.Assistant.Check;

/// <summary>One item of the pre-mastering checklist (<see cref="MixChecklist"/>).</summary>
/// <param name="Id">Stable machine name (<c>headroom</c>, <c>clipping</c>, … see <see cref="MixChecklist.ItemIds"/>).</param>
/// <param name="Verdict">Pass, warn or fail.</param>
/// <param name="Value">The main measured value in <paramref name="Unit"/>; null when it could not be measured.</param>
/// <param name="Unit">Unit of <paramref name="Value"/> (<c>dBTP</c>, <c>dBFS</c>, <c>LU</c>, <c>dB</c>, <c>Hz</c>, <c>count</c>, empty for a ratio).</param>
/// <param name="Reason">One line for people: what was measured, against what, and what to do.</param>
/// <param name="Metrics">Every number behind the verdict, by name (null = not measurable), in a stable order.</param>
internal sealed record CheckItem(string Id, CheckVerdict Verdict, double? Value, string Unit, string Reason, IReadOnlyList<KeyValuePair<string, double?>> Metrics);
