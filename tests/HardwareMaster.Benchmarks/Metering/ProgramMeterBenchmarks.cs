using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.Benchmarks.Metering;

/// <summary>
/// Metering a 3-minute 48 kHz stereo programme: <see cref="ProgramMeter"/> (loudness, LRA, true and
/// sample peak) from memory and from a 24-bit WAV file (read, decoded and metered), against
/// libebur128 (Debian libebur128-1) on the same samples. × real time = 180 s / mean.
/// Run: <c>dotnet run -c Release --project tests/HardwareMaster.Benchmarks -- --filter '*ProgramMeter*'</c>.
/// </summary>
[MemoryDiagnoser]
public class ProgramMeterBenchmarks
{
    private const int SampleRateHz = 48000;
    private const int Seconds = 180;
    private const int BlockFrames = 1024;

    private float[] _left = [];
    private float[] _right = [];
    private float[] _interleaved = [];
    private string _wavPath = string.Empty;
    private byte[] _readBuffer = [];
    private float[] _blockLeft = [];
    private float[] _blockRight = [];

    /// <summary>Programme-like material: noise at changing levels with pauses and tones.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int frames = SampleRateHz * Seconds;
        _left = new float[frames];
        _right = new float[frames];
        _interleaved = new float[frames * 2];
        var random = new Random(42);
        double lpL = 0, lpR = 0;
        for (int n = 0; n < frames; n++)
        {
            int segment = n / (SampleRateHz * 2);
            double gain = (segment % 7) == 3 ? 0.0 : Math.Pow(10.0, (-30.0 + (segment * 13 % 25)) / 20.0);
            double common = (random.NextDouble() * 2.0) - 1.0;
            lpL += 0.3 * ((gain * common) - lpL);
            lpR += 0.3 * ((gain * ((0.7 * common) + (0.3 * ((random.NextDouble() * 2.0) - 1.0)))) - lpR);
            _left[n] = (float)(lpL + (0.1 * gain * Math.Sin(2.0 * Math.PI * 440.0 * n / SampleRateHz)));
            _right[n] = (float)lpR;
            _interleaved[2 * n] = _left[n];
            _interleaved[(2 * n) + 1] = _right[n];
        }

