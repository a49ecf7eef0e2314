using System.Device.Gpio;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Remote;
using HardwareMaster.App.Remote.Midi;
using HardwareMaster.App.Ui;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Profile;
using HardwareMaster.Hal.Simulation;
using Microsoft.Extensions.Logging.Abstractions;

namespace HardwareMaster.App.Tests.Remote;

/// <summary>
/// MIDI learn from the box, through the box harness (<see cref="BoxRuntime"/> on scripted GPIO with a remote hub, the
/// real <see cref="MidiRemoteService"/> fed bytes as its reader thread would): hold the param push on a parameter, the
/// OLED says MIDI LEARN, the next CC binds, the map is saved atomically in the state folder; a press or 15 s cancels.
/// </summary>
public sealed class MidiLearnBoxTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("hm-midilearn").FullName;
    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedGpioDriver _driver;
    private readonly GpioController _gpio;
    private readonly RecordingI2cDevice _bus = new() { IsRecording = false };

    public MidiLearnBoxTests()
    {
        _driver = new ScriptedGpioDriver(_time);
        _gpio = new GpioController(_driver);
    }

    public void Dispose()
    {
        _gpio.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public void HoldParamPush_ThenMoveACc_BindsTheFocusedParameterSavesTheMapAndTheCcMovesIt()
    {
        (BoxRuntime box, BoxLoop loop, BoxFace face, MidiRemoteService midi) = Create();
        using (box)
        {
            Assert.True(face.ShowPage(BoxPage.Comp));
            string id = face.FocusedParameterId!;
            int index = ParameterRegistry.Chain.IndexOf(id);
            Frames(loop, 2);
            var before = new MonoFrameBuffer();
            before.CopyFrom(loop.Frame);

            face.Handle(new BoxInput(BoxControl.Param, BoxAction.Long));
            Frames(loop, 1);
            Assert.True(face.IsMidiLearning);
            Assert.True(midi.IsLearning);
            Assert.False(loop.Frame.ContentEquals(before), "the OLED shows MIDI LEARN");

            midi.Feed([0xB3, 20, 60]); // CC 20 on channel 4 moves
            Frames(loop, 1);
            Assert.False(face.IsMidiLearning);
            Assert.False(midi.IsLearning);
            Assert.Equal(ParameterRegistry.Chain[id].Name, face.PopupName);

            string path = Path.Combine(_state, MidiRemoteService.LearnFileName);
            MidiBinding saved = Assert.Single(MidiMap.Load(path, ParameterRegistry.Chain).Bindings);
            Assert.Equal((3, 20, -1, id, MidiValueMode.Absolute), (saved.Channel, saved.Controller, saved.Nrpn, saved.ParameterId, saved.Mode));
            Assert.Empty(Directory.GetFiles(_state, ".*part*")); // written atomically: no temporary file left

            // A fader's next values (they do not repeat) keep it absolute; then it moves the parameter, end to end.
            midi.Feed([0xB3, 20, 61, 0xB3, 20, 62]);
            Assert.Equal(MidiValueMode.Absolute, Assert.Single(midi.Map.Bindings).Mode);
            midi.Feed([0xB3, 20, 127]);
            Frames(loop, 1);
            Assert.Equal(ParameterRegistry.Chain[id].Maximum, box.Backend!.Get(index), 9);
            midi.Feed([0xB3, 20, 0]);
            Frames(loop, 1);
            Assert.Equal(ParameterRegistry.Chain[id].Minimum, box.Backend!.Get(index), 9);

            // What the next run loads (no --midi-map): the learned map.
            Assert.Equal(id, Assert.Single(MidiRemoteService.LoadMap(null, _state, ParameterRegistry.Chain).Bindings).ParameterId);
        }
    }

    [Fact]
    public void HoldParamPush_RelativeEncoderTurnedDown_LearnsTwosComplementAndSteps()
    {
        (BoxRuntime box, BoxLoop loop, BoxFace face, MidiRemoteService midi) = Create();
        using (box)
        {
            Assert.True(face.ShowPage(BoxPage.Comp));
            string id = face.FocusedParameterId!;
            int index = ParameterRegistry.Chain.IndexOf(id);
            double start = box.Backend!.Get(index);
            face.Handle(new BoxInput(BoxControl.Param, BoxAction.Long));
            midi.Feed([0xB0, 21, 127, 0xB0, 21, 127, 0xB0, 21, 127]); // −1, −1, −1 in two's complement: taught, not applied
            Frames(loop, 1);
            Assert.Equal(MidiValueMode.TwosComplement, Assert.Single(MidiMap.Load(Path.Combine(_state, MidiRemoteService.LearnFileName), ParameterRegistry.Chain).Bindings).Mode);
            Assert.Equal("rel 2c", face.PopupUnit);
            Assert.Equal(start, box.Backend.Get(index));

            midi.Feed([0xB0, 21, 127]); // one step down
            Frames(loop, 1);
            Assert.Equal(KnobSteps.Nudge(ParameterRegistry.Chain[id], start, -1, fine: false), box.Backend.Get(index), 9);
        }
    }

    [Fact]
    public void MidiLearn_PressAgainOrNoControlFor15s_CancelsAndBindsNothing()
    {
        (BoxRuntime box, BoxLoop loop, BoxFace face, MidiRemoteService midi) = Create();
        using (box)
        {
            Assert.True(face.ShowPage(BoxPage.Comp));
            face.Handle(new BoxInput(BoxControl.Param, BoxAction.Long));
            Assert.True(midi.IsLearning);
            face.Handle(new BoxInput(BoxControl.Param, BoxAction.Press)); // pressing again cancels
            Assert.False(face.IsMidiLearning);
            Assert.False(midi.IsLearning);
            Assert.Equal("MIDI learn", face.PopupName);

            face.Handle(new BoxInput(BoxControl.Param, BoxAction.Long));
            Assert.True(midi.IsLearning);
            Frames(loop, (int)(BoxFace.MidiLearnTimeout.TotalSeconds * BoxLoop.FramesPerSecond) + 2);
            Assert.False(face.IsMidiLearning);
            Assert.False(midi.IsLearning);

            midi.Feed([0xB0, 22, 100]);
            Frames(loop, 1);
            Assert.Equal(0, midi.LearnVersion);
            Assert.Empty(midi.Map.Bindings);
            Assert.False(File.Exists(Path.Combine(_state, MidiRemoteService.LearnFileName)));
        }
    }

    [Fact]
    public void HoldParamPush_WithoutMidi_DoesNothing()
    {
        (BoxRuntime box, BoxLoop loop, BoxFace face, _) = Create(withMidi: false);
        using (box)
        {
            Assert.True(face.ShowPage(BoxPage.Comp));
            face.Handle(new BoxInput(BoxControl.Param, BoxAction.Long));
            Frames(loop, 1);
            Assert.False(face.IsMidiLearning);
        }
    }

    [Theory]
    [InlineData(new[] { 1, 1, 1 }, MidiValueMode.TwosComplement)]
    [InlineData(new[] { 127, 127, 126 }, MidiValueMode.TwosComplement)]
    [InlineData(new[] { 1, 127, 127 }, MidiValueMode.TwosComplement)]
    [InlineData(new[] { 65, 65, 66 }, MidiValueMode.SignMagnitude)]
    [InlineData(new[] { 1, 65, 65 }, MidiValueMode.SignMagnitude)]
    [InlineData(new[] { 63, 63, 62 }, MidiValueMode.BinaryOffset)]
    [InlineData(new[] { 63, 65, 65 }, MidiValueMode.BinaryOffset)]
    [InlineData(new[] { 60, 61, 62 }, MidiValueMode.Absolute)]
    [InlineData(new[] { 1, 2, 3 }, MidiValueMode.Absolute)]
    [InlineData(new[] { 0, 0, 0 }, MidiValueMode.Absolute)]
    [InlineData(new[] { 64, 64, 64 }, MidiValueMode.Absolute)]
    [InlineData(new[] { 127, 127, 127 }, MidiValueMode.TwosComplement)]
    [InlineData(new[] { 100, 100, 100 }, MidiValueMode.Absolute)]
    public void Detect_FirstValues_NameTheEncoding(int[] values, MidiValueMode expected) =>
        Assert.Equal(expected, MidiEncodingDetector.Detect(values));

    private (BoxRuntime Box, BoxLoop Loop, BoxFace Face, MidiRemoteService Midi) Create(bool withMidi = true)
    {
        var hub = new RemoteHub(ParameterRegistry.Chain, _state);
        MidiRemoteService midi = new("file:unused", new MidiMap([], null), hub, NullLogger.Instance);
        if (!withMidi)
        {
            hub.MidiLearn = null;
        }

        var engine = new AudioEngine(new MasteringChain());
        engine.Prepare(48000, 64, paced: false);
        var controller = new EngineController(engine, new ParameterSet(ParameterRegistry.Chain), 0);
        var supervisor = new AudioSupervisor(controller, new SupervisorOptions("gen:silence", new AudioDeviceOptions()), NullLogger.Instance);
        BoxRuntime box = BoxRuntime.Prepare(new BoxRequest(null, false, null, _state)
        {
            Hardware = HardwareProfile.CreatePi4Or5Default(),
            Gpio = _gpio,
            OpenI2c = () => _bus,
            Time = _time,
            Remote = hub,
        });
        box.Build(supervisor, controller, () => { }, NullLogger.Instance);
        return (box, box.Loop!, (BoxFace)box.Loop!.Face, midi);
    }

    private void Frames(BoxLoop loop, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _time.AdvanceMs(40);
            loop.RunFrame();
        }
    }
}
