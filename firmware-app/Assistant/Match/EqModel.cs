using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Filters;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.App.Assistant.Match;

/// <summary>One of the chain's five tone bands as <c>match</c> fits it (the low shelf, three bells, the high shelf).</summary>
/// <param name="Prefix">The parameter prefix, e.g. <c>eq.bell2</c> (its <c>.freq</c>, <c>.gain</c> and <c>.q</c> are the knobs).</param>
/// <param name="Type">Shelf or bell.</param>
/// <param name="ChainBand">The band's index in <see cref="ParametricEq"/> (1–5).</param>
/// <param name="FrequencyHz">Centre or corner frequency, Hz.</param>
/// <param name="GainDb">Gain, dB.</param>
/// <param name="Q">Q.</param>
public readonly record struct ToneBand(string Prefix, EqBandType Type, int ChainBand, double FrequencyHz, double GainDb, double Q)
{
    /// <summary>The band as the chain's EQ settings.</summary>
    public EqBandSettings Settings => new() { Type = Type, FrequencyHz = FrequencyHz, GainDb = GainDb, Q = Q };
}

/// <summary>
/// The magnitude response of the chain's EQ, designed with the chain's own code: each band's sections come from
/// <see cref="MatchedBiquadDesign"/> (bells, shelves) and <see cref="ButterworthDesign"/> (low and high cut), exactly as
/// <see cref="ParametricEq"/> designs them (a bell or shelf at 0 dB and a disabled band contribute nothing), and the
/// response is the sum of the sections' <see cref="BiquadCoefficients.MagnitudeDb"/>. The fit evaluates thousands of
/// candidate settings, one band at a time, which <see cref="ParametricEq.MagnitudeDb"/> (seven bands per point) would
/// make slow; tests check that the two agree on what <c>match</c> writes.
/// </summary>
public static class EqModel
{
    /// <summary>The tone bands the fit may use, with their registry prefixes, in chain order.</summary>
    public static IReadOnlyList<(string Prefix, EqBandType Type, int ChainBand)> ToneBands { get; } =
    [
        ("eq.lowshelf", EqBandType.LowShelf, 1),
        ("eq.bell1", EqBandType.Bell, 2),
        ("eq.bell2", EqBandType.Bell, 3),
        ("eq.bell3", EqBandType.Bell, 4),
        ("eq.highshelf", EqBandType.HighShelf, 5),
    ];

    /// <summary>Adds the response (dB) of <paramref name="band"/> at each of <paramref name="frequenciesHz"/> to <paramref name="destinationDb"/>.</summary>
    /// <param name="band">The band settings.</param>
    /// <param name="sampleRateHz">The rate the chain runs at.</param>
    /// <param name="frequenciesHz">Where to evaluate.</param>
    /// <param name="destinationDb">Accumulates the response, one value per frequency.</param>
    public static void AddBandResponse(in EqBandSettings band, int sampleRateHz, ReadOnlySpan<double> frequenciesHz, Span<double> destinationDb)
    {
        Span<BiquadCoefficients> sections = stackalloc BiquadCoefficients[ButterworthDesign.MaxSections];
        int count = Design(band, sampleRateHz, sections);
        for (int k = 0; k < count; k++)
        {
            for (int i = 0; i < frequenciesHz.Length; i++)
            {
                destinationDb[i] += sections[k].MagnitudeDb(frequenciesHz[i], sampleRateHz);
            }
        }
    }

    /// <summary>Response of the whole EQ (<paramref name="bands"/>: any bands, e.g. the seven of a preset), dB.</summary>
    /// <param name="bands">The bands.</param>
    /// <param name="sampleRateHz">The rate.</param>
    /// <param name="frequencyHz">Where.</param>
    /// <returns>The magnitude, dB.</returns>
    public static double ResponseDb(IEnumerable<EqBandSettings> bands, int sampleRateHz, double frequencyHz)
    {
        Span<double> f = [frequencyHz];
        Span<double> db = [0];
        foreach (EqBandSettings band in bands)
        {
            AddBandResponse(band, sampleRateHz, f, db);
        }

        return db[0];
    }

    /// <summary>The low cut (band 0) and high cut (band 6) of a parameter set: the EQ's bands <c>match</c> keeps as they are.</summary>
    /// <param name="values">Parameter values.</param>
    /// <returns>The two bands.</returns>
    public static EqBandSettings[] FixedBands(ParameterSet values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var slopes = ChainBinder.SlopesDbPerOctave;
        int Slope(double choice) => slopes[(int)Math.Clamp(Math.Round(choice), 0, slopes.Count - 1)];
        return
        [
            new EqBandSettings
            {
                Type = EqBandType.HighPass,
                Enabled = values.IsOn(ParameterIds.EqLowCutEnabled),
                FrequencyHz = values[ParameterIds.EqLowCutFreq],
                SlopeDbPerOctave = Slope(values[ParameterIds.EqLowCutSlope]),
            },
            new EqBandSettings
            {
                Type = EqBandType.LowPass,
                Enabled = values.IsOn(ParameterIds.EqHighCutEnabled),
                FrequencyHz = values[ParameterIds.EqHighCutFreq],
                SlopeDbPerOctave = Slope(values[ParameterIds.EqHighCutSlope]),
            },
        ];
    }

    // ParametricEq's own band design, so the model is the response the chain runs.
    private static int Design(in EqBandSettings s, int sampleRateHz, Span<BiquadCoefficients> destination) =>
        ParametricEq.DesignBand(s, sampleRateHz, destination);
}
