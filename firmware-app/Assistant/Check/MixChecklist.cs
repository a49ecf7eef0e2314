using System.Globalization;
using HardwareMaster.App.Reports;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Assistant.Check;

/// <summary>
/// The pre-mastering checklist: judges a <see cref="MixMeasurement"/> against fixed thresholds and a
/// <see cref="GenreProfile"/>, item by item (<see cref="ItemIds"/>), each pass / warn / fail with the measured value and
/// a one-line reason. Pure: no I/O, no clock; the CLI verb <c>check</c> and the box's READY? page share it.
/// </summary>
/// <remarks>
/// Thresholds that the render report also warns about are <see cref="SignalWarnings"/>'s constants (DC offset, already
/// limited, low loudness range, phase), so <c>check</c> and <c>render</c>/<c>measure</c> never disagree on them. The
/// others are constants here, listed in firmware-app/README.md ("check").
/// </remarks>
internal static class MixChecklist
{
    /// <summary>True peak above this, dBTP, leaves too little headroom for mastering EQ (warn; −6 is ideal).</summary>
    public const double HotPeakDbtp = -3.0;

    /// <summary>The ideal peak level of a mix sent to mastering, dBTP (for the reason text).</summary>
    public const double IdealPeakDbtp = -6.0;

    /// <summary>A DC offset at or above this, dBFS (1 % of full scale), fails; from <see cref="SignalWarnings.DcOffsetDbfs"/> up it warns.</summary>
    public const double DcFailDbfs = -40.0;

    /// <summary>At least this share of 100 ms windows peaking within 1 dB of the loudest peak means the peaks were flattened.</summary>
    public const double DensePeakShare = 0.2;

    /// <summary>A crest factor (sample peak − RMS) below this, dB, is a sign of heavy compression or limiting.</summary>
    public const double LowCrestFactorDb = 10.0;

    /// <summary>Whole-programme correlation below this (but ≥ <see cref="SignalWarnings.PhaseCorrelation"/>) is very wide: warn.</summary>
    public const double WideCorrelation = 0.2;

    /// <summary>Low-band correlation below this (but ≥ <see cref="SignalWarnings.PhaseCorrelation"/>) warns: the fold-down loses more than 1.2 dB of bass.</summary>
    public const double LowEndWarnCorrelation = 0.5;

    /// <summary>A low band this far or further under the whole programme, dB, has nothing to judge.</summary>
    public const double LowEndSilentDb = -40.0;

    /// <summary>Measured tilt farther than this from the genre's, dB/octave, warns.</summary>
    public const double TiltToleranceDbPerOctave = 2.0;

    /// <summary>Below-100 Hz region more than this above the genre curve, dB: boomy.</summary>
    public const double BoomyDb = 6.0;

    /// <summary>Below-100 Hz region more than this under the genre curve, dB: thin.</summary>
    public const double ThinBassDb = -8.0;

    /// <summary>150–400 Hz more than this above the genre curve, dB: muddy.</summary>
    public const double MuddyDb = 4.0;

    /// <summary>2–5 kHz more than this above the genre curve, dB: harsh.</summary>
    public const double HarshDb = 4.0;

    /// <summary>150–400 Hz or 2–5 kHz more than this under the genre curve, dB: hollow or recessed.</summary>
    public const double DipDb = -5.0;

    /// <summary>Above 8 kHz more than this above the genre curve, dB: brittle.</summary>
    public const double BrittleDb = 6.0;

    /// <summary>Above 8 kHz more than this under the genre curve, dB: dull.</summary>
    public const double DullDb = -6.0;

    /// <summary>Sample rate below this warns (CD and streaming deliver 44.1 kHz or more).</summary>
    public const int DeliveryRateHz = 44100;

    /// <summary>Sample rate below this fails (the top octave of a master is missing).</summary>
    public const int MinimumRateHz = 32000;

    /// <summary>PCM shorter than this warns (mastering gain changes raise a 16-bit file's noise floor; ask for 24-bit or float).</summary>
    public const int DeliveryBits = 24;

