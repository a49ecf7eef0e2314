using HardwareMaster.App.Assistant.Check;
using HardwareMaster.App.Reports;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Tests.Assistant;

/// <summary>The pure evaluator on measurement records: its thresholds agree with the render report's input warnings.</summary>
public sealed class MixChecklistTests
{
    private static readonly MixFormat Pcm24 = new(48000, 2, 24, false, "WAV PCM 24-bit, 48000 Hz, stereo");

    [Theory]
    [InlineData(8.5, 5.0, true)]
    [InlineData(8.5, 7.0, false)]
    [InlineData(9.5, 5.0, false)]
    public void Evaluate_AlreadyLimited_FailsExactlyWhenTheRenderReportSaysSo(double plr, double lra, bool limited)
    {
        MixMeasurement mix = Measurement(plr: plr, lra: lra);

        bool reportWarns = SignalWarnings.ForInput(mix.Loudness, mix.Health).Any(w => w.StartsWith("already limited", StringComparison.Ordinal));
        CheckItem item = Item(mix, "already_limited");

        Assert.Equal(limited, reportWarns);
        Assert.Equal(limited, item.Verdict == CheckVerdict.Fail);
        Assert.Equal(plr, item.Value!.Value, 6);
    }

    [Theory]
    [InlineData(0.004, "Warn")] // −48 dBFS: the report warns from −50
    [InlineData(0.002, "Pass")] // −54 dBFS
    [InlineData(0.02, "Fail")]  // −34 dBFS
    public void Evaluate_DcOffset_WarnsFromTheRenderReportThreshold(double dc, string expectedName)
    {
        CheckVerdict expected = Enum.Parse<CheckVerdict>(expectedName);
        MixMeasurement mix = Measurement(dc: dc);

        bool reportWarns = SignalWarnings.ForInput(mix.Loudness, mix.Health).Any(w => w.StartsWith("DC offset", StringComparison.Ordinal));

        Assert.Equal(expected, Item(mix, "dc_offset").Verdict);
        Assert.Equal(expected != CheckVerdict.Pass, reportWarns);
    }

    [Theory]
    [InlineData(2.5, "Warn")]
    [InlineData(3.5, "Pass")]
    public void Evaluate_LowLoudnessRange_WarnsInEveryGenreWhenTheReportDoes(double lra, string broadcastName)
    {
        CheckVerdict broadcast = Enum.Parse<CheckVerdict>(broadcastName);
        MixMeasurement mix = Measurement(lra: lra);

        Assert.All(GenreProfile.All, genre => Assert.True(genre.MinLraLu >= SignalWarnings.LowLraLu, genre.Name));
        Assert.Equal(broadcast, Item(mix, "loudness_range", GenreProfile.Find("broadcast-r128")!).Verdict);
    }

    [Fact]
    public void Evaluate_NegativeCorrelation_FailsAsTheReportsPhaseWarning()
    {
        MixMeasurement mix = Measurement(correlation: -0.3);

        Assert.Contains(SignalWarnings.ForInput(mix.Loudness, mix.Health), w => w.StartsWith("phase trouble", StringComparison.Ordinal));
        Assert.Equal(CheckVerdict.Fail, Item(mix, "correlation").Verdict);
        Assert.Equal(CheckVerdict.Warn, Item(Measurement(correlation: 0.1), "correlation").Verdict);
        Assert.Equal(CheckVerdict.Pass, Item(Measurement(correlation: 0.6), "correlation").Verdict);
    }

    [Theory]
    [InlineData(48000, 24, false, "Pass")]
    [InlineData(96000, 32, true, "Pass")]
    [InlineData(44100, 16, false, "Warn")]
    [InlineData(32000, 24, false, "Warn")]
    [InlineData(22050, 24, false, "Fail")]
    public void Evaluate_Format_JudgesRateAndWordLengthForDelivery(int rate, int bits, bool isFloat, string expectedName)
    {
        CheckVerdict expected = Enum.Parse<CheckVerdict>(expectedName);
        MixMeasurement mix = Measurement() with { Format = new MixFormat(rate, 2, bits, isFloat, "test") };

        CheckItem format = Item(mix, "format");

        Assert.Equal(expected, format.Verdict);
        Assert.Equal(rate, format.Value);
    }

    [Fact]
    public void Evaluate_IsolatedFullScaleSamples_WarnsButRunsFail()
    {
        Assert.Equal(CheckVerdict.Warn, Item(Measurement(fullScale: 2, runs: 0), "clipping").Verdict);
        Assert.Equal(CheckVerdict.Fail, Item(Measurement(fullScale: 30, runs: 4), "clipping").Verdict);
        Assert.Equal(CheckVerdict.Fail, Item(Measurement(fullScale: 30, runs: 4), "headroom").Verdict);
    }

    [Fact]
    public void Evaluate_DensePeaks_FailWithLowPlrEvenWithAWideLoudnessRangeAndWarnAlone()
    {
        var dense = new PeakStatistics(-1, -16, 100, 60);

        Assert.Equal(CheckVerdict.Fail, Item(Measurement(plr: 8, lra: 9) with { Peaks = dense }, "already_limited").Verdict);
        Assert.Equal(CheckVerdict.Warn, Item(Measurement(plr: 12, lra: 9) with { Peaks = dense }, "already_limited").Verdict);
        Assert.Equal(CheckVerdict.Pass, Item(Measurement(plr: 12, lra: 9), "already_limited").Verdict);
    }

    [Fact]
    public void TemplateDb_MusicGenres_FollowTheCitedSlopeBetween100HzAnd4kHz()
    {
        foreach (GenreProfile genre in GenreProfile.All.Where(g => !double.IsNaN(g.TiltDbPerOctave)))
        {
            double octaves = Math.Log2(4000.0 / 100);
            double slope = (genre.TemplateDb(4000) - genre.TemplateDb(100)) / octaves;
            Assert.InRange(slope, -5.0, -4.5);
        }

        // Speech (Byrne et al. 1994): per hertz, 500 Hz is above 4 kHz by the table's 16.5 dB plus 10·log10(8) for the bandwidths.
        GenreProfile speech = GenreProfile.Find("podcast-speech")!;
        Assert.Equal(62.1 - 45.6 + (10 * Math.Log10(8)), speech.TemplateDb(500) - speech.TemplateDb(4000), 6);
    }

    private static CheckItem Item(MixMeasurement mix, string id, GenreProfile? genre = null) =>
        MixChecklist.Evaluate(mix, genre ?? GenreProfile.Default).Single(i => i.Id == id);

    private static MixMeasurement Measurement(double plr = 14, double lra = 8, double dc = 0, double correlation = 0.7, long fullScale = 0, long runs = 0)
    {
        double integrated = -20;
        var loudness = new LoudnessReport(integrated, lra, -15, -17, integrated + plr, integrated + plr - 0.2, plr, 480000, 48000);
        double sideToMid = 10 * Math.Log10((1 - correlation) / (1 + correlation));
        var health = new SignalHealthReport(480000, 2, dc, dc, fullScale, 0, 0, runs, runs > 0 ? 5 : fullScale > 0 ? 1 : 0, correlation, sideToMid);
        var peaks = new PeakStatistics(integrated + plr - 0.2, integrated - 2, 100, 3);
        var lowEnd = new LowEndReport(2, 0.95, -0.1, -8, LowEndMonoMeter.LowHz, LowEndMonoMeter.HighHz);
        return new MixMeasurement(Pcm24, loudness, health, peaks, lowEnd, new LongTermSpectrum(48000));
    }
}
