using System.Globalization;
using System.Net;

namespace HardwareMaster.App.Remote.Web;

/// <summary>Parses the <c>ADDR:PORT</c> of <c>run --remote</c> and the <c>remote</c> config key.</summary>
public static class RemoteEndpoint
{
    /// <summary>Parses <paramref name="text"/>: <c>127.0.0.1:8080</c>, <c>0.0.0.0:8080</c>, <c>[::1]:8080</c>, <c>[::]:8080</c> (an explicit address, never a host name), port 0–65535 (0 = any free port).</summary>
    /// <param name="text">The text.</param>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="problem">Why it is not one, or null.</param>
    /// <returns><c>true</c> when it parsed.</returns>
    public static bool TryParse(string text, out IPEndPoint endpoint, out string? problem)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            problem = $"'{text}' is not ADDR:PORT (e.g. 127.0.0.1:8080, 0.0.0.0:8080 for every interface, [::1]:8080)";
            return false;
        }

        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            problem = $"'{text}': an IPv6 address goes in brackets, e.g. [::1]:8080";
            return false;
        }

        if (!IPAddress.TryParse(host, out IPAddress? address) || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && host.Count(c => c == '.') != 3))
        {
            problem = $"'{text}': '{host}' is not an IP address (an explicit address is required, e.g. 127.0.0.1 or 0.0.0.0; no host names)";
            return false;
        }

        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            problem = $"'{text}': the port must be 0 to 65535";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        problem = null;
        return true;
    }
}
