namespace HardwareMaster.App.Engine;

/// <summary>
/// The engine's start/stop fade: a raised-cosine ramp of the output towards silence or unity, so a device can be started
/// and stopped without a click. Audio thread, except <see cref="Begin"/> (control thread while no device runs).
/// </summary>
internal sealed class OutputFade
{
    private int _sampleRateHz = 48000;
    private double _gain = 1;
    private double _target = 1;
    private double _step;
    private int _fadedOut;

    /// <summary><c>true</c> once a fade-out has reached silence. Any thread.</summary>
    public bool IsFadedOut => Volatile.Read(ref _fadedOut) != 0;

    /// <summary>Sets the rate the ramps are timed at. Control thread.</summary>
    public void Configure(int sampleRateHz) => _sampleRateHz = sampleRateHz;

    /// <summary>Starts from silence with a fade-in of <paramref name="fadeInMs"/> (0: at unity at once). Control thread, not while running.</summary>
    public void Begin(float fadeInMs)
    {
        if (fadeInMs > 0)
        {
            _gain = 0;
            _target = 1;
            _step = 1000.0 / (fadeInMs * _sampleRateHz);
        }
        else
        {
            _gain = 1;
            _target = 1;
        }

        Volatile.Write(ref _fadedOut, 0);
    }

    /// <summary>Ramps to <paramref name="target"/> (0 or 1) over <paramref name="ms"/> (non-finite or ≤ 0: at once). Audio thread.</summary>
    public void StartRamp(double target, float ms)
    {
        if (target > 0)
        {
            Volatile.Write(ref _fadedOut, 0);
        }

        _target = target;
        _step = float.IsFinite(ms) && ms > 0 ? 1000.0 / (ms * _sampleRateHz) : 1;
    }

    /// <summary>Applies the fade to a block in place. Audio thread.</summary>
    public void Apply(Span<float> left, Span<float> right)
    {
        double gain = _gain;
        double target = _target;
        if (gain == target)
        {
            if (gain == 0)
            {
                left.Clear();
                right.Clear();
            }

            return;
        }

        double step = target > gain ? _step : -_step;
        for (int i = 0; i < left.Length; i++)
        {
            gain += step;
            if ((step > 0 && gain >= target) || (step < 0 && gain <= target))
            {
                gain = target;
                step = 0;
            }

            // Raised-cosine shape of the linear ramp: no slope discontinuity at either end.
            float g = (float)(0.5 - (0.5 * Math.Cos(Math.PI * gain)));
            left[i] *= g;
            right[i] *= g;
        }

        _gain = gain;
        if (gain == 0 && target == 0)
        {
            Volatile.Write(ref _fadedOut, 1);
        }
    }
}
