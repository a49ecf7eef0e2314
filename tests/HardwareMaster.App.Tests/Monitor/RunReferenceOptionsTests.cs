using HardwareMaster.App.Commands;
using HardwareMaster.App.Monitor;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Monitor;

/// <summary>`run --reference-dir DIR` and config <c>referenceDir</c>: wiring, and the master untouched by an idle player.</summary>
[Collection(nameof(ConsoleTests))]
public sealed class RunReferenceOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hm-reference-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Run_WithAReferenceFolder_MasterBitIdentical_NoStickIsFine()
    {
        string input = Path.Combine(_dir, "in.wav");
        var data = new float[48000 * 2 * 2];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(0.2 * Math.Sin(i * 0.01));
        }

        using (AudioFileWriter writer = AudioFileWriter.Create(input, AudioContainer.Wav, SampleEncoding.Float32, 48000, 2))
        {
            writer.Write(data);
            writer.Complete();
        }

        string plain = Path.Combine(_dir, "plain.wav");
        string output = Path.Combine(_dir, "out.wav");
        string monitor = Path.Combine(_dir, "mon.wav");
        string stick = Path.Combine(_dir, "stick");
        Directory.CreateDirectory(stick);
        File.Copy(input, Path.Combine(stick, "ref.wav"));
        (int exit, _, string error) = CliRunner.Run("run", "--device", "file:" + input, "--output", plain, "--rt-priority", "0");
        Assert.True(exit == 0, error);
        (exit, _, error) = CliRunner.Run("run", "--device", "file:" + input, "--output", output, "--rt-priority", "0", "--monitor-output", "file:" + monitor, "--reference-dir", stick);
        Assert.True(exit == 0, error);
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(output));
        Assert.True(File.Exists(monitor));

        string config = Path.Combine(_dir, "config.json");
        File.WriteAllText(config, "{ \"referenceDir\": \"" + Path.Combine(_dir, "nowhere") + ":/media/*/*\" }");
        (exit, _, error) = CliRunner.Run("run", "--config", config, "--device", "file:" + input, "--output", Path.Combine(_dir, "out2.wav"), "--rt-priority", "0");
        Assert.True(exit == 0, error);

        File.WriteAllText(config, "{ \"referenceDir\": 3 }");
        (exit, _, error) = CliRunner.Run("run", "--config", config, "--device", "file:" + input, "--output", Path.Combine(_dir, "out3.wav"), "--rt-priority", "0");
        Assert.Equal(2, exit);
        Assert.Contains("referenceDir", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_OptionWins_ThenConfig_ThenTheBoxDefault()
    {
        string config = Path.Combine(_dir, "config.json");
        File.WriteAllText(config, "{ \"referenceDir\": \"/srv/refs\" }");
        var request = RunCommand.Build(null, new RunConfigurationOverrides("gen:silence", null, null, null, null, 0, null), 1, null, 0, out IReadOnlyList<string> problems);
        Assert.NotNull(request);
        Assert.Empty(problems);
        Assert.Equal("/a", RunReferenceOptions.Apply(request, "/a", config)!.ReferenceDir);
        Assert.Equal("/srv/refs", RunReferenceOptions.Apply(request, null, config)!.ReferenceDir);
        Assert.Null(RunReferenceOptions.Apply(request, null, null)!.ReferenceDir); // headless: none unless asked
        Assert.Null(RunReferenceOptions.Apply(null, "/a", null));
        Assert.Equal("/media/*/*:/media/*:/mnt/usb", ReferenceFolder.DefaultSpec);
    }
}
