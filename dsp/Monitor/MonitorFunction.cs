namespace HardwareMaster.Dsp.Monitor;

/// <summary>What the monitor path plays instead of the plain master (issue 14). Never changes the master itself.</summary>
public enum MonitorFunction
{
    /// <summary>The master as it is (the calibration EQ still applies on the monitor path).</summary>
    Off = 0,

    /// <summary>(L+R)/2 on both sides: the mono fold-down.</summary>
    Mono = 1,

    /// <summary>(L−R)/2 on both sides: what only the side channel carries.</summary>
    Side = 2,

    /// <summary>A phone's built-in speaker: mono, no bass, a mid bump, early top roll-off.</summary>
    Phone = 3,

    /// <summary>Consumer earbuds: bass lift, a presence peak.</summary>
    Earbuds = 4,

    /// <summary>A car: cabin-gain low end, a boomy low-mid dip, a dull top.</summary>
    Car = 5,

    /// <summary>What the limiter removes: its delayed input minus its output, at a matched level.</summary>
    Delta = 6,
}

/// <summary>Names of <see cref="MonitorFunction"/> as the CLI and the screen spell them.</summary>
public static class MonitorFunctionNames
{
    private static readonly string[] Names = ["off", "mono", "side", "phone", "earbuds", "car", "delta"];
    private static readonly string[] Short = ["", "MONO", "SIDE", "PHONE", "BUDS", "CAR", "DELTA"];

    /// <summary>Every function's CLI name, in enum order.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>The CLI name (lower case).</summary>
    public static string Name(MonitorFunction function) => Names[(int)function];

    /// <summary>The screen's short upper-case label (empty for <see cref="MonitorFunction.Off"/>); a cached string.</summary>
    public static string Label(MonitorFunction function) => Short[(int)function];

    /// <summary>Parses a CLI name (case-insensitive).</summary>
    public static bool TryParse(string? text, out MonitorFunction function)
    {
        for (int i = 0; i < Names.Length; i++)
        {
            if (string.Equals(text, Names[i], StringComparison.OrdinalIgnoreCase))
            {
                function = (MonitorFunction)i;
                return true;
            }
        }

        function = MonitorFunction.Off;
        return false;
    }
}