    /// <summary>The ids of the items, in the order <see cref="Evaluate"/> returns them.</summary>
    public static IReadOnlyList<string> ItemIds { get; } =
        ["headroom", "clipping", "already_limited", "dc_offset", "correlation", "low_end_mono", "spectral_balance", "loudness_range", "format"];

    /// <summary>The regions the spectral balance judges: name, third-octave centres from/to (inclusive), and labels.</summary>
    private static readonly (string Id, string Range, double FromHz, double ToHz, double High, string HighWord, double Low, string LowWord)[] Regions =
    [
        ("boomy", "below 100 Hz", 40, 80, BoomyDb, "boomy", ThinBassDb, "thin"),
        ("muddy", "150–400 Hz", 160, 400, MuddyDb, "muddy", DipDb, "hollow"),
        ("harsh", "2–5 kHz", 2000, 5000, HarshDb, "harsh", DipDb, "recessed"),
        ("top", "above 8 kHz", 8000, 16000, BrittleDb, "brittle", DullDb, "dull"),
    ];

    /// <summary>Judges <paramref name="mix"/> item by item.</summary>
    /// <param name="mix">The measurement.</param>
    /// <param name="genre">The genre to compare the spectrum and loudness range with.</param>
    /// <returns>One item per <see cref="ItemIds"/>, in that order.</returns>
    public static IReadOnlyList<CheckItem> Evaluate(MixMeasurement mix, GenreProfile genre)
    {
        ArgumentNullException.ThrowIfNull(mix);
        ArgumentNullException.ThrowIfNull(genre);
        CheckItem clipping = Clipping(mix);
        return
        [
            Headroom(mix, clipping),
            clipping,
            AlreadyLimited(mix),
            DcOffset(mix.Health),
            Correlation(mix.Health),
            LowEndMono(mix.LowEnd),
            SpectralBalance(mix.Spectrum, genre),
            LoudnessRange(mix.Loudness, genre),
            Format(mix.Format),
        ];
    }

    /// <summary>Counts the verdicts.</summary>
    /// <param name="items">The items of one mix.</param>
    public static (int Pass, int Warn, int Fail) Count(IEnumerable<CheckItem> items)
    {
        int pass = 0, warn = 0, fail = 0;
        foreach (CheckItem item in items)
        {
            switch (item.Verdict)
            {
                case CheckVerdict.Pass: pass++; break;
                case CheckVerdict.Warn: warn++; break;
                default: fail++; break;
            }
        }

        return (pass, warn, fail);
    }

    private static CheckItem Headroom(MixMeasurement mix, CheckItem clipping)
    {
        double truePeak = mix.Loudness.TruePeakDbtp;
        double samplePeak = mix.Loudness.SamplePeakDbfs;
        Metric[] metrics = [new("true_peak_dbtp", truePeak), new("sample_peak_dbfs", samplePeak)];
        if (!double.IsFinite(truePeak))
        {
            return Item("headroom", CheckVerdict.Warn, null, "dBTP", "no signal: the mix is digital silence", metrics);
        }

        if (clipping.Verdict == CheckVerdict.Fail)
        {
            return Item("headroom", CheckVerdict.Fail, truePeak, "dBTP", F($"no headroom: true peak {truePeak:+0.0;-0.0} dBTP and the mix clips; re-export from the session with peaks near {IdealPeakDbtp:0} dBFS"), metrics);
        }

        if (truePeak > HotPeakDbtp)
        {
            return Item("headroom", CheckVerdict.Warn, truePeak, "dBTP", F($"true peak {truePeak:+0.0;-0.0} dBTP is above {HotPeakDbtp:0} dBTP: little room for mastering EQ; export with peaks near {IdealPeakDbtp:0} dBFS"), metrics);
        }

        return Item("headroom", CheckVerdict.Pass, truePeak, "dBTP", F($"true peak {truePeak:+0.0;-0.0} dBTP (at or under {HotPeakDbtp:0}; {IdealPeakDbtp:0} is ideal)"), metrics);
    }

