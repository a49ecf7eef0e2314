using System.Globalization;
using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Simulator;

/// <summary>
/// Timed input for <c>run --simulate --script FILE</c>: one gesture a line, <c>SECONDS CONTROL ACTION [COUNT]</c>.
/// SECONDS is on the audio timeline (seconds of audio processed, never going back), CONTROL one of page, param, value,
/// bypass, eq, comp, limit, rec, ACTION one of cw, ccw (encoders only; COUNT = detents), press, long, double (COUNT = how
/// many times). <c>#</c> starts a comment; blank lines are ignored.
/// </summary>
public sealed class BoxScript
{
    /// <summary>Longest script accepted, lines.</summary>
    public const int MaxLines = 100_000;

    /// <summary>Largest COUNT.</summary>
    public const int MaxCount = 1000;

    private BoxScript(string name, IReadOnlyList<ScriptStep> steps)
    {
        Name = name;
        Steps = steps;
    }

    /// <summary>Where the script came from (the path as given, or "tour").</summary>
    public string Name { get; }

    /// <summary>The gestures in time order (repeated presses already expanded).</summary>
    public IReadOnlyList<ScriptStep> Steps { get; }

    /// <summary>When the last gesture happens, seconds (0 for an empty script).</summary>
    public double EndSeconds => Steps.Count == 0 ? 0 : Steps[^1].Seconds;

    /// <summary>
    /// The built-in tour the simulator plays without a terminal and without a script: every page in turn (the page
    /// encoder walks them all and back), a value edit on a stage page, the stage buttons and the loudness-matched bypass.
    /// </summary>
    public static BoxScript Tour { get; } = Parse(
        """
        # the built-in tour: every page (8 steps on from MAIN, then back), an edit on EQ, the stage buttons, the global bypass
        1.0  bypass press
        2.5  bypass press
        3.5  page cw
        5.0  page cw
        6.5  param cw
        7.0  value cw 4
        8.5  eq press
        9.5  eq press
        10.5 page cw
        11.0 comp press
        12.0 comp press
        13.0 page cw
        14.5 page cw
        15.0 limit press
        16.0 limit press
        17.0 page cw
        18.5 page cw
        20.0 page cw
        22.0 page ccw 8
        23.0 value long
        """,
        "tour");

    /// <summary>Reads a script file.</summary>
    /// <param name="path">The file, as the user gave it (used in messages).</param>
    /// <returns>The script.</returns>
    /// <exception cref="BoxScriptException">A line is wrong (FILE:LINE: why).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static BoxScript Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }

        if (info.Length > 16L << 20)
        {
            throw new BoxScriptException($"{path}: larger than 16 MiB; a script is one gesture a line");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses script text.</summary>
    /// <param name="text">The script.</param>
    /// <param name="name">Name for messages (the file path).</param>
    /// <returns>The script.</returns>
    /// <exception cref="BoxScriptException">A line is wrong (NAME:LINE: why).</exception>
    public static BoxScript Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        var steps = new List<ScriptStep>();
        string[] lines = text.Split('\n');
        if (lines.Length > MaxLines)
        {
            throw new BoxScriptException($"{name}: more than {MaxLines} lines");
        }

        double previous = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            int number = i + 1;
            string line = lines[i];
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            if (words.Length is < 3 or > 4)
            {
                throw Fail(name, number, $"expected 'SECONDS CONTROL ACTION [COUNT]', got {words.Length} word{(words.Length == 1 ? "" : "s")}");
            }

            if (!double.TryParse(words[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) || !double.IsFinite(seconds) || seconds > 1e7)
            {
                throw Fail(name, number, $"'{words[0]}' is not a time in seconds (a number ≥ 0, e.g. 1.5)");
            }

            if (seconds < previous)
            {
                throw Fail(name, number, $"time {words[0]} s goes back (the previous gesture is at {previous.ToString(CultureInfo.InvariantCulture)} s)");
            }

            if (!TryControl(words[1], out BoxControl control))
            {
                throw Fail(name, number, $"unknown control '{words[1]}' (page, param, value, bypass, eq, comp, limit, rec, ref)");
            }

            if (!TryAction(words[2], out BoxAction action))
            {
                throw Fail(name, number, $"unknown action '{words[2]}' (cw, ccw, press, long, double)");
            }

            if (action is BoxAction.Cw or BoxAction.Ccw && control is not (BoxControl.Page or BoxControl.Param or BoxControl.Value))
            {
                throw Fail(name, number, $"'{words[1]}' is a button: it can press, long or double, not turn");
            }

            int count = 1;
            if (words.Length == 4 && (!int.TryParse(words[3], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > MaxCount))
            {
                throw Fail(name, number, $"count '{words[3]}' must be a whole number from 1 to {MaxCount}");
            }

            if (action is BoxAction.Cw or BoxAction.Ccw)
            {
                steps.Add(new ScriptStep(seconds, new BoxInput(control, action, count), number));
            }
            else
            {
                for (int k = 0; k < count; k++)
                {
                    steps.Add(new ScriptStep(seconds, new BoxInput(control, action), number));
                }
            }

            previous = seconds;
        }

        return new BoxScript(name, steps);
    }

    /// <summary>The control named <paramref name="word"/> (lower-case names of <see cref="BoxControl"/>).</summary>
    /// <param name="word">The name.</param>
    /// <param name="control">The control.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryControl(string word, out BoxControl control)
    {
        switch (word)
        {
            case "page": control = BoxControl.Page; return true;
            case "param": control = BoxControl.Param; return true;
            case "value": control = BoxControl.Value; return true;
            case "bypass": control = BoxControl.Bypass; return true;
            case "eq": control = BoxControl.Eq; return true;
            case "comp": control = BoxControl.Comp; return true;
            case "limit": control = BoxControl.Limit; return true;
            case "rec": control = BoxControl.Rec; return true;
            case "ref": control = BoxControl.Ref; return true;
            default: control = default; return false;
        }
    }

    /// <summary>The lower-case name of a control (profiles, scripts, stats-json).</summary>
    /// <param name="control">The control.</param>
    /// <returns>Its name.</returns>
    public static string NameOf(BoxControl control) => control switch
    {
        BoxControl.Page => "page",
        BoxControl.Param => "param",
        BoxControl.Value => "value",
        BoxControl.Bypass => "bypass",
        BoxControl.Eq => "eq",
        BoxControl.Comp => "comp",
        BoxControl.Rec => "rec",
        BoxControl.Ref => "ref",
        _ => "limit",
    };

    private static bool TryAction(string word, out BoxAction action)
    {
        switch (word)
        {
            case "cw": action = BoxAction.Cw; return true;
            case "ccw": action = BoxAction.Ccw; return true;
            case "press": action = BoxAction.Press; return true;
            case "long": action = BoxAction.Long; return true;
            case "double": action = BoxAction.Double; return true;
            default: action = default; return false;
        }
    }

    private static BoxScriptException Fail(string name, int line, string why) => new($"{name}:{line}: {why}");
}
