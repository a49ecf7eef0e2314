using System.CommandLine;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;

namespace HardwareMaster.App.Commands;

/// <summary><c>hardwaremaster params</c> and <c>hardwaremaster presets</c>: what can be set, and the shipped starting points.</summary>
internal static class ParametersCommand
{
    /// <summary>Builds the <c>params</c> verb (lists the registry; with <c>--presets</c>, the factory presets).</summary>
    public static Command Create()
    {
        var presets = new Option<bool>("--presets") { Description = "List the factory presets instead of the parameters." };
        var command = new Command("params", "List every chain parameter (id, range, default, unit) or, with --presets, the genre presets.") { presets };
        command.SetAction(result =>
        {
            if (result.GetValue(presets))
            {
                foreach (Preset preset in new PresetLibrary(ParameterRegistry.Chain).Factory)
                {
                    Console.WriteLine($"{preset.Name,-20} {preset.Values[ParameterIds.TargetLufs],6:0.#} LUFS  {preset.Description}");
                }

                return 0;
            }

            foreach (ParameterDefinition p in ParameterRegistry.Chain.All)
            {
                Console.WriteLine($"{p.Id,-22} {p.Name,-16} {p.RangeText,-24} default {p.Format(p.Default)}");
            }

            return 0;
        });
        return command;
    }
}