    private static CheckItem Clipping(MixMeasurement mix)
    {
        SignalHealthReport h = mix.Health;
        long nonFinite = mix.Loudness.NonFiniteSamples;
        Metric[] metrics =
        [
            new("clipped_runs", h.ClippedRuns), new("longest_run", h.LongestClippedRun), new("full_scale_samples", h.FullScaleSamples),
            new("over_samples", h.OverSamples), new("non_finite_samples", nonFinite),
        ];
        if (nonFinite > 0)
        {
            return Item("clipping", CheckVerdict.Fail, nonFinite, "count", F($"{nonFinite} samples are NaN or infinite (a broken plug-in or export); fix the mix"), metrics);
        }

        if (h.ClippedRuns > 0)
        {
            string overs = h.OverSamples > 0 ? F($", {h.OverSamples} over 0 dBFS (float: lower the export level)") : string.Empty;
            return Item("clipping", CheckVerdict.Fail, h.ClippedRuns, "count", F($"clipped: {h.ClippedRuns} runs of {SignalHealth.ClippedRunSamples}+ full-scale samples in a row (longest {h.LongestClippedRun}), {h.FullScaleSamples} samples at full scale{overs}; mastering cannot restore them"), metrics);
        }

        if (h.FullScaleSamples > 0)
        {
            return Item("clipping", CheckVerdict.Warn, h.ClippedRuns, "count", F($"{h.FullScaleSamples} isolated samples at full scale (no runs of {SignalHealth.ClippedRunSamples}); lower the export level"), metrics);
        }

        return Item("clipping", CheckVerdict.Pass, 0, "count", "no sample at full scale", metrics);
    }

    private static CheckItem AlreadyLimited(MixMeasurement mix)
    {
        LoudnessReport l = mix.Loudness;
        PeakStatistics p = mix.Peaks;
        double? plr = l.PlrDb, lra = l.LoudnessRangeLu, crest = p.CrestFactorDb, density = p.NearPeakDensity;
        Metric[] metrics = [new("plr_db", plr), new("loudness_range_lu", lra), new("crest_factor_db", crest), new("near_peak_share", density)];
        if (plr is not double plrDb)
        {
            return Item("already_limited", CheckVerdict.Warn, null, "dB", "not measured: silent or shorter than 0.4 s (no PLR)", metrics);
        }

        string facts = F($"PLR {plrDb:0.0} dB, crest factor {crest ?? double.NaN:0.0} dB, {100 * (density ?? 0):0} % of 100 ms windows peak within {PeakDensityMeter.NearPeakDb:0} dB of the maximum");
        bool lowPlr = plrDb < SignalWarnings.LimitedPlrDb;
        bool narrow = lra is double r && r < SignalWarnings.LimitedLraLu;
        bool dense = density >= DensePeakShare;
        bool lowCrest = crest < LowCrestFactorDb;
        if (lowPlr && (narrow || dense))
        {
            string why = narrow ? F($"PLR < {SignalWarnings.LimitedPlrDb:0} dB with loudness range {lra:0.0} LU (< {SignalWarnings.LimitedLraLu:0})") : F($"PLR < {SignalWarnings.LimitedPlrDb:0} dB with dense peaks (≥ {100 * DensePeakShare:0} %)");
            return Item("already_limited", CheckVerdict.Fail, plrDb, "dB", $"already limited: {why}; {facts}; send the mix without the bus limiter", metrics);
        }

        if (lowPlr || dense || lowCrest)
        {
            var signs = new List<string>();
            if (lowPlr)
            {
                signs.Add(F($"PLR < {SignalWarnings.LimitedPlrDb:0} dB"));
            }

            if (dense)
            {
                signs.Add(F($"peaks dense near the maximum (≥ {100 * DensePeakShare:0} %)"));
            }

            if (lowCrest)
            {
                signs.Add(F($"crest factor < {LowCrestFactorDb:0} dB"));
            }

            return Item("already_limited", CheckVerdict.Warn, plrDb, "dB", $"possibly limited or over-compressed ({string.Join(", ", signs)}): {facts}; check the mix bus", metrics);
        }

        return Item("already_limited", CheckVerdict.Pass, plrDb, "dB", $"dynamics intact: {facts}", metrics);
    }

