using HardwareMaster.App.Engine;
using HardwareMaster.App.Monitor;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Tests.Ui;

/// <summary>A reference player whose snapshot the test sets.</summary>
internal sealed class FakeReference : IBoxReference
{
    private int _selected;

    public string[] Files { get; } = ["album-a.wav", "single-b.aiff", "cd-c.wav"];

    public ReferenceStatus Status { get; set; } = new(ReferenceState.Ready, "/media/pi/STICK", ["album-a.wav", "single-b.aiff", "cd-c.wav"], 0, null, double.NaN, 0, null, 0);

    public bool IsOn { get; private set; }

    public double OffsetDb { get; set; } = -6.3;

    public bool Toggle()
    {
        IsOn = !IsOn;
        return IsOn;
    }

    public void SetOn(bool on) => IsOn = on;

    public string? Next() => Files[_selected = (_selected + 1) % Files.Length];

    public string? Previous() => Files[_selected = (_selected + Files.Length - 1) % Files.Length];
}

internal sealed class ReferenceBackend(FakeBoxBackend inner, IBoxReference reference) : IBoxBackend
{
    public IBoxReference? Reference => reference;

    public ParameterRegistry Registry => inner.Registry;

    public bool GlobalBypass { get => inner.GlobalBypass; set => inner.GlobalBypass = value; }

    public double Get(int index) => inner.Get(index);

    public bool TrySet(int index, double value) => inner.TrySet(index, value);

    public MeterSnapshot ReadMeters() => inner.ReadMeters();

    public SystemStatus ReadSystem() => inner.ReadSystem();

    public void ResetLoudness() => inner.ResetLoudness();
}

public class BoxReferenceTests
{
    private static (BoxFace Face, FakeReference Reference, ManualTimeProvider Time) Create()
    {
        var time = new ManualTimeProvider();
        var reference = new FakeReference();
        var face = new BoxFace(new ReferenceBackend(new FakeBoxBackend(), reference), time);
        face.Tick();
        return (face, reference, time);
    }

    [Fact]
    public void RefButton_TogglesNextPrevious_LedAndBannerFollow()
    {
        (BoxFace face, FakeReference reference, ManualTimeProvider time) = Create();
        Assert.False(face.IsLedLit(BoxControl.Ref));
        Assert.False(face.IsReferenceShown);
        var before = new MonoFrameBuffer();
        face.Render(before);

        face.Handle(new BoxInput(BoxControl.Ref, BoxAction.Press));
        Assert.True(reference.IsOn);
        Assert.Equal("Reference", face.PopupName);
        reference.Status = reference.Status with { State = ReferenceState.Playing, Track = "album-a.wav", TrackLufs = -9.1, FileRateHz = 44100 };
        time.Advance(TimeSpan.FromSeconds(2)); // the pop-up is gone
        face.Tick();
        Assert.True(face.IsLedLit(BoxControl.Ref));
        Assert.True(face.IsReferenceShown);
        var on = new MonoFrameBuffer();
        face.Render(on);
        Assert.False(on.ContentEquals(before)); // the banner

        face.Handle(new BoxInput(BoxControl.Ref, BoxAction.Long));
        Assert.Equal("Reference next", face.PopupName);
        face.Handle(new BoxInput(BoxControl.Ref, BoxAction.Double));
        Assert.Equal("Reference prev", face.PopupName);

        face.Handle(new BoxInput(BoxControl.Ref, BoxAction.Press));
        Assert.False(reference.IsOn);
        time.Advance(TimeSpan.FromSeconds(2));
        face.Tick();
        Assert.False(face.IsLedLit(BoxControl.Ref));
        var off = new MonoFrameBuffer();
        face.Render(off);
        Assert.True(off.ContentEquals(before));
    }

    [Fact]
    public void PlayerNotice_IsShownOnce()
    {
        (BoxFace face, FakeReference reference, ManualTimeProvider time) = Create();
        reference.Status = reference.Status with { Notice = "stick removed: reference album-a.wav stopped", NoticeSerial = 1 };
        face.Tick();
        Assert.True(face.IsNoticeVisible);
        Assert.Equal("stick removed: reference album-a.wav stopped", face.NoticeText);
        time.Advance(BoxFace.NoticeDuration + TimeSpan.FromSeconds(1));
        face.Tick();
        Assert.False(face.IsNoticeVisible);
    }

    [Fact]
    public void Script_KnowsTheRefButton()
    {
        BoxScript script = BoxScript.Parse("1.0 ref press\n2.0 ref long\n3 ref double\n", "t");
        Assert.Equal(new BoxInput(BoxControl.Ref, BoxAction.Press), script.Steps[0].Input);
        Assert.Equal(BoxAction.Double, script.Steps[2].Input.Action);
        Assert.Equal("ref", BoxScript.NameOf(BoxControl.Ref));
        Assert.Throws<BoxScriptException>(() => BoxScript.Parse("1 ref cw", "t"));
    }
}

public class BoxRemoteReferenceTests
{
    [Fact]
    public void RemoteCommand_Reference_DrivesThePlayer()
    {
        var reference = new FakeReference();
        var target = new HardwareMaster.App.Remote.BoxRemoteTarget(new ReferenceBackend(new FakeBoxBackend(), reference), null);
        var origin = HardwareMaster.App.Remote.RemoteOrigin.Test;
        HardwareMaster.App.Remote.RemoteCommand Command(int action) => new(HardwareMaster.App.Remote.RemoteCommandKind.Reference, action, 0, null, origin);
        Assert.True(target.Apply(Command(1)));
        Assert.True(reference.IsOn);
        Assert.True(target.Apply(Command(2)));
        Assert.False(reference.IsOn);
        Assert.True(target.Apply(Command(3)));
        Assert.True(target.Apply(Command(4)));
        Assert.False(target.Apply(Command(9)));
        Assert.False(new HardwareMaster.App.Remote.BoxRemoteTarget(new FakeBoxBackend(), null).Apply(Command(1))); // no player
    }
}
