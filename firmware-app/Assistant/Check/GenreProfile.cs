namespace HardwareMaster.App.Assistant.Check;

/// <summary>
/// What a finished mix of a genre typically looks like: a long-term spectral shape (<see cref="TemplateDb"/>) and a
/// loudness range. <see cref="MixChecklist"/> compares a mix with it, loudness-independently (shape against shape).
/// </summary>
/// <remarks>
/// <para><b>Where the curves come from.</b> The music shapes are a documented model, not a measured genre curve:</para>
/// <list type="bullet">
/// <item>Slope: Pestana, Ma, Reiss, Barbosa &amp; Black, "Spectral characteristics of popular commercial recordings
/// 1950–2010", AES 135th Convention, 2013, paper 8960 (772 UK/US number-one records): the mean long-term average spectrum
/// is "a linearly decaying distribution of around 5 dB per octave between 100 and 4000 Hz" (p. 5), with a low cut around
/// 60 Hz and a faster fall above ~4 kHz; rock, pop, hip-hop and electronic music are stronger below 150 Hz and above 5 kHz
/// than jazz and folk, jazz has the least bass. A mean slope of 4.53 dB per octave (89 Hz–4.5 kHz) is reported for a
/// larger corpus (secondary sources attribute it to Elowsson &amp; Friberg, "Long-term average spectrum in popular music
/// and its relation to the level of the percussion", AES 142nd Convention, 2017, paper 9762, or to the thesis below;
/// we could not check which). Both are slopes of power per hertz, which is what <see cref="Dsp.Metering.LongTermSpectrum.SmoothedLevelDb"/>
/// reads (pink noise is −3 dB/octave on that scale, so music is darker than pink). We read these figures as quoted in
/// public secondary sources (the audiojs <c>spectral-target</c> documentation and Schedin, "Target spectrums for
/// mastering", Luleå University of Technology, 2021), not from the paywalled papers.</item>
/// <item>How that became numbers: every music genre is a straight line of <see cref="TiltDbPerOctave"/> through 1 kHz
/// from 100 Hz to 4 kHz (−4.5 dB/octave, between the two studies; −5 for the acoustic genres), held flat below 100 Hz and
/// offset there by <see cref="BassDb"/> (the "plateau" under 100 Hz), and bent down above 4 kHz by
/// <see cref="TopSlopeDbPerOctave"/> extra per octave. The per-genre bass and top values only encode the direction of
/// Pestana's genre differences (more bass and air for hip-hop/EDM/pop-rock, less for jazz/classical/folk); their
/// sizes (±1…4 dB) are OUR HEURISTIC, not measured. Tolerances are in <see cref="MixChecklist"/>.</item>
/// <item>Speech (<c>podcast-speech</c>): the long-term average speech spectrum of Byrne, Dillon, Tran et al., "An
/// international comparison of long-term average speech spectra", JASA 96(4), 1994, Table II "combined" third-octave
/// levels 100 Hz–10 kHz (as tabulated in the same audiojs documentation), converted from band levels to levels per hertz
/// (minus 10·log10 of the band's centre, a third-octave being 23 % of its centre wide), held flat below 100 Hz and
/// extrapolated above 10 kHz with the 5–10 kHz slope.</item>
/// <item>Loudness ranges (EBU Tech 3342 LRA) per genre: OUR HEURISTIC from common mastering practice (classical and jazz
/// wide, EDM narrow); the floor is never below <see cref="Reports.SignalWarnings.LowLraLu"/> so <c>check</c> agrees with the
/// render report's "low loudness range" warning.</item>
/// </list>
/// </remarks>
internal sealed class GenreProfile
{
    // Byrne et al. 1994, Table II combined, dB SPL per third-octave band (100 Hz … 10 kHz).
    private static readonly (double Hz, double BandDb)[] SpeechBands =
    [
        (100, 54.4), (125, 57.7), (160, 56.8), (200, 60.2), (250, 60.3), (315, 59.0), (400, 62.1), (500, 62.1),
        (630, 60.5), (800, 56.8), (1000, 53.7), (1250, 53.0), (1600, 52.0), (2000, 48.7), (2500, 48.1), (3150, 46.8),
        (4000, 45.6), (5000, 44.5), (6300, 44.3), (8000, 43.4), (10000, 43.4),
    ];

    private readonly (double Log2Hz, double Db)[]? _table;

