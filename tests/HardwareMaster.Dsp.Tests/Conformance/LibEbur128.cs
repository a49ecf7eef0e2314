using System.Runtime.InteropServices;

namespace HardwareMaster.Dsp.Tests.Conformance;

/// <summary>
/// Minimal P/Invoke to Debian's libebur128 (package libebur128-1, MIT licence) used as an independent
/// reference. Only the functions the cross-check needs.
/// </summary>
internal static partial class LibEbur128
{
    private const string Library = "libebur128.so.1";

    public const int ModeM = 1 << 0;
    public const int ModeS = (1 << 1) | ModeM;
    public const int ModeI = (1 << 2) | ModeM;
    public const int ModeLra = (1 << 3) | ModeS;
    public const int ModeSamplePeak = (1 << 4) | ModeM;
    public const int ModeTruePeak = (1 << 5) | ModeM | ModeSamplePeak;

    [LibraryImport(Library, EntryPoint = "ebur128_init")]
    public static partial nint Init(uint channels, nuint sampleRate, int mode);

    [LibraryImport(Library, EntryPoint = "ebur128_destroy")]
    public static partial void Destroy(ref nint state);

    [LibraryImport(Library, EntryPoint = "ebur128_add_frames_float")]
    public static unsafe partial int AddFramesFloat(nint state, float* interleaved, nuint frames);

    [LibraryImport(Library, EntryPoint = "ebur128_loudness_global")]
    public static partial int LoudnessGlobal(nint state, out double lufs);

    [LibraryImport(Library, EntryPoint = "ebur128_loudness_momentary")]
    public static partial int LoudnessMomentary(nint state, out double lufs);

    [LibraryImport(Library, EntryPoint = "ebur128_loudness_shortterm")]
    public static partial int LoudnessShortTerm(nint state, out double lufs);

    [LibraryImport(Library, EntryPoint = "ebur128_loudness_range")]
    public static partial int LoudnessRange(nint state, out double lu);

    [LibraryImport(Library, EntryPoint = "ebur128_true_peak")]
    public static partial int TruePeak(nint state, uint channel, out double linear);

    [LibraryImport(Library, EntryPoint = "ebur128_sample_peak")]
    public static partial int SamplePeak(nint state, uint channel, out double linear);

    /// <summary>Owns one libebur128 state.</summary>
    public sealed class Meter : IDisposable
    {
        private nint _state;
        private readonly int _channels;

        public Meter(int channels, int sampleRateHz, int mode)
        {
            _channels = channels;
            _state = Init((uint)channels, (nuint)sampleRateHz, mode);
            if (_state == 0)
            {
                throw new InvalidOperationException("ebur128_init failed");
            }
        }

        public unsafe void Add(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
        {
            var interleaved = new float[left.Length * _channels];
            for (int n = 0; n < left.Length; n++)
            {
                interleaved[n * _channels] = left[n];
                if (_channels == 2)
                {
                    interleaved[(n * 2) + 1] = right[n];
                }
            }

            fixed (float* p = interleaved)
            {
                Check(AddFramesFloat(_state, p, (nuint)left.Length));
            }
        }

        public double Integrated { get { Check(LoudnessGlobal(_state, out double v)); return v; } }

        public double ShortTerm { get { Check(LoudnessShortTerm(_state, out double v)); return v; } }

        public double Momentary { get { Check(LoudnessMomentary(_state, out double v)); return v; } }

        public double Range { get { Check(LoudnessRange(_state, out double v)); return v; } }

        public double TruePeakDbtp
        {
            get
            {
                double max = 0;
                for (uint c = 0; c < _channels; c++)
                {
                    Check(TruePeak(_state, c, out double v));
                    max = Math.Max(max, v);
                }

                return 20.0 * Math.Log10(max);
            }
        }

        public void Dispose()
        {
            if (_state != 0)
            {
                Destroy(ref _state);
            }
        }

        private static void Check(int error)
        {
            if (error != 0)
            {
                throw new InvalidOperationException($"libebur128 returned error {error}");
            }
        }
    }
}
