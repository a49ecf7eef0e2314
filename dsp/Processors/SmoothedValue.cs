using System.Runtime.CompilerServices;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// One-pole smoother advanced once per sample (audio thread), which snaps to its target once within
/// <see cref="SnapDistance"/>. Being per-sample, the output does not depend on how the signal is cut into blocks.
/// </summary>
internal struct SmoothedValue
{
    /// <summary>Absolute distance at which the value snaps to the target (−180 dB for a linear gain).</summary>
    public const double SnapDistance = 1e-9;

    private double _coefficient;

    public double Current;
    public double Target;

    public readonly bool IsSettled => Current == Target;

    /// <summary>Sets the time constant (63 % of a step) for <paramref name="sampleRateHz"/>.</summary>
    public void Configure(double timeConstantMs, int sampleRateHz) =>
        _coefficient = 1 - Math.Exp(-1000.0 / (timeConstantMs * sampleRateHz));

    public void SnapToTarget() => Current = Target;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Next()
    {
        if (Current != Target)
        {
            Current += (Target - Current) * _coefficient;
            if (Math.Abs(Target - Current) < SnapDistance)
            {
                Current = Target;
            }
        }

        return Current;
    }
}
