using HardwareMaster.App.Engine;
using HardwareMaster.App.Monitor;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Tests.Ui.Protection;
using HardwareMaster.App.Ui;
using HardwareMaster.Dsp.Monitor;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;
using HardwareMaster.Hal.Tests.AudioFiles;
using Xunit.Abstractions;

namespace HardwareMaster.App.Tests.Ui;

/// <summary>The text mode of the face (16x2 and 20x4 character LCDs): every page, the corner, pop-ups, notices, allocation.</summary>
[Collection(nameof(AllocationMeasurements))]
public class BoxFaceTextTests(ITestOutputHelper output)
{
    private static (BoxFace Face, FakeBoxBackend Backend, BoxFaceProtectionTests.FakeProtection Protection, ManualTimeProvider Time) Create(BoxLayout? layout = null, FakeMonitor? monitor = null, FakeReference? reference = null)
    {
        var time = new ManualTimeProvider();
        var backend = new FakeBoxBackend();
        var protection = new BoxFaceProtectionTests.FakeProtection();
        IBoxBackend withPages = new BoxFaceProtectionTests.ProtectedBackend(backend, protection, new BoxFaceProtectionTests.FakeReadiness(), new FakeRecorder(), monitor ?? new FakeMonitor { Function = MonitorFunction.Phone }, reference);
        var face = new BoxFace(withPages, time, new FakeBoxPresets(), new FakeTargeting(), new FakeFatigue(), layout ?? BoxLayout.Full, BoxFaceAllocationTests.CurveDb);
        face.Tick();
        return (face, backend, protection, time);
    }

    private string Show(BoxFace face, int columns, int rows)
    {
        var screen = new CharacterScreen(columns, rows);
        face.RenderText(screen);
        string text = screen.ToString();
        output.WriteLine($"{face.PageName} {columns}x{rows}:\n+{new string('-', columns)}+\n|{text.Replace("\n", "|\n|")}|\n+{new string('-', columns)}+");
        return text;
    }

