using System.Net.Sockets;
using System.Net;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Remote;
using HardwareMaster.App.Remote.Osc;
using HardwareMaster.App.Remote.Web;
using HardwareMaster.App.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Tests.Remote;

/// <summary>A remote listener that cannot open its socket: one line naming the cause (and the systemd drop-in when the sandbox is the likely cause); audio runs on.</summary>
public sealed class NetworkSandboxTests
{
    private static readonly IPAddress NotThisMachine = IPAddress.Parse("192.0.2.1"); // TEST-NET-1 (RFC 5737)

    [Theory]
    [InlineData(SocketError.AddressFamilyNotSupported)] // RestrictAddressFamilies= without AF_INET: socket() fails
    [InlineData(SocketError.AccessDenied)]
    public void Describe_SandboxErrors_NameTheDropIn(SocketError error)
    {
        string line = NetworkSandbox.Describe(new SocketException((int)error), underSystemd: false);
        Assert.Contains(NetworkSandbox.DropIn, line);
        Assert.Contains("/etc/systemd/system/hardwaremaster.service.d/", line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Describe_AddressNotOnThisMachine_NamesTheDropInOnlyUnderSystemd()
    {
        var ex = new IOException("--remote 192.0.2.1:80: cannot listen there", new SocketException((int)SocketError.AddressNotAvailable));
        string plain = NetworkSandbox.Describe(ex, underSystemd: false);
        Assert.StartsWith("--remote 192.0.2.1:80: cannot listen there", plain);
        Assert.DoesNotContain(NetworkSandbox.DropIn, plain);
        Assert.Contains(NetworkSandbox.DropIn, NetworkSandbox.Describe(ex, underSystemd: true)); // PrivateNetwork=yes: only lo
    }

    [Fact]
    public void Describe_PortInUse_IsTheMessageAlone()
    {
        string line = NetworkSandbox.Describe(new SocketException((int)SocketError.AddressAlreadyInUse), underSystemd: true);
        Assert.DoesNotContain(NetworkSandbox.DropIn, line);
        Assert.False(string.IsNullOrWhiteSpace(line));
    }

    [Fact]
    public async Task Osc_CannotBind_OneErrorLine_NoThrow()
    {
        var lines = new List<string>();
        using var server = new OscServer(new IPEndPoint(NotThisMachine, 0), [], new RemoteHub(ParameterRegistry.Chain), new WarningListLogger(lines));
        await server.StartAsync(CancellationToken.None);
        await server.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30)); // returns (does not throw) once the bind failed
        string line = Assert.Single(lines);
        Assert.StartsWith("osc: cannot listen on 192.0.2.1:0: ", line);
        Assert.Contains("audio runs on", line);
        Assert.Equal(0, server.Port);
    }

    [Fact]
    public async Task Web_CannotBind_OneErrorLine_NoThrow()
    {
        string state = Path.Combine(Path.GetTempPath(), "hm-sandbox-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var lines = new List<string>();
            await using var service = new RemoteWebService(new RemoteHub(ParameterRegistry.Chain, state), new IPEndPoint(NotThisMachine, 0), new WarningListLogger(lines));
            await service.StartAsync(CancellationToken.None);
            Assert.Null(service.Server);
            string line = Assert.Single(lines);
            Assert.StartsWith("remote web page not started: ", line);
            Assert.Contains("192.0.2.1", line);
            Assert.DoesNotContain('\n', line);
        }
        finally
        {
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }
}
