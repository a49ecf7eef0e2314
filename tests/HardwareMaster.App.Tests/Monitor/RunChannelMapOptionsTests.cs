namespace HardwareMaster.App.Tests.Monitor;

/// <summary>`run --channel-map` and the config key <c>channelMap</c>: bad values are one line naming the value, exit 2.</summary>
[Collection(nameof(ConsoleTests))]
public sealed class RunChannelMapOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hm-channel-map-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("master=1,2 monitor=2,3", "--channel-map: channel map 'master=1,2 monitor=2,3': the monitor pair shares a channel with the master (the master must stay untouched)")]
    [InlineData("monitor=3,4", "--channel-map: channel map 'monitor=3,4': no master pair (e.g. master=1,2)")]
    [InlineData("master=1,2 aux=3,4", "--channel-map: channel map 'master=1,2 aux=3,4': unknown part 'aux=3,4' (use master=L,R monitor=L,R channels=N)")]
    [InlineData("master=one,two", "--channel-map: channel map 'master=one,two': 'master=one,two' is not master=L,R with two channel numbers 1..64")]
    public void Run_BadChannelMap_OneLineExit2(string map, string expected)
    {
        (int exit, _, string error) = CliRunner.Run("run", "--device", "gen:silence", "--duration", "0.1", "--rt-priority", "0", "--channel-map", map);
        Assert.Equal(2, exit);
        Assert.Equal("hardwaremaster: " + expected, CliRunner.SingleLine(error));
    }

    [Fact]
    public void Run_MonitorPairWithMonitorOutputOrAFileDevice_OneLineExit2()
    {
        (int exit, _, string error) = CliRunner.Run("run", "--device", "gen:silence", "--duration", "0.1", "--rt-priority", "0", "--channel-map", "master=1,2 monitor=3,4", "--monitor-output", "file:" + Path.Combine(_dir, "m.wav"));
        Assert.Equal(2, exit);
        Assert.Equal("hardwaremaster: --channel-map master=1,2 monitor=3,4: the monitor pair and --monitor-output both take the monitor path; give one", CliRunner.SingleLine(error));

        string input = Path.Combine(_dir, "in.wav");
        using (var writer = Hal.AudioFiles.AudioFileWriter.Create(input, Hal.AudioFiles.AudioContainer.Wav, Hal.AudioFiles.SampleEncoding.Float32, 48000, 2))
        {
            writer.Write(new float[512]);
        }

        (exit, _, error) = CliRunner.Run("run", "--device", "file:" + input, "--output", Path.Combine(_dir, "out.wav"), "--rt-priority", "0", "--channel-map", "master=1,2 monitor=3,4");
        Assert.Equal(2, exit);
        Assert.Contains("a file: device writes a stereo master; write the monitor with --monitor-output file:PATH", CliRunner.SingleLine(error));
        Assert.False(File.Exists(Path.Combine(_dir, "out.wav")));
    }

    [Fact]
    public void Run_ConfigChannelMapBogus_OneLineNamingTheKeyAndValue()
    {
        string config = Path.Combine(_dir, "config.json");
        File.WriteAllText(config, "{ \"channelMap\": \"master=1,2 monitor=1,3\" }");
        (int exit, _, string error) = CliRunner.Run("run", "--config", config, "--device", "gen:silence", "--duration", "0.1", "--rt-priority", "0");
        Assert.Equal(2, exit);
        string line = CliRunner.SingleLine(error);
        Assert.Contains("\"channelMap\": channel map 'master=1,2 monitor=1,3': the monitor pair shares a channel", line);
        Assert.Contains("config.json", line);
    }

    [Fact]
    public void Run_ValidChannelMapOnAGenerator_RunsCleanly()
    {
        (int exit, _, string error) = CliRunner.Run("run", "--device", "gen:silence", "--duration", "0.2", "--rt-priority", "0", "--channel-map", "master=1,2 monitor=3,4", "--monitor", "mono");
        Assert.True(exit == 0, error);
    }
}
