using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using HardwareMaster.App.Commands;

namespace HardwareMaster.App;

/// <summary>The command line: one verb per job, all on the same engine.</summary>
/// <remarks>
/// Conventions (as GNU tools): a usage error (unknown verb or option, missing or malformed argument) is ONE line on
/// standard error, <c>hardwaremaster: WHAT (see hardwaremaster VERB --help)</c>, and exit code <see cref="UsageExitCode"/>;
/// <c>--help</c> prints help on standard output and exits 0. A verb's own validation errors also exit 2, a file that
/// cannot be read or written exits 1. An exception no verb expected ends as one line and <see cref="InternalErrorExitCode"/>
/// (the stack trace follows only when <c>HM_DEBUG=1</c>), never as a bare .NET stack trace.
/// </remarks>
internal static class Cli
{
    /// <summary>Exit code of a usage or validation error.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Exit code of an unexpected internal error (EX_SOFTWARE of sysexits.h).</summary>
    public const int InternalErrorExitCode = 70;

    /// <summary>The program name used in messages.</summary>
    public const string ProgramName = "hardwaremaster";

    /// <summary>Parses <paramref name="args"/> and runs the verb; returns the exit code.</summary>
    public static int Run(string[] args) => Run(args, extraVerb: null);

    /// <summary>Parses and runs, with one extra verb (tests use it to reach the last-resort error path).</summary>
    internal static int Run(string[] args, Command? extraVerb)
    {
        try
        {
            RootCommand root = CreateRoot(args, extraVerb);
            // No response files: "@/dev/zero" or "@FIFO" would be read unbounded (or block), and "@name.wav" is a file name.
            ParseResult result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (result.Errors.Count > 0 && result.Action is not HelpAction)
            {
                Error(DescribeUsageError(result));
                return UsageExitCode;
            }

            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            Error($"internal error: {e.GetType().Name}: {FirstLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("HM_DEBUG") == "1")
            {
                Console.Error.WriteLine(e);
            }

            return InternalErrorExitCode;
        }
    }

    /// <summary>Writes one error line, prefixed with the program name, to standard error.</summary>
    public static void Error(string message) => Console.Error.WriteLine($"{ProgramName}: {message}");

    private static RootCommand CreateRoot(string[] args, Command? extraVerb)
    {
        var root = new RootCommand("HardwareMaster: a real-time stereo mastering processor (EQ, glue compression, width, loudness, true-peak limiting, dither) with honest meters.");
        root.Subcommands.Add(MeasureCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(MatchCommand.Create());
        root.Subcommands.Add(AlbumCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ParametersCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(SelftestCommand.Create());
        root.Subcommands.Add(RemoteVerb.Create());
        root.Subcommands.Add(MonitorEqCommand.Create());
        if (extraVerb is not null)
        {
            root.Subcommands.Add(extraVerb);
        }

        // An unknown option must not become a file name: System.CommandLine hands tokens that match no option to a
        // positional argument that still has room (measure FILE..., render IN OUT). Refuse option-like tokens that
        // stand before "--"; after "--" (GNU style) they are file names.
        int doubleDash = Array.IndexOf(args, "--");
        var optionLike = new HashSet<string>(
            (doubleDash < 0 ? args : args[..doubleDash]).Where(LooksLikeOption),
            StringComparer.Ordinal);
        foreach (Command verb in root.Subcommands)
        {
            foreach (Argument argument in verb.Arguments)
            {
                argument.Validators.Add(result =>
                {
                    foreach (Token token in result.Tokens)
                    {
                        if (optionLike.Contains(token.Value))
                        {
                            result.AddError($"unknown option '{token.Value}'");
                            return;
                        }
                    }
                });
            }
        }

        return root;
    }

    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && !double.TryParse(token, System.Globalization.CultureInfo.InvariantCulture, out _);

    // One line naming the bad argument and where to read more.
    private static string DescribeUsageError(ParseResult result)
    {
        string verbPath = VerbPath(result.CommandResult);
        string help = $"(see {ProgramName}{(verbPath.Length == 0 ? string.Empty : " " + verbPath)} --help)";
        ParseError error = result.Errors[0];
        string message;
        if (result.Errors.FirstOrDefault(e => e.Message.StartsWith("unknown option '", StringComparison.Ordinal)) is { } unknownOption)
        {
            message = unknownOption.Message;
        }
        else if (result.UnmatchedTokens.Count > 0)
        {
            string token = result.UnmatchedTokens[0];
            message = LooksLikeOption(token)
                ? $"unknown option '{token}'"
                : verbPath.Length == 0 ? $"unknown verb '{token}'" : $"unexpected argument '{token}'";
        }
        else if (verbPath.Length == 0 && result.CommandResult.Command is RootCommand && result.Tokens.Count == 0)
        {
            message = $"no verb given; one of: {string.Join(", ", result.RootCommandResult.Command.Subcommands.Select(c => c.Name))}";
        }
        else if (error.SymbolResult is OptionResult option && error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
        {
            string value = option.Tokens.Count > 0 ? option.Tokens[^1].Value : string.Empty;
            message = $"{option.Option.Name}: '{value}' is not {Expected(option.Option.ValueType)}";
        }
        else if (error.SymbolResult is OptionResult missing && missing.Tokens.Count == 0)
        {
            message = $"{missing.Option.Name} needs a value";
        }
        else if (error.SymbolResult is ArgumentResult argument && error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
        {
            string value = argument.Tokens.Count > 0 ? argument.Tokens[^1].Value : string.Empty;
            message = $"{argument.Argument.Name}: '{value}' is not {Expected(argument.Argument.ValueType)}";
        }
        else if (error.Message.StartsWith("Required argument missing for command", StringComparison.Ordinal))
        {
            string names = string.Join(" ", result.CommandResult.Command.Arguments.Where(a => result.GetResult(a) is not { Tokens.Count: > 0 }).Select(a => a.Name));
            message = $"missing {names}";
        }
        else
        {
            message = FirstLine(error.Message).TrimEnd('.');
        }

        return $"{(verbPath.Length == 0 ? string.Empty : verbPath + ": ")}{message} {help}";
    }

    private static string Expected(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(int) || t == typeof(long) ? "an integer"
            : t == typeof(double) || t == typeof(float) ? "a number"
            : t == typeof(bool) ? "true or false"
            : "a valid value";
    }

    private static string VerbPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? s = command; s is CommandResult c && c.Command is not RootCommand; s = s.Parent)
        {
            names.Insert(0, c.Command.Name);
        }

        return string.Join(" ", names);
    }

    private static string FirstLine(string text)
    {
        int newline = text.IndexOfAny(['\r', '\n']);
        return newline < 0 ? text : text[..newline];
    }
}
