using System.Globalization;

namespace HardwareMaster.App.Rendering;

/// <summary>Named loudness targets for <c>--target</c>: the platforms' and broadcasters' integrated loudness.</summary>
public static class LoudnessTargets
{
    /// <summary>The named targets with their integrated loudness in LUFS.</summary>
    public static IReadOnlyDictionary<string, double> Named { get; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["spotify"] = -14, // Spotify, YouTube, Tidal, Amazon Music
        ["youtube"] = -14,
        ["streaming"] = -14,
        ["apple"] = -16, // Apple Music Sound Check
        ["r128"] = -23, // EBU R128 broadcast
        ["ebu"] = -23,
        ["atsc"] = -24, // ATSC A/85 (US broadcast)
    };

    /// <summary>Parses a number in LUFS (inside the range of the <c>target.lufs</c> parameter) or a name (spotify, apple, r128, atsc).</summary>
    public static bool TryParse(string text, out double lufs, out string? error)
    {
        error = null;
        string t = text.Trim();
        if (Named.TryGetValue(t, out lufs))
        {
            return true;
        }

        if (t.EndsWith("LUFS", StringComparison.OrdinalIgnoreCase))
        {
            t = t[..^4].TrimEnd();
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out lufs) || !double.IsFinite(lufs))
        {
            error = $"--target '{text}' is neither a loudness in LUFS nor one of {string.Join(", ", Named.Keys)}";
            return false;
        }

        Parameters.ParameterDefinition range = Parameters.ParameterRegistry.Chain[Parameters.ParameterIds.TargetLufs];
        if (!range.IsValid(lufs))
        {
            error = $"--target {lufs.ToString(CultureInfo.InvariantCulture)} LUFS is outside {range.RangeText}";
            return false;
        }

        return true;
    }
}
