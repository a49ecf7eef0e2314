using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// Mid/side width (0–200 %) and mono-below-frequency for the low end. Mono blocks pass unchanged. Latency 0.
/// </summary>
/// <remarks>
/// M = (L + R)/2, S = (L − R)/2; S is scaled by the width (smoothed per sample, 20 ms) and, when
/// <see cref="WidthSettings.MonoBelowHz"/> is set, high-passed (second-order Butterworth, double state) so the
/// low end is mono; then L = M + S, R = M − S. At 100 % and with mono-below off the stage is exact pass-through.
/// Threading: <see cref="Settings"/> may be set from the control thread at any time, also before Prepare; the
/// side-chain filter is designed on the calling thread into a value and handed to the audio thread through a
/// <see cref="TripleBuffer{T}"/> (no allocation per change), which takes the latest whole design at block start.
/// </remarks>
public sealed class StereoWidth : IAudioProcessor
{
    private readonly object _designLock = new();
    private readonly TripleBuffer<Design> _published = new(default);
    private WidthSettings _settings = new(); // control threads, under _designLock
    private Design _latest;                  // control threads, under _designLock: the design last published
    private bool _prepared;
    private int _sampleRateHz;
    private SmoothedValue _width;
    private double _s1, _s2;

    /// <inheritdoc />
    public int LatencyFrames => 0;

    /// <summary>Current settings. Setting validates and publishes (control thread).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public WidthSettings Settings
    {
        get
        {
            lock (_designLock)
            {
                return _settings;
            }
        }

        set
        {
            value.Validate();
            lock (_designLock)
            {
                if (value == _settings)
                {
                    return; // the same values: nothing to redesign
                }

                _settings = value;
                if (_sampleRateHz > 0)
                {
                    _latest = new Design(value, _sampleRateHz);
                    _published.Publish(_latest);
                }
            }
        }
    }

    /// <inheritdoc />
    public void Prepare(in ProcessSpec spec)
    {
        spec.Validate();
        lock (_designLock)
        {
            _sampleRateHz = spec.SampleRateHz;
            _width.Configure(20, spec.SampleRateHz);
            _latest = new Design(_settings, spec.SampleRateHz);
            _published.Publish(_latest);
            _prepared = true;
        }

        Reset();
    }

    /// <inheritdoc />
    public void Reset()
    {
        _s1 = _s2 = 0;
        if (_prepared)
        {
            lock (_designLock)
            {
                _width.Target = _latest.Width;
            }
        }

        _width.SnapToTarget();
    }

    /// <summary>The design the audio thread runs (tests). Audio thread only, between blocks.</summary>
    internal (double Width, bool MonoBelow, BiquadCoefficients HighPass) RunningDesign =>
        (_published.Front.Width, _published.Front.MonoBelow, _published.Front.HighPass);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(AudioBlock block)
    {
        if (!_prepared || block.Channels < 2)
        {
            return;
        }

        _published.TryTake();
        ref readonly Design d = ref _published.Front;

        _width.Target = d.Width;
        if (_width.IsSettled && d.Width == 1 && !d.MonoBelow)
        {
            _s1 = _s2 = 0;
            return; // exact pass-through
        }

        var left = block.Channel(0);
        var right = block.Channel(1);
        if (_width.IsSettled && !d.MonoBelow)
        {
            ProcessSettled(left, right, _width.Current); // the side-chain state is kept, as the loop keeps it
            return;
        }

        var width = _width;
        double s1 = _s1, s2 = _s2;
        var hp = d.HighPass;
        bool monoBelow = d.MonoBelow;
        for (int i = 0; i < left.Length; i++)
        {
            double l = left[i], r = right[i];
            double mid = (l + r) * 0.5;
            double side = (l - r) * 0.5;
            if (monoBelow)
            {
                side = BiquadKernel.Tick(side, hp, ref s1, ref s2);
            }

            side *= width.Next();
            left[i] = BiquadKernel.ToFloat(mid + side);
            right[i] = BiquadKernel.ToFloat(mid - side);
        }

        _width = width;
        _s1 = BiquadKernel.Flush(s1);
        _s2 = BiquadKernel.Flush(s2);
    }

    // Settled width, mono-below off (the steady state): two frames per Vector128<double>, exactly the loop's
    // operations (the smoothed value returns the settled width, the high-pass is not run), so bit-identical to it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ProcessSettled(Span<float> left, Span<float> right, double width)
    {
        int frames = Math.Min(left.Length, right.Length);
        int pairs = frames & ~1;
        ref float l = ref MemoryMarshal.GetReference(left);
        ref float r = ref MemoryMarshal.GetReference(right);
        Vector128<double> half = Vector128.Create(0.5), w = Vector128.Create(width), tiny = Vector128.Create(1e-30);
        for (int i = 0; i < pairs; i += 2)
        {
            // Two floats of each channel loaded as one 8-byte value and widened; narrowed back the same way (the
            // conversions round as the scalar casts do).
            ref float li = ref Unsafe.Add(ref l, i), ri = ref Unsafe.Add(ref r, i);
            Vector128<double> lv = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref li))).AsSingle());
            Vector128<double> rv = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref ri))).AsSingle());
            Vector128<double> mid = (lv + rv) * half;
            Vector128<double> side = ((lv - rv) * half) * w;
            Vector128<double> outLeft = mid + side;
            Vector128<double> outRight = mid - side;
            outLeft = Vector128.AndNot(outLeft, Vector128.LessThan(Vector128.Abs(outLeft), tiny));
            outRight = Vector128.AndNot(outRight, Vector128.LessThan(Vector128.Abs(outRight), tiny));
            Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref li), Vector128.Narrow(outLeft, outLeft).AsDouble().ToScalar());
            Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref ri), Vector128.Narrow(outRight, outRight).AsDouble().ToScalar());
        }

        for (int i = pairs; i < frames; i++)
        {
            double lf = left[i], rf = right[i];
            double mid = (lf + rf) * 0.5;
            double side = ((lf - rf) * 0.5) * width;
            left[i] = BiquadKernel.ToFloat(mid + side);
            right[i] = BiquadKernel.ToFloat(mid - side);
        }
    }

    private readonly struct Design
    {
        public Design(WidthSettings s, int sampleRateHz)
        {
            Width = s.WidthPercent / 100;
            MonoBelow = s.MonoBelowHz > 0;
            HighPass = MonoBelow ? MatchedBiquadDesign.HighPass(s.MonoBelowHz, 0.7071, sampleRateHz) : BiquadCoefficients.Identity;
        }

        public double Width { get; }

        public bool MonoBelow { get; }

        public BiquadCoefficients HighPass { get; }
    }
}
