using System.Collections.Frozen;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.App.Parameters;

/// <summary>
/// The single list of every parameter of the mastering chain. Presets, the CLI's <c>--set</c>,
/// the knobs and the screens all look parameters up here; nothing else hard-codes an id or range.
/// </summary>
/// <remarks>
/// <para>Immutable after construction; safe to read from any thread.</para>
/// <para>
/// Every range lies inside what the DSP stage it feeds accepts: an edge that is the stage's own limit is taken from
/// that stage's settings constants (e.g. <see cref="CompressorSettings.MinSidechainHighPassHz"/>), so the two cannot
/// drift apart; the other edges are narrower product choices (a knob's useful travel, e.g. ±12 dB EQ gain where the
/// EQ accepts ±24). Frequencies near the top of a range that are above a low sample rate's Nyquist limit are
/// clamped by the filter design (0.49·fs), never rejected.
/// </para>
/// </remarks>
public sealed class ParameterRegistry
{
    private readonly FrozenDictionary<string, int> _indexById;

    private ParameterRegistry(IReadOnlyList<ParameterDefinition> definitions)
    {
        All = definitions;
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < definitions.Count; i++)
        {
            if (!map.TryAdd(definitions[i].Id, i))
            {
                throw new InvalidOperationException($"Parameter id '{definitions[i].Id}' is defined twice.");
            }
        }

        _indexById = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>A registry of <paramref name="definitions"/> (tests build variants of <see cref="Chain"/> with it).</summary>
    /// <exception cref="InvalidOperationException">An id is defined twice.</exception>
    internal static ParameterRegistry Create(IReadOnlyList<ParameterDefinition> definitions) => new(definitions);

    /// <summary>The registry of the mastering chain, in signal order.</summary>
    public static ParameterRegistry Chain { get; } = new(BuildChain());

    /// <summary>Every definition, in signal order (the order screens show them).</summary>
    public IReadOnlyList<ParameterDefinition> All { get; }

    /// <summary>Number of parameters.</summary>
    public int Count => All.Count;

    /// <summary>Looks a parameter up by id.</summary>
    public bool TryGetIndex(string id, out int index) => _indexById.TryGetValue(id, out index);

    /// <summary>The definition with <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">No parameter has that id.</exception>
    public ParameterDefinition this[string id] =>
        TryGetIndex(id, out int index) ? All[index] : throw new KeyNotFoundException($"unknown parameter '{id}'");

    /// <summary>Index of <paramref name="id"/>; throws for unknown ids (for code that names parameters it knows exist).</summary>
    public int IndexOf(string id) =>
        TryGetIndex(id, out int index) ? index : throw new KeyNotFoundException($"unknown parameter '{id}'");

    // Coarse detents for a full sweep of every logarithmic parameter: the same for all, so each frequency, Q and time
    // knob feels alike (a 20 Hz-20 kHz bell moves 1/12 octave per detent; fine mode, 1/120 octave).
    private const int LogSweep = 120;

