using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Processors;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Assistant.Match;

/// <summary>What <c>match</c> is asked to do.</summary>
/// <param name="MixPath">The mix to master.</param>
/// <param name="ReferencePath">The reference to sound like.</param>
/// <param name="BaseValues">The preset values the result starts from (its tone bands are replaced, its low/high cut kept).</param>
/// <param name="Strength">0…1: how much of the fitted EQ gain is used (0 = flat tone bands, 1 = the full fit).</param>
/// <param name="AllowExtremes">Fit 20 Hz–20 kHz and let the EQ boost there; otherwise 30 Hz–18 kHz and no boost outside.</param>
public sealed record MatchRequest(string MixPath, string ReferencePath, ParameterSet BaseValues, double Strength = 1, bool AllowExtremes = false);

/// <summary>The spectral distance between two programmes: RMS of the loudness-normalised, smoothed difference (level offset removed), dB.</summary>
/// <param name="BeforeDb">Mix against reference.</param>
/// <param name="AfterMeasuredDb">The mix run through the chain with only the written EQ (other stages bypassed), re-measured, against the reference.</param>
/// <param name="AfterModelDb">What the EQ model predicts (the difference minus the EQ's designed response).</param>
public readonly record struct SpectralDistance(double BeforeDb, double AfterMeasuredDb, double AfterModelDb);

/// <summary>The outcome of a match.</summary>
/// <param name="Values">The new parameter values (base with the fitted tone bands, width and loudness target).</param>
/// <param name="FittedBands">The fit at full strength.</param>
/// <param name="Bands">The bands written (gains scaled by the strength).</param>
/// <param name="MixLufs">The mix's integrated loudness.</param>
/// <param name="ReferenceLufs">The reference's integrated loudness.</param>
/// <param name="TargetFromLufs">The base's <c>target.lufs</c>.</param>
/// <param name="TargetLufs">The written <c>target.lufs</c>.</param>
/// <param name="MixSideToMidDb">The mix's side/mid energy ratio (after the fitted EQ), dB; null for a mono mix.</param>
/// <param name="ReferenceSideToMidDb">The reference's side/mid energy ratio, dB; null for a mono reference.</param>
/// <param name="WidthFromPercent">The base's <c>width.width</c>.</param>
/// <param name="WidthPercent">The written <c>width.width</c>.</param>
/// <param name="Distance">Spectral distance before and after (<see cref="DistanceLowHz"/>–<see cref="DistanceHighHz"/>).</param>
/// <param name="FitLowHz">Lowest fitted frequency.</param>
/// <param name="FitHighHz">Highest fitted frequency.</param>
/// <param name="Notes">What was clamped or left alone, one line each.</param>
public sealed record MatchResult(
    ParameterSet Values,
    IReadOnlyList<ToneBand> FittedBands,
    IReadOnlyList<ToneBand> Bands,
    double MixLufs,
    double ReferenceLufs,
    double TargetFromLufs,
    double TargetLufs,
    double? MixSideToMidDb,
    double? ReferenceSideToMidDb,
    double WidthFromPercent,
    double WidthPercent,
    SpectralDistance Distance,
    double FitLowHz,
    double FitHighHz,
    IReadOnlyList<string> Notes)
{
    /// <summary>Lower edge of the distance measure, Hz.</summary>
    public const double DistanceLowHz = 50;

    /// <summary>Upper edge of the distance measure, Hz.</summary>
    public const double DistanceHighHz = 15000;
}

/// <summary>
/// Matches a mix to a reference with the chain's own controls: fits the difference of their loudness-normalised
/// long-term mid spectra with the five tone bands (<see cref="EqFitter"/>), sets the loudness target to the
/// reference's integrated loudness and the width from the two side/mid energy ratios, then checks the result by
/// running the mix through the chain's EQ and measuring again.
/// </summary>
public static class ReferenceMatch
{
    /// <summary>Smoothing of the compared spectra, octaves.</summary>
    public const double SmoothingOctaves = 1.0 / 6;

