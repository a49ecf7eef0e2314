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

    private static List<ParameterDefinition> BuildChain()
    {
        string[] slopes = ChainBinder.SlopesDbPerOctave.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        string[] detectors = ["peak", "rms"];
        string[] shapings = ["off", "first-order", "lipshitz5"];
        var p = new List<ParameterDefinition>
        {
            // Input trim: brings the mix to about -6 dBFS headroom before anything else.
            new("trim.gain", "Input trim", "dB", TrimSettings.MinGainDb, TrimSettings.MaxGainDb, 0, 0.1, Taper.Linear),

            // DC blocker / subsonic high-pass (slope in dB/octave).
            new("hpf.bypass", "HPF bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("hpf.freq", "HPF freq", "Hz", 5, HighPassSettings.MaxFrequencyHz, 20, 0.5, Taper.Logarithmic),
            new("hpf.slope", "HPF slope", "dB/oct", 0, slopes.Length - 1, 1, 1, Taper.Choice, slopes),

            // Parametric EQ: low cut, low shelf, three bells, high shelf, high cut.
            new("eq.bypass", "EQ bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("eq.lowcut.enabled", "Low cut", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("eq.lowcut.freq", "Low cut freq", "Hz", EqBandSettings.MinFrequencyHz, 1000, 30, 0.5, Taper.Logarithmic),
            new("eq.lowcut.slope", "Low cut slope", "dB/oct", 0, slopes.Length - 1, 1, 1, Taper.Choice, slopes),
            new("eq.lowshelf.freq", "Low shelf freq", "Hz", 20, 1000, 100, 1, Taper.Logarithmic),
            new("eq.lowshelf.gain", "Low shelf gain", "dB", -12, 12, 0, 0.1, Taper.Linear),
            new("eq.lowshelf.q", "Low shelf Q", string.Empty, 0.3, 2, 0.707, 0.01, Taper.Logarithmic),
            new("eq.bell1.freq", "Bell 1 freq", "Hz", 20, 20000, 250, 1, Taper.Logarithmic),
            new("eq.bell1.gain", "Bell 1 gain", "dB", -12, 12, 0, 0.1, Taper.Linear),
            new("eq.bell1.q", "Bell 1 Q", string.Empty, 0.1, 10, 1, 0.01, Taper.Logarithmic),
            new("eq.bell2.freq", "Bell 2 freq", "Hz", 20, 20000, 1000, 1, Taper.Logarithmic),
            new("eq.bell2.gain", "Bell 2 gain", "dB", -12, 12, 0, 0.1, Taper.Linear),
            new("eq.bell2.q", "Bell 2 Q", string.Empty, 0.1, 10, 1, 0.01, Taper.Logarithmic),
            new("eq.bell3.freq", "Bell 3 freq", "Hz", 20, 20000, 4000, 1, Taper.Logarithmic),
            new("eq.bell3.gain", "Bell 3 gain", "dB", -12, 12, 0, 0.1, Taper.Linear),
            new("eq.bell3.q", "Bell 3 Q", string.Empty, 0.1, 10, 1, 0.01, Taper.Logarithmic),
            new("eq.highshelf.freq", "High shelf freq", "Hz", 1000, 20000, 10000, 10, Taper.Logarithmic),
            new("eq.highshelf.gain", "High shelf gain", "dB", -12, 12, 0, 0.1, Taper.Linear),
            new("eq.highshelf.q", "High shelf Q", string.Empty, 0.3, 2, 0.707, 0.01, Taper.Logarithmic),
            new("eq.highcut.enabled", "High cut", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("eq.highcut.freq", "High cut freq", "Hz", 2000, 22000, 20000, 10, Taper.Logarithmic),
            new("eq.highcut.slope", "High cut slope", "dB/oct", 0, slopes.Length - 1, 1, 1, Taper.Choice, slopes),

            // Glue compressor: the craft's defaults are 2:1, slow attack, fast release, a few dB of GR.
            new("comp.bypass", "Comp bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("comp.threshold", "Threshold", "dB", CompressorSettings.MinThresholdDb, CompressorSettings.MaxThresholdDb, -18, 0.5, Taper.Linear),
            new("comp.ratio", "Ratio", ":1", CompressorSettings.MinRatio, CompressorSettings.MaxRatio, 2, 0.1, Taper.Logarithmic),
            new("comp.knee", "Knee", "dB", CompressorSettings.MinKneeDb, CompressorSettings.MaxKneeDb, 6, 0.5, Taper.Linear),
            new("comp.attack", "Attack", "ms", CompressorSettings.MinAttackMs, CompressorSettings.MaxAttackMs, 30, 0.01, Taper.Logarithmic),
            new("comp.release", "Release", "ms", CompressorSettings.MinReleaseMs, CompressorSettings.MaxReleaseMs, 100, 0.5, Taper.Logarithmic),
            new("comp.autorelease", "Auto release", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("comp.detector", "Detector", string.Empty, 0, detectors.Length - 1, 1, 1, Taper.Choice, detectors),
            new("comp.link", "Stereo link", "%", CompressorSettings.MinStereoLinkPercent, CompressorSettings.MaxStereoLinkPercent, 100, 1, Taper.Linear),
            new("comp.schpf", "SC high-pass", "Hz", CompressorSettings.MinSidechainHighPassHz, CompressorSettings.MaxSidechainHighPassHz, 90, 0.5, Taper.Logarithmic),
            new("comp.makeup", "Makeup", "dB", CompressorSettings.MinMakeupDb, CompressorSettings.MaxMakeupDb, 0, 0.1, Taper.Linear),
            new("comp.mix", "Dry/wet", "%", CompressorSettings.MinMixPercent, CompressorSettings.MaxMixPercent, 100, 1, Taper.Linear),

            // Stereo: M/S width and mono below a frequency for the low end.
            new("width.bypass", "Width bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("width.width", "Width", "%", WidthSettings.MinWidthPercent, WidthSettings.MaxWidthPercent, 100, 1, Taper.Linear),
            new("width.monobass", "Mono bass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("width.monofreq", "Mono below", "Hz", WidthSettings.MinMonoBelowHz, WidthSettings.MaxMonoBelowHz, 120, 1, Taper.Logarithmic),

            // Loudness: the gain that drives the limiter, and the target the two-pass render aims at.
            new("loudness.gain", "Loudness gain", "dB", -24, 24, 0, 0.1, Taper.Linear),
            new("target.lufs", "Target", "LUFS", -36, -5, -14, 0.5, Taper.Linear),

            // True-peak limiter: last in the chain (before dither).
            new("limiter.bypass", "Limiter bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("limiter.ceiling", "Ceiling", "dBTP", LimiterSettings.MinCeilingDbtp, LimiterSettings.MaxCeilingDbtp, -1, 0.1, Taper.Linear),
            new("limiter.lookahead", "Look-ahead", "ms", LimiterSettings.MinLookaheadMs, LimiterSettings.MaxLookaheadMs, 1, 0.1, Taper.Linear),
            new("limiter.release", "Lim release", "ms", LimiterSettings.MinReleaseMs, LimiterSettings.MaxReleaseMs, 50, 0.1, Taper.Logarithmic),
            new("limiter.autorelease", "Lim auto rel", string.Empty, 0, 1, 1, 1, Taper.Toggle),

            // Dither: only applied when the output word is integer PCM.
            new("dither.enabled", "Dither", string.Empty, 0, 1, 1, 1, Taper.Toggle),
            new("dither.shaping", "Noise shaping", string.Empty, 0, shapings.Length - 1, 0, 1, Taper.Choice, shapings),
        };
        return p;
    }
}
