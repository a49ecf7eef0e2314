using System.Globalization;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Benchmarks.Limiter;

/// <summary>
/// Limiter distortion comparison (issue 12), driven by <c>compare.sh</c>: <c>limiter gen DIR</c> writes the test
/// signals as 32-bit float stereo WAVs at 48 kHz, 6 dB over a −1 dBTP ceiling (hit.wav: a 10 ms hit 10 dB over on
/// programme at −12 dBFS, the right channel a 0.01 DC probe that reads the linked gain); <c>limiter ours DIR OUTDIR</c>
/// runs <see cref="TruePeakLimiter"/> at its defaults on them (optional 4th argument: HoldMs); <c>limiter measure DIR OUTDIR</c> prints one row:
/// 100 Hz THD, 1 kHz THD, 50 Hz + 5 kHz IMD, THD of 100 Hz swinging ±3 dB at 2 Hz (%), recovery (ms). Same analysis as the Dsp.Tests LimiterMeasurements.
/// </summary>
public static class LimiterCompare
{
    private const int SampleRateHz = 48000;
    private const int FftSize = 32768;
    private const float Probe = 0.01f;
    private const int HitStart = SampleRateHz / 4, HitFrames = SampleRateHz / 100;

    /// <summary>Runs a sub-command (see the type's summary).</summary>
    public static void Run(string[] args)
    {
        switch (args[0])
        {
            case "gen":
                Generate(args[1]);
                break;
            case "ours":
                Ours(args[1], args[2], args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : new LimiterSettings().HoldMs);
                break;
            default:
                Console.WriteLine(Measure(args[1], args[2]));
                break;
        }
    }

    private static readonly string[] Names = ["sine100", "sine1k", "imd", "am100", "hit"];

    private static void Generate(string dir)
    {
        Directory.CreateDirectory(dir);
        double a = Math.Pow(10, 5 / 20.0); // +5 dBTP = 6 dB over −1
        int frames = (SampleRateHz * 3 / 2) + FftSize;
        Write(Path.Combine(dir, "sine100.wav"), Tone(frames, n => a * Math.Cos(2 * Math.PI * 100 * n / SampleRateHz)));
        Write(Path.Combine(dir, "sine1k.wav"), Tone(frames, n => a * Math.Cos(2 * Math.PI * 1000 * n / SampleRateHz)));
        Write(Path.Combine(dir, "imd.wav"), Tone(frames, n =>
            (0.8 * a * Math.Cos(2 * Math.PI * 50 * n / SampleRateHz)) + (0.2 * a * Math.Cos(2 * Math.PI * 5000 * n / SampleRateHz))));
        Write(Path.Combine(dir, "am100.wav"), Tone(frames, n =>
            a * Math.Pow(10, 3 * Math.Sin(2 * Math.PI * 2 * n / SampleRateHz) / 20) * Math.Cos(2 * Math.PI * 100 * n / SampleRateHz)));
        Write(Path.Combine(dir, "hit.wav"), Hit());
    }

    private static (float[] L, float[] R) Tone(int frames, Func<int, double> f)
    {
        var l = new float[frames];
        for (int n = 0; n < frames; n++)
        {
            l[n] = (float)f(n);
        }

        return (l, (float[])l.Clone());
    }

    // Same hit as LimiterMeasurements.RecoveryMs in the tests.
    private static (float[] L, float[] R) Hit()
    {
        int frames = SampleRateHz;
        double programme = Math.Pow(10, -12 / 20.0), hit = Math.Pow(10, 9 / 20.0);
        var rng = new Random(5);
        var l = new float[frames];
        var r = new float[frames];
        for (int n = 0; n < frames; n++)
        {
            double v = programme * Math.Sin(2 * Math.PI * 1000 * n / SampleRateHz);
            if (n >= HitStart && n < HitStart + HitFrames)
            {
                double t = (n - HitStart) / (double)HitFrames;
                double burst = (0.8 * Math.Sin(2 * Math.PI * 120 * n / SampleRateHz)) + (0.2 * ((2 * rng.NextDouble()) - 1));
                v += hit * burst * Math.Exp(-3 * t);
            }

            l[n] = (float)v;
            r[n] = Probe;
        }

        return (l, r);
    }

    private static void Ours(string dir, string outDir, double holdMs)
    {
        Directory.CreateDirectory(outDir);
        foreach (string name in Names)
        {
            var (l, r) = Read(Path.Combine(dir, name + ".wav"));
            var limiter = new TruePeakLimiter { Settings = new LimiterSettings { HoldMs = holdMs } };
            limiter.Prepare(new ProcessSpec(SampleRateHz, 512, 2));
            for (int start = 0; start < l.Length; start += 512)
            {
                int n = Math.Min(512, l.Length - start);
                limiter.Process(new AudioBlock(l.AsSpan(start, n), r.AsSpan(start, n)));
            }

            Write(Path.Combine(outDir, name + ".wav"), (l, r));
        }
    }

