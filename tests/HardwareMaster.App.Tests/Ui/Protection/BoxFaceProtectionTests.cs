using HardwareMaster.App.Engine;
using HardwareMaster.App.Host.Protection;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.App.Tests.Ui.Protection;

/// <summary>The SYSTEM page's latency mode and step back, and the protection notice on every page.</summary>
[Collection(nameof(AllocationMeasurements))]
public class BoxFaceProtectionTests
{
    internal sealed class FakeProtection : IBoxProtection
    {
        public ProtectionStatus Current = new(LatencyMode.Standard, 64, 64, 0, ThermalState.Normal, 48.5, null, 0);
        public int StepBacks;

        public ProtectionStatus Status => Current;

        public bool StepBack()
        {
            if (!Current.CanStepBack)
            {
                return false;
            }

            StepBacks++;
            Current = Current with { BlockFrames = Current.BlockFrames / 2 };
            return true;
        }

        public bool SetLatencyMode(LatencyMode mode)
        {
            bool changed = mode != Current.Mode;
            Current = Current with { Mode = mode, NoticeSerial = Current.NoticeSerial + 1, Notice = LatencyModes.Names[(int)mode] };
            return changed;
        }

        public void Notice(string text) => Current = Current with { Notice = text, NoticeSerial = Current.NoticeSerial + 1 };
    }

    /// <summary>A READY? analysis with fixed verdicts (one of each, one not judged).</summary>
    internal sealed class FakeReadiness : IBoxReadiness
    {
        private static readonly string[] Names = ["headroom", "clipping", "limited", "DC", "correlation", "low mono", "balance"];

        public ReadyLine[] Lines =
        [
            new(0, -5.9, "dBTP"), new(2, 14, "count"), new(1, 6.2, "dB"), new(0, -80.4, "dBFS"), new(0, 0.61, string.Empty), new(1, 0.42, string.Empty), new(-1, double.NaN, string.Empty),
        ];

        public int Resets;

        public IReadOnlyList<string> Labels => Names;

        public bool Judging { get; set; }

        public double Read(Span<ReadyLine> lines)
        {
            Lines.AsSpan(0, Math.Min(lines.Length, Lines.Length)).CopyTo(lines);
            return 83;
        }

        public void Reset() => Resets++;
    }

    /// <summary>The shared fake backend with a protection attached.</summary>
    internal sealed class ProtectedBackend(FakeBoxBackend inner, IBoxProtection? protection, IBoxReadiness? readiness = null, IBoxRecorder? recorder = null, IBoxMonitor? monitor = null, IBoxReference? reference = null) : IBoxBackend
    {
        public IBoxMonitor? Monitor => monitor;

        public IBoxReference? Reference => reference;

        public IBoxReadiness? Readiness => readiness;

        public IBoxRecorder? Recorder => recorder;

        public ParameterRegistry Registry => inner.Registry;

        public bool GlobalBypass { get => inner.GlobalBypass; set => inner.GlobalBypass = value; }

        public IBoxProtection? Protection => protection;

        public double Get(int index) => inner.Get(index);

        public bool TrySet(int index, double value) => inner.TrySet(index, value);

        public MeterSnapshot ReadMeters() => inner.ReadMeters();

        public SystemStatus ReadSystem() => inner.ReadSystem();

        public void ResetLoudness() => inner.ResetLoudness();
    }

    private static (BoxFace Face, FakeProtection Protection, ManualTimeProvider Time) Create()
    {
        var time = new ManualTimeProvider();
        var protection = new FakeProtection();
        var face = new BoxFace(new ProtectedBackend(new FakeBoxBackend(), protection), time);
        face.Tick();
        return (face, protection, time);
    }

