using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// TPDF dither with optional error-feedback noise shaping, quantising to the 16- or 24-bit grid. Latency 0.
/// </summary>
/// <remarks>
/// Per sample: v = x·2^(b−1) − Σ hₖ·e[n−k]; y = round(v + d) clipped to [−2^(b−1), 2^(b−1) − 1]; e[n] = y − v;
/// output y/2^(b−1). d is triangular (sum of two independent uniforms, ±1 LSB peak, 2 LSB total width), so the
/// error is signal-independent in its first two moments (Wannamaker, Lipshitz and Vanderkooy). The output lies
/// exactly on the integer grid, so the file writer's later conversion to PCM is exact.
/// Each channel has its own xorshift64 generator (G. Marsaglia, "Xorshift RNGs", JSS 2003) seeded from
/// <see cref="DitherSettings.Seed"/> and advanced once per sample; each step's 64 bits give both uniforms of the
/// triangular value. Output depends only on the seed, never on
/// block size; the left channel of a stereo block gets the same dither as a mono block. Left and right run
/// together in the two lanes of a <see cref="Vector128{T}"/> of double, noise-shaping filter included. With
/// <see cref="DitherSettings.Bits"/> = 0 the stage is exact pass-through: use that whenever the
/// output word is float. Threading: <see cref="Settings"/> may be set from any thread; a new seed or curve takes
/// effect at the next block (and reseeds); Reset reseeds too.
/// </remarks>
public sealed class TpdfDither : IAudioProcessor
{
    private static readonly double[] LipshitzCoefficients = [2.033, -2.165, 1.959, -1.590, 0.6149];
    private static readonly double[] FirstOrderCoefficients = [1.0, 0, 0, 0, 0];

    private DitherSettings _settings = new();
    private DitherSettings? _applied;
    private ulong _rng0, _rng1;

    // Error history e[n−1] … e[n−5], (left, right) in the lanes.
    private Vector128<double> _error0, _error1, _error2, _error3, _error4;
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

