using HardwareMaster.App.Tests.Box;

/// <summary>
/// Entry point of the preset-writer child process of <see cref="BoxPresetKillTests"/>. The runtime calls
/// <c>StartupHook.Initialize</c> (this exact name, in no namespace) in every assembly listed in
/// <c>DOTNET_STARTUP_HOOKS</c> before <c>Main</c>; the kill test starts <c>dotnet HardwareMaster.App.Tests.dll</c>
/// with that variable pointing at this assembly, so the child needs no project of its own. Without
/// <see cref="PresetWriterProcess.DirectoryVariable"/> set it does nothing.
/// </summary>
internal static class StartupHook
{
    /// <summary>Runs the writer loop (never returns) when the test asked for it.</summary>
    public static void Initialize()
    {
        string? directory = Environment.GetEnvironmentVariable(PresetWriterProcess.DirectoryVariable);
        if (!string.IsNullOrEmpty(directory))
        {
            Environment.Exit(PresetWriterProcess.Run(directory, Environment.GetEnvironmentVariable(PresetWriterProcess.FirstGenerationVariable)));
        }
    }
}
