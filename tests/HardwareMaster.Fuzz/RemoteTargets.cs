using System.Net;
using System.Net.Sockets;
using System.Text;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Remote;
using HardwareMaster.App.Remote.Midi;
using HardwareMaster.App.Remote.Osc;
using HardwareMaster.Hal.Midi;
using Microsoft.Extensions.Logging.Abstractions;

namespace HardwareMaster.Fuzz;

/// <summary>
/// The remote-control parsers: the MIDI byte parser with the mapper behind it, the OSC packet parser with the server's
/// routing behind it, and the MIDI mapping file. None may throw for any input (the map throws only
/// <see cref="MidiMapException"/>); every command they produce must carry a finite value and a registry index.
/// </summary>
internal static class RemoteTargets
{
    private static readonly ParameterRegistry Registry = ParameterRegistry.Chain;
    private static readonly string[] Factory = new PresetLibrary(Registry).Factory.Select(p => p.Name).ToArray();
    private static readonly MidiMapper Mapper = new(
        App.Remote.Midi.MidiMap.Parse(
            """
            { "controls": [
              { "cc": 1, "id": "comp.threshold" }, { "cc": 2, "id": "width.width", "mode": "twos-complement" },
              { "cc": 3, "channel": 1, "id": "trim.gain", "mode": "binary-offset" }, { "cc": 4, "id": "eq.bell2.gain", "mode": "sign-magnitude" },
              { "cc": 7, "id": "comp.bypass" }, { "nrpn": 0, "id": "limiter.ceiling" }, { "nrpn": 1000, "id": "hpf.freq", "mode": "twos-complement" } ] }
            """u8.ToArray(),
            "fuzz-map.json",
            Registry),
        Registry,
        Factory);

    private static readonly RemoteHub Hub = new(Registry);
    private static readonly OscServer Server = new(new IPEndPoint(IPAddress.Loopback, 0), [], Hub, NullLogger.Instance);
    private static readonly SocketAddress From = new IPEndPoint(IPAddress.Loopback, 9).Serialize();
    private static readonly CheckingTarget Check = new();

    /// <summary>MIDI bytes → parser → mapper; the first byte also picks the split into reads (state carries across reads).</summary>
    public static bool Midi(byte[] data)
    {
        var parser = new MidiParser();
        bool any = false;
        foreach (byte b in data)
        {
            if (parser.Push(b, out MidiMessage message))
            {
                if (message.Data1 > 127 || message.Data2 > 127 || message.Channel > 15)
                {
                    throw new InvalidOperationException($"parser produced {message}");
                }

                if (Mapper.TryMap(message, out RemoteCommand command))
                {
                    Check.Apply(command);
                    any = true;
                }
            }
        }

        return any;
    }

    /// <summary>A datagram through the OSC server's handling (parse, validate, route, queue).</summary>
    public static bool Osc(byte[] data)
    {
        long malformed = Server.Malformed;
        Server.Handle(data, From);
        Hub.Commands.Drain(Check, int.MaxValue);
        bool valid = OscPacket.TryDispatch(data, null);
        if (valid == (Server.Malformed != malformed))
        {
            throw new InvalidOperationException("the server and the parser disagree on whether the packet is well formed");
        }

        return valid;
    }

    /// <summary>The mapping file as <c>--midi-map</c> reads it; an accepted map must survive its own JSON.</summary>
    public static bool MidiMap(byte[] data)
    {
        App.Remote.Midi.MidiMap map;
        try
        {
            map = App.Remote.Midi.MidiMap.Parse(data, "fuzz.json", Registry);
        }
        catch (MidiMapException)
        {
            return false;
        }

        App.Remote.Midi.MidiMap again = App.Remote.Midi.MidiMap.Parse(Encoding.UTF8.GetBytes(map.ToJson()), "again.json", Registry);
        if (!again.Bindings.SequenceEqual(map.Bindings))
        {
            throw new InvalidOperationException("the map's JSON does not read back the same bindings");
        }

        _ = new MidiMapper(map, Registry, Factory);
        return true;
    }

    private sealed class CheckingTarget : IRemoteCommandTarget
    {
        public bool Apply(in RemoteCommand command)
        {
            bool ok = command.Kind switch
            {
                RemoteCommandKind.SetParameter or RemoteCommandKind.StepParameter => (uint)command.Index < (uint)Registry.Count && double.IsFinite(command.Value),
                RemoteCommandKind.SetGlobalBypass => command.Value is 0 or 1,
                RemoteCommandKind.RecallFactoryPreset => command.Text is not null && Factory.Contains(command.Text),
                _ => false,
            };
            return ok ? true : throw new InvalidOperationException($"bad command {command}");
        }
    }
}
