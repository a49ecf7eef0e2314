namespace HardwareMaster.Dsp.Filters;

/// <summary>
/// Butterworth high- and low-pass cascades of selectable slope, built from matched sections
/// (<see cref="MatchedBiquadDesign"/>), so the corner is where the label says even near Nyquist.
/// </summary>
/// <remarks>
/// An order-N Butterworth filter is ⌊N/2⌋ second-order sections with Q_k = 1/(2·sin((2k−1)·π/(2N))),
/// k = 1..⌊N/2⌋, plus one first-order section when N is odd (S. Butterworth 1930; any filter text).
/// Slope in dB/octave is 6·N.
/// </remarks>
public static class ButterworthDesign
{
    /// <summary>The slopes accepted, in dB/octave (orders 1, 2, 3, 4, 6, 8).</summary>
    public static ReadOnlySpan<int> SupportedSlopesDbPerOctave => [6, 12, 18, 24, 36, 48];

    /// <summary>Most sections any supported slope needs.</summary>
    public const int MaxSections = 4;

    /// <summary>True when <paramref name="slopeDbPerOctave"/> is one of <see cref="SupportedSlopesDbPerOctave"/>.</summary>
    public static bool IsSupportedSlope(int slopeDbPerOctave) => SupportedSlopesDbPerOctave.Contains(slopeDbPerOctave);

    /// <summary>High-pass cascade with −3 dB at <paramref name="frequencyHz"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unsupported slope.</exception>
    public static BiquadCoefficients[] HighPass(double frequencyHz, int slopeDbPerOctave, double sampleRateHz) =>
        Design(frequencyHz, slopeDbPerOctave, sampleRateHz, highPass: true, resonanceQ: 0);

    /// <summary>Low-pass cascade with −3 dB at <paramref name="frequencyHz"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unsupported slope.</exception>
    public static BiquadCoefficients[] LowPass(double frequencyHz, int slopeDbPerOctave, double sampleRateHz) =>
        Design(frequencyHz, slopeDbPerOctave, sampleRateHz, highPass: false, resonanceQ: 0);

    /// <summary>
    /// As <see cref="HighPass"/>/<see cref="LowPass"/>, but a 12 dB/octave filter uses <paramref name="resonanceQ"/>
    /// instead of the Butterworth Q when it is positive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Unsupported slope.</exception>
    public static BiquadCoefficients[] Design(double frequencyHz, int slopeDbPerOctave, double sampleRateHz, bool highPass, double resonanceQ)
    {
        Span<BiquadCoefficients> sections = stackalloc BiquadCoefficients[MaxSections];
        int count = Design(frequencyHz, slopeDbPerOctave, sampleRateHz, highPass, resonanceQ, sections);
        return sections[..count].ToArray();
    }

    /// <summary>
    /// As <see cref="Design(double, int, double, bool, double)"/>, writing the sections into <paramref name="destination"/>
    /// (at least <see cref="MaxSections"/> long) without allocating.
    /// </summary>
    /// <returns>Number of sections written.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Unsupported slope.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short for the slope.</exception>
    public static int Design(double frequencyHz, int slopeDbPerOctave, double sampleRateHz, bool highPass, double resonanceQ, Span<BiquadCoefficients> destination)
    {
        if (!IsSupportedSlope(slopeDbPerOctave))
        {
            throw new ArgumentOutOfRangeException(nameof(slopeDbPerOctave), slopeDbPerOctave, "Slope must be 6, 12, 18, 24, 36 or 48 dB/octave.");
        }

        int order = slopeDbPerOctave / 6;
        int count = (order + 1) / 2;
        if (destination.Length < count)
        {
            throw new ArgumentException("The destination is too short for the slope.", nameof(destination));
        }

        int index = 0;
        for (int k = 1; k <= order / 2; k++)
        {
            double q = 1 / (2 * Math.Sin((2 * k - 1) * Math.PI / (2 * order)));
            if (order == 2 && resonanceQ > 0)
            {
                q = resonanceQ;
            }

            destination[index++] = highPass
                ? MatchedBiquadDesign.HighPass(frequencyHz, q, sampleRateHz)
                : MatchedBiquadDesign.LowPass(frequencyHz, q, sampleRateHz);
        }

        if ((order & 1) == 1)
        {
            destination[index] = highPass
                ? MatchedBiquadDesign.FirstOrderHighPass(frequencyHz, sampleRateHz)
                : MatchedBiquadDesign.FirstOrderLowPass(frequencyHz, sampleRateHz);
        }

        return count;
    }
}
