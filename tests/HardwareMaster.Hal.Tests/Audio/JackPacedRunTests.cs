using System.Diagnostics;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Alsa;

namespace HardwareMaster.Hal.Tests.Audio;

[Collection(AlsaCollection.Name)]
public sealed class JackPacedRunTests(AlsaTestEnvironment environment, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Start_AlsaJackPcmOnDummyServer_DeliversBlocksAtRoughlyRealRate()
    {
        const int sampleRateHz = 48000;
        const int seconds = 2;
        Assert.True(File.Exists(environment.ConfigPath)); // the hm_jack PCM lives in the collection's ALSA config
        using var jack = new JackServer(sampleRateHz, periodFrames: 64);
        var callback = new CountingCallback();
        using var device = new AlsaAudioDevice(new AudioDeviceOptions(
            Name: jack.AlsaPcmName, SampleRateHz: sampleRateHz, BlockFrames: 64, Periods: 3,
            RealtimePriority: 10, LockMemory: false, MaxFrames: sampleRateHz * seconds));

        var stopwatch = Stopwatch.StartNew();
        List<AudioDeviceError> errors = DeviceRun.RunToCompletion(device, callback, TimeSpan.FromSeconds(20));
        stopwatch.Stop();

        output.WriteLine($"{callback.Blocks} blocks in {stopwatch.Elapsed.TotalMilliseconds:F0} ms (callback span {Stopwatch.GetElapsedTime(callback.FirstTimestamp, callback.LastTimestamp).TotalMilliseconds:F0} ms), xruns {device.XrunCount}, latency {device.LatencyFrames} frames, realtime {device.RealtimeStatus}");
        Assert.DoesNotContain(errors, e => e.IsFatal);
        Assert.Equal(AudioSampleFormat.Float32LE, device.CaptureInfo!.Format); // the jack PCM offers only FLOAT_LE
        Assert.Equal(sampleRateHz * seconds / 64, callback.Blocks);
        // Rate measured between the first and the last callback, so opening and draining do not count.
        double blocksPerSecond = (callback.Blocks - 1) / Stopwatch.GetElapsedTime(callback.FirstTimestamp, callback.LastTimestamp).TotalSeconds;
        double realRate = sampleRateHz / 64.0;
        Assert.InRange(blocksPerSecond, realRate * 0.5, realRate * 1.5);
        Assert.True(device.XrunCount >= 0);
        Assert.NotNull(device.RealtimeStatus);
    }

    [Fact]
    public void Start_JackServerDies_ReportsDeviceLostAndStopsPromptly()
    {
        Assert.True(File.Exists(environment.ConfigPath));
        using var jack = new JackServer(48000, periodFrames: 64);
        var callback = new CountingCallback();
        using var device = new AlsaAudioDevice(new AudioDeviceOptions(
            Name: jack.AlsaPcmName, BlockFrames: 64, Periods: 3, RealtimePriority: 0, LockMemory: false, StallTimeoutMs: 500));
        using var lost = new ManualResetEventSlim();
        AudioDeviceError? fatal = null;
        device.Error += e =>
        {
            if (e.IsFatal)
            {
                fatal = e;
                lost.Set();
            }
        };
        device.Start(callback);
        Assert.True(SpinWait.SpinUntil(() => callback.Blocks > 100, TimeSpan.FromSeconds(5)));
        jack.Kill();
        bool reported = lost.Wait(TimeSpan.FromSeconds(5));
        var stopwatch = Stopwatch.StartNew();
        device.Stop();
        output.WriteLine($"reported={reported} {fatal?.Message} stop took {stopwatch.ElapsedMilliseconds} ms, blocks {callback.Blocks}");
        Assert.True(reported, "no DeviceLost after the JACK server died");
        Assert.Equal(AudioDeviceErrorKind.DeviceLost, fatal!.Kind);
        Assert.Contains("hm_jack", fatal.Message);
        Assert.False(device.IsRunning);
        Assert.True(stopwatch.ElapsedMilliseconds < 1500, $"Stop took {stopwatch.ElapsedMilliseconds} ms");
    }

    private sealed class CountingCallback : IAudioCallback
    {
        public long Blocks { get; private set; }

        public long FirstTimestamp { get; private set; }

        public long LastTimestamp { get; private set; }

        public void ProcessBlock(in AudioBuffers buffers)
        {
            LastTimestamp = Stopwatch.GetTimestamp();
            if (buffers.BlockIndex == 0)
            {
                FirstTimestamp = LastTimestamp;
            }

            buffers.InputLeft.CopyTo(buffers.OutputLeft);
            buffers.InputRight.CopyTo(buffers.OutputRight);
            Blocks++;
        }
    }
}
