using System.Text;
using HardwareMaster.App.Commands;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.App.Remote;
using HardwareMaster.App.Remote.Midi;
using HardwareMaster.App.Tests.TestSupport;
using HardwareMaster.Hal.Midi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HardwareMaster.App.Tests.Remote;

/// <summary>MIDI → registry: the mapping file, every encoding, NRPN, program change, learn, and a headless run fed by a byte stream.</summary>
[Collection(nameof(ConsoleTests))] // the headless runs redirect the Console
public sealed class MidiRemoteTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly ParameterRegistry Registry = ParameterRegistry.Chain;
    private static readonly string[] FactoryNames = new PresetLibrary(Registry).Factory.Select(p => p.Name).ToArray();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hm-midi-" + Guid.NewGuid().ToString("N")[..8]);

    public MidiRemoteTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MidiMap Map(string json) => MidiMap.Parse(Encoding.UTF8.GetBytes(json), "map.json", Registry);

    [Theory]
    [InlineData(MidiValueMode.TwosComplement, 1, 1)]
    [InlineData(MidiValueMode.TwosComplement, 63, 63)]
    [InlineData(MidiValueMode.TwosComplement, 127, -1)]
    [InlineData(MidiValueMode.TwosComplement, 65, -63)]
    [InlineData(MidiValueMode.TwosComplement, 64, -64)]
    [InlineData(MidiValueMode.TwosComplement, 0, 0)]
    [InlineData(MidiValueMode.BinaryOffset, 64, 0)]
    [InlineData(MidiValueMode.BinaryOffset, 65, 1)]
    [InlineData(MidiValueMode.BinaryOffset, 63, -1)]
    [InlineData(MidiValueMode.BinaryOffset, 127, 63)]
    [InlineData(MidiValueMode.BinaryOffset, 0, -64)]
    [InlineData(MidiValueMode.SignMagnitude, 1, 1)]
    [InlineData(MidiValueMode.SignMagnitude, 63, 63)]
    [InlineData(MidiValueMode.SignMagnitude, 65, -1)]
    [InlineData(MidiValueMode.SignMagnitude, 127, -63)]
    [InlineData(MidiValueMode.SignMagnitude, 64, 0)]
    public void DecodeRelative_EveryEncoding(MidiValueMode mode, int value, int steps) => Assert.Equal(steps, MidiMapper.DecodeRelative(mode, value));

    [Fact]
    public void Mapper_RelativeCc_StepsInEachEncoding()
    {
        MidiMap map = Map("""
            { "controls": [
              { "cc": 21, "id": "eq.bell2.gain", "mode": "twos-complement" },
              { "cc": 22, "id": "eq.bell2.gain", "mode": "binary-offset", "channel": 2 },
              { "cc": 23, "id": "eq.bell2.gain", "mode": "sign-magnitude" } ] }
            """);
        var mapper = new MidiMapper(map, Registry, FactoryNames);
        int index = Registry.IndexOf(ParameterIds.EqBell2Gain);
        (byte cc, byte channel, byte value, int steps)[] cases = [(21, 0, 127, -1), (21, 5, 3, 3), (22, 1, 60, -4), (23, 0, 66, -2), (23, 0, 2, 2)];
        foreach ((byte cc, byte channel, byte value, int steps) in cases)
        {
            Assert.True(mapper.TryMap(new MidiMessage(MidiMessageKind.ControlChange, channel, cc, value), out RemoteCommand command));
            Assert.Equal(RemoteCommand.Step(index, steps, RemoteOrigin.Midi), command);
        }

        Assert.False(mapper.TryMap(new MidiMessage(MidiMessageKind.ControlChange, 0, 22, 60), out _)); // cc 22 is bound on channel 2 only
        Assert.False(mapper.TryMap(new MidiMessage(MidiMessageKind.ControlChange, 0, 21, 0), out _));  // no move
    }

    [Fact]
    public void Mapper_Nrpn_FourteenBitAbsoluteAndIncrementDecrement()
    {
        MidiMap map = Map("""{ "controls": [ { "nrpn": 1000, "id": "width.width" }, { "nrpn": 5, "id": "trim.gain", "mode": "binary-offset" } ] }""");
        var mapper = new MidiMapper(map, Registry, FactoryNames);
        int width = Registry.IndexOf(ParameterIds.Width);
        int trim = Registry.IndexOf(ParameterIds.TrimGain);
        ParameterDefinition definition = Registry.All[width];
        var commands = new List<RemoteCommand>();
        void Cc(byte controller, byte value)
        {
            if (mapper.TryMap(new MidiMessage(MidiMessageKind.ControlChange, 0, controller, value), out RemoteCommand command))
            {
                commands.Add(command);
            }
        }

        Cc(6, 100); // data entry before any NRPN is selected: ignored
        Cc(99, 1000 >> 7);
        Cc(98, 1000 & 127);
        Cc(6, 64);
        Cc(38, 0);
        Cc(38, 127);
        Cc(96, 0);
        Cc(97, 0);
        Cc(99, 0);
        Cc(98, 5);
        Cc(6, 61);
        Cc(101, 0); // RPN select: data entry no longer reaches the NRPN
        Cc(100, 0);
        Cc(6, 70);
        Assert.Equal(
            [
                RemoteCommand.Set(width, definition.FromNormalized((64 << 7) / 16383.0), RemoteOrigin.Midi),
                RemoteCommand.Set(width, definition.FromNormalized((64 << 7) / 16383.0), RemoteOrigin.Midi),
                RemoteCommand.Set(width, definition.FromNormalized(((64 << 7) | 127) / 16383.0), RemoteOrigin.Midi),
                RemoteCommand.Step(width, 1, RemoteOrigin.Midi),
                RemoteCommand.Step(width, -1, RemoteOrigin.Midi),
                RemoteCommand.Step(trim, -3, RemoteOrigin.Midi),
            ],
            commands);
    }

    [Fact]
    public void Mapper_ProgramChange_RecallsTheListedOrTheNthFactoryPreset()
    {
        var byIndex = new MidiMapper(Map("""{ "controls": [] }"""), Registry, FactoryNames);
        Assert.True(byIndex.TryMap(new MidiMessage(MidiMessageKind.ProgramChange, 0, 2, 0), out RemoteCommand command));
        Assert.Equal(RemoteCommandKind.RecallFactoryPreset, command.Kind);
        Assert.Equal(FactoryNames[2], command.Text);
        Assert.False(byIndex.TryMap(new MidiMessage(MidiMessageKind.ProgramChange, 0, 120, 0), out _));

        var listed = new MidiMapper(Map("""{ "programs": ["podcast-speech", "EDM-club"] }"""), Registry, FactoryNames);
        Assert.True(listed.TryMap(new MidiMessage(MidiMessageKind.ProgramChange, 9, 1, 0), out command));
        Assert.Equal("edm-club", command.Text);
        Assert.False(listed.TryMap(new MidiMessage(MidiMessageKind.ProgramChange, 0, 2, 0), out _));
    }

    [Fact]
    public void Mapper_AllocatesNothingPerMessage()
    {
        var mapper = new MidiMapper(Map("""{ "controls": [ { "cc": 20, "id": "comp.threshold" }, { "nrpn": 1000, "id": "width.width" } ] }"""), Registry, FactoryNames);
        MidiMessage[] messages = [new(MidiMessageKind.ControlChange, 0, 20, 3), new(MidiMessageKind.ControlChange, 0, 99, 7), new(MidiMessageKind.ControlChange, 0, 98, 104), new(MidiMessageKind.ControlChange, 0, 6, 9), new(MidiMessageKind.ProgramChange, 0, 1, 0)];
        for (int i = 0; i < 1000; i++)
        {
            foreach (MidiMessage m in messages)
            {
                _ = mapper.TryMap(m, out _);
            }
        }

        // Least of four segments: the per-thread counter can jump once when another thread's GC retires this thread's
        // allocation context (see ProgramMeterTests); an allocation per block shows in every segment.
        long smallest = long.MaxValue;
        for (int segment = 0; segment < 4; segment++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 250; i++)
            {
                foreach (MidiMessage m in messages)
                {
                    _ = mapper.TryMap(m, out _);
                }
            }

            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, smallest);
    }

    [Theory]
    [InlineData("""{ "controls": [ { "cc": 20, "id": "comp.treshold" } ] }""", "map.json: line 1: $.controls[0].id: unknown parameter \"comp.treshold\"")]
    [InlineData("{ \"controls\": [\n  { \"cc\": 20, \"id\": \"comp.threshold\" },\n  { \"cc\": 200, \"id\": \"width.width\" } ] }", "map.json: line 3: $.controls[1].cc: must be a controller number from 0 to 127 (got 200)")]
    [InlineData("""{ "controls": [ { "cc": 20, "id": "width.width", "mode": "relative" } ] }""", "map.json: line 1: $.controls[0].mode: must be one of absolute, twos-complement, binary-offset, sign-magnitude (got \"relative\")")]
    [InlineData("""{ "controls": [ { "cc": 20, "nrpn": 3, "id": "width.width" } ] }""", "map.json: line 1: $.controls[0]: needs exactly one of \"cc\" and \"nrpn\"")]
    [InlineData("""{ "controls": [ { "cc": 6, "id": "width.width" } ] }""", "map.json: line 1: $.controls[0].cc: CC 6 carries NRPN/RPN data entry")]
    [InlineData("""{ "controls": [ { "cc": 20, "id": "width.width" }, { "cc": 20, "id": "trim.gain" } ] }""", "map.json: line 1: $.controls[1]: cc 20 on any channel is bound twice")]
    [InlineData("""{ "programs": ["pop"] }""", "map.json: line 1: $.programs[0]: must be a factory preset name")]
    [InlineData("""{ "control": [] }""", "map.json: line 1: $.control: unknown key (known keys: controls, programs)")]
    [InlineData("""[1]""", "map.json: line 1: $: the MIDI map must be a JSON object")]
    public void Parse_BadEntry_OneLineNamingFileLineAndJsonPath(string json, string expected)
    {
        var ex = Assert.Throws<MidiMapException>(() => Map(json));
        Assert.Single(ex.Problems);
        Assert.StartsWith(expected, ex.Problems[0]);
    }

    [Fact]
    public void Map_ToJson_RoundTrips()
    {
        MidiMap map = Map("""{ "controls": [ { "cc": 21, "channel": 3, "id": "eq.bell2.gain", "mode": "sign-magnitude" }, { "nrpn": 9, "id": "trim.gain" } ], "programs": ["edm-club"] }""");
        MidiMap again = Map(map.ToJson());
        Assert.Equal(map.Bindings, again.Bindings);
        Assert.Equal(map.Programs, again.Programs);
    }

    [Fact]
    public void Learn_NextControlIsBound_AndTheMapIsSavedForTheNextRun()
    {
        var hub = new RemoteHub(Registry, _dir);
        var service = new MidiRemoteService("file:unused", new MidiMap([], null), hub, NullLogger.Instance);
        int threshold = Registry.IndexOf(ParameterIds.CompThreshold);
        service.BeginLearn(threshold);
        Assert.True(service.IsLearning);
        service.Feed([0xB4, 33, 10]); // CC 33 on channel 5 teaches (and does not move anything)
        Assert.False(service.IsLearning);
        Assert.Equal(0, service.Mapped);
        service.Feed([0xB4, 33, 90]); // no relative encoder sends 90: absolute for sure, applied at once
        Assert.Equal(1, service.Mapped);

        MidiMap saved = MidiRemoteService.LoadMap(null, _dir, Registry);
        MidiBinding binding = Assert.Single(saved.Bindings);
        Assert.Equal(new MidiBinding(4, 33, -1, ParameterIds.CompThreshold, threshold, MidiValueMode.Absolute), binding);
        Assert.Equal([MidiRemoteService.LearnFileName], Directory.GetFiles(_dir).Select(Path.GetFileName)); // no temp file left
    }

    [Fact]
    public async Task HeadlessRun_MidiStreamWithRunningStatusSysexAndGarbage_MovesTheRightParameters()
    {
        string mapPath = Path.Combine(_dir, "map.json");
        File.WriteAllText(mapPath, """
            { "controls": [
              { "cc": 20, "id": "comp.threshold" },
              { "cc": 21, "id": "eq.bell2.gain", "mode": "twos-complement" },
              { "nrpn": 1000, "id": "width.width" } ],
              "programs": ["podcast-speech", "edm-club"] }
            """);
        byte[] stream =
        [
            0x12, 0x34,                         // garbage before any status
            0xF0, 0x43, 0x10, 0x4C, 0x00, 0xF7, // a sysex (a controller's identity dump)
            0xC0, 1,                            // program 1 → edm-club
            0xB0, 20, 0, 0xF8, 20, 127,         // threshold to 0 then 127 (running status, a clock byte inside)
            21, 3, 21, 127,                     // bell 2: +3 then −1 steps
            99, 7, 98, 104, 6, 0, 38, 0,        // NRPN 1000 → width minimum
            0xF8, 0xFE,
        ];
        string midiPath = Path.Combine(_dir, "controller.bin");
        File.WriteAllBytes(midiPath, stream);
        var hub = new RemoteHub(Registry, _dir);
        RunRequest? request = RunCommand.Build(
            null, new RunConfigurationOverrides("gen:pink", null, 48000, 256, null, 0, null), 6, null, 0, out IReadOnlyList<string> problems, remoteInputs: new RemoteInputOptions("file:" + midiPath, mapPath, null, null));
        Assert.Empty(problems);
        Assert.NotNull(request!.RemoteInputs);
        using var stop = new CancellationTokenSource(Patience);
        Task<int> run = CliRunner.CaptureAsync(() => RunHost.RunAsync(request with { Remote = hub }, logging => logging.ClearProviders()))
            .ContinueWith(t => t.Result.Result, TaskScheduler.Default);

        int threshold = Registry.IndexOf(ParameterIds.CompThreshold);
        int bell = Registry.IndexOf(ParameterIds.EqBell2Gain);
        int width = Registry.IndexOf(ParameterIds.Width);
        var preset = new PresetLibrary(Registry).Factory.Single(p => p.Name == "edm-club");
        ParameterDefinition bellDefinition = Registry.All[bell];
        double bellExpected = bellDefinition.Nudge(bellDefinition.Nudge(preset.Values.Get(bell), 3), -1);
        var values = new double[Registry.Count];
        while (hub.Commands.Applied < 7)
        {
            await Task.Delay(20, stop.Token);
        }

        while (true)
        {
            hub.State.CopyValues(values);
            if (hub.State.PresetName == "edm-club" && values[width] == Registry.All[width].Minimum)
            {
                break;
            }

            await Task.Delay(20, stop.Token);
        }

        Assert.Equal(Registry.All[threshold].Maximum, values[threshold]);
        Assert.Equal(bellExpected, values[bell], 9);
        Assert.Equal(Registry.All[width].Minimum, values[width]);
        Assert.Equal(0, hub.Commands.Refused);
        MidiRemoteService midi = request.RemoteInputs!.Midi!;
        Assert.Equal(9, midi.Messages); // program, 2 + 2 CCs, 4 NRPN CCs
        Assert.Equal(7, midi.Mapped); // the NRPN sets on its MSB and again on its LSB
        Assert.Equal(0, await run.WaitAsync(Patience)); // the run ends after its 6 s
    }

    [Fact]
    public async Task HeadlessRun_MidiDeviceMissing_OneWarningAndAudioRunsOn()
    {
        var hub = new RemoteHub(Registry, _dir);
        RunRequest? request = RunCommand.Build(
            null, new RunConfigurationOverrides("gen:pink", null, 48000, 256, null, 0, null), 3, null, 0, out IReadOnlyList<string> problems, remoteInputs: new RemoteInputOptions("hw:97,0", null, null, null));
        Assert.Empty(problems);
        var logged = new List<string>();
        (int exitCode, string _, string _) = await CliRunner.CaptureAsync(() => RunHost.RunAsync(request! with { Remote = hub }, logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(new ListLoggerProvider(logged));
        })).WaitAsync(Patience);
        Assert.Equal(0, exitCode);
        Assert.True(request!.RemoteInputs!.Midi!.OpenFailures >= 1);
        string warning = Assert.Single(logged, l => l.StartsWith("midi: ", StringComparison.Ordinal));
        Assert.StartsWith("midi: MIDI device 'hw:97,0': cannot open it: ", warning);
        Assert.EndsWith("; audio runs on without MIDI (retrying every 2 s)", warning);
        Assert.True(hub.State.ReadMeters().Blocks > 0);
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new WarningListLogger(lines);

        public void Dispose()
        {
        }
    }
}
