namespace HardwareMaster.Hal.Analog;

/// <summary>Tuning of a <see cref="PotFilter"/>.</summary>
/// <param name="Smoothing">One-pole coefficient per sample, 0 &lt; s ≤ 1 (1 = no smoothing). 0.25 at 100 Hz polling settles in ~0.15 s.</param>
/// <param name="Hysteresis">A new position is reported only when the smoothed position moved this far (0–1 of travel) from the last one reported, so ADC noise never jitters a parameter. 0.004 ≈ 1/250 of travel.</param>
/// <param name="PickupWindow">Soft takeover: a detached pot attaches when it comes this close to the parameter's value (or crosses it).</param>
public readonly record struct PotFilterOptions(double Smoothing = 0.25, double Hysteresis = 0.004, double PickupWindow = 0.02);

/// <summary>
/// One potentiometer as a parameter control: smoothing, hysteresis and soft takeover. Pure and allocation-free; the
/// control thread feeds it positions (0–1, e.g. an ADS1115 code / full scale) and applies what it reports.
/// </summary>
/// <remarks>
/// Soft takeover ("pickup"): after a preset recall the parameter's value and the pot's position disagree; jumping the
/// value to the pot would be audible. <see cref="Detach"/> remembers the parameter's value, and the pot reports nothing
/// until it reaches that value (within <see cref="PotFilterOptions.PickupWindow"/>) or crosses it; from then on it
/// follows the pot. This is the "pickup" mode found on mixing-console and synth firmware.
/// </remarks>
public sealed class PotFilter
{
    private readonly PotFilterOptions _options;
    private double _smoothed = double.NaN;
    private double _reported = double.NaN;
    private double _target = double.NaN;
    private int _side;

    /// <summary>Creates the filter (attached: the first position is reported).</summary>
    /// <param name="options">Tuning (null = defaults).</param>
    public PotFilter(PotFilterOptions? options = null)
    {
        PotFilterOptions o = options ?? new PotFilterOptions(0.25, 0.004, 0.02);
        if (!(o.Smoothing > 0 && o.Smoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), o.Smoothing, "smoothing must be in (0, 1]");
        }

        if (!(o.Hysteresis >= 0 && o.Hysteresis < 0.5) || !(o.PickupWindow >= 0 && o.PickupWindow < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "hysteresis and pickup window must be in [0, 0.5)");
        }

        _options = o;
    }

    /// <summary>Whether the pot drives its parameter (false between <see cref="Detach"/> and pickup).</summary>
    public bool IsAttached => double.IsNaN(_target);

    /// <summary>The smoothed position (NaN before the first sample).</summary>
    public double Position => _smoothed;

    /// <summary>The parameter value the detached pot waits for (NaN when attached).</summary>
    public double PickupPosition => _target;

    /// <summary>Soft takeover: the parameter was set elsewhere (preset, remote, encoder) to <paramref name="parameterPosition"/>; ignore the pot until it gets there.</summary>
    /// <param name="parameterPosition">The parameter's value as a 0–1 position.</param>
    public void Detach(double parameterPosition)
    {
        _target = Math.Clamp(parameterPosition, 0, 1);
        _side = double.IsNaN(_smoothed) ? 0 : Math.Sign(_smoothed - _target);
    }

    /// <summary>Feeds one sample.</summary>
    /// <param name="rawPosition">The pot's position, 0–1 (clamped; NaN ignored).</param>
    /// <param name="position">The position to apply to the parameter, when the method returns true.</param>
    /// <returns>Whether the parameter should change.</returns>
    public bool Update(double rawPosition, out double position)
    {
        position = _reported;
        if (double.IsNaN(rawPosition))
        {
            return false;
        }

        double raw = Math.Clamp(rawPosition, 0, 1);
        _smoothed = double.IsNaN(_smoothed) ? raw : _smoothed + (_options.Smoothing * (raw - _smoothed));
        if (!double.IsNaN(_target))
        {
            int side = Math.Sign(_smoothed - _target);
            bool crossed = _side != 0 && side != _side;
            if (_side == 0)
            {
                _side = side;
            }

            if (!crossed && Math.Abs(_smoothed - _target) > _options.PickupWindow)
            {
                return false;
            }

            _target = double.NaN;
            _reported = double.NaN;
        }

        if (!double.IsNaN(_reported) && Math.Abs(_smoothed - _reported) < _options.Hysteresis)
        {
            return false;
        }

        // Snap the ends so a pot turned fully reaches 0 and 1 despite smoothing and hysteresis.
        double value = _smoothed < _options.Hysteresis ? 0 : _smoothed > 1 - _options.Hysteresis ? 1 : _smoothed;
        if (value == _reported)
        {
            return false;
        }

        _reported = value;
        position = value;
        return true;
    }
}
