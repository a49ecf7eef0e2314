using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.FileDevice;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.Hal.Tests.Faults;

/// <summary>The file device writes its output through a temporary file and commits it only when the run ends cleanly.</summary>
public sealed class FileDeviceOutputSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hm-fileout").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteInput(string name, int frames)
    {
        string path = Path.Combine(_dir, name);
        using AudioFileWriter writer = AudioFileWriter.Create(path, AudioContainer.Wav, SampleEncoding.Float32, 48000, 2);
        float[] samples = new float[frames * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(0.25 * Math.Sin(i * 0.01));
        }

        writer.Write(samples);
        return path;
    }

    private static AudioDeviceOptions Options(string output) => new(BlockFrames: 64, RealtimePriority: 0, LockMemory: false, OutputName: output);

    [Fact]
    public void Start_WhileRunning_FinalNameKeepsTheOldFile_UntilTheRunEndsCleanly()
    {
        string input = WriteInput("in.wav", 48000);
        string output = Path.Combine(_dir, "out.wav");
        File.WriteAllText(output, "the previous output");
        var gate = new BlockingCallback();
        using var done = new ManualResetEventSlim();
        using var device = new FileAudioDevice(input, Options(output));
        device.Completed += done.Set;

        device.Start(gate);
        Assert.True(gate.Entered.Wait(TimeSpan.FromSeconds(60)), "the first block never came");

        // Mid-run (what kill -9 would leave): the output is untouched, the audio goes to the hidden temporary file.
        Assert.Equal("the previous output", File.ReadAllText(output));
        Assert.True(File.Exists(OutputFile.TemporaryPathFor(output)));

        gate.Release.Set();
        Assert.True(done.Wait(TimeSpan.FromSeconds(60)), "the run did not complete");
        device.Stop();
        using AudioFileReader reader = AudioFileReader.Open(output);
        Assert.Equal(48000, reader.Format.LengthFrames);
        Assert.False(File.Exists(OutputFile.TemporaryPathFor(output)));
    }

    [Fact]
    public void Start_DiskFullMidRun_DeviceLostNamingTheOutput_OldFileKept_NoTemporaryLeft()
    {
        string input = WriteInput("in.wav", 48000);
        string output = Path.Combine(_dir, "full.wav");
        File.WriteAllText(output, "the previous output");
        var errors = new List<AudioDeviceError>();
        using var done = new ManualResetEventSlim();
        bool completed = false;
        FileAudioDevice.OutputStreamWrapper = file => new FullDiskStream(file, 100_000);
        try
        {
            using var device = new FileAudioDevice(input, Options(output));
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
            device.Completed += () =>
            {
                completed = true;
                done.Set();
            };
            device.Start(new Silence());
            Assert.True(done.Wait(TimeSpan.FromSeconds(60)), "the device neither failed nor completed");
            device.Stop();
        }
        finally
        {
            FileAudioDevice.OutputStreamWrapper = null;
        }

        Assert.False(completed);
        AudioDeviceError error;
        lock (errors)
        {
            error = Assert.Single(errors, e => e.IsFatal);
        }

        Assert.Contains($"{output}: write error: No space left on device : '{output}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".part", error.Message, StringComparison.Ordinal);
        Assert.Equal("the previous output", File.ReadAllText(output));
        Assert.Empty(Directory.GetFiles(_dir, ".full.part*"));
    }

    [Fact]
    public void Start_OutputIsTheInputThroughALink_RefusedAtOpenWithoutRetry()
    {
        string input = WriteInput("in.wav", 4800);
        byte[] before = File.ReadAllBytes(input);
        string link = Path.Combine(_dir, "link.wav");
        File.CreateSymbolicLink(link, input);
        using var device = new FileAudioDevice(input, Options(link));

        AudioDeviceException error = Assert.Throws<AudioDeviceException>(() => device.Start(new Silence()));

        Assert.False(error.CanRecover);
        Assert.Contains("refusing to overwrite the input file", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    private sealed class Silence : IAudioCallback
    {
        public void ProcessBlock(in AudioBuffers buffers)
        {
        }
    }

    private sealed class BlockingCallback : IAudioCallback
    {
        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public void ProcessBlock(in AudioBuffers buffers)
        {
            Entered.Set();
            Release.Wait();
        }
    }
}
