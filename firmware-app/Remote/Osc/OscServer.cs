using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Presets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Remote.Osc;

/// <summary>
/// OSC over UDP (<c>run --osc ADDR:PORT</c>, off by default). Understands:
/// <list type="table">
/// <item><term><c>/hm/param/&lt;id&gt; f</c></term><description>set a registry parameter (an <c>i</c> works too); clamped like a knob.</description></item>
/// <item><term><c>/hm/bypass/&lt;stage&gt; i</c></term><description>stage bypass (<c>hpf eq comp width limiter</c>; 1 = bypassed), or <c>all</c> for the loudness-matched global bypass.</description></item>
/// <item><term><c>/hm/preset s</c></term><description>recall a factory preset by name.</description></item>
/// <item><term><c>/hm/subscribe</c></term><description>send meters to the sender's address and port, 25 times a second, for <see cref="SubscriptionSeconds"/> s (send it again to stay subscribed); <c>/hm/unsubscribe</c> stops.</description></item>
/// </list>
/// Meter replies are <c>/hm/meters fffffffff</c>: input peak dBFS, output peak dBFS, true peak dBTP, momentary,
/// short-term and integrated LUFS, LRA LU, compressor and limiter gain reduction dB.
/// Every command goes through the <see cref="RemoteHub"/> (the knobs' route). A malformed packet is counted and
/// dropped, a packet from an address not on the allow list is counted and dropped, and nothing thrown; a received
/// packet allocates nothing.
/// </summary>
public sealed class OscServer : BackgroundService
{
    /// <summary>How long a subscription lasts without being renewed.</summary>
    public const int SubscriptionSeconds = 10;

    /// <summary>Subscribers served at most.</summary>
    public const int MaxSubscribers = 8;

    private static readonly byte[] MetersHeader = Header("/hm/meters", ",fffffffff");
    private readonly IPEndPoint _bind;
    private readonly byte[][] _allowed;
    private readonly RemoteHub _hub;
    private readonly ILogger _logger;
    private readonly Handler _handler;
    private readonly byte[] _receive = new byte[65536];
    private readonly byte[] _reply = new byte[MetersHeader.Length + (9 * 4)];
    private readonly SocketAddress _from;
    private readonly SocketAddress[] _subscribers = new SocketAddress[MaxSubscribers];
    private readonly long[] _subscriberUntil = new long[MaxSubscribers];
    private readonly Lock _subscribersGate = new();
    private Socket? _socket;
    private long _received;
    private long _malformed;
    private long _denied;
    private long _unrouted;
    private long _queued;
    private long _replies;

    /// <summary>Creates the server (not yet listening).</summary>
    /// <param name="bind">Address and port to listen on.</param>
    /// <param name="allowed">Source addresses accepted (empty = any).</param>
    /// <param name="hub">Where commands go and meters come from.</param>
    /// <param name="logger">Where trouble goes.</param>
    public OscServer(IPEndPoint bind, IReadOnlyList<IPAddress> allowed, RemoteHub hub, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(allowed);
        ArgumentNullException.ThrowIfNull(hub);
        _bind = bind;
        _allowed = allowed.Select(a => (bind.AddressFamily == AddressFamily.InterNetworkV6 && a.AddressFamily == AddressFamily.InterNetwork ? a.MapToIPv6() : a).GetAddressBytes()).ToArray();
        _hub = hub;
        _logger = logger;
        _from = new SocketAddress(bind.AddressFamily);
        for (int i = 0; i < _subscribers.Length; i++)
        {
            _subscribers[i] = new SocketAddress(bind.AddressFamily);
        }

        _handler = new Handler(this, hub);
        MetersHeader.CopyTo(_reply, 0);
    }

    /// <summary>The port listened on (after <see cref="Bind"/>; useful with port 0).</summary>
    public int Port => (_socket?.LocalEndPoint as IPEndPoint)?.Port ?? 0;

    /// <summary>Packets received. Any thread.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Malformed packets dropped. Any thread.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Packets from addresses not on the allow list, dropped. Any thread.</summary>
    public long Denied => Interlocked.Read(ref _denied);

    /// <summary>Well-formed messages with an unknown address, parameter, stage or preset, or wrong arguments. Any thread.</summary>
    public long Unrouted => Interlocked.Read(ref _unrouted);

    /// <summary>Commands queued on the hub. Any thread.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Meter replies sent. Any thread.</summary>
    public long Replies => Interlocked.Read(ref _replies);

    /// <summary>Current subscribers. Any thread.</summary>
    public int Subscribers
    {
        get
        {
            lock (_subscribersGate)
            {
                long now = Environment.TickCount64;
                return _subscriberUntil.Count(until => until > now);
            }
        }
    }

