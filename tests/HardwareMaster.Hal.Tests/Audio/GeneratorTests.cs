using System.Diagnostics;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Generators;

namespace HardwareMaster.Hal.Tests.Audio;

public class GeneratorTests
{
    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    [InlineData(96000)]
    public void DemoMixRender_OneLoop_PeaksAroundMinus6DbfsAndIsStereo(int sampleRateHz)
    {
        int frames = (int)(DemoMix.LoopSeconds * sampleRateHz);
        var left = new float[frames];
        var right = new float[frames];
        DemoMix.Render(left, right, 0, sampleRateHz);
        float peak = 0;
        double difference = 0;
        for (int i = 0; i < frames; i++)
        {
            Assert.True(float.IsFinite(left[i]) && float.IsFinite(right[i]));
            peak = Math.Max(peak, Math.Max(Math.Abs(left[i]), Math.Abs(right[i])));
            difference += Math.Abs(left[i] - right[i]);
        }

        double peakDbfs = 20 * Math.Log10(peak);
        Assert.InRange(peakDbfs, -7.5, -4.5);
        Assert.True(difference / frames > 1e-3, "left and right should differ");
    }

    [Fact]
    public void DemoMixRender_AnyBlockSizeAndStart_GivesIdenticalSamples()
    {
        const int rate = 48000;
        const int frames = rate;
        var left = new float[frames];
        var right = new float[frames];
        DemoMix.Render(left, right, 12345, rate);

        var blockLeft = new float[frames];
        var blockRight = new float[frames];
        for (int start = 0; start < frames; start += 37)
        {
            int count = Math.Min(37, frames - start);
            DemoMix.Render(blockLeft.AsSpan(start, count), blockRight.AsSpan(start, count), 12345 + start, rate);
        }

        Assert.Equal(left, blockLeft);
        Assert.Equal(right, blockRight);

        // It loops every LoopSeconds.
        var looped = new float[16];
        var loopedRight = new float[16];
        var first = new float[16];
        var firstRight = new float[16];
        DemoMix.Render(looped, loopedRight, (long)(DemoMix.LoopSeconds * rate) * 3, rate);
        DemoMix.Render(first, firstRight, 0, rate);
        Assert.Equal(first, looped);
    }

    [Fact]
    public void ToneSignal_OneSecond_HasRequestedPeakAndFrequency()
    {
        var tone = new ToneSignal(1000, -6, 48000);
        var left = new float[48000];
        var right = new float[48000];
        tone.Render(left.AsSpan(0, 1000), right.AsSpan(0, 1000), 0);
        tone.Render(left.AsSpan(1000), right.AsSpan(1000), 1000);
        float peak = 0;
        int rising = 0;
        for (int i = 0; i < left.Length; i++)
        {
            peak = Math.Max(peak, Math.Abs(left[i]));
            if (i > 0 && left[i - 1] < 0 && left[i] >= 0)
            {
                rising++;
            }
        }

        Assert.Equal(-6, 20 * Math.Log10(peak), 2);
        Assert.InRange(rising, 999, 1001);
        Assert.Equal(left, right);
    }

    [Fact]
    public void PinkNoiseSignal_TenSeconds_HasRequestedRmsAndFallingSpectrum()
    {
        var pink = new PinkNoiseSignal(-18, seed: 42);
        var left = new float[480000];
        var right = new float[480000];
        for (int start = 0; start < left.Length; start += 480)
        {
            pink.Render(left.AsSpan(start, 480), right.AsSpan(start, 480), start);
        }

        Assert.Equal(-18, RmsDbfs(left), 1.0);
        Assert.Equal(-18, RmsDbfs(right), 1.0);
        Assert.NotEqual(left, right);

        // Pink: −3 dB per octave. The first difference emphasises highs by +6 dB/octave, so its RMS relative to the
        // signal is far lower for pink noise than for white (for white, diff RMS = √2 × RMS).
        double diffSquares = 0;
        for (int i = 1; i < left.Length; i++)
        {
            diffSquares += (left[i] - left[i - 1]) * (double)(left[i] - left[i - 1]);
        }

        double diffRatio = Math.Sqrt(diffSquares / (left.Length - 1)) / Math.Pow(10, RmsDbfs(left) / 20);
        Assert.InRange(diffRatio, 0.2, 1.0);
    }

