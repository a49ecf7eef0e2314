using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Remote;
using HardwareMaster.App.Remote.Osc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HardwareMaster.App.Tests.Remote;

/// <summary>OSC: the packet parser, the allow list, 0 B per packet, and a UDP round trip through a headless run.</summary>
[Collection(nameof(ConsoleTests))] // the headless run redirects the Console
public sealed class OscServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly ParameterRegistry Registry = ParameterRegistry.Chain;

    /// <summary>Builds an OSC message: int → i, float → f, string → s, byte[] → b.</summary>
    internal static byte[] Message(string address, params object[] arguments)
    {
        var bytes = new List<byte>();
        void Text(string s)
        {
            bytes.AddRange(Encoding.ASCII.GetBytes(s));
            do
            {
                bytes.Add(0);
            }
            while (bytes.Count % 4 != 0);
        }

        Text(address);
        Text("," + string.Concat(arguments.Select(a => a switch { int => "i", float => "f", string => "s", byte[] => "b", _ => "?" })));
        foreach (object argument in arguments)
        {
            byte[] four = new byte[4];
            switch (argument)
            {
                case int i:
                    BinaryPrimitives.WriteInt32BigEndian(four, i);
                    bytes.AddRange(four);
                    break;
                case float f:
                    BinaryPrimitives.WriteSingleBigEndian(four, f);
                    bytes.AddRange(four);
                    break;
                case string s:
                    Text(s);
                    break;
                case byte[] blob:
                    BinaryPrimitives.WriteInt32BigEndian(four, blob.Length);
                    bytes.AddRange(four);
                    bytes.AddRange(blob);
                    while (bytes.Count % 4 != 0)
                    {
                        bytes.Add(0);
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    internal static byte[] Bundle(params byte[][] elements)
    {
        var bytes = new List<byte>("#bundle\0"u8.ToArray());
        bytes.AddRange(new byte[8]); // time tag: immediately
        foreach (byte[] element in elements)
        {
            byte[] size = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(size, element.Length);
            bytes.AddRange(size);
            bytes.AddRange(element);
        }

        return [.. bytes];
    }

    [Fact]
    public void TryDispatch_EveryArgumentTypeAndNestedBundles_InOrder()
    {
        var seen = new Recorder();
        byte[] packet = Bundle(
            Message("/a", 7, 1.5f, "hello", new byte[] { 1, 2, 3 }, -2),
            Bundle(Message("/b/c", "x"), Message("/d")));
        Assert.True(OscPacket.TryDispatch(packet, seen));
        Assert.Equal(["/a i=7 f=1.5 s=hello ? i=-2", "/b/c s=x", "/d"], seen.Lines);
    }

    public static TheoryData<string, byte[]> MalformedPackets()
    {
        byte[] good = Message("/hm/param/width.width", 150f);
        byte[] badBundleSize = Bundle(good);
        BinaryPrimitives.WriteInt32BigEndian(badBundleSize.AsSpan(16), 1000);
        byte[] deep = good;
        for (int i = 0; i < OscPacket.MaxDepth + 1; i++)
        {
            deep = Bundle(deep);
        }

        byte[] negativeBlob = Message("/x", new byte[] { 1 });
        BinaryPrimitives.WriteInt32BigEndian(negativeBlob.AsSpan(8), -4);
        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "not 4-byte aligned", good[..^1] },
            { "argument cut off", good[..^4] },
            { "no leading slash", Encoding.ASCII.GetBytes("hm/x\0\0\0\0") },
            { "address without NUL", Encoding.ASCII.GetBytes("/abc") },
            { "unknown type tag", Message("/x", 1.5) },
            { "trailing bytes", [.. good, 0, 0, 0, 0] },
            { "bundle element too long", badBundleSize },
            { "bundles nested too deep", deep },
            { "bad bundle header", Encoding.ASCII.GetBytes("#bundlX\0\0\0\0\0\0\0\0\0") },
            { "negative blob size", negativeBlob },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedPackets))]
    public void TryDispatch_Malformed_FalseAndNothingDelivered(string what, byte[] packet)
    {
        var seen = new Recorder();
        Assert.False(OscPacket.TryDispatch(packet, seen), what);
        Assert.Empty(seen.Lines);
    }

    [Fact]
    public void Handle_SourceNotAllowed_CountedAndDropped()
    {
        var hub = new RemoteHub(Registry);
        using var server = new OscServer(new IPEndPoint(IPAddress.Loopback, 0), [IPAddress.Parse("10.9.8.7")], hub, NullLogger.Instance);
        server.Handle(Message("/hm/param/width.width", 150f), new IPEndPoint(IPAddress.Loopback, 5000).Serialize());
        Assert.Equal(1, server.Denied);
        Assert.Equal(0, server.Queued);
        server.Handle(Message("/hm/param/width.width", 150f), new IPEndPoint(IPAddress.Parse("10.9.8.7"), 5000).Serialize());
        Assert.Equal(1, server.Queued);
    }

    [Fact]
    public void Handle_RoutesParamBypassPresetAndCountsTheRest()
    {
        var hub = new RemoteHub(Registry);
        using var server = new OscServer(new IPEndPoint(IPAddress.Loopback, 0), [], hub, NullLogger.Instance);
        SocketAddress from = new IPEndPoint(IPAddress.Loopback, 5000).Serialize();
        server.Handle(Message("/hm/param/width.width", 150f), from);
        server.Handle(Message("/hm/param/comp.threshold", -20), from);
        server.Handle(Message("/hm/bypass/comp", 1), from);
        server.Handle(Message("/hm/bypass/all", 1), from);
        server.Handle(Message("/hm/preset", "EDM-Club"), from);
        server.Handle(Message("/hm/param/nope", 1f), from);
        server.Handle(Message("/hm/param/width.width", "wide"), from);
        server.Handle(Message("/hm/preset", "nope"), from);
        server.Handle(Message("/other"), from);
        server.Handle([1, 2, 3], from);
        Assert.Equal(5, server.Queued);
        Assert.Equal(4, server.Unrouted);
        Assert.Equal(1, server.Malformed);
        var applied = new List<RemoteCommand>();
        hub.Commands.Drain(new ListTarget(applied));
        Assert.Equal(RemoteCommand.Set(Registry.IndexOf(ParameterIds.Width), 150, RemoteOrigin.Osc), applied[0]);
        Assert.Equal(RemoteCommand.Set(Registry.IndexOf(ParameterIds.CompThreshold), -20, RemoteOrigin.Osc), applied[1]);
        Assert.Equal(RemoteCommand.Set(Registry.IndexOf(ParameterIds.CompBypass), 1, RemoteOrigin.Osc), applied[2]);
        Assert.Equal(RemoteCommandKind.SetGlobalBypass, applied[3].Kind);
        Assert.Equal("edm-club", applied[4].Text);
    }

    [Fact]
    public void ReceiveOnce_SteadyState_AllocatesNothingPerPacket()
    {
        var hub = new RemoteHub(Registry, capacity: 4096);
        using var server = new OscServer(new IPEndPoint(IPAddress.Loopback, 0), [IPAddress.Loopback], hub, NullLogger.Instance);
        server.Bind();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var to = new IPEndPoint(IPAddress.Loopback, server.Port);
        byte[][] packets =
        [
            Message("/hm/param/width.width", 120f), Message("/hm/bypass/eq", 1), Message("/hm/preset", "edm-club"),
            Message("/hm/subscribe"), Bundle(Message("/hm/param/trim.gain", 1f), Message("/hm/bypass/all", 0)), [9, 9, 9],
        ];

        void Round()
        {
            foreach (byte[] packet in packets)
            {
                client.SendTo(packet, to);
            }

            for (int i = 0; i < packets.Length; i++)
            {
                Assert.True(server.ReceiveOnce());
            }

            server.SendMeters();
        }

        for (int i = 0; i < 50; i++)
        {
            Round(); // warm-up (the client's sends allocate; measured below on the server's calls only)
        }

        // Least of four segments of the server's own calls (see ProgramMeterTests): another thread's garbage collection
        // can make the per-thread counter jump once; an allocation on the server's path shows in every segment.
        const int Segments = 4, RoundsPerSegment = 12, Rounds = Segments * RoundsPerSegment;
        long least = long.MaxValue;
        for (int segment = 0; segment < Segments; segment++)
        {
            long allocated = 0;
            for (int round = 0; round < RoundsPerSegment; round++)
            {
                foreach (byte[] packet in packets)
                {
                    client.SendTo(packet, to);
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int p = 0; p < packets.Length; p++)
                {
                    Assert.True(server.ReceiveOnce());
                }

                server.SendMeters();
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }

            least = Math.Min(least, allocated);
        }

        Assert.Equal(0, least);
        Assert.Equal(50 + Rounds, server.Malformed); // one malformed packet per round, warm-up included
        Assert.True(server.Replies >= 50 + Rounds);
    }

    [Fact]
    public async Task HeadlessRun_UdpRoundTrip_ParameterBypassAndMeterReplies()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var hub = new RemoteHub(Registry, Path.GetTempPath());
        RunRequest? request = RunCommand.Build(
            null, new RunConfigurationOverrides("gen:pink", null, 48000, 256, null, 0, null), 6, null, 0, out IReadOnlyList<string> problems, remoteInputs: new RemoteInputOptions(null, null, $"127.0.0.1:{port}", "127.0.0.1"));
        Assert.Empty(problems);
        using var stop = new CancellationTokenSource(Patience);
        Task<int> run = CliRunner.CaptureAsync(() => RunHost.RunAsync(request! with { Remote = hub }, logging => logging.ClearProviders()))
            .ContinueWith(t => t.Result.Result, TaskScheduler.Default);
        while (request!.RemoteInputs!.Osc is not { Port: > 0 } || hub.State.ReadMeters().Blocks == 0)
        {
            await Task.Delay(20, stop.Token);
        }

        OscServer server = request.RemoteInputs.Osc;
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var to = new IPEndPoint(IPAddress.Loopback, port);
        await client.SendAsync(Message("/hm/param/width.width", 150f), to, stop.Token);
        await client.SendAsync(Message("/hm/bypass/limiter", 1), to, stop.Token);
        await client.SendAsync(new byte[] { 0x2F, 0x68, 0x6D, 0x00, 0x2C, 0x66 }, to, stop.Token); // cut off: malformed
        await client.SendAsync(Message("/hm/subscribe"), to, stop.Token);

        UdpReceiveResult reply = await client.ReceiveAsync(stop.Token);
        Assert.Equal(port, reply.RemoteEndPoint.Port);
        var recorder = new Recorder();
        Assert.True(OscPacket.TryDispatch(reply.Buffer, recorder));
        Assert.StartsWith("/hm/meters f=", Assert.Single(recorder.Lines));
        Assert.Equal(9, recorder.Lines[0].Split(' ').Length - 1);

        int width = Registry.IndexOf(ParameterIds.Width);
        int limiterBypass = Registry.IndexOf(ParameterIds.LimiterBypass);
        var values = new double[Registry.Count];
        while (true)
        {
            hub.State.CopyValues(values);
            if (values[width] == 150 && values[limiterBypass] == 1)
            {
                break;
            }

            await Task.Delay(20, stop.Token);
        }

        // the meters keep coming and move: pink noise is playing
        double shortTerm = double.NegativeInfinity;
        while (!(shortTerm > -60))
        {
            reply = await client.ReceiveAsync(stop.Token);
            shortTerm = BinaryPrimitives.ReadSingleBigEndian(reply.Buffer.AsSpan(reply.Buffer.Length - (5 * 4)));
        }

        Assert.Equal(1, server.Malformed);
        Assert.Equal(0, server.Denied);
        Assert.Equal(2, server.Queued);
        Assert.Equal(0, await run.WaitAsync(Patience));
    }

    [Theory]
    [InlineData("9000", "--osc '9000': must be ADDR:PORT")]
    [InlineData("localhost:9000", "--osc 'localhost:9000': must be ADDR:PORT")]
    [InlineData("127.0.0.1:0", "--osc '127.0.0.1:0': must be ADDR:PORT")]
    [InlineData("127.0.0.1:70000", "--osc '127.0.0.1:70000': must be ADDR:PORT")]
    public void Build_BadOscAddress_OneLine(string osc, string expected)
    {
        Assert.Null(RunCommand.Build(null, new RunConfigurationOverrides("gen:pink", null, 48000, 256, null, 0, null), 1, null, 0, out IReadOnlyList<string> problems, remoteInputs: new RemoteInputOptions(null, null, osc, null)));
        Assert.StartsWith(expected, Assert.Single(problems));
    }

    [Theory]
    [InlineData(null, "map.json", null, null, "--midi-map needs --midi DEVICE|file:PATH")]
    [InlineData(null, null, null, "127.0.0.1", "--osc-allow needs --osc ADDR:PORT")]
    [InlineData(null, null, "127.0.0.1:9000", "10.0.0.1,box", "--osc-allow 'box': not an IP address")]
    [InlineData("hw:1,0", "/nonexistent/map.json", null, null, "--midi-map: /nonexistent/map.json: cannot read the MIDI map: ")]
    [InlineData("file:", null, null, null, "--midi 'file:': name an ALSA rawmidi device")]
    public void Build_BadRemoteInputs_OneLine(string? midi, string? map, string? osc, string? allow, string expected)
    {
        Assert.Null(RunCommand.Build(null, new RunConfigurationOverrides("gen:pink", null, 48000, 256, null, 0, null), 1, null, 0, out IReadOnlyList<string> problems, remoteInputs: new RemoteInputOptions(midi, map, osc, allow)));
        Assert.StartsWith(expected, Assert.Single(problems));
    }

    [Fact]
    public void Build_ConfigKeys_TurnTheInputsOn_AndOptionsOverrideThem()
    {
        string config = Path.Combine(Path.GetTempPath(), "hm-osc-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(config, """{ "midi": "hw:2,0", "osc": "127.0.0.1:9100", "oscAllow": "127.0.0.1,::1" }""");
        try
        {
            RunRequest? request = RunCommand.Build(config, new RunConfigurationOverrides("gen:pink", null, 48000, 256, null, 0, null), 1, null, 0, out IReadOnlyList<string> problems, remoteInputs: new RemoteInputOptions(null, null, "127.0.0.1:9200", null));
            Assert.Empty(problems);
            Assert.Equal("hw:2,0", request!.RemoteInputs!.MidiSpec);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9200), request.RemoteInputs.OscEndpoint);
            Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], request.RemoteInputs.OscAllowed);
            Assert.NotNull(request.Remote);

            RunRequest? off = RunCommand.Build(null, new RunConfigurationOverrides("gen:pink", null, 48000, 256, null, 0, null), 1, null, 0, out _);
            Assert.Null(off!.RemoteInputs); // off by default
            Assert.Null(off.Remote);
        }
        finally
        {
            File.Delete(config);
        }
    }

    private sealed class Recorder : IOscMessageHandler
    {
        public List<string> Lines { get; } = [];

        public void OnMessage(in OscMessage message)
        {
            var line = new StringBuilder(Encoding.ASCII.GetString(message.Address));
            for (int i = 0; i < message.Count; i++)
            {
                if (message.TryGetString(i, out ReadOnlySpan<byte> text))
                {
                    line.Append(" s=").Append(Encoding.ASCII.GetString(text));
                }
                else if (message.TryGetNumber(i, out double value))
                {
                    line.Append(message.TypeTags[i] == (byte)'i' ? " i=" : " f=").Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    line.Append(" ?");
                }
            }

            Lines.Add(line.ToString());
        }
    }

    private sealed class ListTarget(List<RemoteCommand> applied) : IRemoteCommandTarget
    {
        public bool Apply(in RemoteCommand command)
        {
            applied.Add(command);
            return true;
        }
    }
}
