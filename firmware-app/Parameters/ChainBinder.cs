using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Filters;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.App.Parameters;

/// <summary>Which part of the chain a parameter feeds (see <see cref="ChainBinder.RouteOf"/>).</summary>
public enum ChainRoute
{
    /// <summary>Not a chain setting (e.g. <c>target.lufs</c>, read by loudness targeting).</summary>
    None,

    /// <summary>The input trim.</summary>
    Trim,

    /// <summary>The DC blocker / high-pass.</summary>
    HighPass,

    /// <summary>One EQ band (the band index is <see cref="ChainBinder.EqBandOf"/>).</summary>
    EqBand,

    /// <summary>The glue compressor.</summary>
    Compressor,

    /// <summary>Width and mono bass.</summary>
    Width,

    /// <summary>The loudness gain.</summary>
    LoudnessGain,

    /// <summary>The true-peak limiter.</summary>
    Limiter,

    /// <summary>Dither.</summary>
    Dither,

    /// <summary>A stage's bypass switch (the stage is <see cref="ChainBinder.BypassStageOf"/>).</summary>
    Bypass,
}

/// <summary>
/// Maps registry values onto <see cref="MasteringChain"/> settings: the one place that knows how a
/// parameter id becomes a stage setting. Runs on the control thread (it builds immutable settings and the
/// chain designs filters here; the audio thread only swaps the results in at the next block).
/// </summary>
public static class ChainBinder
{
    private static readonly int[] Slopes = ButterworthDesign.SupportedSlopesDbPerOctave.ToArray();

    private static readonly Dictionary<string, ChainStage> BypassIds = new(StringComparer.Ordinal)
    {
        [ParameterIds.HpfBypass] = ChainStage.HighPass,
        [ParameterIds.EqBypass] = ChainStage.Eq,
        [ParameterIds.CompBypass] = ChainStage.Compressor,
        [ParameterIds.WidthBypass] = ChainStage.Width,
        [ParameterIds.LimiterBypass] = ChainStage.Limiter,
    };

    // Every id the chain reads → where it goes (the EQ band index, or the bypassed stage, as the argument).
    private static readonly Dictionary<string, (ChainRoute Route, int Argument)> Routes = BuildRoutes();

    /// <summary>The slopes the <c>*.slope</c> choices stand for, dB/octave, by choice index: the filters' supported slopes.</summary>
    public static IReadOnlyList<int> SlopesDbPerOctave { get; } = Array.AsReadOnly(Slopes);