    public static TheoryData<BoxPage, int, int> EveryPage()
    {
        var data = new TheoryData<BoxPage, int, int>();
        foreach (BoxPage page in Enum.GetValues<BoxPage>())
        {
            data.Add(page, 16, 2);
            data.Add(page, 20, 4);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPage))]
    public void EveryPage_FitsTheGrid_KeepsTheCornerFree_AndShowsItsContent(BoxPage page, int columns, int rows)
    {
        // The phone voicing on for MONITOR's content; off elsewhere so that no indicator covers the page.
        (BoxFace face, FakeBoxBackend _, _, _) = Create(monitor: new FakeMonitor { Function = page == BoxPage.Monitor ? MonitorFunction.Phone : MonitorFunction.Off });
        Assert.True(face.ShowPage(page));
        string[] lines = Show(face, columns, rows).Split('\n');
        Assert.Equal(rows, lines.Length);
        Assert.All(lines, line => Assert.Equal(columns, line.Length));
        Assert.Equal("    ", lines[^1][^4..]); // the corner: empty without bypass or xrun
        Assert.DoesNotContain('?', string.Concat(lines).Replace("READY?", "READY", StringComparison.Ordinal)); // every character maps to the LCD's ROM
        string all = string.Concat(lines);
        switch (page)
        {
            case BoxPage.Main:
                Assert.Contains("█", all); // the meters are CGRAM bars
                Assert.Contains("LU", all);
                if (rows == 4)
                {
                    Assert.StartsWith("MAIN", lines[0]);
                    Assert.StartsWith("IN ", lines[1]);
                    Assert.StartsWith("OUT", lines[2]);
                    Assert.Contains("to -14", lines[0]);
                }

                break;
            case BoxPage.Loudness:
                Assert.Contains("I -", all);
                Assert.Contains("TP", all);
                break;
            case BoxPage.Comp:
                Assert.Contains(FocusedName(face), all);
                if (rows == 4)
                {
                    Assert.StartsWith("COMP", lines[0]);
                    Assert.StartsWith("GR", lines[3]);
                }
                else
                {
                    Assert.StartsWith("COMP", lines[1]);
                }

                break;
            case BoxPage.Presets:
                Assert.Contains(">", all);
                break;
            case BoxPage.System:
                Assert.Contains("48.0", all);
                Assert.Contains(rows == 4 ? "ms" : "%", lines[rows == 4 ? 1 : 0]);
                break;
            case BoxPage.Ready:
                Assert.StartsWith("READY?", lines[0]);
                Assert.Contains("headroo", all);
                break;
            case BoxPage.Record:
                Assert.StartsWith("REC", lines[0]);
                break;
            case BoxPage.Monitor:
                Assert.StartsWith("MONITOR", lines[0]);
                Assert.StartsWith(rows == 4 ? ">PHONE +3.2dB" : ">PHONE +3.2", lines[1], StringComparison.Ordinal);
                if (rows == 2)
                {
                    Assert.EndsWith("OUT=MON", lines[0], StringComparison.Ordinal);
                }

                if (rows == 4)
                {
                    Assert.StartsWith("EQ none", lines[2]);
                    Assert.StartsWith("OUT IS MONITOR", lines[3]);
                }

                break;
        }
    }

    private static string FocusedName(BoxFace face)
    {
        string name = ParameterRegistry.Chain[face.FocusedParameterId!].Name;
        return name.Length > 10 ? name[..10] : name;
    }

    [Theory]
    [InlineData(16, 2)]
    [InlineData(20, 4)]
    public void ParameterPage_NameAndValue_FollowTheValueKnob(int columns, int rows)
    {
        (BoxFace face, FakeBoxBackend backend, _, ManualTimeProvider time) = Create();
        Assert.True(face.ShowPage(BoxPage.Comp));
        while (face.FocusedParameterId != "comp.threshold")
        {
            face.Handle(new BoxInput(BoxControl.Param, BoxAction.Cw));
        }

        time.Advance(TimeSpan.FromSeconds(2)); // past the pop-up of the field move (none), shows the page itself
        face.Tick();
        string before = Show(face, columns, rows);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Ccw, 4));
        string popup = Show(face, columns, rows);
        Assert.Contains(ParameterRegistry.Chain["comp.threshold"].Name[..Math.Min(12, ParameterRegistry.Chain["comp.threshold"].Name.Length)], popup);
        time.Advance(TimeSpan.FromSeconds(2));
        face.Tick();
        string after = Show(face, columns, rows);
        Assert.NotEqual(before, after);
        string value = backend.Get("comp.threshold").ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(value + " dB", after);
    }

    [Theory]
    [InlineData(16, 2)]
    [InlineData(20, 4)]
    public void GlobalBypassAndXrun_ClaimTheCornerOnEveryPage(int columns, int rows)
    {
        (BoxFace face, FakeBoxBackend backend, _, ManualTimeProvider time) = Create();
        face.Handle(new BoxInput(BoxControl.Bypass, BoxAction.Press));
        Assert.True(backend.GlobalBypass);
        time.Advance(TimeSpan.FromSeconds(2));
        backend.Meters = FakeBoxBackend.FixedMeters() with { DeadlineMisses = 3 };
        face.Tick();
        foreach (BoxPage page in face.Pages)
        {
            face.ShowPage(page);
            string[] lines = Show(face, columns, rows).Split('\n');
            Assert.Equal("BYP!", lines[^1][^4..]);
        }
    }

    [Theory]
    [InlineData(16, 2)]
    [InlineData(20, 4)]
    public void ProtectionNotice_ShowsForFiveSeconds_AboveTheCorner(int columns, int rows)
    {
        (BoxFace face, _, BoxFaceProtectionTests.FakeProtection protection, ManualTimeProvider time) = Create();
        face.ShowPage(BoxPage.Eq);
        protection.Notice("xruns: block 128");
        time.Advance(TimeSpan.FromMilliseconds(40));
        face.Tick();
        string[] lines = Show(face, columns, rows).Split('\n');
        Assert.StartsWith("xruns: block 128"[..Math.Min(16, columns)], lines[rows == 4 ? 2 : 0]);
        time.Advance(TimeSpan.FromSeconds(6));
        face.Tick();
        Assert.DoesNotContain("xruns: block", Show(face, columns, rows));
    }

    [Fact]
    public void StageBypass_IsShownInTheTitle()
    {
        (BoxFace face, _, _, ManualTimeProvider time) = Create(monitor: new FakeMonitor()); // no indicator over row 0
        face.ShowPage(BoxPage.Comp);
        face.Handle(new BoxInput(BoxControl.Comp, BoxAction.Press));
        time.Advance(TimeSpan.FromSeconds(2)); // past the pop-up
        face.Tick();
        Assert.StartsWith("COMP BYP", Show(face, 20, 4));
        Assert.StartsWith("COMP*", Show(face, 16, 2).Split('\n')[1]);
    }

    [Fact]
    public void ModalLayout_MarksWhatTheEncoderMoves()
    {
        (BoxFace face, _, _, ManualTimeProvider time) = Create(BoxLayout.Minimal);
        face.ShowPage(BoxPage.Comp);
        Assert.StartsWith(">COMP", Show(face, 20, 4));
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press)); // field mode
        time.Advance(TimeSpan.FromSeconds(2));
        face.Tick();
        Assert.StartsWith(">", Show(face, 20, 4).Split('\n')[1]);
    }

    [Fact]
    public void RenderText_ThroughTheLcdDriver_ReadsBackTheSameText()
    {
        (BoxFace face, FakeBoxBackend backend, _, ManualTimeProvider time) = Create();
        var bus = new SimulatedCharacterLcd(20, 4);
        using var lcd = new Hd44780Lcd(bus, 20, 4, new Hd44780LcdOptions(Sleep: _ => { }));
        var screen = new CharacterScreen(20, 4);
        for (int i = 0; i < 10; i++)
        {
            backend.Meters = FakeBoxBackend.FixedMeters() with { OutputPeakLeftDbfs = -20 + i };
            time.Advance(TimeSpan.FromMilliseconds(40));
            face.Tick();
            face.RenderText(screen);
            lcd.Present(screen);
            Assert.Equal(screen.ToString(), bus.Panel.ScreenText());
        }
    }

    [Fact]
    public void RenderText_TooSmallScreen_Throws()
    {
        (BoxFace face, _, _, _) = Create();
        Assert.Throws<ArgumentException>(() => face.RenderText(new CharacterScreen(8, 2)));
    }

    [Theory]
    [InlineData(16, 2)]
    [InlineData(20, 4)]
    public void MonitorIndicator_IsOnEveryPage_OutIsMonitor_Separate_AndNoMonitorOut(int columns, int rows)
    {
        var monitor = new FakeMonitor { Function = MonitorFunction.Off };
        (BoxFace face, _, _, _) = Create(monitor: monitor);
        int row = rows == 4 ? rows - 1 : 0; // 20x4: the bottom row before the corner; 16x2: the status row
        int width = rows == 4 ? columns - 4 : columns;
        foreach (BoxPage page in face.Pages)
        {
            face.ShowPage(page);
            string all = Show(face, columns, rows);
            Assert.DoesNotContain("OUT=MON", all);
            Assert.DoesNotContain("MON ", all);
        }

        void Expect(string text, string monitorPage)
        {
            foreach (BoxPage page in face.Pages)
            {
                face.ShowPage(page);
                string[] lines = Show(face, columns, rows).Split('\n');
                if (page == BoxPage.Monitor)
                {
                    // MONITOR keeps its rows and says the output state itself.
                    Assert.Contains(monitorPage, rows == 4 ? lines[3] : lines[0]);
                    continue;
                }

                Assert.Equal(text.PadLeft(width), lines[row][..width]);
                Assert.Equal("    ", lines[^1][^4..]); // the corner stays free
            }
        }

        monitor.Function = MonitorFunction.Phone;
        Expect("OUT=MON PHONE", rows == 4 ? "OUT IS MONITOR" : "OUT=MON");
        monitor.TwoOutputs = false;
        Expect("MON PHONE", rows == 4 ? "master untouched" : "MONITOR");
        monitor.HasOutput = false;
        Expect("no monitor out", rows == 4 ? "no monitor out" : "no out");
        monitor.Function = MonitorFunction.Off;
        monitor.Calibrate(new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero)); // the EQ would be heard
        Expect("no monitor out", rows == 4 ? "no monitor out" : "no out");
        monitor.HasOutput = true;
        monitor.TwoOutputs = true;
        Expect("OUT=MON EQ", rows == 4 ? "OUT IS MONITOR" : "OUT=MON");
    }

    [Theory]
    [InlineData(16, 2)]
    [InlineData(20, 4)]
    public void ReferenceBanner_IsOnEveryPage_WithTheOffset_OrNoOutWhenTheMonitorPlaysNowhere(int columns, int rows)
    {
        var monitor = new FakeMonitor { Function = MonitorFunction.Off, TwoOutputs = false };
        var reference = new FakeReference();
        (BoxFace face, _, _, ManualTimeProvider time) = Create(monitor: monitor, reference: reference);
        reference.SetOn(true);
        reference.Status = reference.Status with { State = ReferenceState.Playing, Track = "album-a.wav" };
        time.Advance(TimeSpan.FromMilliseconds(40));
        face.Tick();
        int row = rows == 4 ? rows - 2 : 0;

        void Expect(string right)
        {
            foreach (BoxPage page in face.Pages)
            {
                face.ShowPage(page);
                string[] lines = Show(face, columns, rows).Split('\n');
                Assert.StartsWith("REF alb", lines[row], StringComparison.Ordinal); // the name cut to the room left
                Assert.EndsWith(right, lines[row], StringComparison.Ordinal);
            }
        }

        Expect("-6.3dB");
        monitor.HasOutput = false;
        Expect("no out");
        if (rows == 4)
        {
            // The reference would be heard: the bottom row says the monitor plays nowhere.
            face.ShowPage(BoxPage.Main);
            Assert.Contains("no monitor out", Show(face, columns, rows).Split('\n')[3]);
        }

        reference.Status = reference.Status with { State = ReferenceState.Ready };
        monitor.HasOutput = true;
        time.Advance(TimeSpan.FromMilliseconds(40));
        face.Tick();
        Expect("loading");

        reference.SetOn(false);
        face.ShowPage(BoxPage.Eq);
        Assert.DoesNotContain("REF ", Show(face, columns, rows));
    }

    [Theory]
    [InlineData(16, 2)]
    [InlineData(20, 4)]
    public void MonitorPage_ReferenceField_ShowsWhatIsHeard_AndItsPushTogglesThePlayer(int columns, int rows)
    {
        var monitor = new FakeMonitor { Function = MonitorFunction.Phone };
        var reference = new FakeReference();
        (BoxFace face, _, _, ManualTimeProvider time) = Create(monitor: monitor, reference: reference);
        face.ShowPage(BoxPage.Monitor);
        bool big = rows == 4;
        string prefix = big ? ">REF " : ">R:";
        Assert.DoesNotContain(prefix, Show(face, columns, rows)); // the function is focused
        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Cw)); // Function -> Reference
        string[] lines = Show(face, columns, rows).Split('\n');
        Assert.StartsWith(prefix + "off", lines[big ? 2 : 1], StringComparison.Ordinal);
        if (big)
        {
            Assert.StartsWith(" PHONE", lines[1], StringComparison.Ordinal); // the function stays, unmarked
        }

        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press)); // as a REF press
        Assert.True(reference.IsOn);
        time.Advance(BoxFace.PopupDuration + TimeSpan.FromMilliseconds(40)); // past the "Reference" pop-up
        face.Tick();

        // On: the banner takes 20x4's row 2 (16x2's row 0), the field moves to row 1 and shows the file heard.
        lines = Show(face, columns, rows).Split('\n');
        Assert.StartsWith(prefix + "album", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("REF alb", lines[big ? 2 : 0], StringComparison.Ordinal);
        Assert.Equal(columns, lines[1].Length);
        reference.Status = reference.Status with { State = ReferenceState.NoFolder };
        time.Advance(TimeSpan.FromMilliseconds(40));
        face.Tick();
        Assert.StartsWith(prefix + "no stick", Show(face, columns, rows).Split('\n')[1], StringComparison.Ordinal);
    }

    [Fact]
    public void UnderTheBannerAndTheIndicator_ThePagesKeepWhatTheEncoderMoves()
    {
        var monitor = new FakeMonitor { Function = MonitorFunction.Phone };
        var reference = new FakeReference();
        (BoxFace face, FakeBoxBackend backend, _, ManualTimeProvider time) = Create(monitor: monitor, reference: reference);
        face.ShowPage(BoxPage.Comp);
        while (face.FocusedParameterId != "comp.threshold")
        {
            face.Handle(new BoxInput(BoxControl.Param, BoxAction.Cw));
        }

        string name = ParameterRegistry.Chain["comp.threshold"].Name;
        string value = backend.Get("comp.threshold").ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " dB";

        // 16x2, the indicator on row 0: the field's name takes the title's place beside the value.
        string[] small = Show(face, 16, 2).Split('\n');
        Assert.Contains("OUT=MON PHONE", small[0]);
        Assert.StartsWith(name[..2], small[1], StringComparison.Ordinal);
        Assert.Contains(value, small[1]);
        face.Handle(new BoxInput(BoxControl.Comp, BoxAction.Press)); // the stage bypassed: '*' after the name
        time.Advance(TimeSpan.FromSeconds(2));
        face.Tick();
        Assert.StartsWith(name[..2], Show(face, 16, 2).Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains("*", Show(face, 16, 2).Split('\n')[1]);
        face.Handle(new BoxInput(BoxControl.Comp, BoxAction.Press));
        time.Advance(TimeSpan.FromSeconds(2));
        face.Tick();

        // 20x4 with the reference banner on row 2: the value moves up beside the name.
        reference.SetOn(true);
        reference.Status = reference.Status with { State = ReferenceState.Playing, Track = "album-a.wav" };
        time.Advance(TimeSpan.FromMilliseconds(40));
        face.Tick();
        string[] big = Show(face, 20, 4).Split('\n');
        Assert.StartsWith(name[..Math.Min(name.Length, 5)], big[1], StringComparison.Ordinal);
        Assert.EndsWith(value, big[1], StringComparison.Ordinal);
        Assert.StartsWith("REF alb", big[2], StringComparison.Ordinal);
        Assert.Contains("OUT=MON PHONE", big[3]);

        // SYSTEM keeps its field: row 2 under the indicator, row 1 under both.
        face.ShowPage(BoxPage.System);
        Assert.StartsWith("Latency", Show(face, 20, 4).Split('\n')[1], StringComparison.Ordinal);
        reference.SetOn(false);
        Assert.StartsWith("Latency", Show(face, 20, 4).Split('\n')[2], StringComparison.Ordinal);
        Assert.True(Seen(face, time, 16, 2, "CPU"), "16x2: CPU joins the cycling line while row 0 is covered");

        // PRESETS under the banner: the focused entry stays on row 1.
        reference.SetOn(true);
        face.ShowPage(BoxPage.Presets);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Cw, 3));
        time.Advance(TimeSpan.FromSeconds(2));
        face.Tick();
        Assert.StartsWith(">", Show(face, 20, 4).Split('\n')[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16, 2)]
    [InlineData(20, 4)]
    public void SystemPage_CyclesLatencyThdTemperatureAndMonitorEq_WithTheRemeasureReminderOnlyWhenDue(int columns, int rows)
    {
        var monitor = new FakeMonitor { Function = MonitorFunction.Off, TwoOutputs = false };
        (BoxFace face, FakeBoxBackend backend, BoxFaceProtectionTests.FakeProtection protection, ManualTimeProvider time) = Create(monitor: monitor);
        face.ShowPage(BoxPage.System);
        bool big = rows == 4;
        string[] always = big
            ? ["CPU", "lat 2.9ms THD0.112%", "temp 48.3 C"]
            : ["xruns", "lat  2.9ms", "THD 0.112%", "temp 48.3C"];
        foreach (string text in always)
        {
            Assert.True(Seen(face, time, columns, rows, text), text);
        }

        Assert.False(Seen(face, time, columns, rows, "EQ"), "no monitor EQ line without one");

        monitor.Calibrate(new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero)); // the clock says 2026-01
        Assert.True(Seen(face, time, columns, rows, big ? "MON EQ 2025-06-01" : "EQ 25-06-01"));
        Assert.False(Seen(face, time, columns, rows, "re-measure"));

        monitor.Calibrate(new DateTimeOffset(2024, 11, 20, 9, 0, 0, TimeSpan.Zero));
        Assert.True(Seen(face, time, columns, rows, big ? "MON EQ 2024-11-20" : "EQ 24-11-20"));
        Assert.True(Seen(face, time, columns, rows, big ? "re-measure the room" : "re-measure!"));

        // The studio mode's measured cost, the thermal state on 20x4.
        protection.Current = protection.Current with { Mode = HardwareMaster.App.Host.Protection.LatencyMode.Studio, Thermal = HardwareMaster.App.Host.Protection.ThermalState.Warm };
        Assert.True(Seen(face, time, columns, rows, big ? "THD0.003%" : "THD 0.003%"));
        if (big)
        {
            Assert.True(Seen(face, time, columns, rows, "temp 48.3 C WARM"));
        }

        backend.System = backend.System with { CpuTemperatureC = double.NaN };
        for (int i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(40));
            face.Tick(); // the face reads the system status every 5 frames on SYSTEM
        }

        Assert.False(Seen(face, time, columns, rows, "temp"), "no temperature line without a reading");
    }

    // Whether `text` shows on the screen within two full cycles of SYSTEM's shared line.
    private bool Seen(BoxFace face, ManualTimeProvider time, int columns, int rows, string text)
    {
        var screen = new CharacterScreen(columns, rows);
        for (int i = 0; i < 400; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(40));
            face.Tick();
            face.RenderText(screen);
            if (screen.ToString().Contains(text, StringComparison.Ordinal))
            {
                output.WriteLine(screen.ToString());
                return true;
            }
        }

        return false;
    }

    [Theory]
    [InlineData(16, 2, false)]
    [InlineData(20, 4, false)]
    [InlineData(20, 4, true)]
    public void TextFrames_OnEveryPage_AllocateNothing_LeastOfFourSegments(int columns, int rows, bool minimal)
    {
        var monitor = new FakeMonitor { Function = MonitorFunction.Phone };
        monitor.Calibrate(new DateTimeOffset(2024, 11, 20, 9, 0, 0, TimeSpan.Zero)); // SYSTEM's EQ date and reminder
        var reference = new FakeReference();
        reference.Status = reference.Status with { State = ReferenceState.Playing, Track = "album-a.wav" };
        (BoxFace face, FakeBoxBackend backend, _, ManualTimeProvider time) = Create(minimal ? BoxLayout.Minimal : BoxLayout.Full, monitor, reference);
        var screen = new CharacterScreen(columns, rows);
        var bus = new SimulatedCharacterLcd(columns, rows);
        using var lcd = new Hd44780Lcd(bus, columns, rows, new Hd44780LcdOptions(Sleep: _ => { }));
        MeterSnapshot[] meters = [FakeBoxBackend.FixedMeters(), FakeBoxBackend.FixedMeters() with { ShortTermLufs = -9.5, OutputPeakLeftDbfs = -0.3, DeadlineMisses = 1, LimiterReductionDb = 3.1 }];
        IReadOnlyList<BoxPage> pages = face.Pages;
        int frame = 0;

        void RunFrames(int count)
        {
            for (int i = 0; i < count; i++, frame++)
            {
                backend.Meters = meters[frame & 1];
                monitor.HasOutput = (frame & 16) == 0; // the indicator's and the banner's every form
                monitor.TwoOutputs = (frame & 32) == 0;
                reference.SetOn((frame & 64) == 0);
                time.Advance(TimeSpan.FromMilliseconds(40));
                if (frame % 40 == 0)
                {
                    face.ShowPage(pages[(frame / 40) % pages.Count]);
                }

                face.Tick();
                if (frame % 3 == 0)
                {
                    face.Handle(new BoxInput(BoxControl.Value, (frame & 4) == 0 ? BoxAction.Cw : BoxAction.Ccw));
                }

                if (frame % 50 == 0)
                {
                    face.Handle(new BoxInput(BoxControl.Bypass, BoxAction.Press));
                }

                face.RenderText(screen);
                lcd.Present(screen);
            }
        }

        RunFrames(pages.Count * 40); // warm-up: every page once
        long bytes = AllocationProbe.SmallestBytesAllocated(() => RunFrames(pages.Count * 40));
        output.WriteLine($"{columns}x{rows} {(minimal ? "minimal" : "full")}: {bytes} B over {pages.Count * 40} frames (least of four)");
        Assert.Equal(0, bytes);
    }
}
