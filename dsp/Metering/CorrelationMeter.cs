using System.Numerics.Tensors;

namespace HardwareMaster.Dsp.Metering;

/// <summary>
/// Stereo phase-correlation meter: the normalised cross-correlation Σlr / √(Σl²·Σr²) of the two channels over an
/// exponential window (time constant <see cref="WindowMs"/>, default 400 ms), from −1 (out of phase) through 0
/// (unrelated) to +1 (mono).
/// </summary>
/// <remarks>
/// <para>
/// Per block the three sums are decayed by e^(−frames/(τ·fs)) and the block's dot products added
/// (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>), so the window is exact to one block;
/// readings depend on the block size only by that block-wise decay.
/// </para>
/// <para>
/// Silence: <see cref="Correlation"/> is NaN while both channels are below −100 dBFS mean square over the window, and
/// once the input has been that quiet for a whole window (the exponential sums alone would remember a loud passage for
/// seconds); when only one channel is silent, it is 0 (a signal is not correlated with silence). Non-finite input
/// blocks are skipped.
/// </para>
/// <para>Threading: not thread-safe; <see cref="Process"/> and <see cref="Reset"/> are allocation-free (owner thread).</para>
/// </remarks>
public sealed class CorrelationMeter
{
    private const double SilentMeanSquare = 1e-10; // −100 dBFS

    private readonly double _windowFrames;
    private readonly double _silentSum;
    private int _decayFrames = -1;
    private double _decay;
    private double _sumLr;
    private double _sumLl;
    private double _sumRr;
    private double _silentFrames;

    /// <summary>Creates a meter.</summary>
    /// <param name="sampleRateHz">Sample rate, 8 000 – 384 000 Hz.</param>
    /// <param name="windowMs">Time constant of the window, 10 – 10 000 ms.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public CorrelationMeter(int sampleRateHz, double windowMs = 400)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRateHz, 384000);
        if (!(windowMs >= 10 && windowMs <= 10000))
        {
            throw new ArgumentOutOfRangeException(nameof(windowMs), windowMs, "The correlation window must be 10..10 000 ms.");
        }

        WindowMs = windowMs;
        _windowFrames = windowMs * sampleRateHz / 1000.0;
        _silentSum = SilentMeanSquare * _windowFrames; // an exponential window of τ frames sums a steady power P to ≈ P·τ
    }

    /// <summary>Time constant of the window, ms.</summary>
    public double WindowMs { get; }

    /// <summary>Correlation over the window, −1 … +1; NaN in silence, 0 when only one channel carries signal.</summary>
    public double Correlation
    {
        get
        {
            bool leftSilent = _sumLl < _silentSum;
            bool rightSilent = _sumRr < _silentSum;
            if ((leftSilent && rightSilent) || _silentFrames >= _windowFrames)
            {
                return double.NaN;
            }

            if (leftSilent || rightSilent)
            {
                return 0.0;
            }

            return Math.Clamp(_sumLr / Math.Sqrt(_sumLl * _sumRr), -1.0, 1.0);
        }
    }

    /// <summary>Measures one stereo block (spans of equal length; a longer span is cut to the shorter). Allocation-free.</summary>
    /// <param name="left">Left samples.</param>
    /// <param name="right">Right samples.</param>
    public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        int frames = Math.Min(left.Length, right.Length);
        if (frames == 0)
        {
            return;
        }

        left = left[..frames];
        right = right[..frames];
        double lr = TensorPrimitives.Dot(left, right);
        double ll = TensorPrimitives.Dot(left, left);
        double rr = TensorPrimitives.Dot(right, right);
        if (!double.IsFinite(lr) || !double.IsFinite(ll) || !double.IsFinite(rr))
        {
            return;
        }

        _silentFrames = ll + rr < 2 * SilentMeanSquare * frames ? _silentFrames + frames : 0;
        if (frames != _decayFrames)
        {
            _decayFrames = frames;
            _decay = Math.Exp(-frames / _windowFrames);
        }

        _sumLr = Flush((_sumLr * _decay) + lr);
        _sumLl = Flush((_sumLl * _decay) + ll);
        _sumRr = Flush((_sumRr * _decay) + rr);
    }

    /// <summary>Forgets the history (reads NaN until signal arrives). Allocation-free.</summary>
    public void Reset()
    {
        _sumLr = 0;
        _sumLl = 0;
        _sumRr = 0;
        _silentFrames = 0;
    }

    private static double Flush(double value) => Math.Abs(value) < 1e-30 ? 0.0 : value;
}
