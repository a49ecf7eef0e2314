namespace HardwareMaster.Hal.Audio.Generators;

/// <summary>
/// A deterministic synthetic stereo mix for demos and tests: kick, bass, pad and hi-hat-like noise bursts at 120 BPM,
/// peaking around −6 dBFS, looping every four bars (8 s).
/// </summary>
/// <remarks>
/// Every sample is a pure function of its absolute frame index, so any block size, any start frame and any thread give
/// identical audio; nothing is allocated. Used by the generator device (<c>gen:demo</c>) and by the CLI to write a demo WAV.
/// </remarks>
public static class DemoMix
{
    /// <summary>Beats per minute of the pattern.</summary>
    public const double TempoBpm = 120;

    /// <summary>Length of the loop in seconds (four 4/4 bars).</summary>
    public const double LoopSeconds = 8;

    private const double BeatSeconds = 60 / TempoBpm;
    private const double EighthSeconds = BeatSeconds / 2;
    private const double MasterGain = 0.687;

    // Bass roots per bar (A1, F1, C2, G1) and pad chords per bar (Am, F, C, G), in Hz.
    private static ReadOnlySpan<double> BassRootsHz => [55.0, 43.654, 65.406, 48.999];

    private static ReadOnlySpan<double> PadChordsHz =>
    [
        220.0, 261.63, 329.63,
        174.61, 220.0, 261.63,
        196.0, 261.63, 329.63,
        196.0, 246.94, 293.66,
    ];

    /// <summary>Renders <c>left.Length</c> frames of the mix starting at absolute frame <paramref name="startFrame"/>.</summary>
    /// <param name="left">Receives the left channel.</param>
    /// <param name="right">Receives the right channel (same length as <paramref name="left"/>).</param>
    /// <param name="startFrame">Absolute frame index of the first sample (≥ 0).</param>
    /// <param name="sampleRateHz">Sample rate.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive, the start is negative, or the spans differ in length.</exception>
    public static void Render(Span<float> left, Span<float> right, long startFrame, int sampleRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRateHz);
        ArgumentOutOfRangeException.ThrowIfNegative(startFrame);
        ArgumentOutOfRangeException.ThrowIfNotEqual(right.Length, left.Length, nameof(right));
        long loopFrames = (long)(LoopSeconds * sampleRateHz);
        for (int i = 0; i < left.Length; i++)
        {
            long frame = (startFrame + i) % loopFrames;
            double t = (double)frame / sampleRateHz;
            Sample(t, frame, out double l, out double r);
            left[i] = (float)(l * MasterGain);
            right[i] = (float)(r * MasterGain);
        }
    }

    private static void Sample(double t, long frame, out double left, out double right)
    {
        int bar = (int)(t / (4 * BeatSeconds)) & 3;
        double beatTime = t % BeatSeconds;
        double eighthTime = t % EighthSeconds;
        int eighth = (int)(t / EighthSeconds);

        // Kick: a sine swept from ~120 Hz down to 45 Hz (phase integrated analytically), 250 ms decay, every beat.
        const double sweepSeconds = 0.03;
        double kickPhase = (45 * beatTime) + (75 * sweepSeconds * (1 - Math.Exp(-beatTime / sweepSeconds)));
        double kick = 0.55 * Math.Exp(-beatTime / 0.25) * Math.Sin(2 * Math.PI * kickPhase);

        // Bass: root of the bar with two harmonics, plucked on every eighth note, ducked under the kick.
        double root = BassRootsHz[bar];
        double bassPhase = 2 * Math.PI * root * t;
        double bassTone = Math.Sin(bassPhase) + (0.5 * Math.Sin(2 * bassPhase)) + (0.25 * Math.Sin(3 * bassPhase));
        double bass = 0.16 * Math.Exp(-eighthTime / 0.18) * bassTone * (1 - (0.7 * Math.Exp(-beatTime / 0.08)));

        // Pad: the bar's triad, slightly detuned between left and right, with a slow swell.
        double swell = 0.75 + (0.25 * Math.Sin(2 * Math.PI * 0.25 * t));
        double padLeft = 0, padRight = 0;
        for (int note = 0; note < 3; note++)
        {
            double f = PadChordsHz[(bar * 3) + note];
            padLeft += Math.Sin(2 * Math.PI * f * 0.998 * t);
            padRight += Math.Sin(2 * Math.PI * f * 1.002 * t);
        }

        padLeft *= 0.045 * swell;
        padRight *= 0.045 * swell;

        // Hi-hat: differenced hash noise (a crude high-pass) on the off-beat eighths, 25 ms decay, panned right.
        double hat = 0;
        if ((eighth & 1) == 1)
        {
            hat = 0.12 * Math.Exp(-eighthTime / 0.025) * (Noise(frame) - Noise(frame - 1)) * 0.5;
        }

        left = kick + bass + padLeft + (0.6 * hat);
        right = kick + bass + padRight + hat;
    }

    private static double Noise(long frame)
    {
        // SplitMix64 finaliser: a stateless, deterministic uniform value in [−1, 1) per frame.
        ulong z = (ulong)frame + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((long)z) * (1.0 / 9223372036854775808.0);
    }
}
