using Microsoft.Extensions.Hosting;

namespace HardwareMaster.App.Host;

/// <summary>
/// Runs the <see cref="AudioSupervisor"/> inside the Generic Host. <see cref="StartAsync"/> returns once the first block
/// has been processed (or the first open failed), so systemd's READY=1 (sent by the host after start) follows real audio.
/// A finished run (file device, <c>--duration</c>) or a device that cannot be used (<see cref="SupervisorState.Faulted"/>:
/// one line on stderr, then exit <see cref="AudioSupervisor.ConfigurationErrorExitCode"/>) stops the application.
/// </summary>
public sealed class AudioHostedService : IHostedService
{
    private readonly AudioSupervisor _supervisor;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly CancellationTokenSource _stopping = new();
    private Task<SupervisorState>? _run;

    /// <summary>Creates the service.</summary>
    /// <param name="supervisor">The audio loop.</param>
    /// <param name="lifetime">Used to stop the application when the run ends by itself.</param>
    public AudioHostedService(AudioSupervisor supervisor, IHostApplicationLifetime lifetime)
    {
        _supervisor = supervisor;
        _lifetime = lifetime;
    }

    /// <summary>The loop's final state (after the host stopped).</summary>
    public SupervisorState? FinalState => _run is { IsCompletedSuccessfully: true } run ? run.Result : null;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _run = Task.Run(() => _supervisor.RunAsync(_stopping.Token), CancellationToken.None);
        _ = _run.ContinueWith(
            static (task, state) =>
            {
                var self = (AudioHostedService)state!;
                if (task.IsCompletedSuccessfully && task.Result is SupervisorState.Faulted or SupervisorState.Failed)
                {
                    // The one line a user (or the journal) needs: what cannot work and that it was not retried.
                    Cli.Error(self._supervisor.LastFailure ?? "the audio device cannot be used");
                }

                if (!self._stopping.IsCancellationRequested)
                {
                    self._lifetime.StopApplication();
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        await Task.WhenAny(_supervisor.FirstBlockOrFailure, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await Task.WhenAny(_run, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        }
    }
}
