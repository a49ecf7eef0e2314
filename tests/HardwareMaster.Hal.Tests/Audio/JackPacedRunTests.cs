using System.Diagnostics;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Alsa;

namespace HardwareMaster.Hal.Tests.Audio;

[Collection(AlsaCollection.Name)]
public sealed class JackPacedRunTests(AlsaTestEnvironment environment, Xunit.Abstractions.ITestOutputHelper output)
{
    // Counts and content only: how fast the blocks came (the callback span, xruns) is printed, not asserted, since it is
    // the machine's doing; the paced timing goals are judged by tests/HardwareMaster.Benchmarks/Soak/soak.sh.
    [Fact]
    public void Start_AlsaJackPcmOnDummyServer_DeliversEveryBlockInOrderWithTheCapturedSilence()
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
        List<AudioDeviceError> errors = DeviceRun.RunToCompletion(device, callback, TimeSpan.FromSeconds(60));
        stopwatch.Stop();

        output.WriteLine($"{callback.Blocks} blocks in {stopwatch.Elapsed.TotalMilliseconds:F0} ms (callback span {Stopwatch.GetElapsedTime(callback.FirstTimestamp, callback.LastTimestamp).TotalMilliseconds:F0} ms for {seconds * 1000} ms of audio), xruns {device.XrunCount} (not asserted), latency {device.LatencyFrames} frames, realtime {device.RealtimeStatus}, non-zero/non-finite input samples {callback.NonZeroInputs}/{callback.NonFiniteInputs}");
        Assert.DoesNotContain(errors, e => e.IsFatal);
        Assert.Equal(AudioSampleFormat.Float32LE, device.CaptureInfo!.Format); // the jack PCM offers only FLOAT_LE
        Assert.Equal(AudioSampleFormat.Float32LE, device.PlaybackInfo!.Format);
        Assert.Equal(sampleRateHz * seconds / 64, callback.Blocks); // exactly MaxFrames, in 64-frame blocks
        Assert.Equal(0, callback.OutOfOrderBlocks); // block indexes 0, 1, 2, … with none skipped or repeated, xrun or not
        Assert.Equal(0, callback.WrongSizeBlocks); // every block had 64 frames on all four buffers
        Assert.Equal(0, callback.NonFiniteInputs);
        Assert.Equal(0, callback.NonZeroInputs); // jackd's dummy driver captures silence: the input came through as such
        Assert.False(device.IsRunning);
        Assert.NotNull(device.RealtimeStatus);
    }

    [Fact]
    public void Start_JackServerDies_ReportsDeviceLostAndStops()
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
        Assert.True(SpinWait.SpinUntil(() => callback.Blocks > 100, TimeSpan.FromSeconds(30)));
        jack.Kill();
        bool reported = lost.Wait(TimeSpan.FromSeconds(30)); // safety net: the stall timeout is 500 ms
        var stopwatch = Stopwatch.StartNew();
        var stopper = new Thread(device.Stop) { IsBackground = true };
        stopper.Start();
        bool stopped = stopper.Join(TimeSpan.FromSeconds(30)); // safety net against a hang, not a time limit
        output.WriteLine($"reported={reported} {fatal?.Message} stop took {stopwatch.ElapsedMilliseconds} ms (not asserted), blocks {callback.Blocks}");
        Assert.True(reported, "no DeviceLost after the JACK server died");
        Assert.Equal(AudioDeviceErrorKind.DeviceLost, fatal!.Kind);
        Assert.Contains("hm_jack", fatal.Message);
        Assert.True(stopped, "Stop hung after the JACK server died");
        Assert.False(device.IsRunning);
    }

    private sealed class CountingCallback : IAudioCallback
    {
        public long Blocks { get; private set; }

        public long FirstTimestamp { get; private set; }

        public long LastTimestamp { get; private set; }

        public long OutOfOrderBlocks { get; private set; }

        public long WrongSizeBlocks { get; private set; }

        public long NonZeroInputs { get; private set; }

        public long NonFiniteInputs { get; private set; }

        public void ProcessBlock(in AudioBuffers buffers)
        {
            LastTimestamp = Stopwatch.GetTimestamp();
            if (buffers.BlockIndex == 0)
            {
                FirstTimestamp = LastTimestamp;
            }

            OutOfOrderBlocks += buffers.BlockIndex == Blocks ? 0 : 1;
            WrongSizeBlocks += buffers.InputLeft.Length == 64 && buffers.InputRight.Length == 64 && buffers.OutputLeft.Length == 64 && buffers.OutputRight.Length == 64 ? 0 : 1;
            foreach (float sample in buffers.InputLeft)
            {
                Count(sample);
            }

            foreach (float sample in buffers.InputRight)
            {
                Count(sample);
            }

            buffers.InputLeft.CopyTo(buffers.OutputLeft);
            buffers.InputRight.CopyTo(buffers.OutputRight);
            Blocks++;
        }

        private void Count(float sample)
        {
            NonFiniteInputs += float.IsFinite(sample) ? 0 : 1;
            NonZeroInputs += sample == 0 ? 0 : 1;
        }
    }
}