    private static List<ParameterDefinition> BuildChain()
    {
        string[] slopes = ChainBinder.SlopesDbPerOctave.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        string[] detectors = ["peak", "rms"];
        string[] shapings = ["off", "first-order", "lipshitz5"];
        var p = new List<ParameterDefinition>
        {
            // Input trim: brings the mix to about -6 dBFS headroom before anything else.
            new(ParameterIds.TrimGain, "Input trim", "dB", TrimSettings.MinGainDb, TrimSettings.MaxGainDb, 0, 0.1, Taper.Linear),

            // DC blocker / subsonic high-pass (slope in dB/octave).
            new(ParameterIds.HpfBypass, "HPF bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new(ParameterIds.HpfFreq, "HPF freq", "Hz", 5, HighPassSettings.MaxFrequencyHz, 20, 0.5, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.HpfSlope, "HPF slope", "dB/oct", 0, slopes.Length - 1, 1, 1, Taper.Choice, slopes),

            // Parametric EQ: low cut, low shelf, three bells, high shelf, high cut.
            new(ParameterIds.EqBypass, "EQ bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new(ParameterIds.EqLowCutEnabled, "Low cut", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new(ParameterIds.EqLowCutFreq, "Low cut freq", "Hz", EqBandSettings.MinFrequencyHz, 1000, 30, 0.5, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqLowCutSlope, "Low cut slope", "dB/oct", 0, slopes.Length - 1, 1, 1, Taper.Choice, slopes),
            new(ParameterIds.EqLowShelfFreq, "Low shelf freq", "Hz", 20, 1000, 100, 1, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqLowShelfGain, "Low shelf gain", "dB", -12, 12, 0, 0.1, Taper.Linear),
            new(ParameterIds.EqLowShelfQ, "Low shelf Q", string.Empty, 0.3, 2, 0.707, 0.01, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqBell1Freq, "Bell 1 freq", "Hz", 20, 20000, 250, 1, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqBell1Gain, "Bell 1 gain", "dB", -12, 12, 0, 0.1, Taper.Linear),
            new(ParameterIds.EqBell1Q, "Bell 1 Q", string.Empty, 0.1, 10, 1, 0.01, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqBell2Freq, "Bell 2 freq", "Hz", 20, 20000, 1000, 1, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqBell2Gain, "Bell 2 gain", "dB", -12, 12, 0, 0.1, Taper.Linear),
            new(ParameterIds.EqBell2Q, "Bell 2 Q", string.Empty, 0.1, 10, 1, 0.01, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqBell3Freq, "Bell 3 freq", "Hz", 20, 20000, 4000, 1, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqBell3Gain, "Bell 3 gain", "dB", -12, 12, 0, 0.1, Taper.Linear),
            new(ParameterIds.EqBell3Q, "Bell 3 Q", string.Empty, 0.1, 10, 1, 0.01, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqHighShelfFreq, "High shelf freq", "Hz", 1000, 20000, 10000, 10, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqHighShelfGain, "High shelf gain", "dB", -12, 12, 0, 0.1, Taper.Linear),
            new(ParameterIds.EqHighShelfQ, "High shelf Q", string.Empty, 0.3, 2, 0.707, 0.01, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqHighCutEnabled, "High cut", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new(ParameterIds.EqHighCutFreq, "High cut freq", "Hz", 2000, 22000, 20000, 10, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.EqHighCutSlope, "High cut slope", "dB/oct", 0, slopes.Length - 1, 1, 1, Taper.Choice, slopes),

            // Glue compressor: the craft's defaults are 2:1, slow attack, fast release, a few dB of GR.
            new(ParameterIds.CompBypass, "Comp bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new(ParameterIds.CompThreshold, "Threshold", "dB", CompressorSettings.MinThresholdDb, CompressorSettings.MaxThresholdDb, -18, 0.5, Taper.Linear),
            new(ParameterIds.CompRatio, "Ratio", ":1", CompressorSettings.MinRatio, CompressorSettings.MaxRatio, 2, 0.1, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.CompKnee, "Knee", "dB", CompressorSettings.MinKneeDb, CompressorSettings.MaxKneeDb, 6, 0.5, Taper.Linear),
            new(ParameterIds.CompAttack, "Attack", "ms", CompressorSettings.MinAttackMs, CompressorSettings.MaxAttackMs, 30, 0.01, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.CompRelease, "Release", "ms", CompressorSettings.MinReleaseMs, CompressorSettings.MaxReleaseMs, 100, 0.5, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.CompAutoRelease, "Auto release", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new(ParameterIds.CompDetector, "Detector", string.Empty, 0, detectors.Length - 1, 1, 1, Taper.Choice, detectors),
            new(ParameterIds.CompLink, "Stereo link", "%", CompressorSettings.MinStereoLinkPercent, CompressorSettings.MaxStereoLinkPercent, 100, 1, Taper.Linear),
            new(ParameterIds.CompSidechainHighPass, "SC high-pass", "Hz", CompressorSettings.MinSidechainHighPassHz, CompressorSettings.MaxSidechainHighPassHz, 90, 0.5, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.CompMakeup, "Makeup", "dB", CompressorSettings.MinMakeupDb, CompressorSettings.MaxMakeupDb, 0, 0.1, Taper.Linear),
            new(ParameterIds.CompMix, "Dry/wet", "%", CompressorSettings.MinMixPercent, CompressorSettings.MaxMixPercent, 100, 1, Taper.Linear),

            // Stereo: M/S width and mono below a frequency for the low end.
            new(ParameterIds.WidthBypass, "Width bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new(ParameterIds.Width, "Width", "%", WidthSettings.MinWidthPercent, WidthSettings.MaxWidthPercent, 100, 1, Taper.Linear),
            new(ParameterIds.WidthMonoBass, "Mono bass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new(ParameterIds.WidthMonoFreq, "Mono below", "Hz", WidthSettings.MinMonoBelowHz, WidthSettings.MaxMonoBelowHz, 120, 1, Taper.Logarithmic) { StepsPerSweep = LogSweep },

            // Loudness: the gain that drives the limiter, and the target the two-pass render aims at.
            new(ParameterIds.LoudnessGain, "Loudness gain", "dB", -24, 24, 0, 0.1, Taper.Linear),
            new(ParameterIds.TargetLufs, "Target", "LUFS", -36, -5, -14, 0.5, Taper.Linear),

            // True-peak limiter: last in the chain (before dither).
            new(ParameterIds.LimiterBypass, "Limiter bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new(ParameterIds.LimiterCeiling, "Ceiling", "dBTP", LimiterSettings.MinCeilingDbtp, LimiterSettings.MaxCeilingDbtp, -1, 0.1, Taper.Linear),
            new(ParameterIds.LimiterLookahead, "Look-ahead", "ms", LimiterSettings.MinLookaheadMs, LimiterSettings.MaxLookaheadMs, 1, 0.1, Taper.Linear),
            new(ParameterIds.LimiterRelease, "Lim release", "ms", LimiterSettings.MinReleaseMs, LimiterSettings.MaxReleaseMs, 50, 0.1, Taper.Logarithmic) { StepsPerSweep = LogSweep },
            new(ParameterIds.LimiterAutoRelease, "Lim auto rel", string.Empty, 0, 1, 1, 1, Taper.Toggle),

            // Dither: only applied when the output word is integer PCM.
            new(ParameterIds.DitherEnabled, "Dither", string.Empty, 0, 1, 1, 1, Taper.Toggle),
            new(ParameterIds.DitherShaping, "Noise shaping", string.Empty, 0, shapings.Length - 1, 0, 1, Taper.Choice, shapings),
        };
        return p;
    }
}
