namespace HardwareMaster.Dsp.Tests.Conformance;

/// <summary>A segment of a 1 kHz tone sequence: peak level (dBFS) and duration.</summary>
internal readonly record struct Tone(double LevelDbfs, double Seconds);

/// <summary>Synthesised test signals (EBU Tech 3341/3342 descriptions and programme-like material).</summary>
internal static class TestSignals
{
    /// <summary>Phase-continuous 1 kHz sine through a sequence of levels (level = peak dBFS; silence for -inf).</summary>
    public static float[] ToneSequence(int rate, params Tone[] tones) => ToneSequence(rate, 1000.0, tones);

    public static float[] ToneSequence(int rate, double frequencyHz, params Tone[] tones)
    {
        long total = 0;
        foreach (Tone t in tones)
        {
            total += (long)Math.Round(t.Seconds * rate);
        }

        var x = new float[total];
        long n = 0;
        foreach (Tone t in tones)
        {
            long frames = (long)Math.Round(t.Seconds * rate);
            double amplitude = double.IsNegativeInfinity(t.LevelDbfs) ? 0.0 : Math.Pow(10.0, t.LevelDbfs / 20.0);
            for (long i = 0; i < frames; i++, n++)
            {
                x[n] = (float)(amplitude * Math.Sin(2.0 * Math.PI * frequencyHz * n / rate));
            }
        }

        return x;
    }

    public static Tone[] Repeat(int times, params Tone[] tones)
    {
        var result = new Tone[times * tones.Length];
        for (int i = 0; i < times; i++)
        {
            tones.CopyTo(result, i * tones.Length);
        }

        return result;
    }

    /// <summary>
    /// Programme-like stereo material: low-passed noise at changing levels, tones, silence gaps, a
    /// hard-clipped section and partly correlated channels.
    /// </summary>
    public static (float[] Left, float[] Right) Programme(int rate, double seconds, int seed, bool clipped)
    {
        var random = new Random(seed);
        int frames = (int)(seconds * rate);
        var left = new float[frames];
        var right = new float[frames];
        int n = 0;
        double lpL = 0, lpR = 0, lpL2 = 0, lpR2 = 0;
        while (n < frames)
        {
            int segment = Math.Min(frames - n, (int)((0.3 + (random.NextDouble() * 4.0)) * rate));
            int kind = random.Next(clipped ? 5 : 4);
            if (kind == 2 && !clipped)
            {
                kind = 3;
            }

            double levelDb = -42.0 + (random.NextDouble() * 30.0);
            double gain = Math.Pow(10.0, levelDb / 20.0);
            double frequency = 40.0 + (random.NextDouble() * 12000.0);
            double coefficient = 0.05 + (random.NextDouble() * 0.45);
            for (int i = 0; i < segment; i++, n++)
            {
                double common = (random.NextDouble() * 2.0) - 1.0;
                switch (kind)
                {
                    case 0: // silence gap
                        left[n] = 0f;
                        right[n] = 0f;
                        break;
                    case 1: // tone, slightly different per channel
                        left[n] = (float)(gain * Math.Sin(2.0 * Math.PI * frequency * n / rate));
                        right[n] = (float)(0.7 * gain * Math.Sin((2.0 * Math.PI * frequency * n / rate) + 0.5));
                        break;
                    case 2: // hard-clipped loud noise
                        lpL += (0.1 + (0.2 * coefficient)) * ((common * 2.0) - lpL);
                        left[n] = (float)Math.Clamp(lpL, -1.0, 1.0);
                        right[n] = (float)Math.Clamp(-lpL * 0.9, -1.0, 1.0);
                        break;
                    default: // coloured noise, partly correlated
                        // Two one-pole low-passes: little energy near Nyquist, as in real programme.
                        lpL += coefficient * ((gain * common) - lpL);
                        lpR += coefficient * ((gain * (0.6 * common + (0.4 * ((random.NextDouble() * 2.0) - 1.0)))) - lpR);
                        lpL2 += coefficient * (lpL - lpL2);
                        lpR2 += coefficient * (lpR - lpR2);
                        left[n] = (float)(2.0 * lpL2);
                        right[n] = (float)(2.0 * lpR2);
                        break;
                }
            }
        }

        return (left, right);
    }
}
