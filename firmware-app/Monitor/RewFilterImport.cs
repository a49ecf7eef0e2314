using System.Globalization;
using HardwareMaster.Dsp.Monitor;

namespace HardwareMaster.App.Monitor;

/// <summary>One line of a filter-settings file the import could not use, or skipped on purpose.</summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Message">What is wrong (or why it was skipped), one line.</param>
/// <param name="IsError">True: the file is refused; false: a filter switched off or of a kind the box skips.</param>
public readonly record struct RewImportProblem(int Line, string Message, bool IsError);

/// <summary>What <see cref="RewFilterImport.Parse"/> found.</summary>
/// <param name="Filters">The usable filters, in file order.</param>
/// <param name="Problems">Every line not used as a filter that is not a plain header line, in file order.</param>
public sealed record RewImportResult(IReadOnlyList<MonitorEqFilter> Filters, IReadOnlyList<RewImportProblem> Problems)
{
    /// <summary>True when any line is an error (then nothing is stored).</summary>
    public bool HasErrors => Problems.Any(static p => p.IsError);
}

/// <summary>
/// Parses a Room EQ Wizard "filter settings" text export (REW: EQ window, "Export filter settings as text"): header
/// lines (<c>Filter Settings file</c>, <c>Room EQ V5.20</c>, <c>Dated:</c>, <c>Notes:</c>, <c>Equaliser: Generic</c>,
/// <c>Preamp: -1.4 dB</c>) are ignored; every line <c>Filter N: ON|OFF TYPE [Fc F Hz] [Gain G dB] [Q Q]</c> is a filter.
/// </summary>
/// <remarks>
/// Types (REW's codes, also written by Equalizer APO and AutoEQ): PK (peaking: Fc, Gain, Q); LS, LSC, LS Q (second-order
/// low shelf, Q default 0.707); LSC x dB (slope form, RBJ shelf slope S = x/12, 0 &lt; x ≤ 12); LS 12dB (second order, Q
/// 0.707); LS 6dB (first-order low shelf); HS, HSC, HS 12dB / HS 6dB likewise; LP, LPQ (second-order low-pass, Q default
/// 0.707), LP1 (first-order); HP, HPQ, HP1 likewise; NO (notch), AP (all-pass), BP (band-pass): Fc, Q default 0.707.
/// Skipped (reported, not an error): OFF filters and None. Anything else is an error with its line number: Modal (not
/// reproduced by one biquad), an unknown type, a missing or unreadable number, Fc outside
/// <see cref="MinFrequencyHz"/>–<see cref="MaxFrequencyHz"/>, |Gain| above <see cref="MaxGainDb"/>, Q not above 0 (or above
/// <see cref="MaxQ"/>), more than <see cref="MonitorEqFilter.MaxFilters"/> filters.
/// </remarks>
public static class RewFilterImport
{
    /// <summary>Lowest centre/corner frequency accepted, Hz.</summary>
    public const double MinFrequencyHz = 10;

    /// <summary>Highest centre/corner frequency accepted, Hz.</summary>
    public const double MaxFrequencyHz = 22000;

    /// <summary>Largest boost or cut accepted, dB.</summary>
    public const double MaxGainDb = 20;

    /// <summary>Largest Q accepted.</summary>
    public const double MaxQ = 100;

    private const double DefaultQ = 0.7071;

    /// <summary>Parses the text of a filter-settings file.</summary>
    /// <param name="text">The file's text.</param>
    /// <returns>The filters and the problems.</returns>
    public static RewImportResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var filters = new List<MonitorEqFilter>();
        var problems = new List<RewImportProblem>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int number = i + 1;
            string line = lines[i].Trim().TrimStart('\uFEFF');
            if (!IsFilterLine(line))
            {
                continue; // a header, a note, an empty line
            }

