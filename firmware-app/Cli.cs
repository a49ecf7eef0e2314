using System.CommandLine;
using HardwareMaster.App.Commands;

namespace HardwareMaster.App;

/// <summary>The command line: one verb per job, all on the same engine.</summary>
internal static class Cli
{
    /// <summary>Parses <paramref name="args"/> and runs the verb; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("HardwareMaster: a real-time stereo mastering processor (EQ, glue compression, width, loudness, true-peak limiting, dither) with honest meters.");
        root.Subcommands.Add(MeasureCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ParametersCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(SelftestCommand.Create());
        return root.Parse(args).Invoke();
    }

    /// <summary>Writes one error line, prefixed with the program name, to standard error.</summary>
    public static void Error(string message) => Console.Error.WriteLine($"hardwaremaster: {message}");
}
