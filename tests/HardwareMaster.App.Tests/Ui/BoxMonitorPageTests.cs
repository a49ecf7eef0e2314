using HardwareMaster.App.Engine;
using HardwareMaster.App.Monitor;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;
using HardwareMaster.Dsp.Monitor;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.App.Tests.Ui;

/// <summary>A monitor whose state the test sets (allocation-free reads), counting reloads.</summary>
internal sealed class FakeMonitor : IBoxMonitor
{
    public MonitorFunction Function { get; set; }

    /// <summary>True: a 2-output device (the monitor is the output while anything is on).</summary>
    public bool TwoOutputs { get; set; } = true;

    /// <summary>False: a file device without a monitor file (the monitor plays nowhere).</summary>
    public bool HasOutput { get; set; } = true;

    public bool ReplacesOutput => HasOutput && TwoOutputs && (Function != MonitorFunction.Off || CalibrationFilters > 0);

    public bool HasSeparateOutput => HasOutput && !TwoOutputs;

    public double MatchGainDb { get; set; } = 3.2;

    public int CalibrationFilters { get; set; }

    public string? CalibrationDate { get; set; }

    public DateTimeOffset? CalibrationImportedUtc { get; set; }

    public string? CalibrationProblem { get; set; }

    public int Reloads { get; private set; }

    public void Calibrate(DateTimeOffset imported, int filters = 8)
    {
        CalibrationImportedUtc = imported;
        CalibrationDate = imported.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        CalibrationFilters = filters;
    }

    public bool ReloadCalibration()
    {
        Reloads++;
        return true;
    }
}

/// <summary>The shared fake backend with a monitor (and optionally the self-protecting engine and a reference) attached.</summary>
internal sealed class MonitorBackend(FakeBoxBackend inner, IBoxMonitor monitor, IBoxProtection? protection = null, IBoxReference? reference = null) : IBoxBackend
{
    public FakeBoxBackend Inner => inner;

    public IBoxMonitor? Monitor => monitor;

    public IBoxReference? Reference => reference;

    public IBoxProtection? Protection => protection;

    public ParameterRegistry Registry => inner.Registry;

    public bool GlobalBypass { get => inner.GlobalBypass; set => inner.GlobalBypass = value; }

    public double Get(int index) => inner.Get(index);

    public bool TrySet(int index, double value) => inner.TrySet(index, value);

    public MeterSnapshot ReadMeters() => inner.ReadMeters();

    public SystemStatus ReadSystem() => inner.ReadSystem();

    public void ResetLoudness() => inner.ResetLoudness();
}

