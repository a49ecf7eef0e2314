using HardwareMaster.App.Commands;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Tests.Rendering;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Host;

/// <summary>Dither follows the word the output really takes (a 16-bit device or file gets 16-bit dither).</summary>
public sealed class DitherWordTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hm-dither-" + Guid.NewGuid().ToString("N")[..8]);

    public DitherWordTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(AudioSampleFormat.S16LE, 24, 16)]
    [InlineData(AudioSampleFormat.S24Packed3LE, 0, 24)]
    [InlineData(AudioSampleFormat.S32LE, 0, 24)]
    [InlineData(AudioSampleFormat.Float32LE, 24, 24)]
    [InlineData(AudioSampleFormat.Float32LE, 0, 0)]
    public void DitherBitsFor_FollowsIntegerWords_KeepsTheConfiguredWordForFloat(AudioSampleFormat format, int floatBits, int expected) =>
        Assert.Equal(expected, EngineController.DitherBitsFor(format, floatBits));

    [Fact]
    public void SetDitherBits_RejectsOtherWords()
    {
        var controller = new EngineController(new AudioEngine(new MasteringChain()), new ParameterSet(ParameterRegistry.Chain), 24);
        Assert.Throws<ArgumentOutOfRangeException>(() => controller.SetDitherBits(20));
        Assert.Equal(24, controller.DitherBits);
    }

    [Theory]
    [InlineData("16", 16, SampleEncoding.Pcm16)]
    [InlineData("24", 24, SampleEncoding.Pcm24)]
    [InlineData("32f", 0, SampleEncoding.Float32)]
    public async Task FileRun_WritesTheAskedWord_DitheredToIt(string bits, int expectedDither, SampleEncoding expectedEncoding)
    {
        // A -110 dBFS tone: below a 16-bit LSB, so only dither at 16 bits keeps it (as noise-modulated signal) in a 16-bit file.
        const int rate = 48000;
        float[] left = new float[rate], right = new float[rate];
        for (int i = 0; i < left.Length; i++)
        {
            left[i] = right[i] = (float)(Math.Pow(10, -110 / 20.0) * Math.Sin(2 * Math.PI * 997 * i / rate));
        }

        string input = Path.Combine(_dir, "in.wav"), output = Path.Combine(_dir, "out.wav");
        TestFiles.Write(input, left, right, rate, SampleEncoding.Float32);
        RunRequest? request = RunCommand.Build(
            null, new RunConfigurationOverrides("file:" + input, output, null, null, null, 0, null), null, null, 0, out IReadOnlyList<string> problems, bits: bits);
        Assert.Empty(problems);

        var engine = new AudioEngine(new MasteringChain());
        var controller = new EngineController(engine, request!.Preset.Values, request.DitherBits);
        var logger = new AudioSupervisorTests.ListLogger();
        var supervisor = new AudioSupervisor(controller, request.Supervisor, logger);
        Task<SupervisorState> run = supervisor.RunAsync(CancellationToken.None);
        await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(run.IsCompleted, string.Join(" | ", logger.Lines));
        Assert.Equal(SupervisorState.Completed, await run);

        Assert.Equal(expectedDither, controller.DitherBits);
        using (AudioFileReader reader = AudioFileReader.Open(output))
        {
            Assert.Equal(expectedEncoding, reader.Format.Encoding);
        }

        (float[] outLeft, _) = TestFiles.Read(output);
        if (expectedDither == 16)
        {
            int nonZero = outLeft.Count(s => s != 0);
            Assert.True(nonZero > outLeft.Length / 4, $"only {nonZero} non-zero samples: not dithered at 16 bits");
            Assert.True(outLeft.Max(Math.Abs) <= 4f / 32768, $"dither peak {outLeft.Max(Math.Abs) * 32768} LSB");
        }
    }

    [Fact]
    public void Build_BadBits_IsOneLine()
    {
        Assert.Null(RunCommand.Build(null, new RunConfigurationOverrides("gen:demo", null, null, null, null, null, null), 1, null, 50, out IReadOnlyList<string> problems, bits: "20"));
        Assert.Equal("--bits must be 16, 24, 32 or 32f (got '20')", Assert.Single(problems));
    }
}
