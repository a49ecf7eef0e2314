using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Alsa;

namespace HardwareMaster.Hal.Tests.Audio;

[Collection(AlsaCollection.Name)]
public sealed class AlsaAudioDeviceTests(AlsaTestEnvironment environment)
{
    private const int RunFrames = 48000;

    public static TheoryData<AudioSampleFormat> Formats =>
    [
        AudioSampleFormat.S16LE, AudioSampleFormat.S24Packed3LE, AudioSampleFormat.S32LE, AudioSampleFormat.Float32LE,
    ];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Start_DuplexFilePcm_PlaysExactlyWhatTheCallbackProduced(AudioSampleFormat format)
    {
        // The input is longer than the run: the file plugin repeats its last buffer when infile runs out.
        float[] input = TestSignals.ExactStereo(format, RunFrames * 2, seed: (int)format + 1);
        string inPath = environment.NewPath("in.raw");
        string outPath = environment.NewPath("out.raw");
        File.WriteAllBytes(inPath, TestSignals.Encode(input, format));
        var options = new AudioDeviceOptions(
            BlockFrames: 64, Periods: 3, RealtimePriority: 0, LockMemory: false,
            InputName: $"hm_filein:FILE={inPath}", OutputName: $"hm_fileout:FILE={outPath}",
            SampleFormat: format, MaxFrames: RunFrames);
        var callback = new RecordingCallback(RunFrames);
        int latency;
        using (var device = new AlsaAudioDevice(options))
        {
            List<AudioDeviceError> errors = DeviceRun.RunToCompletion(device, callback, TimeSpan.FromSeconds(30));
            Assert.DoesNotContain(errors, e => e.IsFatal);
            Assert.Equal(format, device.CaptureInfo!.Format);
            Assert.Equal(format, device.PlaybackInfo!.Format);
            Assert.Equal(format, device.OutputFormat); // what the engine dithers to
            Assert.Equal(2, device.PlaybackInfo.Channels);
            // The round trip the device reports (what the SYSTEM page adds to the chain's latency) is where the
            // input lands in the output file below: the primed buffer, one period captured plus the rest queued.
            latency = device.LatencyFrames;
            Assert.Equal(64, device.InputLatencyFrames);
            Assert.Equal(64 * 2, device.OutputLatencyFrames);
            Assert.Equal(64 * 3, latency);
        }

        Assert.Equal(RunFrames, callback.Frames);
        Assert.Equal(input.AsSpan(0, RunFrames * 2).ToArray(), callback.Inputs.ToArray());

        float[] written = TestSignals.Decode(File.ReadAllBytes(outPath), format);
        Assert.True(written.Length >= (latency + RunFrames) * 2, $"only {written.Length / 2} frames written");
        Assert.All(written.AsSpan(0, latency * 2).ToArray(), sample => Assert.Equal(0f, sample));
        float[] expected = new float[RunFrames * 2];
        for (int i = 0; i < RunFrames; i++)
        {
            expected[2 * i] = input[(2 * i) + 1];
            expected[(2 * i) + 1] = -input[2 * i];
        }

        Assert.Equal(expected, written.AsSpan(latency * 2, RunFrames * 2).ToArray());
        Assert.Equal(expected, callback.Outputs.ToArray());
    }

    [Fact]
    public void Start_OutputOnlyFloat_WritesCallbackOutputBitExactWithoutPriming()
    {
        string outPath = environment.NewPath("out.raw");
        var options = new AudioDeviceOptions(
            Name: $"hm_fileout:FILE={outPath}", BlockFrames: 128, RealtimePriority: 0, LockMemory: false,
            Direction: AudioDirection.OutputOnly, MaxFrames: 128 * 50);
        var callback = new ToneCallback();
        using (var device = new AlsaAudioDevice(options))
        {
            DeviceRun.RunToCompletion(device, callback, TimeSpan.FromSeconds(30));
            Assert.Null(device.CaptureInfo);
            Assert.Equal(AudioSampleFormat.S32LE, device.PlaybackInfo!.Format);
            Assert.Equal(0, device.InputLatencyFrames);
        }

        // No format forced: the file/null PCM accepts S32_LE, the first preference.
        float[] written = TestSignals.Decode(File.ReadAllBytes(outPath), AudioSampleFormat.S32LE);
        Assert.True(written.Length >= 128 * 50 * 2);
        for (int i = 0; i < 128 * 50; i++)
        {
            float expected = ToneCallback.Value(i);
            Assert.Equal(expected, written[2 * i], 6);
            Assert.Equal(-expected, written[(2 * i) + 1], 6);
        }
    }

    [Fact]
    public void Start_UnknownPcm_ThrowsWithAlsaErrorTextAndCanBeDisposed()
    {
        var device = new AlsaAudioDevice(new AudioDeviceOptions(Name: "hm_no_such_pcm", RealtimePriority: 0, LockMemory: false));
        var ex = Assert.Throws<AudioDeviceException>(() => device.Start(new ToneCallback()));
        Assert.Contains("'hm_no_such_pcm'", ex.Message);
        Assert.Contains("cannot open ALSA capture device", ex.Message);
        Assert.True(ex.NativeErrorCode < 0);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.False(device.IsRunning);
        device.Dispose();
        device.Dispose();
    }

