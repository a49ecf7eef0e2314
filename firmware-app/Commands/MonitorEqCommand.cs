using System.CommandLine;
using System.Globalization;
using HardwareMaster.App.Box;
using HardwareMaster.App.Monitor;
using HardwareMaster.Dsp.Monitor;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Commands;

/// <summary>
/// <c>hardwaremaster monitor-eq import FILE | show | clear [--state-dir DIR]</c>: the monitor correction EQ from a Room EQ
/// Wizard filter-settings text export (issue 14, item 6), stored in <c>STATE/monitor-eq.json</c>.
/// </summary>
/// <remarks>
/// Import is all or nothing: every line that is not a usable filter is reported with its line number (errors and skipped
/// filters alike); any error, or no usable filter at all, exits 1 and stores nothing (a half-applied room correction is
/// worse than none). Skipped lines (OFF, None) alone do not fail the import.
/// </remarks>
internal static class MonitorEqCommand
{
    /// <summary>Largest filter-settings file read.</summary>
    private const long MaxFileBytes = 1 << 20;

    /// <summary>Builds the <c>monitor-eq</c> verb.</summary>
    public static Command Create()
    {
        var importCommand = new Command("import", "Validate a Room EQ Wizard filter-settings text export (EQ window: export filter settings as text) and store it as the monitor correction EQ; the running box applies it at start or on MONITOR > Reload EQ.");
        var file = new Argument<string>("FILE") { Description = "The REW filter-settings .txt file." };
        importCommand.Arguments.Add(file);
        Option<string?> importState = StateOption();
        importCommand.Options.Add(importState);
        importCommand.SetAction(result => Import(result.GetValue(file)!, Folder(result.GetValue(importState))));

        var show = new Command("show", "Print the stored monitor correction EQ and its import date.");
        Option<string?> showState = StateOption();
        show.Options.Add(showState);
        show.SetAction(result => Show(Folder(result.GetValue(showState))));

        var clear = new Command("clear", "Remove the stored monitor correction EQ (the box plays without one from its next start or reload).");
        Option<string?> clearState = StateOption();
        clear.Options.Add(clearState);
        clear.SetAction(result => Clear(Folder(result.GetValue(clearState))));

        return new Command("monitor-eq", "The monitor path's room correction EQ, imported from Room EQ Wizard.") { importCommand, show, clear };
    }

    /// <summary>Imports <paramref name="path"/> into <paramref name="stateDirectory"/>; returns the exit code.</summary>
    internal static int Import(string path, string stateDirectory, DateTimeOffset? now = null)
    {
        string name = Path.GetFileName(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                Cli.Error(Directory.Exists(path) ? $"monitor-eq import: {path} is a folder, not a filter-settings file" : $"monitor-eq import: {path}: no such file");
                return 1;
            }

            if (FileIdentity.Of(path).Kind is FileKind.Fifo or FileKind.CharacterDevice or FileKind.Other)
            {
                Cli.Error($"monitor-eq import: {path} is not a regular file");
                return 1;
            }

            if (info.Length > MaxFileBytes)
            {
                Cli.Error($"monitor-eq import: {path} is larger than 1 MiB; not a REW filter-settings export");
                return 1;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Cli.Error($"monitor-eq import: {path}: {ex.Message}");
            return 1;
        }

        RewImportResult result = RewFilterImport.Parse(text);
        foreach (RewImportProblem problem in result.Problems)
        {
            Console.Error.WriteLine($"{Cli.ProgramName}: monitor-eq import: {name} line {problem.Line}: {(problem.IsError ? string.Empty : "note: ")}{problem.Message}");
        }

        int errors = result.Problems.Count(static p => p.IsError);
        if (errors > 0)
        {
            Cli.Error($"monitor-eq import: {name}: {errors} line{(errors == 1 ? string.Empty : "s")} cannot be used; nothing stored");
            return 1;
        }

        if (result.Filters.Count == 0)
        {
            Cli.Error($"monitor-eq import: {name}: no usable filter (expected lines like 'Filter  1: ON  PK  Fc 63.0 Hz  Gain -5.0 dB  Q 4.000'); nothing stored");
            return 1;
        }

        var calibration = new MonitorCalibration(result.Filters, now ?? DateTimeOffset.UtcNow, name);
        try
        {
            MonitorEqStore.Save(stateDirectory, calibration);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Cli.Error($"monitor-eq import: cannot store in {MonitorEqStore.PathIn(stateDirectory)}: {ex.Message}");
            return 1;
        }

        Console.WriteLine($"monitor EQ: {result.Filters.Count} filter{(result.Filters.Count == 1 ? string.Empty : "s")} from {name} stored in {MonitorEqStore.PathIn(stateDirectory)} (imported {calibration.ImportedUtc.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}); the running box applies it at its next start or on MONITOR > Reload EQ");
        Print(calibration);
        return 0;
    }

    private static int Show(string stateDirectory)
    {
        MonitorCalibration? calibration = MonitorEqStore.Load(stateDirectory, out string? problem);
        if (problem is not null)
        {
            Cli.Error($"monitor-eq show: {problem}");
            return 1;
        }

        if (calibration is null)
        {
            Console.WriteLine($"monitor EQ: none stored in {stateDirectory}");
            return 0;
        }

        string date = calibration.ImportedUtc.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Console.WriteLine($"monitor EQ: {calibration.Filters.Count} filters from {calibration.Source}, imported {date}{(calibration.IsDue(DateTimeOffset.UtcNow) ? " (over a year ago: re-measure the room)" : string.Empty)}");
        Print(calibration);
        return 0;
    }

    private static int Clear(string stateDirectory)
    {
        try
        {
            Console.WriteLine(MonitorEqStore.Clear(stateDirectory) ? $"monitor EQ: cleared ({MonitorEqStore.PathIn(stateDirectory)} removed)" : $"monitor EQ: none stored in {stateDirectory}");
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Cli.Error($"monitor-eq clear: {ex.Message}");
            return 1;
        }
    }

    private static void Print(MonitorCalibration calibration)
    {
        for (int i = 0; i < calibration.Filters.Count; i++)
        {
            MonitorEqFilter f = calibration.Filters[i];
            bool gain = f.Type is MonitorEqType.Peak or MonitorEqType.LowShelf or MonitorEqType.HighShelf or MonitorEqType.LowShelfFirstOrder or MonitorEqType.HighShelfFirstOrder;
            bool q = f.Type is MonitorEqType.Peak or MonitorEqType.LowShelf or MonitorEqType.HighShelf or MonitorEqType.LowPass or MonitorEqType.HighPass;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {i + 1,2}  {RewFilterImport.Code(f.Type),-6}  Fc {f.FrequencyHz,8:0.0} Hz{(gain ? $"  Gain {f.GainDb,5:0.0} dB" : string.Empty)}{(q ? $"  Q {f.Q:0.000}" : string.Empty)}"));
        }
    }

    private static Option<string?> StateOption() => new("--state-dir") { Description = $"The state directory of the box (default {BoxPresetStore.DefaultStateDirectory}; the same as run --state-dir)." };

    private static string Folder(string? option) => option ?? BoxPresetStore.DefaultStateDirectory;
}