    /// <summary>Which part of the chain parameter <paramref name="id"/> feeds.</summary>
    /// <param name="id">A registry id.</param>
    /// <returns>The route; <see cref="ChainRoute.None"/> for ids the chain does not read.</returns>
    public static ChainRoute RouteOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Routes.TryGetValue(id, out var route) ? route.Route : ChainRoute.None;
    }

    /// <summary>The EQ band (0–6) parameter <paramref name="id"/> belongs to, or −1.</summary>
    /// <param name="id">A registry id.</param>
    /// <returns>Band index or −1.</returns>
    public static int EqBandOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Routes.TryGetValue(id, out var route) && route.Route == ChainRoute.EqBand ? route.Argument : -1;
    }

    /// <summary>The stage a bypass switch bypasses.</summary>
    /// <param name="id">A <c>*.bypass</c> id.</param>
    /// <returns>The stage.</returns>
    /// <exception cref="KeyNotFoundException">Not a bypass switch.</exception>
    public static ChainStage BypassStageOf(string id) => BypassIds[id];

    /// <summary>
    /// Applies every parameter of <paramref name="values"/> to <paramref name="chain"/>. Every stage's settings are
    /// built and validated first, so a value a stage rejects throws before anything reaches the chain: the chain keeps
    /// all of its previous settings.
    /// </summary>
    /// <param name="values">The parameter values.</param>
    /// <param name="chain">The chain to configure.</param>
    /// <param name="ditherBits">Output word length: 16 or 24 for integer PCM (dither applies when enabled), 0 for float output (no dither).</param>
    /// <exception cref="ArgumentOutOfRangeException">A stage rejects a value (the message names the stage's field and range); nothing was applied.</exception>
    public static void ApplyAll(ParameterSet values, MasteringChain chain, int ditherBits)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(chain);

        var trim = BuildTrim(values);
        var highPass = BuildHighPass(values);
        var bands = new EqBandSettings[ParametricEq.BandCount];
        for (int band = 0; band < bands.Length; band++)
        {
            bands[band] = BuildEqBand(values, band);
        }

        var compressor = BuildCompressor(values);
        var width = BuildWidth(values);
        double loudnessGainDb = values[ParameterIds.LoudnessGain];
        var limiter = BuildLimiter(values);
        var dither = BuildDither(values, ditherBits);

        // Validate everything before the first setter runs: one rejected value must not leave the chain half-applied.
        CheckTrim(trim.GainDb);
        highPass.Validate();
        foreach (EqBandSettings band in bands)
        {
            band.Validate();
        }

        compressor.Validate();
        width.Validate();
        CheckLoudnessGain(loudnessGainDb);
        limiter.Validate();
        dither.Validate();

        chain.SetTrim(trim);
        chain.SetHighPass(highPass);
        for (int i = 0; i < bands.Length; i++)
        {
            chain.SetEqBand(i, bands[i]);
        }

        chain.SetCompressor(compressor);
        chain.SetWidth(width);
        chain.SetLoudnessGainDb(loudnessGainDb);
        chain.SetLimiter(limiter);
        chain.SetDither(dither);
        foreach ((string id, ChainStage stage) in BypassIds)
        {
            chain.SetBypass(stage, values.IsOn(id));
        }
    }

    /// <summary>
    /// Applies only the stage parameter <paramref name="id"/> feeds (one EQ band, the compressor, …) from
    /// <paramref name="values"/>: that stage's settings are built and validated first, so a value it rejects throws and
    /// the chain keeps its previous settings. Control thread.
    /// </summary>
    /// <param name="values">The parameter values (the changed one already in them).</param>
    /// <param name="id">The parameter that changed.</param>
    /// <param name="chain">The chain.</param>
    /// <param name="ditherBits">Output word length (see <see cref="ApplyAll"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The stage rejects a value; nothing was applied.</exception>
    public static void ApplyParameter(ParameterSet values, string id, MasteringChain chain, int ditherBits)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(id);
        if (!Routes.TryGetValue(id, out var route))
        {
            return; // not a chain setting (target.lufs)
        }

        switch (route.Route)
        {
            case ChainRoute.Trim:
                var trim = BuildTrim(values);
                CheckTrim(trim.GainDb);
                chain.SetTrim(trim);
                break;
            case ChainRoute.HighPass:
                var highPass = BuildHighPass(values);
                highPass.Validate();
                chain.SetHighPass(highPass);
                break;
            case ChainRoute.EqBand:
                int band = route.Argument;
                var settings = BuildEqBand(values, band);
                settings.Validate();
                chain.SetEqBand(band, settings);
                break;
            case ChainRoute.Compressor:
                var compressor = BuildCompressor(values);
                compressor.Validate();
                chain.SetCompressor(compressor);
                break;
            case ChainRoute.Width:
                var width = BuildWidth(values);
                width.Validate();
                chain.SetWidth(width);
                break;
            case ChainRoute.LoudnessGain:
                double gainDb = values[ParameterIds.LoudnessGain];
                CheckLoudnessGain(gainDb);
                chain.SetLoudnessGainDb(gainDb);
                break;
            case ChainRoute.Limiter:
                var limiter = BuildLimiter(values);
                limiter.Validate();
                chain.SetLimiter(limiter);
                break;
            case ChainRoute.Dither:
                var dither = BuildDither(values, ditherBits);
                dither.Validate();
                chain.SetDither(dither);
                break;
            case ChainRoute.Bypass:
                chain.SetBypass((ChainStage)route.Argument, values.IsOn(id));
                break;
        }
    }

    private static Dictionary<string, (ChainRoute Route, int Argument)> BuildRoutes()
    {
        var routes = new Dictionary<string, (ChainRoute Route, int Argument)>(StringComparer.Ordinal)
        {
            [ParameterIds.TrimGain] = (ChainRoute.Trim, 0),
            [ParameterIds.HpfFreq] = (ChainRoute.HighPass, 0),
            [ParameterIds.HpfSlope] = (ChainRoute.HighPass, 0),
            [ParameterIds.LoudnessGain] = (ChainRoute.LoudnessGain, 0),
            [ParameterIds.DitherEnabled] = (ChainRoute.Dither, 0),
            [ParameterIds.DitherShaping] = (ChainRoute.Dither, 0),
        };
        string[][] bands =
        [
            [ParameterIds.EqLowCutEnabled, ParameterIds.EqLowCutFreq, ParameterIds.EqLowCutSlope],
            [ParameterIds.EqLowShelfFreq, ParameterIds.EqLowShelfGain, ParameterIds.EqLowShelfQ],
            [ParameterIds.EqBell1Freq, ParameterIds.EqBell1Gain, ParameterIds.EqBell1Q],
            [ParameterIds.EqBell2Freq, ParameterIds.EqBell2Gain, ParameterIds.EqBell2Q],
            [ParameterIds.EqBell3Freq, ParameterIds.EqBell3Gain, ParameterIds.EqBell3Q],
            [ParameterIds.EqHighShelfFreq, ParameterIds.EqHighShelfGain, ParameterIds.EqHighShelfQ],
            [ParameterIds.EqHighCutEnabled, ParameterIds.EqHighCutFreq, ParameterIds.EqHighCutSlope],
        ];
        for (int band = 0; band < bands.Length; band++)
        {
            foreach (string id in bands[band])
            {
                routes.Add(id, (ChainRoute.EqBand, band));
            }
        }

        foreach (string id in new[]
        {
            ParameterIds.CompThreshold, ParameterIds.CompRatio, ParameterIds.CompKnee, ParameterIds.CompAttack, ParameterIds.CompRelease,
            ParameterIds.CompAutoRelease, ParameterIds.CompDetector, ParameterIds.CompLink, ParameterIds.CompSidechainHighPass,
            ParameterIds.CompMakeup, ParameterIds.CompMix,
        })
        {
            routes.Add(id, (ChainRoute.Compressor, 0));
        }

        foreach (string id in new[] { ParameterIds.Width, ParameterIds.WidthMonoBass, ParameterIds.WidthMonoFreq })
        {
            routes.Add(id, (ChainRoute.Width, 0));
        }

        foreach (string id in new[] { ParameterIds.LimiterCeiling, ParameterIds.LimiterLookahead, ParameterIds.LimiterRelease, ParameterIds.LimiterAutoRelease })
        {
            routes.Add(id, (ChainRoute.Limiter, 0));
        }

        foreach ((string id, ChainStage stage) in BypassIds)
        {
            routes.Add(id, (ChainRoute.Bypass, (int)stage));
        }

        return routes;
    }

    private static TrimSettings BuildTrim(ParameterSet values) => new() { GainDb = values[ParameterIds.TrimGain] };

    private static HighPassSettings BuildHighPass(ParameterSet values) => new()
    {
        FrequencyHz = values[ParameterIds.HpfFreq],
        SlopeDbPerOctave = Slope(values[ParameterIds.HpfSlope]),
    };

    private static EqBandSettings BuildEqBand(ParameterSet values, int band) => band switch
    {
        0 => new EqBandSettings
        {
            Type = EqBandType.HighPass,
            Enabled = values.IsOn(ParameterIds.EqLowCutEnabled),
            FrequencyHz = values[ParameterIds.EqLowCutFreq],
            SlopeDbPerOctave = Slope(values[ParameterIds.EqLowCutSlope]),
        },
        1 => Band(EqBandType.LowShelf, values[ParameterIds.EqLowShelfFreq], values[ParameterIds.EqLowShelfGain], values[ParameterIds.EqLowShelfQ]),
        2 => Band(EqBandType.Bell, values[ParameterIds.EqBell1Freq], values[ParameterIds.EqBell1Gain], values[ParameterIds.EqBell1Q]),
        3 => Band(EqBandType.Bell, values[ParameterIds.EqBell2Freq], values[ParameterIds.EqBell2Gain], values[ParameterIds.EqBell2Q]),
        4 => Band(EqBandType.Bell, values[ParameterIds.EqBell3Freq], values[ParameterIds.EqBell3Gain], values[ParameterIds.EqBell3Q]),
        5 => Band(EqBandType.HighShelf, values[ParameterIds.EqHighShelfFreq], values[ParameterIds.EqHighShelfGain], values[ParameterIds.EqHighShelfQ]),
        _ => new EqBandSettings
        {
            Type = EqBandType.LowPass,
            Enabled = values.IsOn(ParameterIds.EqHighCutEnabled),
            FrequencyHz = values[ParameterIds.EqHighCutFreq],
            SlopeDbPerOctave = Slope(values[ParameterIds.EqHighCutSlope]),
        },
    };

    private static CompressorSettings BuildCompressor(ParameterSet values) => new()
    {
        ThresholdDb = values[ParameterIds.CompThreshold],
        Ratio = values[ParameterIds.CompRatio],
        KneeDb = values[ParameterIds.CompKnee],
        AttackMs = values[ParameterIds.CompAttack],
        ReleaseMs = values[ParameterIds.CompRelease],
        AutoRelease = values.IsOn(ParameterIds.CompAutoRelease),
        Detector = values[ParameterIds.CompDetector] >= 0.5 ? DetectorMode.Rms : DetectorMode.Peak,
        StereoLinkPercent = values[ParameterIds.CompLink],
        SidechainHighPassHz = values[ParameterIds.CompSidechainHighPass],
        MakeupDb = values[ParameterIds.CompMakeup],
        MixPercent = values[ParameterIds.CompMix],
    };

    private static WidthSettings BuildWidth(ParameterSet values) => new()
    {
        WidthPercent = values[ParameterIds.Width],
        MonoBelowHz = values.IsOn(ParameterIds.WidthMonoBass) ? values[ParameterIds.WidthMonoFreq] : 0,
    };

    private static LimiterSettings BuildLimiter(ParameterSet values) => new()
    {
        CeilingDbtp = values[ParameterIds.LimiterCeiling],
        LookaheadMs = values[ParameterIds.LimiterLookahead],
        ReleaseMs = values[ParameterIds.LimiterRelease],
        AutoRelease = values.IsOn(ParameterIds.LimiterAutoRelease),
    };

    private static DitherSettings BuildDither(ParameterSet values, int ditherBits) => new()
    {
        Bits = values.IsOn(ParameterIds.DitherEnabled) ? ditherBits : 0,
        NoiseShaping = (int)values[ParameterIds.DitherShaping] switch { 1 => NoiseShaping.FirstOrder, 2 => NoiseShaping.Lipshitz5, _ => NoiseShaping.None },
    };

    private static void CheckTrim(double gainDb) => CheckRange(gainDb, TrimSettings.MinGainDb, TrimSettings.MaxGainDb, "Input trim", "dB");

    private static void CheckLoudnessGain(double gainDb) => CheckRange(gainDb, MasteringChain.MinLoudnessGainDb, MasteringChain.MaxLoudnessGainDb, "Loudness gain", "dB");

    private static void CheckRange(double value, double min, double max, string name, string unit)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {min}..{max} {unit}.");
        }
    }

    private static EqBandSettings Band(EqBandType type, double frequencyHz, double gainDb, double q) => new()
    {
        Type = type,
        FrequencyHz = frequencyHz,
        GainDb = gainDb,
        Q = q,
    };

    private static int Slope(double choice) => Slopes[(int)Math.Clamp(Math.Round(choice), 0, Slopes.Length - 1)];
}
