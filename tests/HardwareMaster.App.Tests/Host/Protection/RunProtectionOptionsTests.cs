using System.Text.Json;

namespace HardwareMaster.App.Tests.Host.Protection;

[Collection(nameof(ConsoleTests))]
public class RunProtectionOptionsTests
{
    [Theory]
    [InlineData("--latency-mode", "bogus", "--latency-mode bogus: unknown mode (standard, studio or live)")]
    [InlineData("--xrun-limit", "0", "--xrun-limit 0: must be 1..10000 xruns per minute")]
    public void Run_BadProtectionOption_OneLineExit2(string option, string value, string expected)
    {
        (int exit, _, string error) = CliRunner.Run("run", "--device", "gen:silence", "--duration", "0.1", "--rt-priority", "0", option, value);
        Assert.Equal(2, exit);
        Assert.Equal("hardwaremaster: " + expected, CliRunner.SingleLine(error));
    }

    [Fact]
    public void Run_LatencyModeLive_StatsJsonCountsTheProtection()
    {
        string stats = Path.Combine(Path.GetTempPath(), $"hm-protect-{Guid.NewGuid():N}.json");
        try
        {
            (int exit, _, string error) = CliRunner.Run("run", "--device", "gen:silence", "--duration", "0.5", "--rt-priority", "0", "--block", "128", "--latency-mode", "live", "--xrun-limit", "20", "--stats-json", stats);
            Assert.True(exit == 0, error);
            using JsonDocument json = JsonDocument.Parse(File.ReadAllText(stats));
            JsonElement protection = json.RootElement.GetProperty("protection");
            Assert.Equal("live", protection.GetProperty("latencyMode").GetString());
            Assert.Equal(0.5, protection.GetProperty("lookaheadMs").GetDouble());
            Assert.Equal(32, protection.GetProperty("blockFrames").GetInt32());
            Assert.Equal(128, protection.GetProperty("configuredBlockFrames").GetInt32());
            Assert.Equal(20, protection.GetProperty("xrunsPerMinuteLimit").GetInt32());
            Assert.Equal(0, protection.GetProperty("stepDowns").GetInt32());
            Assert.Equal(8, protection.GetProperty("limiterDetectorOversampling").GetInt32());
            Assert.Equal(0, protection.GetProperty("detectorStepDowns").GetInt32());
            Assert.Equal(0, protection.GetProperty("detectorStepBacks").GetInt32());
            Assert.Equal(32, json.RootElement.GetProperty("blockFrames").GetInt32());
        }
        finally
        {
            File.Delete(stats);
        }
    }
}
