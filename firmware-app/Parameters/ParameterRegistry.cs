using System.Collections.Frozen;

namespace HardwareMaster.App.Parameters;

/// <summary>
/// The single list of every parameter of the mastering chain. Presets, the CLI's <c>--set</c>,
/// the knobs and the screens all look parameters up here; nothing else hard-codes an id or range.
/// </summary>
/// <remarks>Immutable after construction; safe to read from any thread.</remarks>
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
        string[] slopes = ["6", "12", "18", "24", "36", "48"];
        string[] detectors = ["peak", "rms"];
        string[] shapings = ["off", "first-order", "lipshitz5"];
        var p = new List<ParameterDefinition>
        {
            // Input trim: brings the mix to about -6 dBFS headroom before anything else.
            new("trim.gain", "Input trim", "dB", -24, 24, 0, 0.1, Taper.Linear),

            // DC blocker / subsonic high-pass (slope in dB/octave).
            new("hpf.bypass", "HPF bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("hpf.freq", "HPF freq", "Hz", 5, 300, 20, 0.5, Taper.Logarithmic),
            new("hpf.slope", "HPF slope", "dB/oct", 0, slopes.Length - 1, 1, 1, Taper.Choice, slopes),

            // Parametric EQ: low cut, low shelf, three bells, high shelf, high cut.
            new("eq.bypass", "EQ bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("eq.lowcut.enabled", "Low cut", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("eq.lowcut.freq", "Low cut freq", "Hz", 10, 1000, 30, 0.5, Taper.Logarithmic),
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
            new("comp.threshold", "Threshold", "dB", -60, 0, -18, 0.5, Taper.Linear),
            new("comp.ratio", "Ratio", ":1", 1, 10, 2, 0.1, Taper.Logarithmic),
            new("comp.knee", "Knee", "dB", 0, 24, 6, 0.5, Taper.Linear),
            new("comp.attack", "Attack", "ms", 0.1, 100, 30, 0.01, Taper.Logarithmic),
            new("comp.release", "Release", "ms", 10, 2000, 100, 0.5, Taper.Logarithmic),
            new("comp.autorelease", "Auto release", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("comp.detector", "Detector", string.Empty, 0, detectors.Length - 1, 1, 1, Taper.Choice, detectors),
            new("comp.link", "Stereo link", "%", 0, 100, 100, 1, Taper.Linear),
            new("comp.schpf", "SC high-pass", "Hz", 10, 500, 90, 0.5, Taper.Logarithmic),
            new("comp.makeup", "Makeup", "dB", 0, 24, 0, 0.1, Taper.Linear),
            new("comp.mix", "Dry/wet", "%", 0, 100, 100, 1, Taper.Linear),

            // Stereo: M/S width and mono below a frequency for the low end.
            new("width.bypass", "Width bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("width.width", "Width", "%", 0, 200, 100, 1, Taper.Linear),
            new("width.monobass", "Mono bass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("width.monofreq", "Mono below", "Hz", 20, 500, 120, 1, Taper.Logarithmic),

            // Loudness: the gain that drives the limiter, and the target the two-pass render aims at.
            new("loudness.gain", "Loudness gain", "dB", -24, 24, 0, 0.1, Taper.Linear),
            new("target.lufs", "Target", "LUFS", -36, -5, -14, 0.5, Taper.Linear),

            // True-peak limiter: last in the chain (before dither).
            new("limiter.bypass", "Limiter bypass", string.Empty, 0, 1, 0, 1, Taper.Toggle),
            new("limiter.ceiling", "Ceiling", "dBTP", -10, 0, -1, 0.1, Taper.Linear),
            new("limiter.lookahead", "Look-ahead", "ms", 0.5, 5, 1, 0.1, Taper.Linear),
            new("limiter.release", "Lim release", "ms", 1, 1000, 50, 0.1, Taper.Logarithmic),
            new("limiter.autorelease", "Lim auto rel", string.Empty, 0, 1, 1, 1, Taper.Toggle),

            // Dither: only applied when the output word is integer PCM.
            new("dither.enabled", "Dither", string.Empty, 0, 1, 1, 1, Taper.Toggle),
            new("dither.shaping", "Noise shaping", string.Empty, 0, shapings.Length - 1, 0, 1, Taper.Choice, shapings),
        };
        return p;
    }
}
