using System.Net.WebSockets;
using HardwareMaster.App.Engine;
using Xunit.Abstractions;

namespace HardwareMaster.Web.Tests;

/// <summary>Ten web clients on the meters during a paced run: reported (deadline misses are not asserted; this VM's timing is not the Pi's).</summary>
[Collection(nameof(BoxCollection))]
public sealed class LoadTests(BoxUnderTest box, ITestOutputHelper output)
{
    [Fact]
    public async Task TenWebSocketClients_DuringAPacedRun_AllReceiveFrames_DeadlineMissesReported()
    {
        const int clients = 10;
        var sockets = new ClientWebSocket[clients];
        var frames = new long[clients];
        Uri uri = new UriBuilder(box.Server.Address) { Scheme = "ws", Path = "/ws" }.Uri;
        for (int i = 0; i < clients; i++)
        {
            sockets[i] = new ClientWebSocket();
            sockets[i].Options.SetRequestHeader("Authorization", "Bearer " + box.Server.Secret.Display);
            await sockets[i].ConnectAsync(uri, CancellationToken.None);
        }

        MeterSnapshot before = box.Hub.State.ReadMeters();
        using var window = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Task[] readers = new Task[clients];
        for (int i = 0; i < clients; i++)
        {
            int k = i;
            readers[i] = Task.Run(async () =>
            {
                var buffer = new byte[16384];
                try
                {
                    while (true)
                    {
                        ValueWebSocketReceiveResult r = await sockets[k].ReceiveAsync(buffer.AsMemory(), window.Token);
                        if (r.EndOfMessage)
                        {
                            Interlocked.Increment(ref frames[k]);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // the window is over
                }
            });
        }

        await Task.WhenAll(readers);
        MeterSnapshot after = box.Hub.State.ReadMeters();
        foreach (ClientWebSocket socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }

        long misses = after.DeadlineMisses - before.DeadlineMisses;
        output.WriteLine($"10 WebSocket clients for 5 s: frames per client {string.Join(' ', frames)} (25 fps = 125 expected); audio blocks {after.Blocks - before.Blocks}, deadline misses during the window {misses} (run total {after.DeadlineMisses}), CPU {after.CpuPercent:0.0} %");
        Assert.All(frames, count => Assert.True(count > 0));
        Assert.True(after.Blocks > before.Blocks); // the audio kept running
    }
}