    [Fact]
    public void PinkNoiseSignal_SameSeed_IsDeterministic()
    {
        var a = new float[4800];
        var b = new float[4800];
        var c = new float[4800];
        var scratch = new float[4800];
        new PinkNoiseSignal(-18, 7).Render(a, scratch, 0);
        new PinkNoiseSignal(-18, 7).Render(b, scratch, 0);
        new PinkNoiseSignal(-18, 8).Render(c, scratch, 0);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Start_UnpacedDemoWithMaxFrames_DeliversDemoMixAndCompletes()
    {
        const int frames = 48000;
        var callback = new RecordingCallback(frames);
        var tapped = new float[frames * 2];
        using var device = GeneratorAudioDevice.FromSpec("demo", new AudioDeviceOptions(BlockFrames: 480, RealtimePriority: 0, LockMemory: false, Paced: false, MaxFrames: frames));
        device.OutputTap = (l, r, start) =>
        {
            for (int i = 0; i < l.Length; i++)
            {
                tapped[(start + i) * 2] = l[i];
                tapped[((start + i) * 2) + 1] = r[i];
            }
        };
        Assert.False(device.IsPaced);
        List<AudioDeviceError> errors = DeviceRun.RunToCompletion(device, callback, TimeSpan.FromSeconds(20));
        Assert.Empty(errors);

        var left = new float[frames];
        var right = new float[frames];
        DemoMix.Render(left, right, 0, 48000);
        Assert.Equal(frames, callback.Frames);
        for (int i = 0; i < frames; i++)
        {
            Assert.Equal(left[i], callback.Inputs[2 * i]);
            Assert.Equal(right[i], callback.Inputs[(2 * i) + 1]);
        }

        Assert.Equal(callback.Outputs.ToArray(), tapped);
    }

    [Fact]
    public void Start_PacedTone_TakesAtLeastTheAudioDuration()
    {
        using var device = AudioDeviceFactory.Create("gen:tone:440:-12", new AudioDeviceOptions(BlockFrames: 480, RealtimePriority: 0, LockMemory: false, MaxFrames: 9600));
        Assert.True(device.IsPaced);
        var stopwatch = Stopwatch.StartNew();
        DeviceRun.RunToCompletion(device, new ToneCallback(), TimeSpan.FromSeconds(10));
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(190), $"{stopwatch.Elapsed.TotalMilliseconds} ms for 200 ms of audio");
    }

    [Fact]
    public void ProcessBlock_SteadyStateOnGeneratorThread_AllocatesNothing()
    {
        var callback = new RecordingCallback(64 * 3000);
        using var device = AudioDeviceFactory.Create("gen:pink:-18:3", new AudioDeviceOptions(BlockFrames: 64, RealtimePriority: 0, LockMemory: false, Paced: false, MaxFrames: 64 * 3000));
        DeviceRun.RunToCompletion(device, callback, TimeSpan.FromSeconds(20));
        Assert.Equal(3000, callback.Blocks);
        Assert.Equal(0, callback.SteadyStateAllocatedBytes);
    }

    [Fact]
    public void Start_CallbackThrows_ReportsAndTheSameDeviceStartsAgain()
    {
        using var device = AudioDeviceFactory.Create("gen:silence", new AudioDeviceOptions(RealtimePriority: 0, LockMemory: false, Paced: false, MaxFrames: 6400));
        var errors = DeviceRun.RunToCompletion(device, new ThrowingCallback(throwAtBlock: 5), TimeSpan.FromSeconds(10));
        AudioDeviceError error = Assert.Single(errors);
        Assert.Equal(AudioDeviceErrorKind.CallbackFailed, error.Kind);
        Assert.StartsWith("gen:silence: the audio callback threw InvalidOperationException", error.Message);

        var callback = new ToneCallback();
        Assert.Empty(DeviceRun.RunToCompletion(device, callback, TimeSpan.FromSeconds(10)));
        Assert.Equal(100, callback.Blocks);
    }

    [Fact]
    public void Lifecycle_StartTwiceOrAfterDispose_ThrowsInvalidOperation()
    {
        var device = AudioDeviceFactory.Create("gen:silence", new AudioDeviceOptions(RealtimePriority: 0, LockMemory: false));
        device.Start(new ToneCallback());
        Assert.True(device.IsRunning);
        Assert.Throws<InvalidOperationException>(() => device.Start(new ToneCallback()));
        device.Stop();
        device.Stop();
        Assert.False(device.IsRunning);
        device.Dispose();
        Assert.Throws<ObjectDisposedException>(() => device.Start(new ToneCallback()));
    }

    [Theory]
    [InlineData("warble")]
    [InlineData("tone:abc")]
    public void FromSpec_Unknown_ThrowsArgumentException(string spec)
    {
        var ex = Assert.Throws<ArgumentException>(() => GeneratorAudioDevice.FromSpec(spec, new AudioDeviceOptions()));
        Assert.Contains(spec, ex.Message);
    }

    [Fact]
    public void Options_OutOfRange_ThrowArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioDeviceFactory.Create("gen:demo", new AudioDeviceOptions(BlockFrames: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioDeviceFactory.Create("gen:demo", new AudioDeviceOptions(Periods: 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioDeviceFactory.Create("gen:demo", new AudioDeviceOptions(RealtimePriority: 100)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ToneSignal(30000, -6, 48000));
    }

    private static double RmsDbfs(float[] samples)
    {
        double sum = 0;
        foreach (float sample in samples)
        {
            sum += sample * (double)sample;
        }

        return 10 * Math.Log10(sum / samples.Length);
    }
}
