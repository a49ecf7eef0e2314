using System.Net.Sockets;
using System.Text;
using HardwareMaster.App.Host;

namespace HardwareMaster.App.Tests.Host;

public class SdNotifyTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Send_ToBoundDatagramSocket_DeliversTheStateString(bool abstractName)
    {
        string path = abstractName ? "@hm-notify-" + Guid.NewGuid().ToString("N")[..8] : Path.Combine(Path.GetTempPath(), "hm-notify-" + Guid.NewGuid().ToString("N")[..8]);
        using var server = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(abstractName ? "\0" + path[1..] : path));
        try
        {
            using var notify = new SdNotify(path);
            Assert.True(notify.Send("WATCHDOG=1"));
            byte[] buffer = new byte[256];
            server.ReceiveTimeout = 2000;
            int n = server.Receive(buffer);
            Assert.Equal("WATCHDOG=1", Encoding.UTF8.GetString(buffer, 0, n));
        }
        finally
        {
            if (!abstractName)
            {
                File.Delete(path);
            }
        }
    }

    [Fact]
    public void Send_NoListener_FailsQuietlyAndCounts()
    {
        using var notify = new SdNotify(Path.Combine(Path.GetTempPath(), "hm-nobody-" + Guid.NewGuid().ToString("N")[..8]));
        Assert.False(notify.Send("READY=1"));
        Assert.Equal(1, notify.Failures);
    }
}