    private static CheckItem DcOffset(in SignalHealthReport h)
    {
        double dc = h.DcOffsetDbfs;
        Metric[] metrics = [new("dc_left", h.DcLeft), new("dc_right", h.Channels == 2 ? h.DcRight : null), new("dc_dbfs", dc)];
        double? value = double.IsFinite(dc) ? dc : null;
        if (dc >= DcFailDbfs)
        {
            return Item("dc_offset", CheckVerdict.Fail, value, "dBFS", F($"DC offset {dc:0.0} dBFS (≥ {DcFailDbfs:0}): it eats headroom and thumps at edits; remove it in the mix (high-pass)"), metrics);
        }

        if (dc >= SignalWarnings.DcOffsetDbfs)
        {
            return Item("dc_offset", CheckVerdict.Warn, value, "dBFS", F($"DC offset {dc:0.0} dBFS (≥ {SignalWarnings.DcOffsetDbfs:0}); a high-pass removes it (hpf.bypass=off)"), metrics);
        }

        return Item("dc_offset", CheckVerdict.Pass, value, "dBFS", value is null ? "no DC offset" : F($"DC offset {dc:0.0} dBFS (under {SignalWarnings.DcOffsetDbfs:0})"), metrics);
    }

    private static CheckItem Correlation(in SignalHealthReport h)
    {
        if (h.Channels != 2)
        {
            return Item("correlation", CheckVerdict.Pass, null, string.Empty, "mono mix: nothing to fold", [new("correlation", null), new("side_to_mid_db", null)]);
        }

        double c = h.Correlation;
        Metric[] metrics = [new("correlation", c), new("side_to_mid_db", h.SideToMidDb)];
        if (double.IsNaN(c))
        {
            return Item("correlation", CheckVerdict.Pass, null, string.Empty, "a channel is silent: nothing to fold", metrics);
        }

        string facts = double.IsFinite(h.SideToMidDb) ? F($"correlation {c:+0.00;-0.00}, side {h.SideToMidDb:+0.0;-0.0} dB against mid") : F($"correlation {c:+0.00;-0.00}, no side signal (dual mono)");
        if (c < SignalWarnings.PhaseCorrelation)
        {
            return Item("correlation", CheckVerdict.Fail, c, string.Empty, $"phase trouble: {facts}; a mono fold-down loses level (a channel inverted?)", metrics);
        }

        if (c < WideCorrelation)
        {
            return Item("correlation", CheckVerdict.Warn, c, string.Empty, F($"very wide: {facts} (< {WideCorrelation:0.0}); check the mix in mono"), metrics);
        }

        return Item("correlation", CheckVerdict.Pass, c, string.Empty, facts, metrics);
    }

    private static CheckItem LowEndMono(in LowEndReport low)
    {
        string band = F($"{low.LowHz:0}–{low.HighHz:0} Hz");
        Metric[] metrics = [new("correlation", low.Correlation), new("mono_fold_db", low.MonoFoldDb), new("band_share_db", low.BandShareDb)];
        if (low.Channels != 2)
        {
            return Item("low_end_mono", CheckVerdict.Pass, null, string.Empty, "mono mix: the low end is mono", metrics);
        }

        if (double.IsNaN(low.Correlation) || !(low.BandShareDb > LowEndSilentDb))
        {
            string why = double.IsFinite(low.BandShareDb) ? F($"{band} is {-low.BandShareDb:0} dB under the mix") : F($"{band} is silent");
            return Item("low_end_mono", CheckVerdict.Pass, null, string.Empty, $"no low end to judge ({why})", metrics);
        }

        string facts = F($"correlation {low.Correlation:+0.00;-0.00} at {band}, mono fold-down {low.MonoFoldDb:+0.0;-0.0;0.0} dB");
        if (low.Correlation < SignalWarnings.PhaseCorrelation)
        {
            return Item("low_end_mono", CheckVerdict.Fail, low.Correlation, string.Empty, $"the bass cancels in mono: {facts}; fix the polarity/phase of the low end in the mix", metrics);
        }

        if (low.Correlation < LowEndWarnCorrelation)
        {
            return Item("low_end_mono", CheckVerdict.Warn, low.Correlation, string.Empty, F($"wide low end: {facts} (< {LowEndWarnCorrelation:0.0}); keep the bass mono (width.monobass)"), metrics);
        }

        return Item("low_end_mono", CheckVerdict.Pass, low.Correlation, string.Empty, facts, metrics);
    }

