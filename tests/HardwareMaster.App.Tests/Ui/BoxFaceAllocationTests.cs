using HardwareMaster.App.Engine;
using HardwareMaster.App.Tests.Ui;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;
using HardwareMaster.Hal.Tests.AudioFiles;
using Xunit.Abstractions;

namespace HardwareMaster.App.Tests.Ui;

/// <summary>Tick + Render + Handle allocate nothing per frame in steady state, on every page, in both layouts.</summary>
[Collection(nameof(AllocationMeasurements))]
public class BoxFaceAllocationTests(ITestOutputHelper output)
{
    private const int Frames = 500;

    public static TheoryData<BoxPage, bool> PagesAndLayouts()
    {
        var data = new TheoryData<BoxPage, bool>();
        foreach (BoxPage page in Enum.GetValues<BoxPage>())
        {
            data.Add(page, false);
            data.Add(page, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PagesAndLayouts))]
    public void Frames_OnEveryPage_AllocateZeroBytesAfterWarmUp(BoxPage page, bool minimal)
    {
        var time = new ManualTimeProvider();
        var backend = new FakeBoxBackend();
        var fatigue = new FakeFatigue();
        IBoxBackend withPages = new Protection.BoxFaceProtectionTests.ProtectedBackend(backend, new Protection.BoxFaceProtectionTests.FakeProtection(), new Protection.BoxFaceProtectionTests.FakeReadiness(), new FakeRecorder { Alternate = true }, new FakeMonitor { Function = HardwareMaster.Dsp.Monitor.MonitorFunction.Phone, CalibrationFilters = 3, CalibrationDate = "2024-11-20", CalibrationImportedUtc = new DateTimeOffset(2024, 11, 20, 0, 0, 0, TimeSpan.Zero) }); // SYSTEM's protection fields, READY?, REC, MONITOR
        var face = new BoxFace(withPages, time, new FakeBoxPresets(), new FakeTargeting(), fatigue, minimal ? BoxLayout.Minimal : BoxLayout.Full, CurveDb);
        Assert.True(face.ShowPage(page));
        if (minimal && face.FieldCount > 0)
        {
            face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press)); // field mode
            if (page is not (BoxPage.Presets or BoxPage.Loudness))
            {
                face.Handle(new BoxInput(BoxControl.Value, BoxAction.Press)); // value mode
            }
        }

        var frame = new MonoFrameBuffer();
        MeterSnapshot[] meters = [FakeBoxBackend.FixedMeters(), FakeBoxBackend.FixedMeters() with { ShortTermLufs = -9.5, OutputPeakLeftDbfs = -0.3, DeadlineMisses = 1, LimiterReductionDb = 3.1, GlobalBypass = true }];
        int frameNumber = 0;

        void RunFrames(int count)
        {
            for (int i = 0; i < count; i++, frameNumber++)
            {
                backend.Meters = meters[frameNumber & 1];
                time.Advance(TimeSpan.FromMilliseconds(40));
                face.Tick();
                if (frameNumber % 3 == 0)
                {
                    // A knob turn back and forth (pop-up, edits through the registry), a bypass every so often.
                    face.Handle(new BoxInput(BoxControl.Value, (frameNumber & 4) == 0 ? BoxAction.Cw : BoxAction.Ccw));
                }

                if (frameNumber % 50 == 0)
                {
                    face.Handle(new BoxInput(BoxControl.Bypass, BoxAction.Press));
                    fatigue.IsDue = !fatigue.IsDue;
                }

                face.Render(frame);
            }
        }

        RunFrames(100); // warm-up: JIT, lazy statics, first pop-up
        long bytes = AllocationProbe.SmallestBytesAllocated(() => RunFrames(Frames));

        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        RunFrames(Frames);
        double microseconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds / Frames;
        output.WriteLine($"{page} ({(minimal ? "minimal" : "full")}): {bytes} bytes over {Frames} frames, {microseconds:0} us per frame (information only)");
        Assert.Equal(0, bytes);
    }

    // A fixed, allocation-free stand-in for the chain's published EQ response: a bell at 1 kHz and a high shelf.
    internal static double CurveDb(double hz)
    {
        double octaves = Math.Log2(hz / 1000);
        return (4 * Math.Exp(-octaves * octaves * 2)) - (3 / (1 + Math.Pow(8000 / hz, 2)));
    }
}
