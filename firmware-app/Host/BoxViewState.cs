namespace HardwareMaster.App.Host;

/// <summary>Page and LED states as the views see them.</summary>
/// <param name="PageName">The face's page.</param>
/// <param name="Bypass">BYPASS LED (global bypass in).</param>
/// <param name="Eq">EQ LED (stage active).</param>
/// <param name="Comp">COMP LED.</param>
/// <param name="Limit">LIMIT LED.</param>
public readonly record struct BoxViewState(string PageName, bool Bypass, bool Eq, bool Comp, bool Limit);