    private GenreProfile(string name, string description, double tilt, double bass, double topSlope, double minLra, double maxLra, (double Hz, double BandDb)[]? bands = null)
    {
        Name = name;
        Description = description;
        TiltDbPerOctave = tilt;
        BassDb = bass;
        TopSlopeDbPerOctave = topSlope;
        MinLraLu = minLra;
        MaxLraLu = maxLra;
        if (bands is not null)
        {
            _table = [.. bands.Select(b => (Math.Log2(b.Hz), b.BandDb - (10 * Math.Log10(b.Hz / 1000))))];
        }
    }

    /// <summary>The genre used when none is given.</summary>
    public static GenreProfile Default { get; } = new("default", "commercial music in general (Pestana et al. 2013 mean slope)", -4.5, 0, -1.5, 4, 15);

    /// <summary>Every genre: <c>default</c> and one per factory preset (firmware-app/presets/*.json).</summary>
    public static IReadOnlyList<GenreProfile> All { get; } =
    [
        Default,
        new("acoustic-folk", "acoustic and folk: darker, lighter bass, more dynamics", -5.0, -2, -2.0, 5, 14),
        new("broadcast-r128", "mixed broadcast programme (EBU R128)", -4.5, 0, -1.5, 3, 20),
        new("edm-club", "EDM/club: strong sub-bass and air, narrow loudness range", -4.5, 3, -0.5, 3, 8),
        new("hip-hop", "hip-hop: the strongest sub-bass", -4.5, 4, -1.0, 3, 9),
        new("jazz-classical", "jazz and classical: least bass, decaying top, wide loudness range", -5.0, -3, -2.5, 6, 25),
        new("podcast-speech", "speech (Byrne et al. 1994 long-term average speech spectrum)", double.NaN, 0, 0, 3, 12, SpeechBands),
        new("streaming-pop-rock", "pop and rock for streaming: more bass and air than jazz/folk", -4.5, 1, -1.0, 4, 10),
    ];

    /// <summary>Name as the command line takes it.</summary>
    public string Name { get; }

    /// <summary>One line for people.</summary>
    public string Description { get; }

    /// <summary>Slope of the level per hertz between 100 Hz and 4 kHz, dB/octave (NaN for a tabulated genre).</summary>
    public double TiltDbPerOctave { get; }

    /// <summary>Level of the flat part below 100 Hz against the line's 100 Hz level, dB.</summary>
    public double BassDb { get; }

    /// <summary>Extra slope above 4 kHz, dB/octave (negative: the top falls faster than the line).</summary>
    public double TopSlopeDbPerOctave { get; }

    /// <summary>Lowest typical loudness range, LU.</summary>
    public double MinLraLu { get; }

    /// <summary>Highest typical loudness range, LU.</summary>
    public double MaxLraLu { get; }

    /// <summary>The genre called <paramref name="name"/> (case-insensitive), or null.</summary>
    /// <param name="name">A genre name.</param>
    public static GenreProfile? Find(string name) => All.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The typical level per hertz at <paramref name="hz"/>, dB, relative to 1 kHz (only its shape matters: the
    /// checklist aligns it to the mix by the median difference).
    /// </summary>
    /// <param name="hz">Frequency, Hz (&gt; 0).</param>
    public double TemplateDb(double hz)
    {
        if (_table is not null)
        {
            return Interpolate(_table, Math.Log2(hz)) - Interpolate(_table, Math.Log2(1000));
        }

        double f = Math.Clamp(hz, 100, 4000);
        double level = TiltDbPerOctave * Math.Log2(f / 1000);
        if (hz < 100)
        {
            level += BassDb;
        }
        else if (hz > 4000)
        {
            level += (TiltDbPerOctave + TopSlopeDbPerOctave) * Math.Log2(hz / 4000);
        }

        return level;
    }

    // Linear in log-frequency; held flat below the table, extended with the last segment's slope above it.
    private static double Interpolate((double X, double Y)[] table, double x)
    {
        if (x <= table[0].X)
        {
            return table[0].Y;
        }

        int last = table.Length - 1;
        for (int i = 1; i <= last; i++)
        {
            if (x <= table[i].X)
            {
                double t = (x - table[i - 1].X) / (table[i].X - table[i - 1].X);
                return table[i - 1].Y + (t * (table[i].Y - table[i - 1].Y));
            }
        }

        // Above the table: the slope of the last octave (three bands).
        double slope = (table[last].Y - table[last - 3].Y) / (table[last].X - table[last - 3].X);
        return table[last].Y + (slope * (x - table[last].X));
    }
}