    private static string Measure(string dir, string outDir)
    {
        double Thd(string name, double f)
        {
            var p = Spectrum(Read(Path.Combine(outDir, name + ".wav")).L);
            double h = 0;
            for (int k = 2; k <= 10; k++)
            {
                h += Band(p, k * f);
            }

            return 100 * Math.Sqrt(h / Band(p, f));
        }

        var imdP = Spectrum(Read(Path.Combine(outDir, "imd.wav")).L);
        double side = 0;
        for (int k = 1; k <= 4; k++)
        {
            side += Band(imdP, 5000 + (50 * k)) + Band(imdP, 5000 - (50 * k));
        }

        double imd = 100 * Math.Sqrt(side / Band(imdP, 5000));

        // Latency from the programme's first sample; recovery from the hit's end to the last frame > 1 dB down.
        var input = Read(Path.Combine(dir, "hit.wav")).L;
        var (ol, or) = Read(Path.Combine(outDir, "hit.wav"));
        int latency = FirstAbove(ol) - FirstAbove(input);
        int last = -1;
        for (int n = latency; n < or.Length; n++)
        {
            if (or[n] / Probe < Math.Pow(10, -1 / 20.0))
            {
                last = n;
            }
        }

        double recovery = (last - (HitStart + HitFrames + latency)) * 1000.0 / SampleRateHz;
        return string.Create(CultureInfo.InvariantCulture, $"{Thd("sine100", 100),8:F3} {Thd("sine1k", 1000),8:F5} {imd,8:F3} {Thd("am100", 100),8:F3} {recovery,8:F1}   (latency {latency} frames)");
    }

    private static int FirstAbove(float[] x)
    {
        for (int n = 0; n < x.Length; n++)
        {
            if (Math.Abs(x[n]) > 1e-3)
            {
                return n;
            }
        }

        return 0;
    }

    private static double[] Spectrum(float[] all)
    {
        var x = all.AsSpan(all.Length - FftSize - (SampleRateHz / 10), FftSize); // settled, clear of any tail padding
        var re = new double[FftSize];
        var im = new double[FftSize];
        for (int i = 0; i < FftSize; i++)
        {
            double p = 2 * Math.PI * i / (FftSize - 1);
            re[i] = x[i] * (0.35875 - (0.48829 * Math.Cos(p)) + (0.14128 * Math.Cos(2 * p)) - (0.01168 * Math.Cos(3 * p)));
        }

        HardwareMaster.Dsp.Tests.Processors.Radix2Fft.Transform(re, im);
        var power = new double[(FftSize / 2) + 1];
        for (int i = 0; i < power.Length; i++)
        {
            power[i] = (re[i] * re[i]) + (im[i] * im[i]);
        }

        return power;
    }

    private static double Band(double[] power, double f)
    {
        int c = (int)Math.Round(f * FftSize / SampleRateHz);
        double sum = 0;
        for (int k = c - 5; k <= c + 5; k++)
        {
            sum += power[k];
        }

        return sum;
    }

    // 32-bit float stereo WAV.
    private static void Write(string path, (float[] L, float[] R) s)
    {
        using var w = new BinaryWriter(File.Create(path));
        int data = s.L.Length * 8;
        w.Write("RIFF"u8);
        w.Write(36 + data);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)3);
        w.Write((short)2);
        w.Write(SampleRateHz);
        w.Write(SampleRateHz * 8);
        w.Write((short)8);
        w.Write((short)32);
        w.Write("data"u8);
        w.Write(data);
        for (int n = 0; n < s.L.Length; n++)
        {
            w.Write(s.L[n]);
            w.Write(s.R[n]);
        }
    }

    // Reads a float (format 3 or extensible) or 16/24/32-bit PCM WAV; the first two channels.
    private static (float[] L, float[] R) Read(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        r.ReadBytes(12);
        int format = 0, channels = 0, bits = 0;
        while (true)
        {
            string id = System.Text.Encoding.ASCII.GetString(r.ReadBytes(4));
            int size = r.ReadInt32();
            if (id == "fmt ")
            {
                var fmt = r.ReadBytes(size);
                format = BitConverter.ToInt16(fmt, 0);
                channels = BitConverter.ToInt16(fmt, 2);
                bits = BitConverter.ToInt16(fmt, 14);
                if (format == -2)
                {
                    format = BitConverter.ToInt16(fmt, 24);
                }
            }
            else if (id == "data")
            {
                int bytes = bits / 8;
                int frames = (int)Math.Min(size, r.BaseStream.Length - r.BaseStream.Position) / (bytes * channels);
                var ch = new[] { new float[frames], new float[frames] };
                for (int n = 0; n < frames; n++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        float v = format == 3 ? r.ReadSingle() : bits switch
                        {
                            16 => r.ReadInt16() / 32768f,
                            24 => ((r.ReadByte() | (r.ReadByte() << 8) | (r.ReadSByte() << 16)) / 8388608f),
                            _ => r.ReadInt32() / 2147483648f,
                        };
                        if (c < 2)
                        {
                            ch[c][n] = v;
                        }
                    }
                }

                return (ch[0], channels > 1 ? ch[1] : ch[0]);
            }
            else
            {
                r.ReadBytes(size + (size & 1));
            }
        }
    }
}