    private static void Frames(BoxFace face, ManualTimeProvider time, int count)
    {
        for (int i = 0; i < count; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(40));
            face.Tick();
        }
    }

    [Fact]
    public void SystemPage_WithProtection_OffersLatencyModeAndStepBack_TheValueKnobSwitchesTheMode()
    {
        (BoxFace face, FakeProtection protection, ManualTimeProvider time) = Create();
        Assert.True(face.ShowPage(BoxPage.System));
        Assert.True(face.FieldCount >= 2);
        Assert.Equal(0, face.FocusedFieldIndex);

        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Cw));
        Assert.Equal(LatencyMode.Studio, protection.Current.Mode);
        Assert.Equal("Latency mode", face.PopupName);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Cw));
        Assert.Equal(LatencyMode.Live, protection.Current.Mode);
        face.Handle(new BoxInput(BoxControl.Value, BoxAction.Ccw, 2));
        Assert.Equal(LatencyMode.Standard, protection.Current.Mode);
        Frames(face, time, 2);
        Assert.False(face.IsNoticeVisible); // the pop-up said it: no second notice

        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Cw));
        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Press)); // step back: nothing to undo
        Assert.Equal(0, protection.StepBacks);
        protection.Current = protection.Current with { BlockFrames = 128 };
        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Press));
        Assert.Equal(1, protection.StepBacks);
        Assert.Equal("Step back", face.PopupName);
    }

    [Fact]
    public void Notice_FromTheEngine_ShowsOnEveryPageForFiveSeconds()
    {
        (BoxFace face, FakeProtection protection, ManualTimeProvider time) = Create();
        Assert.True(face.ShowPage(BoxPage.Eq));
        protection.Notice("xruns: block 128");
        Frames(face, time, 1);
        Assert.True(face.IsNoticeVisible);
        Assert.Equal("xruns: block 128", face.NoticeText);
        var frame = new MonoFrameBuffer();
        face.Render(frame);
        Assert.True(frame.GetPixel(0, 47), "the notice bar is drawn");
        Frames(face, time, 130);
        Assert.False(face.IsNoticeVisible);
    }

    [Fact]
    public void SystemPage_WithProtection_RendersTheModeCostAndThermalState_AllocationFree()
    {
        (BoxFace face, FakeProtection protection, ManualTimeProvider time) = Create();
        Assert.True(face.ShowPage(BoxPage.System));
        protection.Current = protection.Current with { Thermal = ThermalState.Warm, XrunsLastMinute = 3 };
        var frame = new MonoFrameBuffer();
        int n = 0;
        void Run(int count)
        {
            for (int i = 0; i < count; i++, n++)
            {
                time.Advance(TimeSpan.FromMilliseconds(40));
                face.Tick();
                if (n % 50 == 0)
                {
                    protection.Notice("xruns: block 128"); // a stable string: the face copies no text
                }

                face.Render(frame);
            }
        }

        Run(100);
        Assert.Equal(0, AllocationProbe.SmallestBytesAllocated(() => Run(500)));
        string path = Path.Combine(Path.GetTempPath(), "hm-system-protection.png");
        PngWriter.Write(path, frame, 3);
    }
}

/// <summary>The READY? page on the face.</summary>
[Collection(nameof(AllocationMeasurements))]
public class BoxFaceReadyTests
{
    [Fact]
    public void ReadyPage_WithAnalysis_IsTheLastPage_JudgesOnlyWhileShown_AndResets()
    {
        var time = new ManualTimeProvider();
        var readiness = new BoxFaceProtectionTests.FakeReadiness();
        var face = new BoxFace(new BoxFaceProtectionTests.ProtectedBackend(new FakeBoxBackend(), null, readiness), time);
        Assert.Equal(BoxPage.Ready, face.Pages[^1]);
        Assert.DoesNotContain(BoxPage.Ready, new BoxFace(new FakeBoxBackend(), time).Pages);
        face.Tick();
        Assert.False(readiness.Judging);
        face.Handle(new BoxInput(BoxControl.Page, BoxAction.Ccw)); // MAIN wraps back to READY?
        Assert.Equal(BoxPage.Ready, face.CurrentPage);
        Assert.Equal("ready", face.PageName);
        face.Tick();
        Assert.True(readiness.Judging);
        face.Handle(new BoxInput(BoxControl.Param, BoxAction.Press));
        Assert.Equal(1, readiness.Resets);
        Assert.Equal("READY?", face.PopupName);

        var frame = new MonoFrameBuffer();
        time.Advance(TimeSpan.FromSeconds(2));
        face.Tick();
        face.Render(frame);
        // FAIL (clipping, row 2) and WARN (limited, row 3) are inverted at the right edge; pass is not.
        Assert.True(frame.GetPixel(127, 16 + 7) || frame.GetPixel(126, 16), "FAIL not inverted");
        Assert.False(frame.GetPixel(127, 8) && frame.GetPixel(127, 9), "ok inverted");
        PngWriter.Write(Path.Combine(Path.GetTempPath(), "hm-ready-fake.png"), frame, 3);
        face.Handle(new BoxInput(BoxControl.Page, BoxAction.Cw));
        face.Tick();
        Assert.False(readiness.Judging);
    }
}
