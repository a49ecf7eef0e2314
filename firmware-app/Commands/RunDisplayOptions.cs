using System.CommandLine;
using HardwareMaster.App.Host;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Commands;

/// <summary>`run --simulate --display KIND` (issue 17): which display the simulated box has.</summary>
internal static class RunDisplayOptions
{
    /// <summary>The names, as the error and the help list them.</summary>
    public const string Choices = "ssd1306, sh1106, ssd1309, lcd1602, lcd2004";

    /// <summary>Adds the option to <paramref name="command"/>.</summary>
    /// <param name="command">The run verb.</param>
    /// <returns>The option.</returns>
    public static Option<string?> Add(Command command)
    {
        var display = new Option<string?>("--display") { Description = $"With --simulate: the display the box has ({Choices}; default ssd1306). lcd1602/lcd2004 are HD44780 character LCDs on a PCF8574 backpack: the terminal and --snapshot-dir show their text." };
        command.Options.Add(display);
        return display;
    }

    /// <summary>Parses a display name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="display">The display.</param>
    /// <returns>False when unknown.</returns>
    public static bool TryParse(string name, out SimulatedDisplay display)
    {
        display = name.ToLowerInvariant() switch
        {
            "ssd1306" or "oled" => new SimulatedDisplay(OledController.Ssd1306),
            "sh1106" => new SimulatedDisplay(OledController.Sh1106),
            "ssd1309" => new SimulatedDisplay(OledController.Ssd1309),
            "lcd1602" or "hd44780" => new SimulatedDisplay(OledController.Hd44780, 16, 2),
            "lcd2004" => new SimulatedDisplay(OledController.Hd44780, 20, 4),
            _ => null!,
        };
        return display is not null;
    }

    /// <summary>Applies the option; a bad value (or one without --simulate) is one line in <paramref name="problems"/> and a null request.</summary>
    /// <param name="request">The request built from the other options (null when they had problems).</param>
    /// <param name="name">The value, or null.</param>
    /// <param name="problems">Problems so far; a new list when one is added.</param>
    /// <returns>The request, or null.</returns>
    public static RunRequest? Apply(RunRequest? request, string? name, ref IReadOnlyList<string> problems)
    {
        if (name is null)
        {
            return request;
        }

        string? problem = null;
        SimulatedDisplay display = null!;
        if (!TryParse(name, out display))
        {
            problem = $"--display {name}: unknown display ({Choices})";
        }
        else if (request?.Box is { SimulateHardware: true })
        {
            problem = $"--display {name}: with --box the profile's \"display\" says which display the simulated box has";
        }
        else if (request is not null && request.Box is not { Hardware: null })
        {
            problem = $"--display {name}: needs --simulate (with --box the profile's \"display\" says which display the box has)";
        }

        if (problem is not null || request is null)
        {
            if (problem is not null)
            {
                problems = [.. problems, problem];
            }

            return null;
        }

        return request with { Box = request.Box! with { SimulatedDisplay = display } };
    }
}
