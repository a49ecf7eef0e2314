using Microsoft.Extensions.Hosting;

namespace HardwareMaster.App.Host.Protection;

/// <summary>Polls <see cref="EngineProtection"/> once a second on a thread-pool timer (never the audio thread).</summary>
/// <param name="protection">What to poll.</param>
/// <param name="time">Clock.</param>
public sealed class ProtectionService(EngineProtection protection, TimeProvider? time = null) : BackgroundService
{
    /// <summary>The poll interval.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time ?? TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                protection.Poll();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
