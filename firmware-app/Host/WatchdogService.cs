using Microsoft.Extensions.Hosting;

namespace HardwareMaster.App.Host;

/// <summary>
/// Pings systemd's watchdog (<c>WATCHDOG=1</c>) at half the configured <c>WatchdogSec</c>, but only while the audio loop
/// is healthy (<see cref="AudioSupervisor.IsHealthy"/>): the engine processed blocks since the last ping, or the loop is
/// alive and waiting for a lost device to return. A wedged audio thread stops the pings and systemd restarts the service.
/// Also publishes <c>STATUS=</c> lines. Does nothing when not started by systemd.
/// </summary>
public sealed class WatchdogService : BackgroundService
{
    private readonly AudioSupervisor _supervisor;
    private readonly SdNotify? _notify;
    private readonly TimeSpan? _interval;

    /// <summary>Creates the service.</summary>
    /// <param name="supervisor">The audio loop.</param>
    /// <param name="notify">The sender (<c>null</c> when not under systemd).</param>
    /// <param name="interval">The watchdog timeout (<c>null</c>: no watchdog; STATUS is then sent every 5 s).</param>
    public WatchdogService(AudioSupervisor supervisor, SdNotify? notify, TimeSpan? interval)
    {
        _supervisor = supervisor;
        _notify = notify;
        _interval = interval;
    }

    /// <summary>Pings sent.</summary>
    public long Pings { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_notify is null)
        {
            return;
        }

        TimeSpan period = _interval is { } watchdog ? watchdog / 2 : TimeSpan.FromSeconds(5);
        TimeSpan maxHeartbeatAge = _supervisor.Options.EffectiveRetryInterval + TimeSpan.FromSeconds(5);
        long blocks = -1;
        string? lastStatus = null;
        using var timer = new PeriodicTimer(period);
        do
        {
            try
            {
                bool healthy = _supervisor.IsHealthy(ref blocks, maxHeartbeatAge);
                if (_interval is not null && healthy && _notify.Send("WATCHDOG=1"))
                {
                    Pings++;
                }

                string status = _supervisor.State switch
                {
                    SupervisorState.Running => "STATUS=processing audio",
                    SupervisorState.Retrying => "STATUS=waiting for the audio device: " + _supervisor.LastFailure,
                    SupervisorState.Faulted => "STATUS=cannot run (not retried): " + _supervisor.LastFailure,
                    SupervisorState.Failed => "STATUS=failed: " + _supervisor.LastFailure,
                    var other => "STATUS=" + other.ToString().ToLowerInvariant(),
                };
                if (status != lastStatus)
                {
                    _notify.Send(status);
                    lastStatus = status;
                }
            }
            catch (Exception)
            {
                // Never let a notification problem end the service.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
