using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Filters;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.App.Parameters;

/// <summary>
/// Maps registry values onto <see cref="MasteringChain"/> settings: the one place that knows how a
/// parameter id becomes a stage setting. Runs on the control thread (it builds immutable settings and the
/// chain designs filters here; the audio thread only swaps the results in at the next block).
/// </summary>
public static class ChainBinder
{
    private static readonly int[] Slopes = ButterworthDesign.SupportedSlopesDbPerOctave.ToArray();

    /// <summary>The slopes the <c>*.slope</c> choices stand for, dB/octave, by choice index: the filters' supported slopes.</summary>
    public static IReadOnlyList<int> SlopesDbPerOctave { get; } = Array.AsReadOnly(Slopes);

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

        var trim = new TrimSettings { GainDb = values["trim.gain"] };
        var highPass = new HighPassSettings { FrequencyHz = values["hpf.freq"], SlopeDbPerOctave = Slope(values["hpf.slope"]) };
        EqBandSettings[] bands =
        [
            new EqBandSettings
            {
                Type = EqBandType.HighPass,
                Enabled = values.IsOn("eq.lowcut.enabled"),
                FrequencyHz = values["eq.lowcut.freq"],
                SlopeDbPerOctave = Slope(values["eq.lowcut.slope"]),
            },
            Band(values, EqBandType.LowShelf, "eq.lowshelf"),
            Band(values, EqBandType.Bell, "eq.bell1"),
            Band(values, EqBandType.Bell, "eq.bell2"),
            Band(values, EqBandType.Bell, "eq.bell3"),
            Band(values, EqBandType.HighShelf, "eq.highshelf"),
            new EqBandSettings
            {
                Type = EqBandType.LowPass,
                Enabled = values.IsOn("eq.highcut.enabled"),
                FrequencyHz = values["eq.highcut.freq"],
                SlopeDbPerOctave = Slope(values["eq.highcut.slope"]),
            },
        ];
        var compressor = new CompressorSettings
        {
            ThresholdDb = values["comp.threshold"],
            Ratio = values["comp.ratio"],
            KneeDb = values["comp.knee"],
            AttackMs = values["comp.attack"],
            ReleaseMs = values["comp.release"],
            AutoRelease = values.IsOn("comp.autorelease"),
            Detector = values["comp.detector"] >= 0.5 ? DetectorMode.Rms : DetectorMode.Peak,
            StereoLinkPercent = values["comp.link"],
            SidechainHighPassHz = values["comp.schpf"],
            MakeupDb = values["comp.makeup"],
            MixPercent = values["comp.mix"],
        };
        var width = new WidthSettings
        {
            WidthPercent = values["width.width"],
            MonoBelowHz = values.IsOn("width.monobass") ? values["width.monofreq"] : 0,
        };
        double loudnessGainDb = values["loudness.gain"];
        var limiter = new LimiterSettings
        {
            CeilingDbtp = values["limiter.ceiling"],
            LookaheadMs = values["limiter.lookahead"],
            ReleaseMs = values["limiter.release"],
            AutoRelease = values.IsOn("limiter.autorelease"),
        };
        var dither = new DitherSettings
        {
            Bits = values.IsOn("dither.enabled") ? ditherBits : 0,
            NoiseShaping = (int)values["dither.shaping"] switch { 1 => NoiseShaping.FirstOrder, 2 => NoiseShaping.Lipshitz5, _ => NoiseShaping.None },
        };

        // Validate everything before the first setter runs: one rejected value must not leave the chain half-applied.
        CheckRange(trim.GainDb, TrimSettings.MinGainDb, TrimSettings.MaxGainDb, "Input trim", "dB");
        highPass.Validate();
        foreach (EqBandSettings band in bands)
        {
            band.Validate();
        }

        compressor.Validate();
        width.Validate();
        CheckRange(loudnessGainDb, MasteringChain.MinLoudnessGainDb, MasteringChain.MaxLoudnessGainDb, "Loudness gain", "dB");
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
        chain.SetBypass(ChainStage.HighPass, values.IsOn("hpf.bypass"));
        chain.SetBypass(ChainStage.Eq, values.IsOn("eq.bypass"));
        chain.SetBypass(ChainStage.Compressor, values.IsOn("comp.bypass"));
        chain.SetBypass(ChainStage.Width, values.IsOn("width.bypass"));
        chain.SetBypass(ChainStage.Limiter, values.IsOn("limiter.bypass"));
    }

    private static void CheckRange(double value, double min, double max, string name, string unit)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {min}..{max} {unit}.");
        }
    }

    private static EqBandSettings Band(ParameterSet values, EqBandType type, string prefix) => new()
    {
        Type = type,
        FrequencyHz = values[prefix + ".freq"],
        GainDb = values[prefix + ".gain"],
        Q = values[prefix + ".q"],
    };

    private static int Slope(double choice) => Slopes[(int)Math.Clamp(Math.Round(choice), 0, Slopes.Length - 1)];
}
