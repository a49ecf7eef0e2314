using System.Globalization;

namespace HardwareMaster.App.Parameters;

/// <summary>How a parameter's range maps onto a knob's travel (normalised 0…1).</summary>
public enum Taper
{
    /// <summary>Evenly spaced values (gains in dB, percentages).</summary>
    Linear,

    /// <summary>Evenly spaced ratios (frequencies, times): equal knob travel per octave/decade.</summary>
    Logarithmic,

    /// <summary>An on/off switch stored as 0 or 1.</summary>
    Toggle,

    /// <summary>One of a fixed list of choices stored as its index.</summary>
    Choice,
}

/// <summary>
/// One parameter of the chain as the whole product sees it: presets, the CLI (<c>--set id=value</c>),
/// the knobs and the screens all read this definition, so nothing else hard-codes a range.
/// </summary>
/// <param name="Id">Stable dotted identifier used in presets and the CLI, e.g. <c>eq.bell2.gain</c>.</param>
/// <param name="Name">Short human name for the OLED (fits 16 characters).</param>
/// <param name="Unit">Unit symbol: dB, Hz, ms, %, :1, LUFS, dBTP, bit, or empty.</param>
/// <param name="Minimum">Smallest allowed value.</param>
/// <param name="Maximum">Largest allowed value.</param>
/// <param name="Default">Value when a preset does not mention the parameter.</param>
/// <param name="Step">Knob step in the parameter's unit (for logarithmic tapers: the step of the normalised travel is derived).</param>
/// <param name="Taper">How knob travel maps onto the range.</param>
/// <param name="Choices">Labels of the choices for <see cref="Taper.Choice"/>; index = stored value.</param>
public sealed record ParameterDefinition(
    string Id,
    string Name,
    string Unit,
    double Minimum,
    double Maximum,
    double Default,
    double Step,
    Taper Taper,
    IReadOnlyList<string>? Choices = null)
{
    /// <summary>True when <paramref name="value"/> is finite and inside [<see cref="Minimum"/>, <see cref="Maximum"/>] (and integral for switches and choices).</summary>
    public bool IsValid(double value) =>
        double.IsFinite(value) && value >= Minimum && value <= Maximum &&
        (Taper is not (Taper.Toggle or Taper.Choice) || value == Math.Round(value));

    /// <summary>The allowed range as text, e.g. <c>-24..24 dB</c> or <c>peak|rms</c>.</summary>
    public string RangeText => Taper == Taper.Choice && Choices is not null
        ? string.Join('|', Choices)
        : Taper == Taper.Toggle
            ? "off|on"
            : string.Create(CultureInfo.InvariantCulture, $"{Minimum:0.###}..{Maximum:0.###}{(Unit.Length > 0 ? " " + Unit : string.Empty)}");

    /// <summary>Clamps to the range and rounds to whole numbers for switches and choices.</summary>
    public double Clamp(double value)
    {
        if (!double.IsFinite(value))
        {
            return Default;
        }

        double clamped = Math.Clamp(value, Minimum, Maximum);
        return Taper is Taper.Toggle or Taper.Choice ? Math.Round(clamped) : clamped;
    }

    /// <summary>Maps a value to knob travel 0…1 according to the taper.</summary>
    public double ToNormalized(double value)
    {
        double v = Clamp(value);
        if (Maximum <= Minimum)
        {
            return 0;
        }

        return Taper == Taper.Logarithmic
            ? Math.Log(v / Minimum) / Math.Log(Maximum / Minimum)
            : (v - Minimum) / (Maximum - Minimum);
    }

    /// <summary>Maps knob travel 0…1 back to a value according to the taper.</summary>
    public double FromNormalized(double normalized)
    {
        double n = Math.Clamp(normalized, 0, 1);
        double v = Taper == Taper.Logarithmic
            ? Minimum * Math.Pow(Maximum / Minimum, n)
            : Minimum + (n * (Maximum - Minimum));
        return Clamp(v);
    }

    /// <summary>How many times finer a fine-mode detent is than a coarse one (push on the value encoder toggles).</summary>
    public const int FineFactor = 10;

    /// <summary>Detents a full log sweep takes when the registry does not say (about 1/12 octave per detent over 10 octaves).</summary>
    public const int DefaultLogStepsPerSweep = 120;

    private readonly int _stepsPerSweep;

    /// <summary>
    /// Coarse knob detents for a full sweep from <see cref="Minimum"/> to <see cref="Maximum"/>. Logarithmic parameters
    /// state it in the registry (similar for all of them, so every frequency or time knob feels the same; default
    /// <see cref="DefaultLogStepsPerSweep"/>); linear parameters default to one <see cref="Step"/> per detent, switches
    /// and choices to one position per detent. A fine-mode sweep takes <see cref="FineFactor"/> times as many.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int StepsPerSweep
    {
        get => _stepsPerSweep > 0 ? _stepsPerSweep : DerivedStepsPerSweep();
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _stepsPerSweep = value;
        }
    }

    /// <summary>Detents for a full sweep in coarse or fine mode (switches and choices: one position per detent either way).</summary>
    /// <param name="fine">Fine mode.</param>
    /// <returns>Detents from minimum to maximum.</returns>
    public int DetentsPerSweep(bool fine) =>
        Taper is Taper.Toggle or Taper.Choice || !fine ? StepsPerSweep : StepsPerSweep * FineFactor;

    /// <summary>Moves <paramref name="value"/> by <paramref name="steps"/> coarse knob detents (see <see cref="Nudge(double, int, bool)"/>).</summary>
    public double Nudge(double value, int steps) => Nudge(value, steps, fine: false);

    /// <summary>
    /// Moves <paramref name="value"/> by <paramref name="steps"/> knob detents on the parameter's detent grid: a full
    /// sweep is <see cref="DetentsPerSweep"/> detents, evenly spaced in value (linear) or in ratio (logarithmic: each
    /// detent the same fraction of an octave); fine mode is <see cref="FineFactor"/> times finer; switches and choices
    /// move one position per detent. The value first snaps to the nearest grid point, the result is clamped to the range
    /// (the ends are hit exactly) and rounded for display and storage: linear values to the detent's decimals,
    /// logarithmic ones to enough significant digits that adjacent detents stay distinct (e.g. 1.06 kHz, 1.12 kHz in
    /// coarse mode; 1006 Hz in fine mode).
    /// </summary>
    /// <param name="value">Current value.</param>
    /// <param name="steps">Detents, negative to turn down.</param>
    /// <param name="fine">Fine mode.</param>
    /// <returns>The new value.</returns>
    public double Nudge(double value, int steps, bool fine)
    {
        if (steps == 0)
        {
            return Clamp(value);
        }

        if (Taper is Taper.Toggle or Taper.Choice)
        {
            return Clamp(Math.Round(Clamp(value)) + steps);
        }

        int detents = DetentsPerSweep(fine);
        double position = Math.Round(ToNormalized(value) * detents);
        double target = Math.Clamp(position + steps, 0, detents);
        if (target <= 0)
        {
            return Minimum;
        }

        if (target >= detents)
        {
            return Maximum;
        }

        double n = target / detents;
        if (Taper == Taper.Logarithmic)
        {
            double raw = Minimum * Math.Pow(Maximum / Minimum, n);
            double relativeSpacing = Math.Log(Maximum / Minimum) / detents;
            int digits = Math.Clamp((int)Math.Ceiling(1 - Math.Log10(relativeSpacing / 2.5)), 2, 8);
            return Clamp(RoundToSignificant(raw, digits));
        }

        double detent = (Maximum - Minimum) / detents;
        int decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(detent) - 1e-9), 0, 8);
        return Clamp(Math.Round(Minimum + (n * (Maximum - Minimum)), decimals));
    }

    private int DerivedStepsPerSweep() => Taper switch
    {
        Taper.Toggle or Taper.Choice => Math.Max(1, (int)Math.Round(Maximum - Minimum)),
        Taper.Logarithmic => DefaultLogStepsPerSweep,
        _ => Math.Max(1, (int)Math.Round((Maximum - Minimum) / Step)),
    };

    private static double RoundToSignificant(double value, int digits)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value;
        }

        int decimals = digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        if (decimals >= 0)
        {
            return Math.Round(value, Math.Min(decimals, 15));
        }

        double scale = Math.Pow(10, -decimals);
        return Math.Round(value / scale) * scale;
    }

    /// <summary>Parses user text (CLI, preset): numbers with an optional unit or sign, <c>on/off</c>, choice labels.</summary>
    public bool TryParse(string text, out double value)
    {
        string t = text.Trim();
        if (Taper == Taper.Toggle)
        {
            switch (t.ToLowerInvariant())
            {
                case "on" or "true" or "yes" or "1": value = 1; return true;
                case "off" or "false" or "no" or "0": value = 0; return true;
            }
        }

        if (Taper == Taper.Choice && Choices is not null)
        {
            for (int i = 0; i < Choices.Count; i++)
            {
                if (string.Equals(Choices[i], t, StringComparison.OrdinalIgnoreCase))
                {
                    value = i;
                    return true;
                }
            }
        }

        if (Unit.Length > 0 && t.EndsWith(Unit, StringComparison.OrdinalIgnoreCase))
        {
            t = t[..^Unit.Length].TrimEnd();
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Formats a value for a screen or a report, e.g. <c>-1.0 dBTP</c>, <c>on</c>, <c>rms</c>.</summary>
    public string Format(double value)
    {
        if (Taper == Taper.Toggle)
        {
            return value >= 0.5 ? "on" : "off";
        }

        if (Taper == Taper.Choice && Choices is not null)
        {
            int index = (int)Math.Clamp(Math.Round(value), 0, Choices.Count - 1);
            return Choices[index];
        }

        // A fine-mode detent can land between whole steps (e.g. 50.1 %): show that digit rather than hide the change.
        string number = Step >= 1 ? value.ToString("0.#", CultureInfo.InvariantCulture) : value.ToString("0.0#", CultureInfo.InvariantCulture);
        return Unit.Length > 0 ? number + " " + Unit : number;
    }
}
