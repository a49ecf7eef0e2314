using HardwareMaster.App.Assistant.Album;
using HardwareMaster.App.Rendering;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Tests.Assistant;

/// <summary>The album's consistency rules: spectral tilt and outliers.</summary>
public sealed class AlbumReportTests
{
    [Theory]
    [InlineData(false, 3.0)]  // white noise: +3 dB per octave in third-octave band power
    [InlineData(true, 0.0)]   // pink noise: flat
    public void DbPerOctave_Noise_SlopeOfBandPower(bool pink, double expected)
    {
        var spectrum = new LongTermSpectrum(48000);
        var random = new Random(11);
        var block = new float[48000];
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
        for (int s = 0; s < 8; s++)
        {
            for (int i = 0; i < block.Length; i++)
            {
                double w = (random.NextDouble() * 2) - 1;
                if (pink)
                {
                    // Paul Kellet's refined pink filter (±0.05 dB from 9 Hz to Nyquist).
                    b0 = (0.99886 * b0) + (w * 0.0555179);
                    b1 = (0.99332 * b1) + (w * 0.0750759);
                    b2 = (0.96900 * b2) + (w * 0.1538520);
                    b3 = (0.86650 * b3) + (w * 0.3104856);
                    b4 = (0.55000 * b4) + (w * 0.5329522);
                    b5 = (-0.7616 * b5) - (w * 0.0168980);
                    w = (b0 + b1 + b2 + b3 + b4 + b5 + b6 + (w * 0.5362)) * 0.11;
                    b6 = w * 0.115926 / 0.11;
                }

                block[i] = (float)(0.3 * w);
            }

            spectrum.Process(block, block);
        }

        Assert.InRange(SpectralTilt.DbPerOctave(spectrum), expected - 0.3, expected + 0.3);
    }

    [Fact]
    public void FindOutliers_OneTrackMuchDarker_OnlyThatTrackFlaggedForTilt()
    {
        double[] tilts = [-3.0, -3.1, -2.9, -3.05, -6.0];
        AlbumOutcome outcome = Outcome(AlbumMode.Album, tilts.Select(t => (-14.0, 6.0, t)).ToArray());

        IReadOnlyList<IReadOnlyList<Outlier>> flags = AlbumReport.FindOutliers(outcome, -1.0);

        for (int k = 0; k < 4; k++)
        {
            Assert.Empty(flags[k]);
        }

        Outlier flag = Assert.Single(flags[4]);
        Assert.Equal("spectral_tilt", flag.Id);
    }

    [Fact]
    public void FindOutliers_TrackModeMissedTargetAndWideRange_Flagged()
    {
        AlbumOutcome outcome = Outcome(AlbumMode.Track, [(-14.0, 5.0, -3.0), (-14.1, 5.5, -3.0), (-15.2, 5.2, -3.0), (-13.9, 14.0, -3.0)]);

        IReadOnlyList<IReadOnlyList<Outlier>> flags = AlbumReport.FindOutliers(outcome, -1.0);

        Assert.Empty(flags[0]);
        Assert.Empty(flags[1]);
        Assert.Equal("loudness", Assert.Single(flags[2]).Id);
        Assert.Equal("loudness_range", Assert.Single(flags[3]).Id);
    }

    private static AlbumOutcome Outcome(AlbumMode mode, (double Lufs, double Lra, double Tilt)[] tracks)
    {
        var outcomes = tracks.Select((t, i) =>
        {
            var report = new LoudnessReport(t.Lufs, t.Lra, t.Lufs + 2, t.Lufs + 1, -1.5, -1.6, 12.5, 48000 * 60, 48000);
            var result = new RenderResult(report, report, new AudioFileFormat(AudioContainer.Wav, SampleEncoding.Pcm24, 48000, 2, 48000 * 60), 0, 2, null, null, 0, []);
            return new TrackOutcome(new AlbumTrack($"in{i}.wav", $"out/in{i}.wav"), result, t.Tilt, null);
        }).ToArray();
        return new AlbumOutcome(mode, -14.0, outcomes, -14.0, double.NaN, 0, -14.0, 6.0, []);
    }
}
