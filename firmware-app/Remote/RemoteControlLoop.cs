using HardwareMaster.App.Box;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Remote;

/// <summary>
/// The control thread of a box without a face (a headless rig with remote control on): 25 times a second it applies the
/// remote commands and publishes the state, through the same backend and preset store the face would use. With a face,
/// the box's UI loop does this instead and this service is not registered.
/// </summary>
/// <param name="hub">The hub served.</param>
/// <param name="supervisor">The audio loop.</param>
/// <param name="controller">The engine's controller.</param>
/// <param name="logger">Where trouble goes.</param>
public sealed class RemoteControlLoop(RemoteHub hub, AudioSupervisor supervisor, EngineController controller, ILogger logger) : BackgroundService
{
    /// <summary>Frames run (any thread).</summary>
    public long Frames => Interlocked.Read(ref _frames);

    private long _frames;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var backend = new EngineBoxBackend(supervisor, controller);
        var presets = new BoxPresetStore(backend, hub.StateDirectory);
        var session = new RemoteSession(hub, backend, presets);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1000.0 / BoxLoop.FramesPerSecond));
        long failures = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    session.ApplyCommands();
                    session.Publish(readMeters: true);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (failures++ % 100 == 0)
                    {
                        logger.LogWarning("remote control: {Message} ({Count} failures; audio unaffected)", ex.Message, failures);
                    }
                }

                Interlocked.Increment(ref _frames);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
