using System.Net.Sockets;

namespace HardwareMaster.App.Remote;

/// <summary>
/// Names the likely cause when a remote listener (web page, OSC) cannot open its socket: the shipped systemd unit gives
/// the service no network (<c>RestrictAddressFamilies=AF_UNIX AF_NETLINK</c>, so <c>socket(AF_INET)</c> fails with
/// EAFNOSUPPORT; <c>PrivateNetwork=yes</c>, so only <c>lo</c> exists) until the remote-control drop-in is linked.
/// </summary>
public static class NetworkSandbox
{
    /// <summary>Where the .deb installs the drop-in that gives the service the network.</summary>
    public const string DropIn = "/usr/share/hardwaremaster/remote-control.conf";

    /// <summary>The fix, one clause.</summary>
    public const string Fix = "the systemd unit gives the service no network until the remote-control drop-in is linked: ln -s " + DropIn
        + " /etc/systemd/system/hardwaremaster.service.d/ && systemctl daemon-reload && systemctl restart hardwaremaster (deploy-pi/README.md)";

    /// <summary>
    /// One line for a listener that could not start: the exception's message, plus <see cref="Fix"/> when the socket error
    /// is one the sandbox causes (address family not supported or not permitted; under systemd also an address that is
    /// not on this machine, which is what <c>PrivateNetwork=yes</c> does to every address but loopback).
    /// </summary>
    /// <param name="ex">What the listener threw.</param>
    /// <param name="underSystemd">Whether the process runs as a systemd service (null = <c>$INVOCATION_ID</c> is set).</param>
    /// <returns>The line, without a trailing newline.</returns>
    public static string Describe(Exception ex, bool? underSystemd = null)
    {
        ArgumentNullException.ThrowIfNull(ex);
        string message = ex.Message.ReplaceLineEndings(" ");
        SocketException? socket = null;
        for (Exception? e = ex; e is not null && socket is null; e = e.InnerException)
        {
            socket = e as SocketException;
        }

        bool systemd = underSystemd ?? Environment.GetEnvironmentVariable("INVOCATION_ID") is { Length: > 0 };
        bool sandboxed = socket?.SocketErrorCode switch
        {
            SocketError.AddressFamilyNotSupported or SocketError.ProtocolFamilyNotSupported or SocketError.AccessDenied or SocketError.ProtocolNotSupported => true,
            SocketError.AddressNotAvailable => systemd,
            _ => false,
        };
        if (socket is not null && !message.Contains(socket.Message, StringComparison.Ordinal))
        {
            message += $" ({socket.Message})";
        }

        return sandboxed ? $"{message}; {Fix}" : message;
    }
}
