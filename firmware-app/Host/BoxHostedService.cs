using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Host;

/// <summary>
/// Runs the box's <see cref="BoxLoop"/> on a dedicated thread of its own (never the audio thread, never the thread
/// pool) for as long as the host runs. The loop catches what its parts throw; should the loop itself fail, that is
/// logged and audio carries on.
/// </summary>
public sealed class BoxHostedService : IHostedService, IDisposable
{
    private readonly BoxLoop _loop;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;

    /// <summary>Creates the service.</summary>
    /// <param name="loop">The loop.</param>
    /// <param name="logger">Where a failing loop is reported.</param>
    public BoxHostedService(BoxLoop loop, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(logger);
        _loop = loop;
        _logger = logger;
    }

    /// <summary>The loop.</summary>
    public BoxLoop Loop => _loop;

    /// <summary>Completes when the loop's thread has ended.</summary>
    public Task Ended => _ended.Task;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "hm-ui" };
        _thread.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(_ended.Task, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    private void Run()
    {
        try
        {
            _loop.Run(_stop.Token);
        }
        catch (Exception ex)
        {
            try
            {
                _logger.LogError("the box's UI loop stopped: {Message} (audio carries on)", ex.Message);
            }
            catch (Exception)
            {
                // Nothing more to do: audio is not affected.
            }
        }
        finally
        {
            _ended.TrySetResult();
        }
    }
}
