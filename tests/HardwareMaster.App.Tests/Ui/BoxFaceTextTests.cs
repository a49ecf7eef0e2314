using HardwareMaster.App.Engine;
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
    private static (BoxFace Face, FakeBoxBackend Backend, BoxFaceProtectionTests.FakeProtection Protection, ManualTimeProvider Time) Create(BoxLayout? layout = null)
    {
        var time = new ManualTimeProvider();
        var backend = new FakeBoxBackend();
        var protection = new BoxFaceProtectionTests.FakeProtection();
        IBoxBackend withPages = new BoxFaceProtectionTests.ProtectedBackend(backend, protection, new BoxFaceProtectionTests.FakeReadiness(), new FakeRecorder(), new FakeMonitor { Function = MonitorFunction.Phone });
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
        (BoxFace face, FakeBoxBackend _, _, _) = Create();
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
        (BoxFace face, _, _, ManualTimeProvider time) = Create();
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
    [InlineData(16, 2, false)]
    [InlineData(20, 4, false)]
    [InlineData(20, 4, true)]
    public void TextFrames_OnEveryPage_AllocateNothing_LeastOfFourSegments(int columns, int rows, bool minimal)
    {
        (BoxFace face, FakeBoxBackend backend, _, ManualTimeProvider time) = Create(minimal ? BoxLayout.Minimal : BoxLayout.Full);
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
