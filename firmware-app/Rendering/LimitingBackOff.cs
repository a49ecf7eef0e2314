namespace HardwareMaster.App.Rendering;

/// <summary>
/// Finds the loudness gain at which the limiter takes away about <c>--max-limiting</c> (the back-off of a render whose
/// target needs more). The limiting L(g) (pre-limiter loudness + gain − achieved loudness) grows with the gain, but less
/// than dB for dB (0 &lt; dL/dg &lt; 1): backing off by the excess alone leaves the limiter over the allowance (it ended
/// at 2.8 LU against 2). So each writing pass adds a point and the next gain comes from a bracketing secant
/// (regula falsi, Illinois variant) on L(g) − aim, aiming 0.1 LU inside the allowance; it stops once a pass is within
/// [allowance − 2·tolerance, allowance + tolerance]. The gain never goes above the target's gain.
/// </summary>
/// <param name="maxLu">Most limiting allowed, LU.</param>
/// <param name="toleranceLu">How far over the allowance still counts as within it.</param>
/// <param name="firstGainDb">Gain of the pass that went over (the target's gain).</param>
/// <param name="firstLimitingLu">Limiting of that pass.</param>
/// <param name="goal">Loudness target, LUFS (for the warning).</param>
internal sealed class LimitingBackOff(double maxLu, double toleranceLu, double firstGainDb, double firstLimitingLu, double goal)
{
    // Slope dL/dg assumed for the first step (no second point yet): heavy limiting is near 1, light near 0.
    private const double FirstSlope = 0.7;

    private readonly double _aim = maxLu - 0.1;
    private double _overGain = firstGainDb;
    private double _overValue = firstLimitingLu - (maxLu - 0.1);
    private double? _underGain;
    private double _underValue;
    private int _side; // Illinois: which end stayed twice in a row (+1 over, −1 under)

    /// <summary>Gain of the first pass over the allowance (the target's gain).</summary>
    public double FirstGainDb { get; } = firstGainDb;

    /// <summary>Limiting of that pass, LU.</summary>
    public double FirstLimitingLu { get; } = firstLimitingLu;

    /// <summary>Loudness target, LUFS.</summary>
    public double Goal { get; } = goal;

    /// <summary>Whether a pass with this limiting is good enough to keep.</summary>
    public bool IsDone(double limitingLu) => limitingLu <= maxLu + toleranceLu && limitingLu >= maxLu - (2 * toleranceLu);

    /// <summary>The next gain to try, given the gain and limiting of the pass just made.</summary>
    public double Next(double gainDb, double limitingLu)
    {
        double value = limitingLu - _aim;
        if (gainDb != _overGain || _underGain is not null)
        {
            if (value > 0)
            {
                _overGain = gainDb;
                _overValue = value;
                if (_side == 1 && _underGain is not null)
                {
                    _underValue /= 2;
                }

                _side = 1;
            }
            else
            {
                _underGain = gainDb;
                _underValue = value;
                if (_side == -1)
                {
                    _overValue /= 2;
                }

                _side = -1;
            }
        }

        double next;
        if (_underGain is double under)
        {
            // Both ends known: the secant between them (stays inside the bracket).
            next = _overGain - (_overValue * (_overGain - under) / (_overValue - _underValue));
        }
        else if (gainDb != FirstGainDb)
        {
            // Two points, both over: the secant through them, slope bounded to (0.05, 1].
            double slope = Math.Clamp((FirstLimitingLu - limitingLu) / (FirstGainDb - gainDb), 0.05, 1);
            next = gainDb - (value / slope);
        }
        else
        {
            next = gainDb - (value / FirstSlope);
        }

        return Math.Min(next, FirstGainDb);
    }
}
