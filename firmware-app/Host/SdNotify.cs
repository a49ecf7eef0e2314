using System.Net.Sockets;
using System.Text;

namespace HardwareMaster.App.Host;

/// <summary>
/// A minimal <c>sd_notify</c> sender: one datagram per state string to the unix socket named by <c>NOTIFY_SOCKET</c>
/// (a path, or an abstract name starting with <c>@</c>). Used for <c>WATCHDOG=1</c> and <c>STATUS=…</c>; READY=1 is
/// sent by Microsoft.Extensions.Hosting.Systemd.
/// </summary>
/// <remarks>Thread-safe. Send failures are swallowed and counted: notification must never disturb the service.</remarks>
public sealed class SdNotify : IDisposable
{
    private readonly Lock _gate = new();
    private readonly UnixDomainSocketEndPoint _endPoint;
    private Socket? _socket;
    private long _failures;

    /// <summary>Creates a sender for <paramref name="notifySocket"/>.</summary>
    /// <param name="notifySocket">The socket path, or <c>@name</c> for an abstract socket.</param>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public SdNotify(string notifySocket)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(notifySocket);
        SocketPath = notifySocket;
        _endPoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
    }

    /// <summary>The socket name from <c>NOTIFY_SOCKET</c>.</summary>
    public string SocketPath { get; }

    /// <summary>Datagrams that could not be sent.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>A sender for <c>$NOTIFY_SOCKET</c>, or <c>null</c> when the process was not started by systemd with notify access.</summary>
    /// <returns>The sender or <c>null</c>.</returns>
    public static SdNotify? FromEnvironment()
    {
        string? socket = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        return string.IsNullOrWhiteSpace(socket) ? null : new SdNotify(socket);
    }

    /// <summary>
    /// The watchdog interval systemd expects pings within (<c>WATCHDOG_USEC</c>, honouring <c>WATCHDOG_PID</c>), or
    /// <c>null</c> when no watchdog is configured for this process.
    /// </summary>
    /// <returns>The interval or <c>null</c>.</returns>
    public static TimeSpan? WatchdogInterval()
    {
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return null;
        }

        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        return long.TryParse(usec, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value) && value > 0
            ? TimeSpan.FromMicroseconds(value)
            : null;
    }

    /// <summary>Sends <paramref name="state"/> (e.g. <c>WATCHDOG=1</c>, <c>STATUS=running</c>).</summary>
    /// <param name="state">Newline-separated assignments.</param>
    /// <returns><c>true</c> when the datagram was sent.</returns>
    public bool Send(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        byte[] payload = Encoding.UTF8.GetBytes(state);
        lock (_gate)
        {
            try
            {
                _socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                _socket.SendTo(payload, SocketFlags.None, _endPoint);
                return true;
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _failures);
                _socket?.Dispose();
                _socket = null;
                return false;
            }
            catch (ObjectDisposedException)
            {
                Interlocked.Increment(ref _failures);
                return false;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }
}
