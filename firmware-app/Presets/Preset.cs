using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Presets;

/// <summary>A named, described set of parameter values (a genre starting point or a user snapshot).</summary>
/// <param name="Name">Short name used on the CLI and the OLED, e.g. <c>streaming-pop-rock</c>.</param>
/// <param name="Description">One line saying what it is for.</param>
/// <param name="Values">Every parameter's value (defaults for the ones the file did not mention).</param>
public sealed record Preset(string Name, string Description, ParameterSet Values)
{
    /// <summary>Version of the JSON layout this build writes and reads.</summary>
    public const int SchemaVersion = 1;
}

/// <summary>A preset could not be loaded; <see cref="Problems"/> lists every problem, one line each.</summary>
public sealed class PresetException : Exception
{
    /// <summary>Creates the exception from one or more problem lines.</summary>
    public PresetException(string source, IReadOnlyList<string> problems)
        : base(problems.Count == 1 ? $"{source}: {problems[0]}" : $"{source}: {problems.Count} problems: {string.Join("; ", problems)}")
    {
        Source = source;
        Problems = problems;
    }

    /// <summary>The file or resource name the preset came from.</summary>
    public new string Source { get; }

    /// <summary>Each problem as one line, <c>line N: what</c> where the line is known (unknown or duplicate key, wrong type, the parameter id with its value and allowed range).</summary>
    public IReadOnlyList<string> Problems { get; }
}
