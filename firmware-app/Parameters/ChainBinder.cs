using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.App.Parameters;

/// <summary>
/// Maps registry values onto <see cref="MasteringChain"/> settings: the one place that knows how a
/// parameter id becomes a stage setting. Runs on the control thread (it builds immutable settings and the
/// chain designs filters here; the audio thread only swaps the results in at the next block).
/// </summary>
public static class ChainBinder
{
    private static readonly int[] Slopes = [6, 12, 18, 24, 36, 48];

    /// <summary>Applies every parameter of <paramref name="values"/> to <paramref name="chain"/>.</summary>
    /// <param name="values">The parameter values.</param>
    /// <param name="chain">The chain to configure.</param>
    /// <param name="ditherBits">Output word length: 16 or 24 for integer PCM (dither applies when enabled), 0 for float output (no dither).</param>
    public static void ApplyAll(ParameterSet values, MasteringChain chain, int ditherBits)
    {
        chain.SetTrim(new TrimSettings { GainDb = values["trim.gain"] });
        chain.SetHighPass(new HighPassSettings { FrequencyHz = values["hpf.freq"], SlopeDbPerOctave = Slope(values["hpf.slope"]) });
        chain.SetEqBand(0, new EqBandSettings
        {
            Type = EqBandType.HighPass,
            Enabled = values.IsOn("eq.lowcut.enabled"),
            FrequencyHz = values["eq.lowcut.freq"],
            SlopeDbPerOctave = Slope(values["eq.lowcut.slope"]),
        });
        chain.SetEqBand(1, Band(values, EqBandType.LowShelf, "eq.lowshelf"));
        chain.SetEqBand(2, Band(values, EqBandType.Bell, "eq.bell1"));
        chain.SetEqBand(3, Band(values, EqBandType.Bell, "eq.bell2"));
        chain.SetEqBand(4, Band(values, EqBandType.Bell, "eq.bell3"));
        chain.SetEqBand(5, Band(values, EqBandType.HighShelf, "eq.highshelf"));
        chain.SetEqBand(6, new EqBandSettings
        {
            Type = EqBandType.LowPass,
            Enabled = values.IsOn("eq.highcut.enabled"),
            FrequencyHz = values["eq.highcut.freq"],
            SlopeDbPerOctave = Slope(values["eq.highcut.slope"]),
        });
        chain.SetCompressor(new CompressorSettings
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
        });
        chain.SetWidth(new WidthSettings
        {
            WidthPercent = values["width.width"],
            MonoBelowHz = values.IsOn("width.monobass") ? values["width.monofreq"] : 0,
        });
        chain.SetLoudnessGainDb(values["loudness.gain"]);
        chain.SetLimiter(new LimiterSettings
        {
            CeilingDbtp = values["limiter.ceiling"],
            LookaheadMs = values["limiter.lookahead"],
            ReleaseMs = values["limiter.release"],
            AutoRelease = values.IsOn("limiter.autorelease"),
        });
        chain.SetDither(new DitherSettings
        {
            Bits = values.IsOn("dither.enabled") ? ditherBits : 0,
            NoiseShaping = (int)values["dither.shaping"] switch { 1 => NoiseShaping.FirstOrder, 2 => NoiseShaping.Lipshitz5, _ => NoiseShaping.None },
        });
        chain.SetBypass(ChainStage.HighPass, values.IsOn("hpf.bypass"));
        chain.SetBypass(ChainStage.Eq, values.IsOn("eq.bypass"));
        chain.SetBypass(ChainStage.Compressor, values.IsOn("comp.bypass"));
        chain.SetBypass(ChainStage.Width, values.IsOn("width.bypass"));
        chain.SetBypass(ChainStage.Limiter, values.IsOn("limiter.bypass"));
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
