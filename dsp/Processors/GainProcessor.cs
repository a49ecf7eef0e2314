using System.Numerics.Tensors;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// A click-free gain stage: the input trim and the loudness gain that drives the limiter.
/// </summary>
/// <remarks>
/// Threading: <see cref="SetGainDb"/> may be called from any thread, before or after <see cref="Prepare"/>;
/// the value is written with <see cref="Volatile"/> and the audio thread ramps towards it per sample with a
/// one-pole smoother (time constant given at construction). Once the ramp has settled the block is scaled with
/// <see cref="TensorPrimitives.Multiply(ReadOnlySpan{float}, float, Span{float})"/>, which gives the same bits
/// as the scalar path, so output is independent of block size. Latency 0.
/// </remarks>
public sealed class GainProcessor : IAudioProcessor
{
    private readonly double _smoothingMs;
    private double _targetDb;
    private double _appliedTargetDb = double.NaN;
    private SmoothedValue _gain;
    private bool _prepared;

    /// <summary>Creates a gain stage accepting <paramref name="minGainDb"/>..<paramref name="maxGainDb"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or the smoothing time is not positive.</exception>
    public GainProcessor(double minGainDb, double maxGainDb, double smoothingMs = 20, double initialGainDb = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minGainDb, maxGainDb, nameof(minGainDb));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(smoothingMs, 0, nameof(smoothingMs));
        MinGainDb = minGainDb;
        MaxGainDb = maxGainDb;
        _smoothingMs = smoothingMs;
        SetGainDb(initialGainDb);
    }

    /// <summary>Lowest accepted gain, dB.</summary>
    public double MinGainDb { get; }

    /// <summary>Highest accepted gain, dB.</summary>
    public double MaxGainDb { get; }

    /// <summary>The target gain in dB (what the stage ramps to).</summary>
    public double GainDb => Volatile.Read(ref _targetDb);

    /// <inheritdoc />
    public int LatencyFrames => 0;

    /// <summary>Sets the target gain. Any thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside <see cref="MinGainDb"/>..<see cref="MaxGainDb"/> or not finite.</exception>
    public void SetGainDb(double gainDb)
    {
        if (!(gainDb >= MinGainDb && gainDb <= MaxGainDb))
        {
            throw new ArgumentOutOfRangeException(nameof(gainDb), gainDb, $"Gain must be {MinGainDb}..{MaxGainDb} dB.");
        }

        Volatile.Write(ref _targetDb, gainDb);
    }

    /// <inheritdoc />
    public void Prepare(in ProcessSpec spec)
    {
        spec.Validate();
        _gain.Configure(_smoothingMs, spec.SampleRateHz);
        _prepared = true;
        Reset();
    }

    /// <inheritdoc />
    public void Reset()
    {
        ReadTarget();
        _gain.SnapToTarget();
    }

    /// <inheritdoc />
    public void Process(AudioBlock block)
    {
        System.Diagnostics.Debug.Assert(_prepared, "Prepare first.");
        ReadTarget();
        int frames = block.Frames;
        var left = block.Channel(0);
        var right = block.Channels > 1 ? block.Channel(1) : default;
        int i = 0;
        if (!_gain.IsSettled)
        {
            var smoother = _gain;
            bool stereo = block.Channels > 1;
            for (; i < frames && !smoother.IsSettled; i++)
            {
                float g = (float)smoother.Next();
                left[i] *= g;
                if (stereo)
                {
                    right[i] *= g;
                }
            }

            _gain = smoother;
        }

        if (i < frames)
        {
            float g = (float)_gain.Current;
            if (g != 1f)
            {
                TensorPrimitives.Multiply(left[i..], g, left[i..]);
                if (block.Channels > 1)
                {
                    TensorPrimitives.Multiply(right[i..], g, right[i..]);
                }
            }
        }
    }

    private void ReadTarget()
    {
        double db = Volatile.Read(ref _targetDb);
        if (db != _appliedTargetDb)
        {
            _appliedTargetDb = db;
            _gain.Target = Math.Pow(10, db / 20);
        }
    }
}
