using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Alsa;
using HardwareMaster.Hal.Audio.FileDevice;
using HardwareMaster.Hal.Audio.SimulatedDevice;

namespace HardwareMaster.Hal.Tests.Audio;

/// <summary>The output channel map (issue 14: a separate monitor pair on a 4+-output interface) and the devices playing it.</summary>
[Collection(AlsaCollection.Name)]
public sealed class OutputChannelMapTests(AlsaTestEnvironment environment)
{
    [Theory]
    [InlineData("master=1,2 monitor=3,4", 4, 0, 1, 2, 3)]
    [InlineData("monitor=1,2;master=3,4", 4, 2, 3, 0, 1)]
    [InlineData("master=1,2 monitor=5,6 channels=8", 8, 0, 1, 4, 5)]
    [InlineData("master=2,1", 2, 1, 0, -1, -1)]
    [InlineData("  MASTER=1,2  ", 2, 0, 1, -1, -1)]
    public void TryParse_ValidMaps_GiveTheChannels(string text, int channels, int masterLeft, int masterRight, int monitorLeft, int monitorRight)
    {
        Assert.True(OutputChannelMap.TryParse(text, out OutputChannelMap? map, out string? problem), problem);
        Assert.Equal(new OutputChannelMap(channels, masterLeft, masterRight, monitorLeft, monitorRight), map);
        Assert.True(OutputChannelMap.TryParse(map.ToString(), out OutputChannelMap? again, out _));
        Assert.Equal(map, again);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("monitor=3,4", "no master pair")]
    [InlineData("master=1", "'master=1' is not master=L,R")]
    [InlineData("master=0,1", "'master=0,1' is not master=L,R")]
    [InlineData("master=1,2 monitor=2,3", "shares a channel with the master")]
    [InlineData("master=1,1", "same channel")]
    [InlineData("master=1,2 monitor=3,3", "same channel")]
    [InlineData("master=1,2 monitor=3,4 channels=3", "outside the 3 channels")]
    [InlineData("master=1,2 master=3,4", "given twice")]
    [InlineData("master=1,2 aux=3,4", "unknown part 'aux=3,4'")]
    [InlineData("master=1,2 channels=x", "'channels=x' is not channels=N")]
    [InlineData("master=1,2 monitor=65,66", "1..64")]
    public void TryParse_BadMaps_NameTheValue(string text, string expected)
    {
        Assert.False(OutputChannelMap.TryParse(text, out OutputChannelMap? map, out string? problem));
        Assert.Null(map);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        if (text.Length > 0)
        {
            Assert.Contains(text, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Options_InconsistentMap_FailValidation()
    {
        var options = new AudioDeviceOptions(OutputMap: new OutputChannelMap(4, 0, 1, 1, 2));
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Contains("shares a channel", error.Message);
    }

    [Fact]
    public void InterleaveMapped_PutsEachPairOnItsChannelsAndSilenceElsewhere()
    {
        float[] l = [0.1f, 0.2f], r = [0.3f, 0.4f], ml = [0.5f, 0.6f], mr = [0.7f, 0.8f];
        var map = new OutputChannelMap(6, 2, 3, 5, 0);
        var bytes = new byte[2 * 6 * 4];
        bytes.AsSpan().Fill(0xFF);
        SampleFormatConverter.InterleaveMapped(l, r, ml, mr, map, AudioSampleFormat.Float32LE, 6, bytes);
        float[] frames = TestSignals.Decode(bytes, AudioSampleFormat.Float32LE);
        Assert.Equal([0.7f, 0f, 0.1f, 0.3f, 0f, 0.5f, 0.8f, 0f, 0.2f, 0.4f, 0f, 0.6f], frames);
    }

    [Fact]
    public void SimulatedDevice_FourOutputs_DeliversMasterAndMonitorPairs()
    {
        var hardware = new SimulatedAudioHardware("map-" + Guid.NewGuid().ToString("N")[..6]);
        var options = new AudioDeviceOptions(BlockFrames: 64, RealtimePriority: 0, LockMemory: false, Paced: false, MaxFrames: 64 * 20,
            OutputMap: new OutputChannelMap(4, 0, 1, 2, 3));
        var master = new List<float>();
        var monitor = new List<float>();
        using var device = hardware.CreateDevice(options);
        device.OutputTap = (left, right, _) => master.AddRange(left.ToArray());
        device.MonitorTap = (left, right, _) => monitor.AddRange(right.ToArray());
        DeviceRun.RunToCompletion(device, new PairCallback(), TimeSpan.FromSeconds(30));
        Assert.Equal(64 * 20, master.Count);
        Assert.Equal(64 * 20, monitor.Count);
        for (int i = 0; i < master.Count; i++)
        {
            Assert.Equal(ToneCallback.Value(i), master[i]);
            Assert.Equal(-0.25f * ToneCallback.Value(i), monitor[i]);
        }
    }

    [Fact]
    public void AlsaFilePcm_FourOutputs_PlaysMasterOnItsPairAndMonitorOnTheOther()
    {
        string outPath = environment.NewPath("out4.raw");
        const int frames = 128 * 40;
        var options = new AudioDeviceOptions(
            Name: $"hm_fileout:FILE={outPath}", BlockFrames: 128, RealtimePriority: 0, LockMemory: false,
            Direction: AudioDirection.OutputOnly, MaxFrames: frames, SampleFormat: AudioSampleFormat.Float32LE,
            OutputMap: new OutputChannelMap(4, 2, 3, 0, 1));
        using (var device = new AlsaAudioDevice(options))
        {
            DeviceRun.RunToCompletion(device, new PairCallback(), TimeSpan.FromSeconds(30));
            Assert.Equal(4, device.PlaybackInfo!.Channels);
        }

        float[] written = TestSignals.Decode(File.ReadAllBytes(outPath), AudioSampleFormat.Float32LE);
        Assert.True(written.Length >= frames * 4, $"{written.Length} samples");
        for (int i = 0; i < frames; i++)
        {
            float value = ToneCallback.Value(i);
            Assert.Equal(0.25f * value, written[4 * i]);         // monitor L on 1
            Assert.Equal(-0.25f * value, written[(4 * i) + 1]);  // monitor R on 2
            Assert.Equal(value, written[(4 * i) + 2]);           // master L on 3
            Assert.Equal(-value, written[(4 * i) + 3]);          // master R on 4
        }
    }

    [Fact]
    public void PortAudioOnAlsaFilePcm_FourOutputs_PlaysMasterOnItsPairAndMonitorOnTheOther()
    {
        const int frames = 128 * 40;
        var options = new AudioDeviceOptions(
            Name: "hm_pa_out", BlockFrames: 128, RealtimePriority: 0, LockMemory: false, Direction: AudioDirection.OutputOnly,
            SampleFormat: AudioSampleFormat.Float32LE, MaxFrames: frames, OutputMap: new OutputChannelMap(4, 2, 3, 0, 1));
        using (var device = new Hal.Audio.PortAudio.PortAudioAudioDevice(options))
        {
            List<AudioDeviceError> errors = DeviceRun.RunToCompletion(device, new PairCallback(), TimeSpan.FromSeconds(30));
            Assert.DoesNotContain(errors, e => e.IsFatal);
        }

        // PortAudio primes the output with silence of its own choosing: find the first frame of the master.
        float[] written = TestSignals.Decode(File.ReadAllBytes(environment.PortAudioOutputPath), AudioSampleFormat.Float32LE);
        int offset = 0;
        while (4 * (offset + 2) <= written.Length && !(written[(4 * (offset + 1)) + 2] == ToneCallback.Value(1) && written[(4 * offset) + 2] == ToneCallback.Value(0)))
        {
            offset++;
        }

        Assert.True(written.Length >= 4 * (offset + frames), $"{written.Length / 4} frames written, master found at {offset}");
        for (int i = 0; i < frames; i++)
        {
            float value = ToneCallback.Value(i);
            int f = 4 * (offset + i);
            Assert.Equal((0.25f * value, -0.25f * value, value, -value), (written[f], written[f + 1], written[f + 2], written[f + 3]));
        }
    }

    [Fact]
    public void FileDevice_MonitorPair_IsRefusedAtOpenNamingTheMap()
    {
        string input = environment.NewPath("in.wav");
        using (var writer = Hal.AudioFiles.AudioFileWriter.Create(input, Hal.AudioFiles.AudioContainer.Wav, Hal.AudioFiles.SampleEncoding.Float32, 48000, 2))
        {
            writer.Write(new float[256]);
        }

        using var device = new FileAudioDevice(input, new AudioDeviceOptions(RealtimePriority: 0, LockMemory: false, OutputMap: new OutputChannelMap(4, 0, 1, 2, 3)));
        AudioDeviceException error = Assert.Throws<AudioDeviceException>(() => device.Start(new PairCallback()));
        Assert.Contains("master=1,2 monitor=3,4", error.Message);
    }

    /// <summary>Master: the tone and its negation; monitor: a quarter of it.</summary>
    private sealed class PairCallback : IAudioCallback
    {
        private long _frame;

        public void ProcessBlock(in AudioBuffers buffers)
        {
            Assert.True(buffers.HasMonitorPair || buffers.MonitorLeft.IsEmpty);
            for (int i = 0; i < buffers.Frames; i++)
            {
                float value = ToneCallback.Value(_frame + i);
                buffers.OutputLeft[i] = value;
                buffers.OutputRight[i] = -value;
                if (buffers.HasMonitorPair)
                {
                    buffers.MonitorLeft[i] = 0.25f * value;
                    buffers.MonitorRight[i] = -0.25f * value;
                }
            }

            _frame += buffers.Frames;
        }
    }
}