    /// <summary>Grid spacing of the fit, octaves.</summary>
    public const double GridOctaves = 1.0 / 24;

    /// <summary>Lowest fitted frequency, Hz (no boost below it unless extremes are allowed).</summary>
    public const double LowHz = 30;

    /// <summary>Highest fitted frequency, Hz (no boost above it unless extremes are allowed).</summary>
    public const double HighHz = 18000;

    // Grid points more than this far below a spectrum's loudest smoothed level are left out (nothing there to match).
    private const double FloorBelowMaxDb = 80;

    /// <summary>Runs the match.</summary>
    /// <param name="request">What to match.</param>
    /// <returns>The result.</returns>
    /// <exception cref="AudioFileException">A file cannot be read, is too short, or is silent.</exception>
    public static MatchResult Run(MatchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ProgrammeSpectrum mix = ProgrammeSpectrum.Measure(request.MixPath);
        ProgrammeSpectrum reference = ProgrammeSpectrum.Measure(request.ReferencePath);
        double mixLufs = mix.IntegratedLufs ?? throw new AudioFileException(request.MixPath, "is silent (no integrated loudness); nothing to match");
        double referenceLufs = reference.IntegratedLufs ?? throw new AudioFileException(request.ReferencePath, "is silent (no integrated loudness); nothing to match");
        var notes = new List<string>();
        int rateHz = mix.Format.SampleRateHz;
        double nyquistLimit = 0.45 * Math.Min(rateHz, reference.Format.SampleRateHz);
        double lowHz = request.AllowExtremes ? 20 : LowHz;
        double highHz = Math.Min(request.AllowExtremes ? 20000 : HighHz, nyquistLimit);
        if (highHz < (request.AllowExtremes ? 20000 : HighHz))
        {
            notes.Add($"fitted up to {highHz:0} Hz only (the lower sample rate's limit)");
        }

        double[] grid = Grid(lowHz, highHz);
        (double[] target, double[] weight) = Difference(mix, mixLufs, reference, referenceLufs, grid, lowHz, highHz);

        ParameterSet baseValues = request.BaseValues;
        EqBandSettings[] fixedBands = EqModel.FixedBands(baseValues);
        ToneBand[] start = EqModel.ToneBands.Select(b => new ToneBand(b.Prefix, b.Type, b.ChainBand, baseValues[b.Prefix + ".freq"], 0, baseValues[b.Prefix + ".q"])).ToArray();
        double[] outside = request.AllowExtremes ? [] : Outside(lowHz, highHz, rateHz);
        var fitter = new EqFitter(rateHz, grid, target, weight, fixedBands, start, outside);
        ToneBand[] fitted = fitter.Fit().Select(Round).ToArray();
        ToneBand[] written = fitted.Select(b => Round(b with { GainDb = b.GainDb * request.Strength })).ToArray();

        ParameterSet values = baseValues.Clone();
        foreach (ToneBand band in written)
        {
            values[band.Prefix + ".freq"] = band.FrequencyHz;
            values[band.Prefix + ".gain"] = band.GainDb;
            values[band.Prefix + ".q"] = band.Q;
        }

        ParameterDefinition targetDefinition = ParameterRegistry.Chain[ParameterIds.TargetLufs];
        double targetLufs = Math.Round(targetDefinition.Clamp(referenceLufs), 2);
        if (Math.Abs(targetLufs - referenceLufs) > 0.01)
        {
            notes.Add($"target.lufs clamped to {targetLufs:0.0} LUFS (the reference is {referenceLufs:0.0} LUFS; the range is {targetDefinition.RangeText})");
        }

        double targetFrom = values[ParameterIds.TargetLufs];
        values[ParameterIds.TargetLufs] = targetLufs;

        EqBandSettings[] allBands = [.. fixedBands, .. written.Select(b => b.Settings)];
        double widthFrom = values[ParameterIds.Width];
        double monoBelowHz = values.IsOn(ParameterIds.WidthMonoBass) ? values[ParameterIds.WidthMonoFreq] : 0;
        double? mixRatio = SideToMid(mix, allBands, rateHz, monoBelowHz);
        double? referenceRatio = SideToMid(reference, [], reference.Format.SampleRateHz, 0);
        double width = widthFrom;
        ParameterDefinition widthDefinition = ParameterRegistry.Chain[ParameterIds.Width];
        if (mixRatio is null || referenceRatio is null)
        {
            notes.Add($"width.width left as it was: the {(mixRatio is null ? "mix" : "reference")} has no side signal (mono), so width cannot be matched");
        }
        else
        {
            double wanted = 100 * Math.Sqrt(referenceRatio.Value / mixRatio.Value);
            width = Math.Round(widthDefinition.Clamp(wanted), 1);
            if (Math.Abs(width - wanted) > 0.05)
            {
                notes.Add($"width.width clamped to {width:0} % (matching would need {wanted:0} %; the range is {widthDefinition.RangeText})");
            }
        }

        values[ParameterIds.Width] = width;

        // Measured: the mix through the chain with only the EQ as written (every other stage bypassed), re-measured.
        ProgrammeSpectrum after = ProgrammeSpectrum.Measure(request.MixPath, EqOnlyChain(values));
        double[] distanceGrid = Grid(MatchResult.DistanceLowHz, MatchResult.DistanceHighHz);
        (double[] before, double[] beforeWeight) = Difference(mix, mixLufs, reference, referenceLufs, distanceGrid, lowHz, highHz);
        (double[] afterDifference, double[] afterWeight) = Difference(after, after.IntegratedLufs ?? mixLufs, reference, referenceLufs, distanceGrid, lowHz, highHz);
        double[] model = new double[distanceGrid.Length];
        foreach (EqBandSettings band in allBands)
        {
            EqModel.AddBandResponse(band, rateHz, distanceGrid, model);
        }

        double[] predicted = before.Select((d, i) => d - model[i]).ToArray();
        var distance = new SpectralDistance(Rms(before, beforeWeight), Rms(afterDifference, afterWeight), Rms(predicted, beforeWeight));
        if (request.Strength < 1)
        {
            notes.Add($"strength {request.Strength:0.00}: the fitted gains are scaled by it, so the match is partial by design");
        }

        if (fixedBands.Any(b => b.Enabled))
        {
            notes.Add("the base preset's low/high cut stay on and are part of the fitted response");
        }

        return new MatchResult(values, fitted, written, mixLufs, referenceLufs, targetFrom, targetLufs, ToDb(mixRatio), ToDb(referenceRatio), widthFrom, width, distance, lowHz, highHz, notes);
    }