/// <summary>The MONITOR page, the monitor indicator on every page (OUT=MON on a 2-output device) and SYSTEM's MON EQ line.</summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class BoxMonitorPageTests
{
    private static (BoxFace Face, FakeMonitor Monitor, MonitorBackend Backend, ManualTimeProvider Time) Create(bool protection = false, BoxLayout? layout = null, FakeReference? reference = null)
    {
        var time = new ManualTimeProvider();
        var monitor = new FakeMonitor();
        var backend = new MonitorBackend(new FakeBoxBackend(), monitor, protection ? new Protection.BoxFaceProtectionTests.FakeProtection() : null, reference);
        var face = new BoxFace(backend, time, layout: layout);
        face.Tick();
        return (face, monitor, backend, time);
    }

    private static MonoFrameBuffer Screen(BoxFace face, ManualTimeProvider time)
    {
        time.Advance(TimeSpan.FromMilliseconds(40));
        face.Tick();
        var frame = new MonoFrameBuffer();
        face.Render(frame);
        return frame;
    }

    [Fact]
    public void MonitorPage_IsOfferedWithAMonitor_AfterSystem_AndTheValueKnobWalksEveryFunction()
    {
        Assert.DoesNotContain(BoxPage.Monitor, new BoxFace(new FakeBoxBackend(), new ManualTimeProvider()).Pages);
        (BoxFace face, FakeMonitor monitor, _, ManualTimeProvider time) = Create();
        List<BoxPage> pages = [.. face.Pages];
        Assert.Equal(pages.IndexOf(BoxPage.System) + 1, pages.IndexOf(BoxPage.Monitor));
        Assert.True(face.ShowPage(BoxPage.Monitor));
        Assert.Equal("monitor", face.PageName);

        MonitorFunction[] walk = [MonitorFunction.Mono, MonitorFunction.Side, MonitorFunction.Phone, MonitorFunction.Earbuds, MonitorFunction.Car, MonitorFunction.Delta, MonitorFunction.Off];
        foreach (MonitorFunction expected in walk)
        {
            face.Handle(new BoxInput(BoxControl.Value, BoxAction.Cw));
            Assert.Equal(expected, monitor.Function);
            Assert.True(ScreenText.Contains(Screen(face, time), MonitorFunctionNames.Name(expected), MonoFont.Large), $"{expected} shown large");
        }

        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Ccw));
        Assert.Equal(MonitorFunction.Delta, monitor.Function); // wraps
        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Press)); // a push steps on too
        Assert.Equal(MonitorFunction.Off, monitor.Function);

        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Cw)); // Reload EQ
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press));
        Assert.Equal(1, monitor.Reloads);
        Assert.Equal("Monitor EQ", face.PopupName);
    }

    [Fact]
    public void MonitorPage_Minimal_OneEncoder_ChoosesTheFunctionInValueMode()
    {
        (BoxFace face, FakeMonitor monitor, _, _) = Create(layout: BoxLayout.Minimal);
        face.ShowPage(BoxPage.Monitor);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press)); // page → field
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press)); // field → value
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Cw, 3));
        Assert.Equal(MonitorFunction.Phone, monitor.Function);
    }

    [Fact]
    public void Indicator_WhileAFunctionIsOn_IsOnEveryPage_AndSaysOutIsMonitorOnATwoOutputDevice()
    {
        (BoxFace face, FakeMonitor monitor, _, ManualTimeProvider time) = Create(protection: true);
        foreach (BoxPage page in face.Pages)
        {
            face.ShowPage(page);
            Assert.False(ScreenText.Contains(Screen(face, time), "OUT=MON"), $"{page}: no indicator with the monitor off");
            Assert.Equal(string.Empty, face.MonitorIndicator);
        }

        monitor.Function = MonitorFunction.Phone;
        foreach (BoxPage page in face.Pages)
        {
            face.ShowPage(page);
            MonoFrameBuffer frame = Screen(face, time);
            (int x, int y) = ScreenText.Find(frame, "OUT=MON PHONE");
            Assert.True(y == 56, $"{page}: OUT=MON PHONE on the bottom row (found at {x},{y})");
        }

        Assert.Equal("OUT=MON PHONE", face.MonitorIndicator);
        face.ShowPage(BoxPage.Monitor);
        Assert.True(ScreenText.Contains(Screen(face, time), "OUT=MON: not master"));

        // A separate monitor pair: the indicator names the function only; the page says the master is untouched.
        monitor.TwoOutputs = false;
        MonoFrameBuffer separate = Screen(face, time);
        Assert.True(ScreenText.Contains(separate, "MON PHONE"));
        Assert.False(ScreenText.Contains(separate, "OUT=MON"));
        Assert.True(ScreenText.Contains(separate, "master out untouched"));

        // Function off with the correction EQ on a 2-output device: the output is still the (corrected) monitor.
        monitor.TwoOutputs = true;
        monitor.Function = MonitorFunction.Off;
        monitor.Calibrate(new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero));
        face.ShowPage(BoxPage.Main);
        Assert.True(ScreenText.Contains(Screen(face, time), "OUT=MON EQ"));
    }

    [Fact]
    public void Indicator_WithTheBypassCorner_KeepsOutIsMonitor()
    {
        (BoxFace face, FakeMonitor monitor, MonitorBackend backend, ManualTimeProvider time) = Create();
        monitor.Function = MonitorFunction.Earbuds;
        backend.GlobalBypass = true;
        MonoFrameBuffer frame = Screen(face, time);
        Assert.True(ScreenText.Contains(frame, "OUT=MON"));
        Assert.True(ScreenText.Contains(frame, "BYP"));
    }

    [Fact]
    public void Indicator_MonitorHeardNowhere_SaysNoMonitorOutOnEveryPage_WhenAFunctionOrTheEqWouldBeHeard()
    {
        (BoxFace face, FakeMonitor monitor, MonitorBackend backend, ManualTimeProvider time) = Create(protection: true);
        monitor.HasOutput = false; // a file: device without --monitor-output
        Assert.Equal(string.Empty, face.MonitorIndicator);
        Assert.False(ScreenText.Contains(Screen(face, time), "no monitor out"), "nothing on: nothing said");

        monitor.Function = MonitorFunction.Phone;
        Assert.Equal("no monitor out", face.MonitorIndicator);
        foreach (BoxPage page in face.Pages)
        {
            face.ShowPage(page);
            MonoFrameBuffer frame = Screen(face, time);
            (int x, int y) = ScreenText.Find(frame, "no monitor out");
            int expected = page == BoxPage.Monitor ? 48 : 56; // MONITOR's own output line comes first
            Assert.True(y == expected, $"{page}: no monitor out at row {expected} (found at {x},{y})");
            Assert.False(ScreenText.Contains(frame, "MON PHONE"), $"{page}: nothing implies the phone voicing is heard");
        }

        face.ShowPage(BoxPage.Monitor);
        MonoFrameBuffer monitorPage = Screen(face, time);
        (_, int row) = ScreenText.Find(monitorPage, "no monitor out");
        Assert.Equal(48, row); // the page's output line says it (the bottom row's indicator too)
        Assert.False(ScreenText.Contains(monitorPage, "out = master"));
        Assert.False(ScreenText.Contains(monitorPage, "master out untouched"));

        // The BYP corner takes the left: the short form.
        face.ShowPage(BoxPage.Main);
        backend.GlobalBypass = true;
        MonoFrameBuffer bypassed = Screen(face, time);
        Assert.True(ScreenText.Contains(bypassed, "BYP"));
        Assert.True(ScreenText.Contains(bypassed, "no mon"));
        Assert.False(ScreenText.Contains(bypassed, "no monitor out"));
        backend.GlobalBypass = false;

        // Function off with the correction EQ loaded: it would be heard, so the indicator stays.
        monitor.Function = MonitorFunction.Off;
        monitor.Calibrate(new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal("no monitor out", face.MonitorIndicator);
        Assert.True(ScreenText.Contains(Screen(face, time), "no monitor out"));

        // With an output again: the usual indicator.
        monitor.HasOutput = true;
        Assert.Equal("OUT=MON EQ", face.MonitorIndicator);
        monitor.Function = MonitorFunction.Car;
        Assert.Equal("OUT=MON CAR", face.MonitorIndicator);
    }

    [Fact]
    public void ReferenceBanner_MonitorHeardNowhere_SaysNoOutInsteadOfTheOffset_AndTheIndicatorSaysNoMonitorOut()
    {
        var reference = new FakeReference();
        (BoxFace face, FakeMonitor monitor, _, ManualTimeProvider time) = Create(reference: reference);
        monitor.TwoOutputs = false;
        reference.SetOn(true);
        reference.Status = reference.Status with { State = ReferenceState.Playing, Track = "album-a.wav", TrackLufs = -9.1, FileRateHz = 44100 };
        MonoFrameBuffer heard = Screen(face, time);
        Assert.True(ScreenText.Contains(heard, "REF album-a"));
        Assert.True(ScreenText.Contains(heard, "-6.3d")); // right-aligned: its last column is past the screen's edge for Find
        Assert.False(ScreenText.Contains(heard, "no ou"));
        Assert.Equal(string.Empty, face.MonitorIndicator); // a separate pair, function off: nothing to flag

        monitor.HasOutput = false;
        foreach (BoxPage page in face.Pages)
        {
            face.ShowPage(page);
            MonoFrameBuffer frame = Screen(face, time);
            (int x, int y) = ScreenText.Find(frame, "no ou");
            Assert.True(y == 48, $"{page}: the banner says no out (found at {x},{y})");
            Assert.True(ScreenText.Contains(frame, "REF album-a"), $"{page}: the banner names the file");
            Assert.False(ScreenText.Contains(frame, "-6.3d"), $"{page}: no offset implies the reference is heard");
            Assert.True(ScreenText.Contains(frame, "no monitor out"), $"{page}: the reference would be heard: the indicator says so");
        }

        reference.SetOn(false);
        face.ShowPage(BoxPage.Main);
        MonoFrameBuffer off = Screen(face, time);
        Assert.False(ScreenText.Contains(off, "no ou"));
        Assert.False(ScreenText.Contains(off, "no monitor out"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SystemPage_ShowsTheMonitorEqDate_AndARemeasureReminderOnlyWhenOlderThanAYear(bool protection)
    {
        (BoxFace face, FakeMonitor monitor, _, ManualTimeProvider time) = Create(protection);
        face.ShowPage(BoxPage.System);
        Assert.False(Seen(face, time, "MON EQ"), "nothing without a correction EQ");

        monitor.Calibrate(new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero)); // the clock says 2026-01
        Assert.True(Seen(face, time, "MON EQ 2025-06-01"));
        Assert.True(Seen(face, time, "temp"), "the temperature keeps its turn");
        Assert.False(Seen(face, time, "re-measure the room"));

        monitor.Calibrate(new DateTimeOffset(2024, 11, 20, 9, 0, 0, TimeSpan.Zero));
        Assert.True(Seen(face, time, "MON EQ 2024-11-20"));
        Assert.True(Seen(face, time, "re-measure the room"));
        face.ShowPage(BoxPage.Monitor);
        Assert.True(ScreenText.Contains(Screen(face, time), "EQ 2024-11-20 old"));
    }

    [Fact]
    public void MonitorPageAndIndicator_RenderAllocationFree()
    {
        var reference = new FakeReference();
        reference.SetOn(true);
        reference.Status = reference.Status with { State = ReferenceState.Playing, Track = "album-a.wav" };
        (BoxFace face, FakeMonitor monitor, MonitorBackend backend, ManualTimeProvider time) = Create(protection: true, reference: reference);
        monitor.Calibrate(new DateTimeOffset(2024, 11, 20, 9, 0, 0, TimeSpan.Zero));
        var frame = new MonoFrameBuffer();
        int n = 0;
        void Run(int count)
        {
            for (int i = 0; i < count; i++, n++)
            {
                monitor.Function = (MonitorFunction)(n % 7);
                monitor.TwoOutputs = (n & 8) == 0;
                monitor.HasOutput = (n & 32) == 0;
                backend.GlobalBypass = (n & 64) != 0;
                face.ShowPage((n & 16) == 0 ? BoxPage.Monitor : BoxPage.System);
                time.Advance(TimeSpan.FromMilliseconds(40));
                face.Tick();
                face.Render(frame);
            }
        }

        Run(200);
        Assert.Equal(0, AllocationProbe.SmallestBytesAllocated(() => Run(500)));
    }

    // Whether `text` shows on the screen within two full cycles of SYSTEM's shared row.
    private static bool Seen(BoxFace face, ManualTimeProvider time, string text)
    {
        for (int i = 0; i < 200; i++)
        {
            if (ScreenText.Contains(Screen(face, time), text))
            {
                return true;
            }
        }

        return false;
    }
}
