using System.Runtime.CompilerServices;
using HardwareMaster.App.Recording;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Tests.Ui;

/// <summary>A recorder whose snapshot the test sets; counts the requests (no allocation per <see cref="Status"/> read).</summary>
internal sealed class FakeRecorder : IBoxRecorder
{
    public static readonly RecorderStatus RecordingStatus = new(RecorderState.Recording, "take-0003", 754.4, ["take-0003-input.wav", "take-0003-master.wav"], 12L * 1024 * 1024 * 1024 + 300L * 1024 * 1024, null, 0, 2);

    public static readonly RecorderStatus ErrorStatus = new(RecorderState.Stopped, "take-0002", 61, ["take-0002-input.wav", "take-0002-master.wav"], 0, "disk full", 480, 2);

    private int _reads;

    public RecorderStatus Current { get; set; } = new(RecorderState.Idle, null, 0, [], -1, null, 0, 0);

    /// <summary>Alternates recording and error snapshots on every read (allocation tests: both drawings).</summary>
    public bool Alternate { get; init; }

    public int Toggles { get; private set; }

    public int NewTakes { get; private set; }

    public RecorderStatus Status => Alternate ? ((++_reads & 1) == 0 ? RecordingStatus : ErrorStatus) : Current;

    public void Toggle() => Toggles++;

    public void RequestNewTake() => NewTakes++;
}

public class BoxRecordPageTests
{
    private static (BoxFace Face, FakeRecorder Recorder, ManualTimeProvider Time) Create(BoxLayout? layout = null)
    {
        var time = new ManualTimeProvider();
        var recorder = new FakeRecorder();
        var face = new BoxFace(new Protection.BoxFaceProtectionTests.ProtectedBackend(new FakeBoxBackend(), null, null, recorder), time, layout: layout);
        face.Tick();
        return (face, recorder, time);
    }

    [Fact]
    public void RecPage_IsOfferedOnlyWithARecorder_Last()
    {
        var without = new BoxFace(new FakeBoxBackend(), new ManualTimeProvider());
        Assert.DoesNotContain(BoxPage.Record, without.Pages);
        Assert.False(without.ShowPage(BoxPage.Record));

        (BoxFace face, _, _) = Create();
        Assert.Equal(BoxPage.Record, face.Pages[^1]);
        Assert.True(face.ShowPage(BoxPage.Record));
        Assert.Equal("rec", face.PageName);
    }

    [Fact]
    public void RecPage_PushTogglesAndLongPressStartsANewTake()
    {
        (BoxFace face, FakeRecorder recorder, _) = Create();
        face.ShowPage(BoxPage.Record);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press));
        Assert.Equal(1, recorder.Toggles);
        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Press));
        Assert.Equal(2, recorder.Toggles);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Long));
        Assert.Equal(1, recorder.NewTakes);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Cw)); // turning does nothing
        Assert.Equal(2, recorder.Toggles);
    }

    [Fact]
    public void RecPage_Minimal_PushInFieldModeToggles_LongStartsANewTake()
    {
        (BoxFace face, FakeRecorder recorder, _) = Create(BoxLayout.Minimal);
        face.ShowPage(BoxPage.Record);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press)); // page -> field mode
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press));
        Assert.Equal(1, recorder.Toggles);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Long));
        Assert.Equal(1, recorder.NewTakes);
    }

    [Fact]
    public void RecButton_WorksOnEveryPage_AndTheLedFollowsTheState()
    {
        (BoxFace face, FakeRecorder recorder, ManualTimeProvider time) = Create();
        Assert.False(face.IsLedLit(BoxControl.Rec));
        face.Handle(new BoxInput(BoxControl.Rec, BoxAction.Press));
        Assert.Equal(1, recorder.Toggles);
        Assert.Equal(BoxPage.Main, face.CurrentPage);
        Assert.True(face.IsPopupVisible); // "REC start" off the REC page
        face.Handle(new BoxInput(BoxControl.Rec, BoxAction.Long));
        Assert.Equal(1, recorder.NewTakes);

        recorder.Current = FakeRecorder.RecordingStatus;
        face.Tick();
        Assert.True(face.IsLedLit(BoxControl.Rec));

        // An error blinks: both lit and dark frames within a second, never stuck.
        recorder.Current = FakeRecorder.ErrorStatus;
        bool lit = false, dark = false;
        for (int i = 0; i < 25; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(40));
            face.Tick();
            lit |= face.IsLedLit(BoxControl.Rec);
            dark |= !face.IsLedLit(BoxControl.Rec);
        }

        Assert.True(lit && dark);
        recorder.Current = FakeRecorder.RecordingStatus with { State = RecorderState.Idle, Error = null };
        face.Tick();
        Assert.False(face.IsLedLit(BoxControl.Rec));
    }

    [Fact]
    public void RecButton_WithoutARecorder_DoesNothing()
    {
        var face = new BoxFace(new FakeBoxBackend(), new ManualTimeProvider());
        face.Handle(new BoxInput(BoxControl.Rec, BoxAction.Press));
        Assert.False(face.IsPopupVisible);
        Assert.False(face.IsLedLit(BoxControl.Rec));
    }

    [Theory]
    [InlineData("rec-recording")]
    [InlineData("rec-error")]
    public void RecPage_MatchesGoldenPng(string name)
    {
        (BoxFace face, FakeRecorder recorder, _) = Create();
        recorder.Current = name == "rec-error" ? FakeRecorder.ErrorStatus : FakeRecorder.RecordingStatus;
        face.ShowPage(BoxPage.Record);
        face.Tick();
        var frame = new MonoFrameBuffer();
        face.Render(frame);
        string path = Path.Combine(GoldenDirectory(), name + ".png");
        if (Environment.GetEnvironmentVariable("HM_UPDATE_GOLDEN") == "1")
        {
            PngWriter.Write(path, frame, 3);
        }

        Assert.True(File.Exists(path), $"golden {path} is missing; run with HM_UPDATE_GOLDEN=1 to create it");
        Assert.True(BoxScreenGoldenTests.ReadPng(path).ContentEquals(frame), $"screen '{name}' differs from {path}; regenerate with HM_UPDATE_GOLDEN=1 if intended");
    }

    private static string GoldenDirectory([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Golden");
}