    private static CheckItem SpectralBalance(LongTermSpectrum spectrum, GenreProfile genre)
    {
        var metrics = new List<Metric>();
        if (spectrum.Segments == 0)
        {
            metrics.Add(new("tilt_db_per_octave", null));
            return Item("spectral_balance", CheckVerdict.Warn, null, "dB", F($"not measured: shorter than {spectrum.FftSize} samples"), metrics);
        }

        // Third-octave levels per hertz of the whole stereo signal (mid + side power: an out-of-phase part still counts).
        IReadOnlyList<double> centres = LongTermSpectrum.ThirdOctaveCentersHz;
        double usableHz = 0.9 * spectrum.SampleRateHz / 2;
        var hz = new List<double>();
        var deviation = new List<double>();
        var measured = new List<double>();
        foreach (double centre in centres)
        {
            if (centre < 40 || centre * Math.Pow(2, 1.0 / 6) > usableHz)
            {
                continue;
            }

            double mid = spectrum.SmoothedLevelDb(centre, 1.0 / 3);
            double side = spectrum.SmoothedLevelDb(centre, 1.0 / 3, side: true);
            double level = Math.Max(-200, 10 * Math.Log10(Math.Pow(10, mid / 10) + Math.Pow(10, side / 10)));
            hz.Add(centre);
            measured.Add(level);
            deviation.Add(level - genre.TemplateDb(centre));
        }

        double silent = measured.Count > 0 ? measured.Max() : double.NegativeInfinity;
        if (silent <= -199)
        {
            metrics.Add(new("tilt_db_per_octave", null));
            return Item("spectral_balance", CheckVerdict.Warn, null, "dB", "not measured: the mix is silent", metrics);
        }

        // Align the genre curve to the mix by the median difference over 100 Hz–10 kHz: loudness-independent and robust
        // to a bump in one region (it moves the median little, the mean a lot).
        double offset = Median([.. Enumerable.Range(0, hz.Count).Where(i => hz[i] >= 100 && hz[i] <= 10000).Select(i => deviation[i])]);
        double tilt = Slope(hz, measured, 100, 4000);
        double expectedTilt = Slope(hz, [.. hz.Select(genre.TemplateDb)], 100, 4000);
        metrics.Add(new("tilt_db_per_octave", tilt));
        metrics.Add(new("genre_tilt_db_per_octave", expectedTilt));
        var problems = new List<string>();
        double worst = 0;
        foreach (var region in Regions)
        {
            double[] inRegion = [.. Enumerable.Range(0, hz.Count).Where(i => hz[i] >= region.FromHz && hz[i] <= region.ToHz).Select(i => deviation[i] - offset)];
            double? error = inRegion.Length > 0 ? inRegion.Average() : null;
            metrics.Add(new(region.Id + "_db", error));
            if (error is not double e)
            {
                continue;
            }

            if (e > region.High || e < region.Low)
            {
                problems.Add(F($"{(e > region.High ? region.HighWord : region.LowWord)} {region.Range} ({e:+0.0;-0.0} dB against the {genre.Name} curve)"));
            }

            if (Math.Abs(e) > Math.Abs(worst))
            {
                worst = e;
            }
        }

        if (Math.Abs(tilt - expectedTilt) > TiltToleranceDbPerOctave)
        {
            problems.Add(F($"{(tilt > expectedTilt ? "brighter" : "darker")} overall (tilt {tilt:0.0} dB/octave, {genre.Name} {expectedTilt:0.0} ± {TiltToleranceDbPerOctave:0})"));
        }

        if (problems.Count > 0)
        {
            return Item("spectral_balance", CheckVerdict.Warn, worst, "dB", string.Join("; ", problems), metrics);
        }

        return Item("spectral_balance", CheckVerdict.Pass, worst, "dB", F($"close to the {genre.Name} curve: tilt {tilt:0.0} dB/octave ({expectedTilt:0.0} ± {TiltToleranceDbPerOctave:0}), every region within tolerance (largest {worst:+0.0;-0.0;0.0} dB)"), metrics);
    }