            string? problem = ParseFilter(line, out MonitorEqFilter? filter, out string? skipped);
            if (problem is not null)
            {
                problems.Add(new RewImportProblem(number, problem, IsError: true));
            }
            else if (skipped is not null)
            {
                problems.Add(new RewImportProblem(number, skipped, IsError: false));
            }
            else if (filters.Count >= MonitorEqFilter.MaxFilters)
            {
                problems.Add(new RewImportProblem(number, $"more than {MonitorEqFilter.MaxFilters} filters; the monitor EQ holds {MonitorEqFilter.MaxFilters}", IsError: true));
            }
            else
            {
                filters.Add(filter!.Value);
            }
        }

        return new RewImportResult(filters, problems);
    }

    /// <summary>REW's code for <paramref name="type"/>, as <c>monitor-eq show</c> prints it.</summary>
    public static string Code(MonitorEqType type) => type switch
    {
        MonitorEqType.Peak => "PK",
        MonitorEqType.LowShelf => "LSC",
        MonitorEqType.HighShelf => "HSC",
        MonitorEqType.LowPass => "LPQ",
        MonitorEqType.HighPass => "HPQ",
        MonitorEqType.LowPassFirstOrder => "LP1",
        MonitorEqType.HighPassFirstOrder => "HP1",
        MonitorEqType.LowShelfFirstOrder => "LS 6dB",
        MonitorEqType.Notch => "NO",
        MonitorEqType.AllPass => "AP",
        MonitorEqType.BandPass => "BP",
        _ => "HS 6dB",
    };

    // "Filter 12:" (any case, spaces allowed before the number); "Filter Settings file" is a header.
    private static bool IsFilterLine(string line)
    {
        if (!line.StartsWith("Filter", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        ReadOnlySpan<char> rest = line.AsSpan(6).TrimStart();
        return rest.Length > 0 && char.IsAsciiDigit(rest[0]);
    }

    private static string? ParseFilter(string line, out MonitorEqFilter? filter, out string? skipped)
    {
        filter = null;
        skipped = null;
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return "expected 'Filter N: ON TYPE …' (no ':' after the filter number)";
        }

        string[] tokens = line[(colon + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            return "nothing after 'Filter N:'";
        }

        int t = 0;
        bool on;
        if (tokens[0].Equals("ON", StringComparison.OrdinalIgnoreCase))
        {
            on = true;
        }
        else if (tokens[0].Equals("OFF", StringComparison.OrdinalIgnoreCase))
        {
            on = false;
        }
        else
        {
            return $"expected ON or OFF after 'Filter N:', got '{tokens[0]}'";
        }

        t++;
        if (t >= tokens.Length)
        {
            return "no filter type after ON/OFF";
        }

        string code = tokens[t++].ToUpperInvariant();
        if (code is "NONE")
        {
            skipped = "type None (an unused slot), skipped";
            return null;
        }

        if (!on)
        {
            skipped = "switched OFF, skipped";
            return null;
        }

        if (code is "MODAL")
        {
            return "filter type 'Modal' is not supported: REW's modal filter is specified by a resonance's decay time, which the box's one-biquad sections do not reproduce faithfully (use PK)";
        }

        // Two-word codes: "LS 6dB", "HS 12dB", "LS Q", "HS Q"; the slope form "LSC 6 dB" / "HSC 12dB" (dB per octave).
        string? slope = null;
        double? slopeDb = null;
        if (code is "LS" or "HS" or "LSC" or "HSC" && t < tokens.Length && !IsKey(tokens, t))
        {
            string next = tokens[t].ToUpperInvariant();
            if (next is "Q" && code is "LS" or "HS")
            {
                slope = next;
                t++;
            }
            else if (TrySlope(tokens, ref t, out double perOctave, out string? slopeProblem))
            {
                if (slopeProblem is not null)
                {
                    return slopeProblem;
                }

                slopeDb = perOctave;
                slope = $"{Format(perOctave)}DB";
            }
        }

        MonitorEqType type;
        bool needsGain, takesQ, needsQ;
        switch (code)
        {
            case "PK" or "PEQ":
                (type, needsGain, takesQ, needsQ) = (MonitorEqType.Peak, true, true, true);
                break;
            case "LS" or "HS" when slopeDb is { } fixedSlope && (fixedSlope == 6 || fixedSlope == 12):
                // LS 6dB / HS 6dB: first-order shelf; LS 12dB / HS 12dB: second-order shelf, Q 0.707.
                bool lowFixed = code[0] == 'L';
                bool firstOrder = fixedSlope == 6;
                type = firstOrder ? (lowFixed ? MonitorEqType.LowShelfFirstOrder : MonitorEqType.HighShelfFirstOrder) : (lowFixed ? MonitorEqType.LowShelf : MonitorEqType.HighShelf);
                (needsGain, takesQ, needsQ) = (true, false, false);
                break;
            case "LS" or "HS" when slopeDb is not null:
                return $"'{tokens[1]} {Format(slopeDb.Value)} dB': LS/HS take 6 dB or 12 dB (LSC/HSC take any slope up to 12 dB)";
            case "LS" or "LSC" or "HS" or "HSC":
                type = code[0] == 'L' ? MonitorEqType.LowShelf : MonitorEqType.HighShelf;
                (needsGain, takesQ, needsQ) = (true, slopeDb is null, false);
                break;
            case "LP" or "LPQ":
                (type, needsGain, takesQ, needsQ) = (MonitorEqType.LowPass, false, true, false);
                break;
            case "HP" or "HPQ":
                (type, needsGain, takesQ, needsQ) = (MonitorEqType.HighPass, false, true, false);
                break;
            case "LP1":
                (type, needsGain, takesQ, needsQ) = (MonitorEqType.LowPassFirstOrder, false, false, false);
                break;
            case "HP1":
                (type, needsGain, takesQ, needsQ) = (MonitorEqType.HighPassFirstOrder, false, false, false);
                break;
            case "NO":
                (type, needsGain, takesQ, needsQ) = (MonitorEqType.Notch, false, true, false);
                break;
            case "AP":
                (type, needsGain, takesQ, needsQ) = (MonitorEqType.AllPass, false, true, false);
                break;
            case "BP":
                (type, needsGain, takesQ, needsQ) = (MonitorEqType.BandPass, false, true, false);
                break;
            default:
                return $"filter type '{tokens[t - 1]}' is not supported (PK, LS/LSC, HS/HSC with Q or a slope, LS/HS 6dB/12dB, LP/LPQ/LP1, HP/HPQ/HP1, NO, AP, BP; None is skipped)";
        }

        double? fc = null, gain = null, q = null;
        while (t < tokens.Length)
        {
            string key = tokens[t].ToUpperInvariant();
            if (key is not ("FC" or "GAIN" or "Q"))
            {
                return $"unexpected '{tokens[t]}' (expected Fc, Gain or Q)";
            }

            if (t + 1 >= tokens.Length)
            {
                return $"{tokens[t]} has no value";
            }

            if (!TryNumber(tokens[t + 1], out double value))
            {
                return $"{tokens[t]} value '{tokens[t + 1]}' is not a number";
            }

            t += 2;
            string? unit = t < tokens.Length && !IsKey(tokens, t) ? tokens[t] : null;
            if (unit is not null)
            {
                t++;
            }

            switch (key)
            {
                case "FC":
                    if (unit is not null && unit.Equals("kHz", StringComparison.OrdinalIgnoreCase))
                    {
                        value *= 1000;
                    }
                    else if (unit is not null && !unit.Equals("Hz", StringComparison.OrdinalIgnoreCase))
                    {
                        return $"Fc unit '{unit}' (expected Hz or kHz)";
                    }

                    fc = value;
                    break;
                case "GAIN":
                    if (unit is not null && !unit.Equals("dB", StringComparison.OrdinalIgnoreCase))
                    {
                        return $"Gain unit '{unit}' (expected dB)";
                    }

                    gain = value;
                    break;
                default:
                    if (unit is not null)
                    {
                        return $"unexpected '{unit}' after Q";
                    }

                    q = value;
                    break;
            }
        }

        if (fc is not { } f)
        {
            return $"{tokens[1]} filter without Fc";
        }

        if (!(f >= MinFrequencyHz && f <= MaxFrequencyHz))
        {
            return $"Fc {Format(f)} Hz is outside {MinFrequencyHz:0}–{MaxFrequencyHz:0} Hz";
        }

        double g = 0;
        if (needsGain)
        {
            if (gain is not { } given)
            {
                return $"{tokens[1]} filter without Gain";
            }

            if (!(Math.Abs(given) <= MaxGainDb))
            {
                return $"Gain {Format(given)} dB is outside ±{MaxGainDb:0} dB";
            }

            g = given;
        }
        else if (gain is { } ignored && ignored != 0)
        {
            return $"Gain {Format(ignored)} dB on a {tokens[1]} filter, which has none";
        }

        double quality = DefaultQ;
        if (q is { } givenQ)
        {
            if (!takesQ)
            {
                return $"Q on a {code}{(slope is null ? string.Empty : " " + slope.ToLowerInvariant())} filter, which has none";
            }

            if (!(givenQ > 0 && givenQ <= MaxQ))
            {
                return $"Q {Format(givenQ)} must be above 0 and at most {MaxQ:0}";
            }

            quality = givenQ;
        }
        else if (needsQ)
        {
            return $"{tokens[1]} filter without Q";
        }

        if (slopeDb is { } perOctaveSlope && code is "LSC" or "HSC")
        {
            quality = MonitorEqFilter.ShelfQForSlope(g, perOctaveSlope);
            takesQ = true;
        }

        filter = new MonitorEqFilter(type, f, g, takesQ ? quality : DefaultQ);
        return null;
    }

    // A slope after a shelf code: "6dB", "12dB" (one token) or "6 dB" (two). Returns false (t unchanged) when the
    // next token is not a slope; true with a problem when it is one but out of range.
    private static bool TrySlope(string[] tokens, ref int t, out double perOctave, out string? problem)
    {
        problem = null;
        perOctave = 0;
        string token = tokens[t];
        int consumed;
        if (token.EndsWith("dB", StringComparison.OrdinalIgnoreCase) && TryNumber(token[..^2], out perOctave))
        {
            consumed = 1;
        }
        else if (t + 1 < tokens.Length && tokens[t + 1].Equals("dB", StringComparison.OrdinalIgnoreCase) && TryNumber(token, out perOctave))
        {
            consumed = 2;
        }
        else
        {
            return false;
        }

        t += consumed;
        if (!(perOctave > 0 && perOctave <= 12))
        {
            problem = $"shelf slope {Format(perOctave)} dB/octave must be above 0 and at most 12";
        }

        return true;
    }

    private static bool IsKey(string[] tokens, int index) =>
        tokens[index].Equals("Fc", StringComparison.OrdinalIgnoreCase) || tokens[index].Equals("Gain", StringComparison.OrdinalIgnoreCase) ||
        (tokens[index].Equals("Q", StringComparison.OrdinalIgnoreCase) && index + 1 < tokens.Length && TryNumber(tokens[index + 1], out _));

    // REW writes invariant numbers; a comma decimal (a German locale) is accepted too.
    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
