using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Dsp.Tests.Conformance;

internal static class MeterHarness
{
    /// <summary>
    /// Feeds a (dual-mono when <paramref name="right"/> is null and <paramref name="channels"/> is 2)
    /// signal in blocks, calling <paramref name="afterBlock"/> with the frames fed so far.
    /// </summary>
    public static ProgramMeter Run(int rate, float[] left, float[]? right, int channels, int blockFrames, Action<ProgramMeter, long>? afterBlock = null)
    {
        var meter = new ProgramMeter(rate, channels);
        right ??= left;
        for (int start = 0; start < left.Length; start += blockFrames)
        {
            int n = Math.Min(blockFrames, left.Length - start);
            meter.Process(left.AsSpan(start, n), channels == 2 ? right.AsSpan(start, n) : ReadOnlySpan<float>.Empty);
            afterBlock?.Invoke(meter, start + n);
        }

        return meter;
    }

    /// <summary>The reading furthest from <paramref name="expected"/>.</summary>
    public static double Furthest(IEnumerable<double> readings, double expected)
    {
        double worst = expected;
        foreach (double r in readings)
        {
            if (!(Math.Abs(r - expected) <= Math.Abs(worst - expected)))
            {
                worst = r;
            }
        }

        return worst;
    }
}