    private static CheckItem LoudnessRange(in LoudnessReport l, GenreProfile genre)
    {
        Metric[] metrics = [new("loudness_range_lu", l.LoudnessRangeLu), new("genre_min_lu", genre.MinLraLu), new("genre_max_lu", genre.MaxLraLu)];
        string range = F($"{genre.MinLraLu:0}–{genre.MaxLraLu:0} LU typical for {genre.Name}");
        if (l.LoudnessRangeLu is not double lra)
        {
            return Item("loudness_range", CheckVerdict.Warn, null, "LU", "not measured: silent or shorter than 3 s", metrics);
        }

        if (lra < genre.MinLraLu)
        {
            return Item("loudness_range", CheckVerdict.Warn, lra, "LU", F($"loudness range {lra:0.0} LU, under the {range}: squashed before mastering"), metrics);
        }

        if (lra > genre.MaxLraLu)
        {
            return Item("loudness_range", CheckVerdict.Warn, lra, "LU", F($"loudness range {lra:0.0} LU, over the {range}: quiet passages will get lost; ride the levels"), metrics);
        }

        return Item("loudness_range", CheckVerdict.Pass, lra, "LU", F($"loudness range {lra:0.0} LU, within the {range}"), metrics);
    }

    private static CheckItem Format(MixFormat format)
    {
        Metric[] metrics = [new("sample_rate_hz", format.SampleRateHz), new("bits_per_sample", format.BitsPerSample), new("float", format.IsFloat ? 1 : 0), new("channels", format.Channels)];
        string word = format.IsFloat ? F($"{format.BitsPerSample}-bit float") : F($"{format.BitsPerSample}-bit PCM");
        string facts = F($"{format.SampleRateHz} Hz, {word}");
        if (format.SampleRateHz < MinimumRateHz)
        {
            return Item("format", CheckVerdict.Fail, format.SampleRateHz, "Hz", F($"{facts}: under {MinimumRateHz} Hz the top of the spectrum is missing; export at the session rate (44.1 kHz or more)"), metrics);
        }

        var problems = new List<string>();
        if (format.SampleRateHz < DeliveryRateHz)
        {
            problems.Add(F($"under {DeliveryRateHz} Hz (CD and streaming deliver 44.1 kHz or more)"));
        }

        if (!format.IsFloat && format.BitsPerSample < DeliveryBits)
        {
            problems.Add(F($"mastering gain raises a {format.BitsPerSample}-bit file's noise floor; export 24-bit or 32-bit float"));
        }

        if (problems.Count > 0)
        {
            return Item("format", CheckVerdict.Warn, format.SampleRateHz, "Hz", $"{facts}: {string.Join("; ", problems)}", metrics);
        }

        return Item("format", CheckVerdict.Pass, format.SampleRateHz, "Hz", $"{facts}: fine for a CD or streaming master", metrics);
    }

    // Least-squares slope of level against log2(frequency), dB/octave, over [fromHz, toHz].
    private static double Slope(List<double> hz, IReadOnlyList<double> level, double fromHz, double toHz)
    {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < hz.Count; i++)
        {
            if (hz[i] < fromHz || hz[i] > toHz)
            {
                continue;
            }

            double x = Math.Log2(hz[i] / 1000);
            n++;
            sx += x;
            sy += level[i];
            sxx += x * x;
            sxy += x * level[i];
        }

        double denominator = (n * sxx) - (sx * sx);
        return denominator > 0 ? ((n * sxy) - (sx * sy)) / denominator : double.NaN;
    }

    private static double Median(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        Array.Sort(values);
        int m = values.Length / 2;
        return values.Length % 2 == 1 ? values[m] : 0.5 * (values[m - 1] + values[m]);
    }

    private static CheckItem Item(string id, CheckVerdict verdict, double? value, string unit, string reason, IEnumerable<Metric> metrics) =>
        new(id, verdict, value is double v && double.IsFinite(v) ? v : null, unit, reason, [.. metrics.Select(m => new KeyValuePair<string, double?>(m.Name, m.Value is double x && double.IsFinite(x) ? x : null))]);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private readonly record struct Metric(string Name, double? Value);
}
