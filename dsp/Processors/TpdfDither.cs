using System.Runtime.CompilerServices;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// TPDF dither with optional error-feedback noise shaping, quantising to the 16- or 24-bit grid. Latency 0.
/// </summary>
/// <remarks>
/// Per sample: v = x·2^(b−1) − Σ hₖ·e[n−k]; y = round(v + d) clipped to [−2^(b−1), 2^(b−1) − 1]; e[n] = y − v;
/// output y/2^(b−1). d is triangular (sum of two independent uniforms, ±1 LSB peak, 2 LSB total width), so the
/// error is signal-independent in its first two moments (Wannamaker, Lipshitz and Vanderkooy). The output lies
/// exactly on the integer grid, so the file writer's later conversion to PCM is exact.
/// Each channel has its own xorshift32 generator (G. Marsaglia, "Xorshift RNGs", JSS 2003) seeded from
/// <see cref="DitherSettings.Seed"/> and advanced once per sample, so output depends only on the seed, never on
/// block size. With <see cref="DitherSettings.Bits"/> = 0 the stage is exact pass-through: use that whenever the
/// output word is float. Threading: <see cref="Settings"/> may be set from any thread; a new seed or curve takes
/// effect at the next block (and reseeds); Reset reseeds too.
/// </remarks>
public sealed class TpdfDither : IAudioProcessor
{
    private static readonly double[] LipshitzCoefficients = [2.033, -2.165, 1.959, -1.590, 0.6149];
    private static readonly double[] FirstOrderCoefficients = [1.0];

    private DitherSettings _settings = new();
    private DitherSettings? _applied;
    private uint _rng0, _rng1;
    private readonly double[] _error0 = new double[5];
    private readonly double[] _error1 = new double[5];
    private bool _prepared;

    /// <inheritdoc />
    public int LatencyFrames => 0;

    /// <summary>Current settings. Setting validates and publishes (any thread).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public DitherSettings Settings
    {
        get => Volatile.Read(ref _settings);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            Volatile.Write(ref _settings, value);
        }
    }

    /// <inheritdoc />
    public void Prepare(in ProcessSpec spec)
    {
        spec.Validate();
        _prepared = true;
        Reset();
    }

    /// <inheritdoc />
    public void Reset()
    {
        _applied = Volatile.Read(ref _settings);
        Reseed(_applied.Seed);
    }

    /// <inheritdoc />
    public void Process(AudioBlock block)
    {
        var s = Volatile.Read(ref _settings);
        if (!ReferenceEquals(s, _applied))
        {
            if (_applied is null || s.Seed != _applied.Seed || s.NoiseShaping != _applied.NoiseShaping || s.Bits != _applied.Bits)
            {
                Reseed(s.Seed);
            }

            _applied = s;
        }

        if (s.Bits == 0 || !_prepared)
        {
            return;
        }

        double[] h = s.NoiseShaping switch
        {
            NoiseShaping.FirstOrder => FirstOrderCoefficients,
            NoiseShaping.Lipshitz5 => LipshitzCoefficients,
            _ => [],
        };
        double scale = s.Bits == 16 ? 32768.0 : 8388608.0;
        ProcessChannel(block.Channel(0), ref _rng0, _error0, h, scale);
        if (block.Channels > 1)
        {
            ProcessChannel(block.Channel(1), ref _rng1, _error1, h, scale);
        }
    }

    private static void ProcessChannel(Span<float> samples, ref uint rng, double[] error, double[] h, double scale)
    {
        uint state = rng;
        double inverse = 1 / scale;
        double max = scale - 1, min = -scale;
        int taps = h.Length;
        for (int i = 0; i < samples.Length; i++)
        {
            double v = samples[i] * scale;
            for (int k = 0; k < taps; k++)
            {
                v -= h[k] * error[k];
            }

            double d = Uniform(ref state) - Uniform(ref state);
            double y = Math.Clamp(Math.Round(v + d, MidpointRounding.ToEven), min, max);
            if (taps > 0)
            {
                for (int k = taps - 1; k > 0; k--)
                {
                    error[k] = error[k - 1];
                }

                // Bounded so that clipping cannot make the feedback loop run away.
                error[0] = Math.Clamp(y - v, -2.0, 2.0);
            }

            samples[i] = (float)(y * inverse);
        }

        rng = state;
    }

    /// <summary>xorshift32 step mapped to [0, 1) with 24-bit resolution.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Uniform(ref uint state)
    {
        uint x = state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        state = x;
        return (x >> 8) * (1.0 / 16777216.0);
    }

    private void Reseed(uint seed)
    {
        uint s = seed == 0 ? 0x9E3779B9u : seed;
        _rng0 = s;
        _rng1 = (s * 0x85EBCA6Bu) ^ 0xC2B2AE35u;
        if (_rng1 == 0)
        {
            _rng1 = 1;
        }

        Array.Clear(_error0);
        Array.Clear(_error1);
    }
}
