using HardwareMaster.App.Configuration;

namespace HardwareMaster.App.Recording;

/// <summary><c>run --record DIR</c> and the config's <c>record</c> object, resolved into <see cref="RecorderOptions"/>.</summary>
internal static class RunCommandRecording
{
    /// <summary>The recorder options (<paramref name="folder"/> = <c>--record</c>) (the option's folder over the config's), or <c>null</c>; problems are added to <paramref name="lines"/>.</summary>
    public static RecorderOptions? Resolve(RunConfiguration config, string? folder, List<string> lines)
    {
        RecorderOptions? options = folder is not null ? (config.Record ?? new RecorderOptions(folder)) with { Directory = folder } : config.Record;
        if (options is not null && options.CheckDirectory() is { } problem)
        {
            lines.Add($"{(folder is not null ? "--record" : "record.dir")} {options.Directory}: {problem}");
            return null;
        }

        return options;
    }
}