    [Fact]
    public void Start_OutputOnlyUnknownPcm_ThrowsNamingThePlaybackDirection()
    {
        using var device = new AlsaAudioDevice(new AudioDeviceOptions(
            Name: "hm_no_such_pcm_either", RealtimePriority: 0, LockMemory: false, Direction: AudioDirection.OutputOnly));
        var ex = Assert.Throws<AudioDeviceException>(() => device.Start(new ToneCallback()));
        Assert.Contains("cannot open ALSA playback device 'hm_no_such_pcm_either'", ex.Message);
        Assert.StartsWith("alsa:hm_no_such_pcm_either:", ex.Message);
    }

    [Fact]
    public void Start_AfterStopAndAfterDispose_ReopensCleanly()
    {
        for (int round = 0; round < 2; round++)
        {
            string outPath = environment.NewPath("out.raw");
            using var device = new AlsaAudioDevice(new AudioDeviceOptions(
                Name: $"hm_fileout:FILE={outPath}", RealtimePriority: 0, LockMemory: false,
                Direction: AudioDirection.OutputOnly, SampleFormat: AudioSampleFormat.Float32LE, MaxFrames: 6400));
            for (int start = 0; start < 2; start++)
            {
                var callback = new ToneCallback();
                DeviceRun.RunToCompletion(device, callback, TimeSpan.FromSeconds(30));
                Assert.Equal(100, callback.Blocks);
                Assert.False(device.IsRunning);
            }
        }
    }

    [Fact]
    public void ProcessBlock_SteadyStateOnAlsaThread_AllocatesNothing()
    {
        const int frames = 64 * 2000;
        float[] input = TestSignals.ExactStereo(AudioSampleFormat.S32LE, frames + 4096, seed: 7);
        string inPath = environment.NewPath("in.raw");
        File.WriteAllBytes(inPath, TestSignals.Encode(input, AudioSampleFormat.S32LE));
        var callback = new RecordingCallback(frames);
        using var device = new AlsaAudioDevice(new AudioDeviceOptions(
            BlockFrames: 64, RealtimePriority: 0, LockMemory: false,
            InputName: $"hm_filein:FILE={inPath}", OutputName: $"hm_fileout:FILE={environment.NewPath("out.raw")}", MaxFrames: frames));
        DeviceRun.RunToCompletion(device, callback, TimeSpan.FromSeconds(30));
        Assert.Equal(2000, callback.Blocks);
        Assert.Equal(0, callback.SteadyStateAllocatedBytes);
    }

    [Fact]
    public void Start_CallbackThrows_ReportsCallbackFailedAndStops()
    {
        using var device = new AlsaAudioDevice(new AudioDeviceOptions(
            Name: $"hm_fileout:FILE={environment.NewPath("out.raw")}", RealtimePriority: 0, LockMemory: false, Direction: AudioDirection.OutputOnly));
        var errors = new List<AudioDeviceError>();
        using var failed = new ManualResetEventSlim();
        device.Error += e =>
        {
            lock (errors)
            {
                errors.Add(e);
            }

            if (e.IsFatal)
            {
                failed.Set();
            }
        };
        device.Start(new ThrowingCallback(throwAtBlock: 10));
        Assert.True(failed.Wait(TimeSpan.FromSeconds(10)));
        AudioDeviceError error;
        lock (errors)
        {
            error = Assert.Single(errors, e => e.IsFatal);
        }

        Assert.Equal(AudioDeviceErrorKind.CallbackFailed, error.Kind);
        Assert.Contains("InvalidOperationException", error.Message);
        Assert.Contains("hm_fileout", error.Message);
        SpinWait.SpinUntil(() => !device.IsRunning, TimeSpan.FromSeconds(5));
        Assert.False(device.IsRunning);
        device.Stop();
    }

    [Fact]
    public void ListAlsa_TestConfiguration_ListsHintedFilePcmsWithChannelsAndRates()
    {
        IReadOnlyList<AudioDeviceInfo> devices = AudioDeviceEnumerator.ListAlsa();
        AudioDeviceInfo playback = Assert.Single(devices, d => d.Name == "hm_pa_out");
        Assert.Equal("alsa", playback.Backend);
        Assert.Contains("raw file", playback.Description);
        Assert.True(playback.MaxOutputChannels >= 2);
        Assert.True(playback.MinRateHz > 0 && playback.MinRateHz <= 48000 && playback.MaxRateHz >= 48000, $"{playback.MinRateHz}..{playback.MaxRateHz}");
        AudioDeviceInfo probe = AudioDeviceEnumerator.ProbeAlsa("hm_no_such_pcm");
        Assert.Equal(0, probe.MaxOutputChannels);
        Assert.NotNull(probe.Note);
    }
}

/// <summary>Writes a deterministic ramp-modulated sine (L) and its negation (R).</summary>
internal sealed class ToneCallback : IAudioCallback
{
    private long _frame;

    public long Blocks { get; private set; }

    public static float Value(long frame) => 0.5f * MathF.Sin(frame * 0.01f);

    public void ProcessBlock(in AudioBuffers buffers)
    {
        for (int i = 0; i < buffers.Frames; i++)
        {
            float value = Value(_frame + i);
            buffers.OutputLeft[i] = value;
            buffers.OutputRight[i] = -value;
        }

        _frame += buffers.Frames;
        Blocks++;
    }
}

internal sealed class ThrowingCallback(int throwAtBlock) : IAudioCallback
{
    public void ProcessBlock(in AudioBuffers buffers)
    {
        if (buffers.BlockIndex == throwAtBlock)
        {
            throw new InvalidOperationException("test failure in the callback");
        }
    }
}
