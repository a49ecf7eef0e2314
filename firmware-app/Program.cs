namespace HardwareMaster.App;

/// <summary>Entry point of the <c>hardwaremaster</c> executable.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args) => Cli.Run(args);
}
