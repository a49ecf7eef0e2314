using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Tests.TestSupport;

/// <summary>Collects the text of warnings and errors (lower levels are not enabled) into a shared list, thread-safely.</summary>
/// <param name="lines">Where the lines go (locked while added).</param>
internal sealed class WarningListLogger(List<string> lines) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            lock (lines)
            {
                lines.Add(formatter(state, exception));
            }
        }
    }
}
