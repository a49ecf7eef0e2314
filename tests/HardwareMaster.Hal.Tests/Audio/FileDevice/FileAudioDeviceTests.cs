using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.FileDevice;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.Audio.FileDevice;

public sealed class FileAudioDeviceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hm-filedev-" + Guid.NewGuid().ToString("N")[..8]);

    public FileAudioDeviceTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteInput(string name, int frames, int channels, SampleEncoding encoding, int rate = 48000)
    {
        string path = Path.Combine(_dir, name);
        using AudioFileWriter writer = AudioFileWriter.Create(path, AudioContainers.FromExtension(path), encoding, rate, channels);
        float[] samples = new float[frames * channels];
        for (int i = 0; i < frames; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                samples[(i * channels) + c] = (float)(0.5 * Math.Sin((i + (c * 17)) * 0.01));
            }
        }

        writer.Write(samples);
        return path;
    }

    private static (float[] Left, float[] Right) ReadAll(string path)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        int frames = (int)reader.Format.LengthFrames;
        float[] l = new float[frames], r = new float[frames];
        Assert.Equal(frames, reader.ReadPlanar(l, r));
        return (l, r);
    }

    private static List<AudioDeviceError> Run(IAudioDevice device, IAudioCallback callback)
    {
        var errors = new List<AudioDeviceError>();
        using var done = new ManualResetEventSlim();
        device.Error += e =>
        {
            lock (errors)
            {
                errors.Add(e);
            }

            if (e.IsFatal)
            {
                done.Set();
            }
        };
        device.Completed += done.Set;
        device.Start(callback);
        Assert.True(done.Wait(TimeSpan.FromSeconds(20)), "the file device did not finish");
        device.Stop();
        return errors;
    }

    [Theory]
    [InlineData("in.wav", "out.wav", 1000)]
    [InlineData("in.aiff", "out.aif", 64 * 10)]
    [InlineData("in.wav", "out.aiff", 1)]
    public void Start_PassThrough_OutputEqualsInputSampleForSample(string inputName, string outputName, int frames)
    {
        string input = WriteInput(inputName, frames, 2, inputName.EndsWith(".wav", StringComparison.Ordinal) ? SampleEncoding.Float32 : SampleEncoding.Pcm24);
        string output = Path.Combine(_dir, outputName);
        using var device = new FileAudioDevice(input, new AudioDeviceOptions(BlockFrames: 64, RealtimePriority: 0, LockMemory: false, OutputName: output));
        List<AudioDeviceError> errors = Run(device, new PassThrough(0));
        Assert.Empty(errors);
        Assert.False(device.IsRunning);
        (float[] inL, float[] inR) = ReadAll(input);
        (float[] outL, float[] outR) = ReadAll(output);
        Assert.Equal(inL, outL);
        Assert.Equal(inR, outR);
    }

    [Fact]
    public void Start_LatencyCompensation_RemovesTheCallbacksDelayAndKeepsTheLength()
    {
        const int delay = 80;
        string input = WriteInput("in.wav", 5000, 2, SampleEncoding.Float32);
        string output = Path.Combine(_dir, "out.wav");
        using var device = new FileAudioDevice(input, new AudioDeviceOptions(BlockFrames: 64, RealtimePriority: 0, LockMemory: false, OutputName: output))
        {
            LatencyCompensationFrames = delay,
        };
        Assert.Empty(Run(device, new PassThrough(delay)));
        (float[] inL, _) = ReadAll(input);
        (float[] outL, _) = ReadAll(output);
        Assert.Equal(inL, outL);
    }

    [Fact]
    public void Start_MonoPcm24Input_FeedsBothChannels()
    {
        string input = WriteInput("mono.wav", 700, 1, SampleEncoding.Pcm24);
        string output = Path.Combine(_dir, "out.wav");
        using var device = new FileAudioDevice(input, new AudioDeviceOptions(BlockFrames: 128, RealtimePriority: 0, LockMemory: false, OutputName: output));
        Assert.Empty(Run(device, new PassThrough(0)));
        (float[] inL, _) = ReadAll(input);
        (float[] outL, float[] outR) = ReadAll(output);
        Assert.Equal(inL, outL);
        Assert.Equal(inL, outR);
    }

    [Fact]
    public void Start_RateMismatch_ThrowsOneLineNamingTheFix()
    {
        string input = WriteInput("in44.wav", 100, 2, SampleEncoding.Pcm16, rate: 44100);
        using var device = new FileAudioDevice(input, new AudioDeviceOptions(SampleRateHz: 48000, RealtimePriority: 0, LockMemory: false));
        var ex = Assert.Throws<AudioDeviceException>(() => device.Start(new PassThrough(0)));
        Assert.Contains("44100 Hz", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--rate 44100", ex.Message, StringComparison.Ordinal);
        Assert.Equal(44100, FileAudioDevice.ProbeSampleRateHz(input));
    }

    [Fact]
    public void Start_MissingInput_ThrowsAudioDeviceExceptionNamingTheFile()
    {
        using var device = new FileAudioDevice(Path.Combine(_dir, "nope.wav"), new AudioDeviceOptions(RealtimePriority: 0, LockMemory: false));
        var ex = Assert.Throws<AudioDeviceException>(() => device.Start(new PassThrough(0)));
        Assert.Contains("nope.wav", ex.Message, StringComparison.Ordinal);
        Assert.False(device.IsPaced);
    }

    [Fact]
    public void Factory_FileScheme_CreatesTheFileDeviceWithTheOutputName()
    {
        string input = WriteInput("in.wav", 10, 2, SampleEncoding.Pcm16);
        using IAudioDevice device = AudioDeviceFactory.Create("file:" + input, new AudioDeviceOptions(OutputName: "/tmp/x.wav"));
        var file = Assert.IsType<FileAudioDevice>(device);
        Assert.Equal(input, file.InputPath);
        Assert.Equal("/tmp/x.wav", file.OutputPath);
    }

    [Fact]
    public void Start_SteadyState_AllocatesNothingPerBlock()
    {
        string input = WriteInput("long.wav", 64 * 3000, 2, SampleEncoding.Pcm24);
        string output = Path.Combine(_dir, "out.wav");
        var callback = new AllocationProbe();
        using var device = new FileAudioDevice(input, new AudioDeviceOptions(BlockFrames: 64, RealtimePriority: 0, LockMemory: false, OutputName: output));
        Assert.Empty(Run(device, callback));
        Assert.Equal(3000, callback.Blocks);
        Assert.Equal(0, callback.AllocatedAfterWarmUp);
    }

    private sealed class PassThrough(int delayFrames) : IAudioCallback
    {
        private readonly Queue<(float, float)> _line = new(Enumerable.Repeat((0f, 0f), delayFrames));

        public void ProcessBlock(in AudioBuffers buffers)
        {
            for (int i = 0; i < buffers.Frames; i++)
            {
                _line.Enqueue((buffers.InputLeft[i], buffers.InputRight[i]));
                (buffers.OutputLeft[i], buffers.OutputRight[i]) = _line.Dequeue();
            }
        }
    }

    private sealed class AllocationProbe : IAudioCallback
    {
        private const int WarmUpBlocks = 100;
        private const int SegmentBlocks = 700;
        private const int Segments = 4;
        private readonly long[] _marks = new long[Segments + 1];

        public long Blocks { get; private set; }

        /// <summary>
        /// The least bytes this thread allocated over one of four 700-block segments after 100 warm-up blocks (−1 until all
        /// four ran). Measures the whole loop on the device's thread (read, convert, write). The least, because the
        /// per-thread counter can jump once by a retired allocation context (see the shared AllocationProbe); a real
        /// allocation per block shows in every segment.
        /// </summary>
        public long AllocatedAfterWarmUp { get; private set; } = -1;

        public void ProcessBlock(in AudioBuffers buffers)
        {
            Blocks++;
            long sinceWarmUp = Blocks - WarmUpBlocks;
            if (sinceWarmUp >= 0 && sinceWarmUp % SegmentBlocks == 0 && sinceWarmUp / SegmentBlocks <= Segments)
            {
                int mark = (int)(sinceWarmUp / SegmentBlocks);
                _marks[mark] = GC.GetAllocatedBytesForCurrentThread();
                if (mark == Segments)
                {
                    long least = long.MaxValue;
                    for (int k = 0; k < Segments; k++)
                    {
                        least = Math.Min(least, _marks[k + 1] - _marks[k]);
                    }

                    AllocatedAfterWarmUp = least;
                }
            }

            buffers.InputLeft.CopyTo(buffers.OutputLeft);
            buffers.InputRight.CopyTo(buffers.OutputRight);
        }
    }
}
