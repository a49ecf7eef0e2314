using HardwareMaster.App.Engine;
using HardwareMaster.App.Monitor;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.App.Tests.Ui;

/// <summary>A reference player whose snapshot follows its selection (one cached snapshot per file: reads allocate nothing), counting calls.</summary>
internal sealed class SteppingReference : IBoxReference
{
    private readonly ReferenceStatus[] _byFile;
    private int _selected;

    public SteppingReference(params string[] files)
    {
        _byFile = new ReferenceStatus[Math.Max(1, files.Length)];
        for (int i = 0; i < _byFile.Length; i++)
        {
            _byFile[i] = new ReferenceStatus(files.Length == 0 ? ReferenceState.NoFiles : ReferenceState.Ready, "/media/pi/STICK", files, files.Length == 0 ? -1 : i, null, double.NaN, 0, null, 0);
        }
    }

    /// <summary>Set to show a state other than the selection's (e.g. no stick).</summary>
    public ReferenceStatus? Override { get; set; }

    public ReferenceStatus Status => Override ?? _byFile[_selected];

    public bool IsOn { get; private set; }

    public double OffsetDb => -4.5;

    public int Toggles { get; private set; }

    public int Nexts { get; private set; }

    public int Previouses { get; private set; }

    public bool Toggle()
    {
        Toggles++;
        IsOn = !IsOn;
        return IsOn;
    }

    public void SetOn(bool on) => IsOn = on;

    public string? Next()
    {
        Nexts++;
        _selected = (_selected + 1) % _byFile.Length;
        return Status.SelectedName;
    }

    public string? Previous()
    {
        Previouses++;
        _selected = (_selected + _byFile.Length - 1) % _byFile.Length;
        return Status.SelectedName;
    }
}

