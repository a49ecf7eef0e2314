using System.CommandLine;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Remote.Web;

namespace HardwareMaster.App.Commands;

/// <summary><c>hardwaremaster remote pair [--state-dir DIR] [--config FILE]</c>: prints the pairing secret remote clients need (creating it the first time).</summary>
internal static class RemoteVerb
{
    /// <summary>Builds the <c>remote</c> verb.</summary>
    public static Command Create()
    {
        var stateDir = new Option<string?>("--state-dir") { Description = "The state directory of the run whose secret to print (default: the config's stateDir, else $STATE_DIRECTORY, else /var/lib/hardwaremaster)." };
        var config = new Option<string?>("--config") { Description = $"The run's configuration, for its stateDir key (default {StateDirectoryResolver.DefaultConfigPath} when it exists)." };
        var pair = new Command("pair", "Print the pairing secret that run --remote accepts (the same one the box's SYSTEM page shows); created the first time (mode 0600).")
        {
            stateDir,
            config,
        };
        pair.SetAction(result =>
        {
            string? folder = result.GetValue(stateDir);
            if (folder is null)
            {
                string? configPath = result.GetValue(config) ?? (File.Exists(StateDirectoryResolver.DefaultConfigPath) ? StateDirectoryResolver.DefaultConfigPath : null);
                RunConfiguration? loaded = null;
                if (configPath is not null)
                {
                    try
                    {
                        loaded = RunConfiguration.Load(configPath);
                    }
                    catch (ConfigurationException ex)
                    {
                        foreach (string problem in ex.Problems)
                        {
                            Cli.Error("remote pair: " + problem);
                        }

                        return 2;
                    }
                }

                folder = StateDirectoryResolver.Resolve(null, loaded);
            }

            try
            {
                RemoteSecret secret = RemoteSecret.LoadOrCreate(folder);
                Console.WriteLine(secret.Display);
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                string path = RemoteSecret.PathIn(folder);
                Cli.Error("remote pair: " + (ex.Message.StartsWith(path, StringComparison.Ordinal) ? ex.Message : $"{path}: {ex.Message}"));
                return 1;
            }
        });
        return new Command("remote", "Remote control (the web page of run --remote).") { pair };
    }
}