        double scale = s.Bits == 16 ? 32768.0 : 8388608.0;
        var left = block.Channel(0);
        var right = block.Channels > 1 ? block.Channel(1) : left;
        bool stereo = block.Channels > 1;
        switch (s.NoiseShaping)
        {
            case NoiseShaping.None:
                ProcessFlat(left, right, stereo, scale);
                break;
            case NoiseShaping.FirstOrder:
                ProcessShaped(left, right, stereo, scale, FirstOrderCoefficients);
                break;
            default:
                ProcessShaped(left, right, stereo, scale, LipshitzCoefficients);
                break;
        }
    }

    // Flat TPDF: no feedback, so frames are independent apart from the generators. The clip uses the native min/max
    // (minpd/maxpd on x64, one instruction each; Vector128.Min/Max add NaN and signed-zero fix-ups there): the bounds
    // are non-zero and a NaN operand in the second place is returned by both forms, so the results are bit-identical.
    // The clip comes before the rounding (the bounds are integers, so clipping and rounding commute): the value is then
    // within ±2^24, where adding and subtracting 1.5·2^52 rounds to the nearest integer, ties to even, in two
    // operations (the general RoundToEven also handles magnitudes beyond 2^51; only the sign of a zero result differs,
    // which no output word keeps).
    private const double RoundingBias = 6755399441055744.0; // 1.5·2^52

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessFlat(Span<float> left, Span<float> right, bool stereo, double scale)
    {
        Vector128<ulong> state = Vector128.Create(_rng0, _rng1);
        Vector128<double> scaleVector = Vector128.Create(scale);
        Vector128<double> inverse = Vector128.Create(1 / scale);
        Vector128<double> max = Vector128.Create(scale - 1), min = Vector128.Create(-scale);
        Vector128<double> roundingBias = Vector128.Create(RoundingBias);
        int frames = left.Length;
        int i = 0;
        if (stereo)
        {
            // Two frames at a time: each channel's two floats loaded as one 8-byte value and widened, regrouped into
            // (left, right) frames, and back the same way; per frame exactly the loop below.
            ref float l = ref MemoryMarshal.GetReference(left);
            ref float r = ref MemoryMarshal.GetReference(right);
            for (; i + 1 < frames; i += 2)
            {
                ref float li = ref Unsafe.Add(ref l, i), ri = ref Unsafe.Add(ref r, i);
                Vector128<double> lp = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref li))).AsSingle());
                Vector128<double> rp = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref ri))).AsSingle());
                Vector128<double> x0 = Vector128.Create(lp.ToScalar(), rp.ToScalar());
                Vector128<double> x1 = Vector128.Create(lp.GetElement(1), rp.GetElement(1));
                Vector128<double> v0 = Vector128.MinNative(max, Vector128.MaxNative(min, (x0 * scaleVector) + Triangular(ref state)));
                Vector128<double> v1 = Vector128.MinNative(max, Vector128.MaxNative(min, (x1 * scaleVector) + Triangular(ref state)));
                Vector128<double> y0 = ((v0 + roundingBias) - roundingBias) * inverse;
                Vector128<double> y1 = ((v1 + roundingBias) - roundingBias) * inverse;
                Vector128<double> outLeft = Vector128.Create(y0.ToScalar(), y1.ToScalar());
                Vector128<double> outRight = Vector128.Create(y0.GetElement(1), y1.GetElement(1));
                Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref li), Vector128.Narrow(outLeft, outLeft).AsDouble().ToScalar());
                Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref ri), Vector128.Narrow(outRight, outRight).AsDouble().ToScalar());
            }
        }

        for (; i < frames; i++)
        {
            Vector128<double> x = Vector128.Create((double)left[i], right[i]);
            Vector128<double> v = Vector128.MinNative(max, Vector128.MaxNative(min, (x * scaleVector) + Triangular(ref state)));
            Vector128<double> y = (v + roundingBias) - roundingBias;
            Vector128<double> output = y * inverse;
            left[i] = (float)output.ToScalar();
            if (stereo)
            {
                right[i] = (float)output.GetElement(1);
            }
        }

        _rng0 = state.ToScalar();
        if (stereo)
        {
            _rng1 = state.GetElement(1);
        }
    }

    // Error feedback with up to five taps (unused taps are 0). The older errors are subtracted first, so the
    // newest error (the loop-carried dependency) enters last and the recursion stays short.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessShaped(Span<float> left, Span<float> right, bool stereo, double scale, double[] h)
    {
        Vector128<ulong> state = Vector128.Create(_rng0, _rng1);
        Vector128<double> scaleVector = Vector128.Create(scale);
        Vector128<double> inverse = Vector128.Create(1 / scale);
        Vector128<double> max = Vector128.Create(scale - 1), min = Vector128.Create(-scale);
        Vector128<double> errorMax = Vector128.Create(2.0), errorMin = Vector128.Create(-2.0);
        Vector128<double> h0 = Vector128.Create(h[0]);
        Vector128<double> h1 = Vector128.Create(h.Length > 1 ? h[1] : 0);
        Vector128<double> h2 = Vector128.Create(h.Length > 2 ? h[2] : 0);
        Vector128<double> h3 = Vector128.Create(h.Length > 3 ? h[3] : 0);
        Vector128<double> h4 = Vector128.Create(h.Length > 4 ? h[4] : 0);
        Vector128<double> e0 = _error0, e1 = _error1, e2 = _error2, e3 = _error3, e4 = _error4;
        int frames = left.Length;
        for (int i = 0; i < frames; i++)
        {
            Vector128<double> x = Vector128.Create((double)left[i], right[i]);
            Vector128<double> d = Triangular(ref state);
            Vector128<double> w = (x * scaleVector) - (h4 * e4) - (h3 * e3) - (h2 * e2) - (h1 * e1);
            Vector128<double> v = w - (h0 * e0);
            Vector128<double> y = Vector128.Min(max, Vector128.Max(min, FastMath.RoundToEven(v + d)));
            e4 = e3;
            e3 = e2;
            e2 = e1;
            e1 = e0;

            // Bounded so that clipping cannot make the feedback loop run away.
            e0 = Vector128.Min(errorMax, Vector128.Max(errorMin, y - v));
            Vector128<double> output = y * inverse;
            left[i] = (float)output.ToScalar();
            if (stereo)
            {
                right[i] = (float)output.GetElement(1);
            }
        }

        _rng0 = state.ToScalar();
        if (stereo)
        {
            _rng1 = state.GetElement(1);
        }

        _error0 = e0;
        _error1 = e1;
        _error2 = e2;
        _error3 = e3;
        _error4 = e4;
    }

    /// <summary>
    /// One xorshift64 step (Marsaglia 2003, shifts 13, 7, 17) per lane (left, right), each split into two
    /// independent 24-bit uniforms; returns their difference (triangular on (−1, 1), exact in double: the integers
    /// become doubles through the exact 2^52 bias, so NEON and x64 give the same bits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Triangular(ref Vector128<ulong> state)
    {
        Vector128<ulong> x = state;
        x ^= Vector128.ShiftLeft(x, 13);
        x ^= Vector128.ShiftRightLogical(x, 7);
        x ^= Vector128.ShiftLeft(x, 17);
        state = x;
        Vector128<ulong> bias = Vector128.Create(0x4330000000000000UL);
        Vector128<double> first = (Vector128.ShiftRightLogical(x, 40) | bias).AsDouble();
        Vector128<double> second = ((Vector128.ShiftRightLogical(x, 8) & Vector128.Create(0xFFFFFFUL)) | bias).AsDouble();
        return (first - second) * Vector128.Create(1.0 / 16777216.0);
    }

    private void Reseed(uint seed)
    {
        // SplitMix64 finaliser of the seed and of the seed's successor: two well-mixed non-zero states.
        _rng0 = Mix(seed, 0);
        _rng1 = Mix(seed, 1);
        _error0 = _error1 = _error2 = _error3 = _error4 = Vector128<double>.Zero;
    }

    private static ulong Mix(uint seed, ulong stream)
    {
        ulong z = (((ulong)seed << 1) | stream) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return z == 0 ? 0x9E3779B97F4A7C15UL : z;
    }
}
