using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>
/// The limiter's gain computer skips frame-by-frame work where it is idle (nothing over the target and its state at
/// rest): the output and the gain-reduction readings are bit-identical to running every frame.
/// </summary>
public class LimiterIdleShortcutTests
{
    // Sections of 0.5–4 s: quiet ones, loud ones that limit (up to +6 dB over the ceiling, with clicks), and ones that
    // sit a few dB below the target (white noise: its true peak is well above its sample peak), so the follower recovers, reaches rest and is disturbed again at random block cuts.
    private static float[] Programme(int frames, int sampleRateHz, double ceilingDb, int seed)
    {
        var random = new Random(seed);
        var x = new float[frames];
        int next = 0;
        double level = 0.1;
        bool loud = false;
        for (int i = 0; i < frames; i++)
        {
            if (i == next)
            {
                int kind = random.Next(3);
                loud = kind == 1;
                double relativeDb = kind == 0 ? -40 + (25 * random.NextDouble()) : kind == 1 ? -2 + (8 * random.NextDouble()) : -5;
                level = Math.Pow(10, (ceilingDb + relativeDb) / 20);
                next = i + (int)(sampleRateHz * (0.5 + (3.5 * random.NextDouble())));
            }

            double v = level * ((0.5 * ((2 * random.NextDouble()) - 1)) + (0.5 * Math.Sin(i * 0.05)));
            if (loud && random.Next(2000) == 0)
            {
                v = (random.Next(2) == 0 ? 1 : -1) * 1.1;
            }

            x[i] = (float)v;
        }

        return x;
    }

    [Theory]
    [InlineData(48000, -1.0, 50, true, 64)]
    [InlineData(48000, -1.0, 50, false, 512)]
    [InlineData(44100, -0.3, 10, true, 333)]
    [InlineData(96000, -6.0, 200, false, 128)]
    public void Shortcut_OutputAndReadingsBitIdenticalToEveryFrame(int sampleRateHz, double ceilingDbtp, double releaseMs, bool autoRelease, int blockFrames)
    {
        int frames = 30 * sampleRateHz;
        float[] left = Programme(frames, sampleRateHz, ceilingDbtp, 11);
        float[] right = Programme(frames, sampleRateHz, ceilingDbtp, 12);
        var settings = new LimiterSettings { CeilingDbtp = ceilingDbtp, ReleaseMs = releaseMs, AutoRelease = autoRelease };

        (float[] L, float[] R, List<(float, float)> Readings, long Idle) Run(bool noShortcut)
        {
            var limiter = new TruePeakLimiter { Settings = settings, NoIdleShortcut = noShortcut };
            limiter.Prepare(new ProcessSpec(sampleRateHz, blockFrames, 2));
            var l = (float[])left.Clone();
            var r = (float[])right.Clone();
            var readings = new List<(float, float)>();
            for (int start = 0; start < frames; start += blockFrames)
            {
                int n = Math.Min(blockFrames, frames - start);
                limiter.Process(new AudioBlock(l.AsSpan(start, n), r.AsSpan(start, n)));
                GainReductionReading reading = limiter.GainReduction.Read();
                readings.Add((reading.CurrentDb, reading.MaxSinceLastReadDb));
            }

            return (l, r, readings, limiter.IdleShortcutFrames);
        }

        var every = Run(noShortcut: true);
        var shortcut = Run(noShortcut: false);
        Assert.Equal(0, every.Idle);
        Assert.True(shortcut.Idle > frames / 10, $"the shortcut took only {shortcut.Idle} of {frames} frames; blocks near 0 GR {every.Readings.Count(r => Math.Abs(r.Item1) < 1e-6)} of {every.Readings.Count}, limiting {every.Readings.Count(r => Math.Abs(r.Item2) > 0.01)}");
        Assert.True(every.Readings.Max(r => Math.Abs(r.Item2)) > 1, "the limiter did not limit");
        Assert.Equal(every.L, shortcut.L);
        Assert.Equal(every.R, shortcut.R);
        Assert.Equal(every.Readings, shortcut.Readings);
    }
}
