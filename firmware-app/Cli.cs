namespace HardwareMaster.App;

/// <summary>The command line: one verb per job, all on the same engine.</summary>
internal static class Cli
{
    /// <summary>Parses <paramref name="args"/> and runs the verb; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("hardwaremaster: no verbs yet");
        return args.Length == 0 ? 0 : 2;
    }
}
