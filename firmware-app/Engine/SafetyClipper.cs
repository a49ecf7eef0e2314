using System.Numerics.Tensors;

namespace HardwareMaster.App.Engine;

/// <summary>
/// The last stage before the device: no sample beyond ±1.0 (0 dBFS) ever leaves the engine. With the limiter in, the
/// output is already below its ceiling (≤ 0 dBTP) and this costs one peak scan per channel; with the limiter bypassed
/// (while the loudness gain may be +8 dB) or a loudness-matched dry signal above full scale, it hard-clips and counts.
/// </summary>
internal static class SafetyClipper
{
    /// <summary>Clips a channel in place to ±1.0 (NaN becomes 0).</summary>
    /// <returns>Samples changed.</returns>
    public static int Clip(Span<float> samples)
    {
        float peak = TensorPrimitives.MaxMagnitude(samples);
        if (Math.Abs(peak) <= 1f)
        {
            return 0; // the normal path (NaN fails the comparison and goes below)
        }

        int clipped = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            float v = samples[i];
            if (v > 1f)
            {
                samples[i] = 1f;
                clipped++;
            }
            else if (v < -1f)
            {
                samples[i] = -1f;
                clipped++;
            }
            else if (float.IsNaN(v))
            {
                samples[i] = 0f;
                clipped++;
            }
        }

        return clipped;
    }
}
