using System.CommandLine;

namespace HardwareMaster.App.Tests;

/// <summary>The CLI redirects the process-wide Console, so these tests never run in parallel with each other.</summary>
[CollectionDefinition(nameof(ConsoleTests), DisableParallelization = true)]
public sealed class ConsoleTests
{
}

/// <summary>
/// Runs the CLI (or anything else that writes to the Console) in-process with the process-wide Console redirected,
/// and hands back what it wrote. Every test class using it joins the <see cref="ConsoleTests"/> collection.
/// </summary>
internal static class CliRunner
{
    /// <summary>Runs <c>hardwaremaster ARGS</c>; returns its exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Out, string Error) Run(params string[] args) => RunWith(null, args);

    /// <summary>As <see cref="Run"/>, with one more verb registered (a test double).</summary>
    public static (int ExitCode, string Out, string Error) RunWith(Command? extraVerb, params string[] args) =>
        Capture(() => Cli.Run(args, extraVerb));

    /// <summary>Runs <paramref name="action"/> with stdout and stderr captured; the Console is restored even when it throws.</summary>
    public static (T Result, string Out, string Error) Capture<T>(Func<T> action)
    {
        using var console = new Redirection();
        T result = action();
        return (result, console.Out.ToString(), console.Error.ToString());
    }

    /// <summary>As <see cref="Capture{T}"/>, for an asynchronous action (the Console stays redirected until it ends).</summary>
    public static async Task<(T Result, string Out, string Error)> CaptureAsync<T>(Func<Task<T>> action)
    {
        using var console = new Redirection();
        T result = await action();
        return (result, console.Out.ToString(), console.Error.ToString());
    }

    /// <summary>The single line of <paramref name="error"/> (fails when there are more).</summary>
    public static string SingleLine(string error)
    {
        string[] lines = error.TrimEnd('\n', '\r').Split('\n');
        Assert.True(lines.Length == 1, $"expected one line, got:\n{error}");
        Assert.StartsWith("hardwaremaster: ", lines[0]);
        Assert.DoesNotContain("   at ", error);
        return lines[0];
    }

    /// <summary>Points the process-wide Console at two string writers until disposed.</summary>
    private sealed class Redirection : IDisposable
    {
        private readonly TextWriter _oldOut = Console.Out;
        private readonly TextWriter _oldError = Console.Error;

        public Redirection()
        {
            Console.SetOut(Out);
            Console.SetError(Error);
        }

        public StringWriter Out { get; } = new();

        public StringWriter Error { get; } = new();

        public void Dispose()
        {
            Console.SetOut(_oldOut);
            Console.SetError(_oldError);
        }
    }
}
