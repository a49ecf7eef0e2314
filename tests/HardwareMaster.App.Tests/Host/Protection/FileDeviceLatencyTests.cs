using System.Text.Json;
using HardwareMaster.App.Host.Protection;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Host.Protection;

/// <summary>
/// Issue 14, latency on a <c>file:</c> device: the device feeds the chain's reported latency
/// (<c>AudioEngine.LatencyFrames</c>, what SYSTEM shows with 0 device frames) of silence after the input and drops as
/// many output frames, so an impulse lands in <c>--output</c> on its own frame in every latency mode only if that figure
/// is the chain's real delay. The file device itself adds nothing (0 device frames; the block is processed in place);
/// <c>--stats-json</c> reports the same figures.
/// </summary>
[Collection(nameof(ConsoleTests))]
public sealed class FileDeviceLatencyTests : IDisposable
{
    private const int Frames = 24000;
    private const int ImpulseAt = 10000;

    private readonly string _dir = Directory.CreateTempSubdirectory("hm-file-latency-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("standard")]
    [InlineData("studio")]
    [InlineData("live")]
    public void Run_FileDevice_ImpulseOnItsOwnFrame_SameLength(string mode)
    {
        Assert.True(LatencyModes.TryParse(mode, out _));
        string input = Path.Combine(_dir, "in.wav");
        var data = new float[Frames * 2];
        data[ImpulseAt * 2] = data[(ImpulseAt * 2) + 1] = 0.1f; // −20 dBFS: the limiter does not act
        using (AudioFileWriter writer = AudioFileWriter.Create(input, AudioContainer.Wav, SampleEncoding.Float32, 48000, 2))
        {
            writer.Write(data);
            writer.Complete();
        }

        string output = Path.Combine(_dir, $"out-{mode}.wav");
        string stats = Path.Combine(_dir, $"stats-{mode}.json");
        (int exit, _, string error) = CliRunner.Run("run", "--device", "file:" + input, "--output", output, "--rt-priority", "0", "--latency-mode", mode, "--stats-json", stats);
        Assert.True(exit == 0, error);

        // --stats-json reports what SYSTEM showed: the chain's latency, which is the impulse delay through an engine with
        // the mode's look-ahead and block (measured), plus 0 frames for the file device.
        using (JsonDocument json = JsonDocument.Parse(File.ReadAllText(stats)))
        {
            JsonElement root = json.RootElement;
            int measured = LatencyProbe.MeasureImpulseDelayFrames(root.GetProperty("protection").GetProperty("lookaheadMs").GetDouble(), root.GetProperty("blockFrames").GetInt32());
            Assert.Equal(measured, root.GetProperty("chainLatencyFrames").GetInt32());
            Assert.Equal(0, root.GetProperty("deviceLatencyFrames").GetInt32());
            Assert.Equal(measured, root.GetProperty("latencyFrames").GetInt32());
        }

        using AudioFileReader reader = AudioFileReader.Open(output);
        var written = new float[(Frames + 1) * 2];
        int frames = reader.Read(written);
        Assert.Equal(Frames, frames);
        int peak = 0;
        for (int i = 0; i < frames; i++)
        {
            if (MathF.Abs(written[i * 2]) > MathF.Abs(written[peak * 2]))
            {
                peak = i;
            }
        }

        Assert.Equal(ImpulseAt, peak);
    }
}
