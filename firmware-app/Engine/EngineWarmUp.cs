using HardwareMaster.Hal.Audio;

namespace HardwareMaster.App.Engine;

/// <summary>
/// Warm-up: runs noise through the engine's whole per-block path (and the meter reader's) on the calling thread, so no
/// first-use (JIT) cost lands on a real block. The caller then clears the engine.
/// </summary>
internal static class EngineWarmUp
{
    /// <summary>Runs <paramref name="blocks"/> blocks of <paramref name="blockFrames"/> frames, toggling the global bypass once. Control thread, not while running.</summary>
    public static void Run(AudioEngine engine, int blockFrames, int blocks)
    {
        int n = blockFrames;
        float[] inL = new float[n], inR = new float[n], outL = new float[n], outR = new float[n];
        bool bypass = engine.GlobalBypass;
        uint seed = 12345;
        for (long b = 0; b < blocks; b++)
        {
            float gain = 0.05f + (0.5f * (b % 200) / 200f); // varying loudness: gating and range blocks of different levels
            for (int i = 0; i < n; i++)
            {
                seed = (seed * 1664525) + 1013904223;
                inL[i] = (((seed >> 8) / 16777216f) - 0.5f) * gain;
                inR[i] = -inL[i];
            }

            // The bypass crossfade and dry paths too (restored below).
            engine.GlobalBypass = b >= blocks / 2 && b < (3 * blocks) / 4 ? !bypass : bypass;
            Array.Clear(outL);
            Array.Clear(outR);
            engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, b));
            if (b % 16 == 0)
            {
                _ = engine.ReadMeters();
            }
        }

        engine.GlobalBypass = bypass;
        engine.ResetLoudness();
        engine.ProcessBlock(new AudioBuffers(inL, inR, outL, outR, blocks)); // the reset path
        _ = engine.ReadMeters();
    }
}