    /// <summary>A chain that runs only the EQ of <paramref name="values"/> (trim 0 dB, every other stage bypassed, no loudness gain, no dither).</summary>
    /// <param name="values">Parameter values.</param>
    /// <returns>The configured chain (not prepared).</returns>
    public static MasteringChain EqOnlyChain(ParameterSet values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ParameterSet eqOnly = values.Clone();
        eqOnly[ParameterIds.TrimGain] = 0;
        eqOnly[ParameterIds.LoudnessGain] = 0;
        eqOnly[ParameterIds.EqBypass] = 0;
        foreach (string bypass in new[] { ParameterIds.HpfBypass, ParameterIds.CompBypass, ParameterIds.WidthBypass, ParameterIds.LimiterBypass })
        {
            eqOnly[bypass] = 1;
        }

        var chain = new MasteringChain { IdleBypassedStages = true };
        ChainBinder.ApplyAll(eqOnly, chain, ditherBits: 0);
        return chain;
    }

    private static double[] Grid(double lowHz, double highHz)
    {
        int count = (int)Math.Floor(Math.Log2(highHz / lowHz) / GridOctaves) + 1;
        return Enumerable.Range(0, count).Select(i => lowHz * Math.Pow(2, i * GridOctaves)).ToArray();
    }

    // Boost-check points outside the fitted range: 20 Hz up to the low edge, the high edge up to 22 kHz (below 0.47·fs).
    private static double[] Outside(double lowHz, double highHz, int rateHz)
    {
        var points = new List<double>();
        for (double f = 20; f < lowHz * 0.999; f *= Math.Pow(2, 1.0 / 12))
        {
            points.Add(f);
        }

        double top = Math.Min(22000, 0.47 * rateHz);
        for (double f = highHz * Math.Pow(2, 1.0 / 24); f <= top; f *= Math.Pow(2, 1.0 / 24))
        {
            points.Add(f);
        }

        return [.. points];
    }

