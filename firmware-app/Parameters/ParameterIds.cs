namespace HardwareMaster.App.Parameters;

/// <summary>
/// The id of every parameter of <see cref="ParameterRegistry.Chain"/> as a constant, so code that names a parameter
/// fails to compile on a typo instead of throwing <see cref="KeyNotFoundException"/> at run time. The registry is
/// still the one list of ranges and defaults; a test checks that these constants and the registry hold the same ids.
/// </summary>
public static class ParameterIds
{
    /// <summary><c>trim.gain</c>: Input trim.</summary>
    public const string TrimGain = "trim.gain";

    /// <summary><c>hpf.bypass</c>: HPF bypass.</summary>
    public const string HpfBypass = "hpf.bypass";

    /// <summary><c>hpf.freq</c>: HPF freq.</summary>
    public const string HpfFreq = "hpf.freq";

    /// <summary><c>hpf.slope</c>: HPF slope.</summary>
    public const string HpfSlope = "hpf.slope";

    /// <summary><c>eq.bypass</c>: EQ bypass.</summary>
    public const string EqBypass = "eq.bypass";

    /// <summary><c>eq.lowcut.enabled</c>: Low cut.</summary>
    public const string EqLowCutEnabled = "eq.lowcut.enabled";

    /// <summary><c>eq.lowcut.freq</c>: Low cut freq.</summary>
    public const string EqLowCutFreq = "eq.lowcut.freq";

    /// <summary><c>eq.lowcut.slope</c>: Low cut slope.</summary>
    public const string EqLowCutSlope = "eq.lowcut.slope";

    /// <summary><c>eq.lowshelf.freq</c>: Low shelf freq.</summary>
    public const string EqLowShelfFreq = "eq.lowshelf.freq";

    /// <summary><c>eq.lowshelf.gain</c>: Low shelf gain.</summary>
    public const string EqLowShelfGain = "eq.lowshelf.gain";

    /// <summary><c>eq.lowshelf.q</c>: Low shelf Q.</summary>
    public const string EqLowShelfQ = "eq.lowshelf.q";

    /// <summary><c>eq.bell1.freq</c>: Bell 1 freq.</summary>
    public const string EqBell1Freq = "eq.bell1.freq";

    /// <summary><c>eq.bell1.gain</c>: Bell 1 gain.</summary>
    public const string EqBell1Gain = "eq.bell1.gain";

    /// <summary><c>eq.bell1.q</c>: Bell 1 Q.</summary>
    public const string EqBell1Q = "eq.bell1.q";

    /// <summary><c>eq.bell2.freq</c>: Bell 2 freq.</summary>
    public const string EqBell2Freq = "eq.bell2.freq";

    /// <summary><c>eq.bell2.gain</c>: Bell 2 gain.</summary>
    public const string EqBell2Gain = "eq.bell2.gain";

    /// <summary><c>eq.bell2.q</c>: Bell 2 Q.</summary>
    public const string EqBell2Q = "eq.bell2.q";

    /// <summary><c>eq.bell3.freq</c>: Bell 3 freq.</summary>
    public const string EqBell3Freq = "eq.bell3.freq";

    /// <summary><c>eq.bell3.gain</c>: Bell 3 gain.</summary>
    public const string EqBell3Gain = "eq.bell3.gain";

    /// <summary><c>eq.bell3.q</c>: Bell 3 Q.</summary>
    public const string EqBell3Q = "eq.bell3.q";

    /// <summary><c>eq.highshelf.freq</c>: High shelf freq.</summary>
    public const string EqHighShelfFreq = "eq.highshelf.freq";

    /// <summary><c>eq.highshelf.gain</c>: High shelf gain.</summary>
    public const string EqHighShelfGain = "eq.highshelf.gain";

    /// <summary><c>eq.highshelf.q</c>: High shelf Q.</summary>
    public const string EqHighShelfQ = "eq.highshelf.q";

    /// <summary><c>eq.highcut.enabled</c>: High cut.</summary>
    public const string EqHighCutEnabled = "eq.highcut.enabled";

    /// <summary><c>eq.highcut.freq</c>: High cut freq.</summary>
    public const string EqHighCutFreq = "eq.highcut.freq";

    /// <summary><c>eq.highcut.slope</c>: High cut slope.</summary>
    public const string EqHighCutSlope = "eq.highcut.slope";

    /// <summary><c>comp.bypass</c>: Comp bypass.</summary>
    public const string CompBypass = "comp.bypass";

    /// <summary><c>comp.threshold</c>: Threshold.</summary>
    public const string CompThreshold = "comp.threshold";

    /// <summary><c>comp.ratio</c>: Ratio.</summary>
    public const string CompRatio = "comp.ratio";

    /// <summary><c>comp.knee</c>: Knee.</summary>
    public const string CompKnee = "comp.knee";

    /// <summary><c>comp.attack</c>: Attack.</summary>
    public const string CompAttack = "comp.attack";

    /// <summary><c>comp.release</c>: Release.</summary>
    public const string CompRelease = "comp.release";

    /// <summary><c>comp.autorelease</c>: Auto release.</summary>
    public const string CompAutoRelease = "comp.autorelease";

    /// <summary><c>comp.detector</c>: Detector.</summary>
    public const string CompDetector = "comp.detector";

    /// <summary><c>comp.link</c>: Stereo link.</summary>
    public const string CompLink = "comp.link";

    /// <summary><c>comp.schpf</c>: SC high-pass.</summary>
    public const string CompSidechainHighPass = "comp.schpf";

    /// <summary><c>comp.makeup</c>: Makeup.</summary>
    public const string CompMakeup = "comp.makeup";

    /// <summary><c>comp.mix</c>: Dry/wet.</summary>
    public const string CompMix = "comp.mix";

    /// <summary><c>width.bypass</c>: Width bypass.</summary>
    public const string WidthBypass = "width.bypass";

    /// <summary><c>width.width</c>: Width.</summary>
    public const string Width = "width.width";

    /// <summary><c>width.monobass</c>: Mono bass.</summary>
    public const string WidthMonoBass = "width.monobass";

    /// <summary><c>width.monofreq</c>: Mono below.</summary>
    public const string WidthMonoFreq = "width.monofreq";

    /// <summary><c>loudness.gain</c>: Loudness gain.</summary>
    public const string LoudnessGain = "loudness.gain";

    /// <summary><c>target.lufs</c>: Target.</summary>
    public const string TargetLufs = "target.lufs";

    /// <summary><c>limiter.bypass</c>: Limiter bypass.</summary>
    public const string LimiterBypass = "limiter.bypass";

    /// <summary><c>limiter.ceiling</c>: Ceiling.</summary>
    public const string LimiterCeiling = "limiter.ceiling";

    /// <summary><c>limiter.lookahead</c>: Look-ahead.</summary>
    public const string LimiterLookahead = "limiter.lookahead";

    /// <summary><c>limiter.release</c>: Lim release.</summary>
    public const string LimiterRelease = "limiter.release";

    /// <summary><c>limiter.autorelease</c>: Lim auto rel.</summary>
    public const string LimiterAutoRelease = "limiter.autorelease";

    /// <summary><c>dither.enabled</c>: Dither.</summary>
    public const string DitherEnabled = "dither.enabled";

    /// <summary><c>dither.shaping</c>: Noise shaping.</summary>
    public const string DitherShaping = "dither.shaping";
}
