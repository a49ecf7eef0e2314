using System.Net;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Remote;
using HardwareMaster.App.Remote.Osc;
using Microsoft.Extensions.Logging.Abstractions;
using HardwareMaster.Fuzzing;

namespace HardwareMaster.App.Tests.Fuzzing;

/// <summary>
/// CI's deterministic fuzz pass of the preset parser and the run-configuration parser: a fixed-seed mutation
/// (binary and JSON token-level) of every seed in tests/HardwareMaster.Fuzz/corpus, and every saved crash input in
/// tests/HardwareMaster.Fuzz/crashes. The only assertion: each input either parses or throws the parser's
/// documented exception (<see cref="PresetException"/>, <see cref="ConfigurationException"/>).
/// </summary>
public sealed class ParserMutationTests : ParserMutationTestBase<ParserMutationTests>, IFuzzedParsers
{
    /// <inheritdoc/>
    public static IReadOnlyList<FuzzedParser> Parsers { get; } =
    [
        new("preset", typeof(PresetException), Json: true, Count: 4000, ParsePreset),
        new("config", typeof(ConfigurationException), Json: true, Count: 4000, ParseConfig),
        new("midimap", typeof(HardwareMaster.App.Remote.Midi.MidiMapException), Json: true, Count: 4000, ParseMidiMap),
        new("midi", typeof(NeverThrownException), Json: false, Count: 20000, ParseMidi),
        new("osc", typeof(NeverThrownException), Json: false, Count: 20000, ParseOsc),
    ];

    [Fact]
    public void MidiMap_MutatedMaps_ParseOrThrowMidiMapException() => AssertPassSucceeds(Parsers[2]);

    [Fact]
    public void MidiParser_MutatedStreams_NeverThrow() => AssertPassSucceeds(Parsers[3]);

    [Fact]
    public void OscPacket_MutatedPackets_NeverThrow() => AssertPassSucceeds(Parsers[4]);

    private static void ParseMidiMap(byte[] data) => _ = HardwareMaster.App.Remote.Midi.MidiMap.Parse(data, "fuzz.json", ParameterRegistry.Chain);

    private static void ParseMidi(byte[] data)
    {
        var parser = new HardwareMaster.Hal.Midi.MidiParser();
        foreach (byte b in data)
        {
            _ = parser.Push(b, out _);
        }
    }

    // Through the server's routing (OscServer.Handle: allow list, dispatch to the parameter/bypass/preset/subscribe
    // handler, counters), not only the parser: no exception, and a packet is counted malformed exactly when the parser
    // rejects it. Commands are drained after each input so the hub's queue never fills.
    private static void ParseOsc(byte[] data)
    {
        OscServer server = RoutedOsc.Server;
        bool valid = OscPacket.TryDispatch(data, null);
        long malformed = server.Malformed;
        long received = server.Received;
        server.Handle(data, RoutedOsc.From);
        _ = RoutedOsc.Hub.Commands.Drain(RoutedOsc.Sink, int.MaxValue);
        if (server.Received != received + 1 || server.Malformed != malformed + (valid ? 0 : 1))
        {
            throw new InvalidOperationException(
                $"OscServer.Handle counted {server.Malformed - malformed} malformed for a packet the parser {(valid ? "accepts" : "rejects")}");
        }
    }

    private static class RoutedOsc
    {
        public static readonly RemoteHub Hub = new(ParameterRegistry.Chain);
        public static readonly OscServer Server = new(new IPEndPoint(IPAddress.Loopback, 0), [IPAddress.Loopback], Hub, NullLogger.Instance);
        public static readonly SocketAddress From = new IPEndPoint(IPAddress.Loopback, 5000).Serialize();
        public static readonly IRemoteCommandTarget Sink = new Discard();

        private sealed class Discard : IRemoteCommandTarget
        {
            public bool Apply(in RemoteCommand command) => true;
        }
    }

    private sealed class NeverThrownException : Exception
    {
    }

    [Fact]
    public void PresetSerializer_MutatedPresets_ParseOrThrowPresetException() => AssertPassSucceeds(Parsers[0]);

    [Fact]
    public void RunConfiguration_MutatedConfigs_ParseOrThrowConfigurationException() => AssertPassSucceeds(Parsers[1]);

    private static void ParsePreset(byte[] data)
    {
        Preset preset = PresetSerializer.Parse(MutationPass.DecodeText(data), "fuzz.json", ParameterRegistry.Chain);
        _ = PresetSerializer.Serialize(preset);
    }

    private static void ParseConfig(byte[] data) => _ = RunConfiguration.Parse(MutationPass.DecodeText(data), "fuzz.json");
}
