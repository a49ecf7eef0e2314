using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Remote.Web;

/// <summary>
/// Runs the <see cref="RemoteWebServer"/> under the box's host (<c>run --remote ADDR:PORT</c>). A server that cannot
/// start (the port taken, the address not on this machine, no network under the systemd unit without the
/// remote-control drop-in: see <see cref="NetworkSandbox"/>) is logged as an error and the audio runs on: remote
/// control is an accessory, never a reason for silence.
/// </summary>
/// <param name="hub">The hub served.</param>
/// <param name="endpoint">Where to listen.</param>
/// <param name="logger">Where trouble goes.</param>
public sealed class RemoteWebService(RemoteHub hub, IPEndPoint endpoint, ILogger logger) : IHostedService, IAsyncDisposable
{
    private RemoteWebServer? _server;

    /// <summary>The running server, or null (not started or failed).</summary>
    public RemoteWebServer? Server => Volatile.Read(ref _server);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            RemoteWebServer server = await RemoteWebServer.StartAsync(hub, endpoint, logger, cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _server, server);
            logger.LogInformation(
                "remote web page on {Address} (pairing secret in {Path}; 'hardwaremaster remote pair{StateDir}' prints it){Warning}",
                server.Address,
                RemoteSecret.PathIn(hub.StateDirectory),
                hub.StateDirectory == Box.BoxPresetStore.DefaultStateDirectory ? string.Empty : " --state-dir " + hub.StateDirectory,
                IPAddress.IsLoopback(endpoint.Address) ? string.Empty : "; reachable from the network over plain HTTP: use it on a trusted network only");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            string message = NetworkSandbox.Describe(ex);
            logger.LogError("remote web page not started: {Message} (audio runs on)", ex is System.Net.Sockets.SocketException ? $"--remote {endpoint}: cannot listen there: {message}" : message);
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