        _wavPath = Path.Combine(Path.GetTempPath(), $"hm-meter-bench-{Environment.ProcessId}.wav");
        WriteWav24(_wavPath, _left, _right);
        _readBuffer = new byte[BlockFrames * 6];
        _blockLeft = new float[BlockFrames];
        _blockRight = new float[BlockFrames];
    }

    /// <summary>Deletes the temporary WAV.</summary>
    [GlobalCleanup]
    public void Cleanup() => File.Delete(_wavPath);

    /// <summary>ProgramMeter over the buffer in 1024-frame blocks, then the report.</summary>
    [Benchmark(Baseline = true)]
    public double ProgramMeterFromMemory()
    {
        var meter = new ProgramMeter(SampleRateHz, 2);
        for (int start = 0; start < _left.Length; start += BlockFrames)
        {
            int n = Math.Min(BlockFrames, _left.Length - start);
            meter.Process(_left.AsSpan(start, n), _right.AsSpan(start, n));
        }

        return meter.GetReport().IntegratedLufs ?? 0.0;
    }

    /// <summary>The whole process: read the 24-bit WAV from disk, decode, meter, report.</summary>
    [Benchmark]
    public double ProgramMeterFromWav24File()
    {
        var meter = new ProgramMeter(SampleRateHz, 2);
        using var stream = new FileStream(_wavPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        stream.Seek(44, SeekOrigin.Begin);
        while (true)
        {
            int bytes = stream.ReadAtLeast(_readBuffer, _readBuffer.Length, throwOnEndOfStream: false);
            int frames = bytes / 6;
            if (frames == 0)
            {
                break;
            }

            for (int i = 0; i < frames; i++)
            {
                _blockLeft[i] = Pcm24(_readBuffer, i * 6);
                _blockRight[i] = Pcm24(_readBuffer, (i * 6) + 3);
            }

            meter.Process(_blockLeft.AsSpan(0, frames), _blockRight.AsSpan(0, frames));
        }

        return meter.GetReport().IntegratedLufs ?? 0.0;
    }

    /// <summary>True-peak detection alone, both channels.</summary>
    [Benchmark]
    public float TruePeakOnly()
    {
        var left = new TruePeakDetector(SampleRateHz);
        var right = new TruePeakDetector(SampleRateHz);
        return Math.Max(left.ProcessBlock(_left), right.ProcessBlock(_right));
    }

    /// <summary>libebur128 with I, LRA and true peak (what ffmpeg's ebur128 filter wraps), same blocks.</summary>
    [Benchmark]
    public unsafe double LibEbur128FromMemory()
    {
        nint state = LibEbur128Native.Init(2, SampleRateHz, LibEbur128Native.ModeI | LibEbur128Native.ModeLra | LibEbur128Native.ModeTruePeak);
        fixed (float* p = _interleaved)
        {
            for (int start = 0; start < _left.Length; start += BlockFrames)
            {
                int n = Math.Min(BlockFrames, _left.Length - start);
                LibEbur128Native.AddFramesFloat(state, p + (2 * start), (nuint)n);
            }
        }

        LibEbur128Native.LoudnessGlobal(state, out double lufs);
        LibEbur128Native.LoudnessRange(state, out _);
        LibEbur128Native.TruePeak(state, 0, out _);
        LibEbur128Native.Destroy(ref state);
        return lufs;
    }

    private static float Pcm24(byte[] b, int offset) =>
        ((b[offset] << 8) | (b[offset + 1] << 16) | (b[offset + 2] << 24)) / 2147483648f;

    private static void WriteWav24(string path, float[] left, float[] right)
    {
        int dataBytes = left.Length * 6;
        byte[] data = new byte[44 + dataBytes];
        "RIFF"u8.CopyTo(data);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(data.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(22), 2);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(24), SampleRateHz);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(28), SampleRateHz * 6);
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(32), 6);
        BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(34), 24);
        "data"u8.CopyTo(data.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(40), dataBytes);
        for (int n = 0; n < left.Length; n++)
        {
            WriteSample(data, 44 + (n * 6), left[n]);
            WriteSample(data, 44 + (n * 6) + 3, right[n]);
        }

        File.WriteAllBytes(path, data);
    }

    private static void WriteSample(byte[] data, int offset, float x)
    {
        int v = (int)Math.Clamp(Math.Round(x * 8388608.0), -8388608, 8388607);
        data[offset] = (byte)v;
        data[offset + 1] = (byte)(v >> 8);
        data[offset + 2] = (byte)(v >> 16);
    }
}

/// <summary>Minimal P/Invoke to libebur128 for the comparison benchmark.</summary>
internal static partial class LibEbur128Native
{
    public const int ModeM = 1 << 0;
    public const int ModeS = (1 << 1) | ModeM;
    public const int ModeI = (1 << 2) | ModeM;
    public const int ModeLra = (1 << 3) | ModeS;
    public const int ModeTruePeak = (1 << 5) | ModeM | (1 << 4);

    private const string Library = "libebur128.so.1";

    [LibraryImport(Library, EntryPoint = "ebur128_init")]
    public static partial nint Init(uint channels, nuint sampleRate, int mode);

    [LibraryImport(Library, EntryPoint = "ebur128_destroy")]
    public static partial void Destroy(ref nint state);

    [LibraryImport(Library, EntryPoint = "ebur128_add_frames_float")]
    public static unsafe partial int AddFramesFloat(nint state, float* interleaved, nuint frames);

    [LibraryImport(Library, EntryPoint = "ebur128_loudness_global")]
    public static partial int LoudnessGlobal(nint state, out double lufs);

    [LibraryImport(Library, EntryPoint = "ebur128_loudness_range")]
    public static partial int LoudnessRange(nint state, out double lu);

    [LibraryImport(Library, EntryPoint = "ebur128_true_peak")]
    public static partial int TruePeak(nint state, uint channel, out double linear);
}