    // (reference − its loudness) − (mix − its loudness), smoothed, per grid point; weight 0 where either has nothing.
    private static (double[] Difference, double[] Weight) Difference(ProgrammeSpectrum mix, double mixLufs, ProgrammeSpectrum reference, double referenceLufs, double[] grid, double lowHz, double highHz)
    {
        double[] m = grid.Select(f => mix.SmoothedLevelDb(f, SmoothingOctaves, lowHz, highHz)).ToArray();
        double[] r = grid.Select(f => reference.SmoothedLevelDb(f, SmoothingOctaves, lowHz, highHz)).ToArray();
        double mixFloor = m.Where(double.IsFinite).DefaultIfEmpty(0).Max() - FloorBelowMaxDb;
        double referenceFloor = r.Where(double.IsFinite).DefaultIfEmpty(0).Max() - FloorBelowMaxDb;
        var difference = new double[grid.Length];
        var weight = new double[grid.Length];
        for (int i = 0; i < grid.Length; i++)
        {
            if (double.IsFinite(m[i]) && double.IsFinite(r[i]) && m[i] > mixFloor && r[i] > referenceFloor)
            {
                difference[i] = Math.Clamp((r[i] - referenceLufs) - (m[i] - mixLufs), -30, 30);
                weight[i] = 1;
            }
        }

        return (difference, weight);
    }

    // Weighted RMS with the weighted mean removed (a level offset is the loudness target's business, not the EQ's).
    private static double Rms(double[] values, double[] weight)
    {
        double total = weight.Sum();
        if (total <= 0)
        {
            return double.NaN;
        }

        double mean = values.Select((v, i) => v * weight[i]).Sum() / total;
        return Math.Sqrt(values.Select((v, i) => weight[i] * (v - mean) * (v - mean)).Sum() / total);
    }

    // Side/mid energy ratio of a programme after an EQ (and the width stage's mono-below high-pass on the side), or null without side.
    private static double? SideToMid(ProgrammeSpectrum programme, EqBandSettings[] bands, int rateHz, double monoBelowHz)
    {
        Dsp.Metering.LongTermSpectrum s = programme.Spectrum;
        double[] frequencies = Enumerable.Range(1, s.BinCount - 1).Select(s.FrequencyOf).ToArray();
        double[] response = new double[frequencies.Length];
        foreach (EqBandSettings band in bands)
        {
            EqModel.AddBandResponse(band, rateHz, frequencies, response);
        }

        double mid = 0, side = 0;
        for (int i = 0; i < frequencies.Length; i++)
        {
            double gain = Math.Pow(10, response[i] / 10);
            double f = frequencies[i];
            double monoBass = monoBelowHz > 0 ? 1 / (1 + Math.Pow(monoBelowHz / f, 4)) : 1; // 12 dB/octave Butterworth on S
            mid += s.MidPower(i + 1) * gain;
            side += s.SidePower(i + 1) * gain * monoBass;
        }

        return mid > 0 && side > mid * 1e-7 ? side / mid : null;
    }

    private static double? ToDb(double? ratio) => ratio is double r ? 10 * Math.Log10(r) : null;

    private static ToneBand Round(ToneBand band) => band with
    {
        FrequencyHz = Math.Round(band.FrequencyHz, 1),
        GainDb = Math.Round(band.GainDb, 2),
        Q = Math.Round(band.Q, 3),
    };
}
