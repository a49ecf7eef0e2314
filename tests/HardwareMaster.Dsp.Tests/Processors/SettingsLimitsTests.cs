using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.Dsp.Tests.Processors;

/// <summary>
/// Each settings type's public range constants are exactly what its validation accepts (the parameter registry takes
/// its ranges from these constants, so they must be the truth): both edges pass, the next double outside each fails.
/// </summary>
public class SettingsLimitsTests
{
    public static TheoryData<string, double, double> Limits() => new()
    {
        { "comp.threshold", CompressorSettings.MinThresholdDb, CompressorSettings.MaxThresholdDb },
        { "comp.ratio", CompressorSettings.MinRatio, CompressorSettings.MaxRatio },
        { "comp.knee", CompressorSettings.MinKneeDb, CompressorSettings.MaxKneeDb },
        { "comp.attack", CompressorSettings.MinAttackMs, CompressorSettings.MaxAttackMs },
        { "comp.release", CompressorSettings.MinReleaseMs, CompressorSettings.MaxReleaseMs },
        { "comp.link", CompressorSettings.MinStereoLinkPercent, CompressorSettings.MaxStereoLinkPercent },
        { "comp.schpf", CompressorSettings.MinSidechainHighPassHz, CompressorSettings.MaxSidechainHighPassHz },
        { "comp.makeup", CompressorSettings.MinMakeupDb, CompressorSettings.MaxMakeupDb },
        { "comp.mix", CompressorSettings.MinMixPercent, CompressorSettings.MaxMixPercent },
        { "limiter.ceiling", LimiterSettings.MinCeilingDbtp, LimiterSettings.MaxCeilingDbtp },
        { "limiter.lookahead", LimiterSettings.MinLookaheadMs, LimiterSettings.MaxLookaheadMs },
        { "limiter.release", LimiterSettings.MinReleaseMs, LimiterSettings.MaxReleaseMs },
        { "eq.freq", EqBandSettings.MinFrequencyHz, EqBandSettings.MaxFrequencyHz },
        { "eq.gain", -EqBandSettings.MaxAbsGainDb, EqBandSettings.MaxAbsGainDb },
        { "eq.q", EqBandSettings.MinQ, EqBandSettings.MaxQ },
        { "hpf.freq", HighPassSettings.MinFrequencyHz, HighPassSettings.MaxFrequencyHz },
        { "width.width", WidthSettings.MinWidthPercent, WidthSettings.MaxWidthPercent },
        { "width.monofreq", WidthSettings.MinMonoBelowHz, WidthSettings.MaxMonoBelowHz },
        { "trim.gain", TrimSettings.MinGainDb, TrimSettings.MaxGainDb },
    };

    private static void Validate(string field, double value)
    {
        switch (field)
        {
            case "comp.threshold": new CompressorSettings { ThresholdDb = value }.Validate(); break;
            case "comp.ratio": new CompressorSettings { Ratio = value }.Validate(); break;
            case "comp.knee": new CompressorSettings { KneeDb = value }.Validate(); break;
            case "comp.attack": new CompressorSettings { AttackMs = value }.Validate(); break;
            case "comp.release": new CompressorSettings { ReleaseMs = value }.Validate(); break;
            case "comp.link": new CompressorSettings { StereoLinkPercent = value }.Validate(); break;
            case "comp.schpf": new CompressorSettings { SidechainHighPassHz = value }.Validate(); break;
            case "comp.makeup": new CompressorSettings { MakeupDb = value }.Validate(); break;
            case "comp.mix": new CompressorSettings { MixPercent = value }.Validate(); break;
            case "limiter.ceiling": new LimiterSettings { CeilingDbtp = value }.Validate(); break;
            case "limiter.lookahead": new LimiterSettings { LookaheadMs = value }.Validate(); break;
            case "limiter.release": new LimiterSettings { ReleaseMs = value }.Validate(); break;
            case "eq.freq": new EqBandSettings { FrequencyHz = value }.Validate(); break;
            case "eq.gain": new EqBandSettings { GainDb = value }.Validate(); break;
            case "eq.q": new EqBandSettings { Q = value }.Validate(); break;
            case "hpf.freq": new HighPassSettings { FrequencyHz = value }.Validate(); break;
            case "width.width": new WidthSettings { WidthPercent = value }.Validate(); break;
            case "width.monofreq": new WidthSettings { MonoBelowHz = value }.Validate(); break;
            case "trim.gain": new MasteringChain().SetTrim(new TrimSettings { GainDb = value }); break;
            default: throw new ArgumentException($"no case for {field}", nameof(field));
        }
    }

    [Theory]
    [MemberData(nameof(Limits))]
    public void Validate_AtEachConstantEdge_Accepts(string field, double min, double max)
    {
        Validate(field, min);
        Validate(field, max);
    }

    [Theory]
    [MemberData(nameof(Limits))]
    public void Validate_JustOutsideEachConstantEdge_Throws(string field, double min, double max)
    {
        // (0 means "off" for the side-chain high-pass and mono-below; their lower edges are above 0, so the gap below is checked too.)
        Assert.Throws<ArgumentOutOfRangeException>(() => Validate(field, Math.BitIncrement(max)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Validate(field, Math.BitDecrement(min)));
    }
}
