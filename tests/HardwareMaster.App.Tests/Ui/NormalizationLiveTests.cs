using HardwareMaster.App.Reports;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Tests.Ui;

public class NormalizationLiveTests
{
    [Theory]
    [InlineData(-10.8, -0.5)]
    [InlineData(-20.0, -8.0)]
    [InlineData(-16.0, -0.2)]
    [InlineData(-18.0, double.NegativeInfinity)]
    public void From_IntegratedAndTruePeak_MatchesTheReportVersion(double integrated, double truePeak)
    {
        var report = new LoudnessReport(integrated, null, null, null, truePeak, truePeak, null, 48000, 48000);
        Assert.Equal(Normalization.From(report), Normalization.From(integrated, truePeak));
    }

    [Fact]
    public void From_LoudMaster_SpotifyTurnsDownAndQuietOneUpToThePeakLimit()
    {
        Normalization loud = Normalization.From(-10.8, -0.5);
        Assert.Equal(-3.2, loud.SpotifyDb!.Value, 9);
        Assert.Equal(-3.2, loud.YouTubeDb!.Value, 9);

        Normalization quiet = Normalization.From(-20, -4);
        Assert.Equal(3.0, quiet.SpotifyDb!.Value, 9); // 6 dB wanted, 3 dB of headroom to -1 dBTP
        Assert.Equal(0, quiet.YouTubeDb!.Value);
        Assert.Equal(-3.0, quiet.EbuR128Db!.Value, 9);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void From_UndefinedIntegrated_GivesNoGains(double integrated)
    {
        Assert.Equal(default, Normalization.From(integrated, -1));
    }
}