/// <summary>MONITOR's Reference field: the reference A/B from the encoders alone (a box whose profile has no REF pin).</summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class BoxReferenceFieldTests
{
    private static (BoxFace Face, SteppingReference Reference, ManualTimeProvider Time) Create(BoxLayout? layout = null, params string[] files)
    {
        var time = new ManualTimeProvider();
        var reference = new SteppingReference(files.Length == 0 ? ["album-a.wav", "single-b.aiff", "cd-c.wav"] : files);
        var face = new BoxFace(new MonitorBackend(new FakeBoxBackend(), new FakeMonitor(), reference: reference), time, layout: layout);
        face.Tick();
        Assert.True(face.ShowPage(BoxPage.Monitor));
        return (face, reference, time);
    }

    private static MonoFrameBuffer Screen(BoxFace face, ManualTimeProvider time)
    {
        time.Advance(TimeSpan.FromSeconds(2)); // past any pop-up
        face.Tick();
        var frame = new MonoFrameBuffer();
        face.Render(frame);
        return frame;
    }

    [Fact]
    public void MonitorPage_OffersTheReferenceAfterTheFunction_OnlyWithAPlayer()
    {
        var withoutPlayer = new BoxFace(new MonitorBackend(new FakeBoxBackend(), new FakeMonitor()), new ManualTimeProvider());
        withoutPlayer.ShowPage(BoxPage.Monitor);
        Assert.Equal(2, withoutPlayer.FieldCount);
        Assert.Null(withoutPlayer.ReferenceFieldValue);

        (BoxFace face, _, _) = Create();
        Assert.Equal(3, face.FieldCount);
        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Cw));
        Assert.Equal(1, face.FocusedFieldIndex);
        Assert.Null(face.FocusedParameterId);
        Assert.Equal("off", face.ReferenceFieldValue);
    }

    [Fact]
    public void FullBox_PushToggles_TurnStepsFiles_LongIsNext_LikeTheRefButton()
    {
        (BoxFace face, SteppingReference reference, ManualTimeProvider time) = Create();
        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Cw)); // the Reference field
        MonoFrameBuffer off = Screen(face, time);
        Assert.True(ScreenText.Contains(off, "off", MonoFont.Large));

        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press));
        Assert.True(reference.IsOn);
        Assert.Equal("Reference", face.PopupName); // the REF button's pop-up
        Assert.True(face.IsLedLit(BoxControl.Ref));
        Assert.Equal("album-a.wav", face.ReferenceFieldValue);
        Assert.False(Screen(face, time).ContentEquals(off));

        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Cw));
        Assert.Equal("single-b.aiff", face.ReferenceFieldValue);
        Assert.Equal("Reference next", face.PopupName);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Ccw, 2));
        Assert.Equal((1, 2), (reference.Nexts, reference.Previouses));
        Assert.Equal("cd-c.wav", face.ReferenceFieldValue); // wrapped back past the first
        Assert.Equal("Reference prev", face.PopupName);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Cw, 40)); // an accelerated turn goes round the list at most once
        Assert.Equal(4, reference.Nexts);

        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Long));
        Assert.Equal(5, reference.Nexts);
        Assert.Equal("Reference next", face.PopupName);
        Assert.False(face.IsFine); // a push on the field is the A/B, never the fine/coarse switch

        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Press)); // the param push toggles too
        Assert.False(reference.IsOn);
        Assert.Equal(2, reference.Toggles);
        Assert.Equal("off", face.ReferenceFieldValue);
        Assert.False(face.IsLedLit(BoxControl.Ref));
    }

    [Fact]
    public void FieldAndRefButton_DriveTheSamePlayer()
    {
        (BoxFace face, SteppingReference reference, _) = Create();
        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Cw));
        face.Handle(new BoxInput(BoxControl.Ref, BoxAction.Press));
        Assert.Equal("album-a.wav", face.ReferenceFieldValue);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press));
        Assert.False(reference.IsOn);
        Assert.Equal(2, reference.Toggles);
    }

    [Fact]
    public void MinimalBox_PushInFieldModeToggles_LongIsNext_StaysInFieldMode()
    {
        (BoxFace face, SteppingReference reference, _) = Create(BoxLayout.Minimal);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press)); // page → field
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Cw)); // Function → Reference
        Assert.Equal(BoxMode.Field, face.Mode);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press));
        Assert.True(reference.IsOn);
        Assert.Equal(BoxMode.Field, face.Mode);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Long));
        Assert.Equal(1, reference.Nexts);
        Assert.Equal("single-b.aiff", face.ReferenceFieldValue);
        Assert.Equal(BoxMode.Field, face.Mode);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Double)); // double still leaves to page mode
        Assert.Equal(BoxMode.Page, face.Mode);
    }

    [Fact]
    public void Value_SaysWhyNothingCanPlay()
    {
        (BoxFace face, SteppingReference reference, _) = Create();
        reference.Override = new ReferenceStatus(ReferenceState.NoFolder, null, [], -1, null, double.NaN, 0, null, 0);
        Assert.Equal("no stick", face.ReferenceFieldValue);
        reference.Override = new ReferenceStatus(ReferenceState.NoFiles, "/media/pi/STICK", [], -1, null, double.NaN, 0, null, 0);
        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Cw));
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press));
        Assert.Equal("no files", face.ReferenceFieldValue);
    }

    [Fact]
    public void ReferenceField_RenderAllocationFree()
    {
        (BoxFace face, SteppingReference reference, ManualTimeProvider time) = Create();
        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Cw));
        var frame = new MonoFrameBuffer();
        int n = 0;
        void Run(int count)
        {
            for (int i = 0; i < count; i++, n++)
            {
                if ((n & 7) == 0)
                {
                    face.Handle(new BoxInput(BoxControl.Value, (n & 8) == 0 ? BoxAction.Press : BoxAction.Cw));
                }

                time.Advance(TimeSpan.FromMilliseconds(40));
                face.Tick();
                face.Render(frame);
            }
        }

        Run(100);
        Assert.Equal(0, AllocationProbe.SmallestBytesAllocated(() => Run(400)));
        Assert.True(reference.Toggles > 0 && reference.Nexts > 0);
    }
}
