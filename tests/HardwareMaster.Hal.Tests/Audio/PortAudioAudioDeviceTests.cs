using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.PortAudio;

namespace HardwareMaster.Hal.Tests.Audio;

[Collection(AlsaCollection.Name)]
public sealed class PortAudioAudioDeviceTests(AlsaTestEnvironment environment)
{
    private const int RunFrames = 48000;

    public static TheoryData<AudioSampleFormat> Formats =>
    [
        AudioSampleFormat.S16LE, AudioSampleFormat.S24Packed3LE, AudioSampleFormat.S32LE, AudioSampleFormat.Float32LE,
    ];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Start_DuplexOnAlsaFilePcms_PlaysExactlyWhatTheCallbackProduced(AudioSampleFormat format)
    {
        // hm_pa_in/hm_pa_out have fixed file names (PortAudio lists only PCMs without arguments); the collection is serial.
        float[] input = TestSignals.ExactStereo(format, RunFrames * 3, seed: 100 + (int)format);
        File.WriteAllBytes(environment.PortAudioInputPath, TestSignals.Encode(input, format));
        var options = new AudioDeviceOptions(
            BlockFrames: 128, RealtimePriority: 0, LockMemory: false,
            InputName: "hm_pa_in", OutputName: "hm_pa_out", SampleFormat: format, MaxFrames: RunFrames);
        var callback = new RecordingCallback(RunFrames);
        using (var device = new PortAudioAudioDevice(options))
        {
            List<AudioDeviceError> errors = DeviceRun.RunToCompletion(device, callback, TimeSpan.FromSeconds(30));
            Assert.DoesNotContain(errors, e => e.IsFatal);
            Assert.True(device.LatencyFrames > 0);
        }

        Assert.Equal(RunFrames, callback.Frames);
        Assert.Equal(input.AsSpan(0, RunFrames * 2).ToArray(), callback.Inputs.ToArray());

        // Latency alignment: PortAudio primes the output with silence of its own choosing; find where the callback's output starts.
        float[] written = TestSignals.Decode(File.ReadAllBytes(environment.PortAudioOutputPath), format);
        float[] expected = callback.Outputs.ToArray();
        int offset = FindFrameOffset(written, expected);
        Assert.True(offset >= 0, "the callback's output was not found in the file");
        Assert.All(written.AsSpan(0, offset * 2).ToArray(), sample => Assert.Equal(0f, sample));
        Assert.True(written.Length >= (offset + RunFrames) * 2, $"only {(written.Length / 2) - offset} frames after the latency");
        Assert.Equal(expected, written.AsSpan(offset * 2, RunFrames * 2).ToArray());
    }

    [Fact]
    public void ProcessBlock_SteadyStateOnPortAudioThread_AllocatesNothing()
    {
        float[] input = TestSignals.ExactStereo(AudioSampleFormat.Float32LE, 64 * 2100, seed: 5);
        File.WriteAllBytes(environment.PortAudioInputPath, TestSignals.Encode(input, AudioSampleFormat.Float32LE));
        var callback = new RecordingCallback(64 * 2000);
        using var device = new PortAudioAudioDevice(new AudioDeviceOptions(
            BlockFrames: 64, RealtimePriority: 0, LockMemory: false, InputName: "hm_pa_in", OutputName: "hm_pa_out", MaxFrames: 64 * 2000));
        DeviceRun.RunToCompletion(device, callback, TimeSpan.FromSeconds(30));
        Assert.Equal(2000, callback.Blocks);
        Assert.Equal(0, callback.SteadyStateAllocatedBytes);
    }

    [Fact]
    public void Start_UnknownDevice_ThrowsNamingItAndReleasesPortAudio()
    {
        using var device = new PortAudioAudioDevice(new AudioDeviceOptions(Name: "no such device xyz", RealtimePriority: 0, LockMemory: false));
        var ex = Assert.Throws<AudioDeviceException>(() => device.Start(new ToneCallback()));
        Assert.Equal("pa:no such device xyz: no PortAudio input device named 'no such device xyz' (see `hardwaremaster devices`)", ex.Message);
        Assert.False(device.IsRunning);

        // PortAudio was released and can be initialised again by the next user.
        Assert.NotEmpty(AudioDeviceEnumerator.ListPortAudio());
    }

    [Fact]
    public void Start_CallbackThrows_ReportsCallbackFailedWithoutCrashingNativeCode()
    {
        File.WriteAllBytes(environment.PortAudioInputPath, new byte[64 * 8 * 100]);
        using var device = new PortAudioAudioDevice(new AudioDeviceOptions(
            Name: "hm_pa_out", RealtimePriority: 0, LockMemory: false, Direction: AudioDirection.OutputOnly));
        using var failed = new ManualResetEventSlim();
        AudioDeviceError? fatal = null;
        device.Error += e =>
        {
            if (e.IsFatal)
            {
                fatal = e;
                failed.Set();
            }
        };
        device.Start(new ThrowingCallback(throwAtBlock: 3));
        Assert.True(failed.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(AudioDeviceErrorKind.CallbackFailed, fatal!.Kind);
        Assert.Contains("test failure in the callback", fatal.Message);
        device.Stop();

        // The same instance starts again after the failure.
        var callback = new ToneCallback();
        using var again = new PortAudioAudioDevice(new AudioDeviceOptions(
            Name: "hm_pa_out", RealtimePriority: 0, LockMemory: false, Direction: AudioDirection.OutputOnly, MaxFrames: 6400));
        DeviceRun.RunToCompletion(again, callback, TimeSpan.FromSeconds(10));
        Assert.True(callback.Blocks >= 100);
    }

    [Fact]
    public void ListPortAudio_TestConfiguration_ListsFilePcmsWithChannelsAndRates()
    {
        IReadOnlyList<AudioDeviceInfo> devices = AudioDeviceEnumerator.ListPortAudio();
        AudioDeviceInfo output = Assert.Single(devices, d => d.Name == "hm_pa_out");
        Assert.Equal("pa", output.Backend);
        Assert.Equal("ALSA", output.Description);
        Assert.True(output.MaxOutputChannels >= 2);
        Assert.True(output.MinRateHz > 0 && output.MaxRateHz >= 48000, $"{output.MinRateHz}..{output.MaxRateHz}");
        Assert.True(output.DefaultRateHz > 0);
    }

    private static int FindFrameOffset(float[] written, float[] expected)
    {
        int frames = written.Length / 2;
        for (int offset = 0; offset + 16 <= frames; offset++)
        {
            bool match = true;
            for (int i = 0; i < 32 && match; i++)
            {
                match = written[(offset * 2) + i] == expected[i];
            }

            if (match)
            {
                return offset;
            }
        }

        return -1;
    }
}