    /// <summary>Opens the socket.</summary>
    /// <exception cref="SocketException">The address cannot be bound (in use, not this machine's).</exception>
    public void Bind()
    {
        var socket = new Socket(_bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(_bind);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
    }

    /// <summary>Waits for one packet and handles it. The receive thread (or a test); allocation-free.</summary>
    /// <returns><c>false</c> when the socket was closed.</returns>
    public bool ReceiveOnce()
    {
        Socket? socket = _socket;
        if (socket is null)
        {
            return false;
        }

        int length;
        try
        {
            length = socket.ReceiveFrom(_receive, SocketFlags.None, _from);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
        {
            Interlocked.Increment(ref _malformed); // an oversized datagram, or an ICMP error for an earlier reply
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }

        Handle(_receive.AsSpan(0, length), _from);
        return true;
    }

    /// <summary>Handles one datagram from <paramref name="from"/>. The receive thread; allocation-free.</summary>
    /// <param name="packet">The datagram.</param>
    /// <param name="from">Its sender.</param>
    public void Handle(ReadOnlySpan<byte> packet, SocketAddress from)
    {
        Interlocked.Increment(ref _received);
        if (!IsAllowed(from))
        {
            Interlocked.Increment(ref _denied);
            return;
        }

        _handler.From = from;
        if (!OscPacket.TryDispatch(packet, _handler))
        {
            Interlocked.Increment(ref _malformed);
        }
    }

    /// <summary>Sends the meters to every live subscriber. The meter thread (or a test).</summary>
    /// <returns>Replies sent.</returns>
    public int SendMeters()
    {
        Socket? socket = _socket;
        if (socket is null)
        {
            return 0;
        }

        MeterSnapshot m = _hub.State.ReadMeters();
        Span<byte> values = _reply.AsSpan(MetersHeader.Length);
        ReadOnlySpan<double> fields =
        [
            Math.Max(m.InputPeakLeftDbfs, m.InputPeakRightDbfs), Math.Max(m.OutputPeakLeftDbfs, m.OutputPeakRightDbfs), m.TruePeakDbtp,
            m.MomentaryLufs, m.ShortTermLufs, m.IntegratedLufs, m.LoudnessRangeLu, m.CompressorReductionDb, m.LimiterReductionDb,
        ];
        for (int i = 0; i < fields.Length; i++)
        {
            BinaryPrimitives.WriteSingleBigEndian(values[(i * 4)..], (float)fields[i]);
        }

        int sent = 0;
        lock (_subscribersGate)
        {
            long now = Environment.TickCount64;
            for (int i = 0; i < _subscribers.Length; i++)
            {
                if (_subscriberUntil[i] <= now)
                {
                    continue;
                }

                try
                {
                    socket.SendTo(_reply, SocketFlags.None, _subscribers[i]);
                    sent++;
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    _subscriberUntil[i] = 0; // unreachable: drop it
                }
            }
        }

        Interlocked.Add(ref _replies, sent);
        return sent;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _socket?.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            Bind();
        }
        catch (SocketException ex)
        {
            _logger.LogError("osc: cannot listen on {Address}: {Message}; audio runs on without OSC", _bind, NetworkSandbox.Describe(ex));
            return;
        }

        _logger.LogInformation("osc: listening on {Address} (UDP){Allowed}", _bind, _allowed.Length == 0 ? " from any address" : $" from {string.Join(", ", _allowed.Select(a => new IPAddress(a)))}");
        using CancellationTokenRegistration close = stoppingToken.Register(() => _socket?.Dispose());
        Task receiver = Task.Factory.StartNew(
            () =>
            {
                while (!stoppingToken.IsCancellationRequested && ReceiveOnce())
                {
                }
            },
            stoppingToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(40));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                SendMeters();
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        await receiver.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static byte[] Header(string address, string tags)
    {
        int a = (address.Length + 4) & ~3;
        int t = (tags.Length + 4) & ~3;
        byte[] bytes = new byte[a + t];
        Encoding.ASCII.GetBytes(address, bytes);
        Encoding.ASCII.GetBytes(tags, bytes.AsSpan(a));
        return bytes;
    }

    private bool IsAllowed(SocketAddress from)
    {
        if (_allowed.Length == 0)
        {
            return true;
        }

        // The native sockaddr: sockaddr_in has the IPv4 address at offset 4, sockaddr_in6 the IPv6 address at offset 8.
        ReadOnlySpan<byte> raw = from.Buffer.Span[..from.Size];
        ReadOnlySpan<byte> ip = from.Family == AddressFamily.InterNetworkV6 ? raw.Slice(8, 16) : raw.Slice(4, 4);
        foreach (byte[] allowed in _allowed)
        {
            if (ip.SequenceEqual(allowed))
            {
                return true;
            }
        }

        return false;
    }

    private void Subscribe(SocketAddress from, bool on)
    {
        lock (_subscribersGate)
        {
            long now = Environment.TickCount64;
            int free = -1;
            for (int i = 0; i < _subscribers.Length; i++)
            {
                bool same = _subscribers[i].Size == from.Size && _subscribers[i].Buffer.Span[..from.Size].SequenceEqual(from.Buffer.Span[..from.Size]);
                if (same && _subscriberUntil[i] > now)
                {
                    _subscriberUntil[i] = on ? now + (SubscriptionSeconds * 1000L) : 0;
                    return;
                }

                if (free < 0 && _subscriberUntil[i] <= now)
                {
                    free = i;
                }
            }

            if (on && free >= 0)
            {
                from.Buffer.Span[..from.Size].CopyTo(_subscribers[free].Buffer.Span);
                _subscribers[free].Size = from.Size;
                _subscriberUntil[free] = now + (SubscriptionSeconds * 1000L);
            }
        }
    }

    // Routes one message; owns the address tables (UTF-8, built once).
    private sealed class Handler : IOscMessageHandler
    {
        private static readonly byte[] ParamPrefix = "/hm/param/"u8.ToArray();
        private static readonly byte[] BypassPrefix = "/hm/bypass/"u8.ToArray();
        private readonly OscServer _server;
        private readonly RemoteHub _hub;
        private readonly byte[][] _ids;
        private readonly (byte[] Stage, int Index)[] _stages;
        private readonly byte[][] _presetBytes;
        private readonly string[] _presetNames;

        public Handler(OscServer server, RemoteHub hub)
        {
            _server = server;
            _hub = hub;
            var registry = hub.State.Registry;
            _ids = registry.All.Select(d => Encoding.UTF8.GetBytes(d.Id)).ToArray();
            _stages = registry.All
                .Select((d, i) => (d.Id, i))
                .Where(p => p.Id.EndsWith(".bypass", StringComparison.Ordinal))
                .Select(p => (Encoding.UTF8.GetBytes(p.Id[..^".bypass".Length]), p.i))
                .ToArray();
            _presetNames = new PresetLibrary(registry).Factory.Select(p => p.Name).ToArray();
            _presetBytes = _presetNames.Select(Encoding.UTF8.GetBytes).ToArray();
        }

        public SocketAddress? From { get; set; }

        public void OnMessage(in OscMessage message)
        {
            if (Route(message) is { } command)
            {
                if (_hub.Commands.TryEnqueue(command))
                {
                    Interlocked.Increment(ref _server._queued);
                }
            }
        }

        private RemoteCommand? Route(in OscMessage message)
        {
            ReadOnlySpan<byte> address = message.Address;
            if (address.StartsWith(ParamPrefix))
            {
                ReadOnlySpan<byte> id = address[ParamPrefix.Length..];
                for (int i = 0; i < _ids.Length; i++)
                {
                    if (id.SequenceEqual(_ids[i]) && message.Count == 1 && message.TryGetNumber(0, out double value) && double.IsFinite(value))
                    {
                        return RemoteCommand.Set(i, value, RemoteOrigin.Osc);
                    }
                }
            }
            else if (address.StartsWith(BypassPrefix))
            {
                ReadOnlySpan<byte> stage = address[BypassPrefix.Length..];
                if (message.Count == 1 && message.TryGetNumber(0, out double on))
                {
                    if (stage.SequenceEqual("all"u8))
                    {
                        return new RemoteCommand(RemoteCommandKind.SetGlobalBypass, -1, on != 0 ? 1 : 0, null, RemoteOrigin.Osc);
                    }

                    foreach ((byte[] name, int index) in _stages)
                    {
                        if (stage.SequenceEqual(name))
                        {
                            return RemoteCommand.Set(index, on != 0 ? 1 : 0, RemoteOrigin.Osc);
                        }
                    }
                }
            }
            else if (address.SequenceEqual("/hm/preset"u8))
            {
                if (message.Count == 1 && message.TryGetString(0, out ReadOnlySpan<byte> name))
                {
                    for (int i = 0; i < _presetBytes.Length; i++)
                    {
                        if (System.Text.Ascii.EqualsIgnoreCase(name, _presetBytes[i]))
                        {
                            return new RemoteCommand(RemoteCommandKind.RecallFactoryPreset, -1, i, _presetNames[i], RemoteOrigin.Osc);
                        }
                    }
                }
            }
            else if (address.SequenceEqual("/hm/subscribe"u8) || address.SequenceEqual("/hm/unsubscribe"u8))
            {
                if (From is { } from)
                {
                    _server.Subscribe(from, on: address.Length == "/hm/subscribe".Length);
                    return null;
                }
            }

            Interlocked.Increment(ref _server._unrouted);
            return null;
        }
    }
}
