using System.Globalization;
using HardwareMaster.App.Box;

namespace HardwareMaster.App.Tests.Box;

/// <summary>
/// The child process of <see cref="BoxPresetKillTests"/>: saves user slot <see cref="Slot"/> and the last state in a
/// loop, generation after generation, printing <c>saved N</c> after both saves of generation N returned, until it is killed.
/// </summary>
internal static class PresetWriterProcess
{
    /// <summary>The state directory to write (set: run as the writer).</summary>
    public const string DirectoryVariable = "HM_TEST_PRESET_WRITER_DIR";

    /// <summary>The first generation to save.</summary>
    public const string FirstGenerationVariable = "HM_TEST_PRESET_WRITER_FIRST";

    /// <summary>The test process: the writer stops by itself when it is gone.</summary>
    public const string ParentVariable = "HM_TEST_PRESET_WRITER_PARENT";

    /// <summary>The user slot it saves (0-based).</summary>
    public const int Slot = 2;

    /// <summary>Saves until killed; returns 3 (and says why on stderr) when a save fails.</summary>
    public static int Run(string directory, string? first)
    {
        int generation = int.Parse(first ?? "0", CultureInfo.InvariantCulture);
        string? parent = Environment.GetEnvironmentVariable(ParentVariable);
        var backend = new FakeBoxBackend();
        var store = new BoxPresetStore(backend, directory);
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        while (true)
        {
            PresetGenerations.Set(backend, generation);
            if (!store.SaveUser(Slot) || !store.SaveState())
            {
                Console.Error.WriteLine(store.LastProblem);
                return 3;
            }

            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {generation}"));
            Console.Out.Flush();
            generation++;
            if (parent is not null && generation % 64 == 0 && !Directory.Exists("/proc/" + parent))
            {
                return 4; // the test is gone: do not write forever
            }
        }
    }
}
