using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.App.Tests.Host;

/// <summary>
/// The UI loop: zero bytes per frame in steady state (input, tick, render, present through the SSD1306 driver to the
/// simulated panel, terminal view), and display or face failures counted, backed off and repaired, never stopping it.
/// </summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class BoxLoopTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output = output;

    [Fact]
    public void RunFrame_SteadyStateWithInputAndChangingMeters_AllocatesNothing()
    {
        var backend = new FakeBackend();
        var face = new PlaceholderFace(backend);
        var inputs = new OneEveryFrame(new BoxInput(BoxControl.Value, BoxAction.Cw));
        face.Handle(new BoxInput(BoxControl.Page, BoxAction.Cw)); // the edit page: a value on screen
        var device = new RecordingI2cDevice { IsRecording = false, Decoder = new OledDecoder(OledController.Ssd1306) };
        var saver = new ScreenSaver(TimeProvider.System);
        using var display = new DisplayLink(() => new Ssd1306(device, new OledOptions(ScreenSaver: saver), shouldDispose: false));
        using var terminal = new TerminalView(TextWriter.Null);
        var loop = new BoxLoop(new BoxLoopParts(face, [inputs], display, device.Decoder, [terminal], new RecordingLeds(), ScreenSaver: saver));
        for (int i = 0; i < 100; i++)
        {
            loop.RunFrame();
        }

        long bytes = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                backend.MeterLufs = -20 + (i % 50) * 0.1;
                loop.RunFrame();
            }
        });

        Assert.Equal(0, bytes);
        Assert.True(loop.ScreenChanges > 100, $"the screen must really change in the measured frames ({loop.ScreenChanges})");
        Assert.Equal(0, loop.FaceFailures + loop.ViewFailures);
        Assert.Equal(0, display.Failures);
    }

    [Fact]
    public void RunFrame_RealFaceOnEveryPage_AllocatesNothingPerFrame()
    {
        var backend = new FakeBackend();
        var face = new BoxFace(backend, TimeProvider.System);
        var device = new RecordingI2cDevice { IsRecording = false, Decoder = new OledDecoder(OledController.Ssd1306) };
        using var display = new DisplayLink(() => new Ssd1306(device, shouldDispose: false));
        using var terminal = new TerminalView(TextWriter.Null);
        var loop = new BoxLoop(new BoxLoopParts(face, [], display, device.Decoder, [terminal]));
        var pages = new HashSet<string>();
        for (int page = 0; page < 12; page++)
        {
            for (int i = 0; i < 60; i++)
            {
                backend.MeterLufs = -20 + (i % 30) * 0.1;
                loop.RunFrame();
            }

            pages.Add(face.PageName);
            long bytes = AllocationProbe.SmallestBytesAllocated(() =>
            {
                for (int i = 0; i < 50; i++)
                {
                    backend.MeterLufs = -20 + (i % 30) * 0.1;
                    loop.RunFrame();
                }
            });
            Assert.True(bytes == 0, $"page {face.PageName}: {bytes} bytes over 50 frames");
            face.Handle(new BoxInput(BoxControl.Page, BoxAction.Cw));
        }

        Assert.True(pages.Count >= 8, string.Join(",", pages));
        Assert.Equal(0, loop.FaceFailures + loop.ViewFailures);
    }

    [Fact]
    public void RunFrame_MainPageMetersMoving_SendsOnlyChangedPagesOverI2c()
    {
        var backend = new FakeBackend();
        var face = new BoxFace(backend, TimeProvider.System);
        var device = new RecordingI2cDevice { IsRecording = false, Decoder = new OledDecoder(OledController.Ssd1306) };
        Ssd1306? oled = null;
        using var display = new DisplayLink(() => oled = new Ssd1306(device, shouldDispose: false));
        var loop = new BoxLoop(new BoxLoopParts(face, [], display, device.Decoder));
        for (int i = 0; i < 50; i++)
        {
            loop.RunFrame();
        }

        const int frames = 500;
        long bytes = 0;
        long transactions = 0;
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < frames; i++)
        {
            backend.MeterLufs = -20 + (i % 40) * 0.25;
            loop.RunFrame();
            bytes += oled!.LastPresentBytes;
            transactions += oled.LastPresentTransactions;
        }

        double usPerFrame = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds / frames;
        _output.WriteLine($"main page, meters moving: {bytes / (double)frames:0} I2C bytes and {transactions / (double)frames:0.0} transactions per frame (full screen: 1024 data bytes); {usPerFrame:0} us per frame on the UI thread (information only)");
        Assert.True(bytes > 0, "the moving meter is sent");
        Assert.True(bytes / frames < 1024, "only the changed pages go over the bus");
    }

    [Fact]
    public void RunFrame_DisplayMissing_CountsAndBacksOffThenRecoversAndRepairs()
    {
        var backend = new FakeBackend();
        var face = new PlaceholderFace(backend);
        var device = new RecordingI2cDevice { IsPresent = false, Decoder = new OledDecoder(OledController.Ssd1306) };
        using var display = new DisplayLink(() => new Ssd1306(device, shouldDispose: false));
        var loop = new BoxLoop(new BoxLoopParts(face, [], display, device.Decoder));

        for (int i = 0; i < 300; i++)
        {
            loop.RunFrame();
        }

        Assert.Equal(300, loop.Frames);
        Assert.InRange(display.Failures, 5, 20); // backed off: 1, 2, 4 … 64 frames between attempts, not one per frame
        Assert.False(display.IsOpen);

        device.IsPresent = true;
        for (int i = 0; i < DisplayLink.MaxBackoffFrames + 2; i++)
        {
            loop.RunFrame();
        }

        Assert.True(display.IsOpen);
        Assert.True(display.Presented > 0);
        var panel = new MonoFrameBuffer();
        device.Decoder!.Render(panel);
        Assert.True(panel.ContentEquals(loop.Frame), "the panel shows the face's frame once the display is back");
    }

    [Fact]
    public void RunFrame_BusErrorMidFrame_NextPresentRepairsThePanel()
    {
        var backend = new FakeBackend();
        var face = new PlaceholderFace(backend);
        var device = new RecordingI2cDevice { Decoder = new OledDecoder(OledController.Ssd1306) };
        using var display = new DisplayLink(() => new Ssd1306(device, shouldDispose: false));
        var loop = new BoxLoop(new BoxLoopParts(face, [], display, device.Decoder));
        loop.RunFrame();

        face.Handle(new BoxInput(BoxControl.Page, BoxAction.Cw)); // a new screen
        device.FailWriteAfter(1);
        loop.RunFrame();
        Assert.Equal(1, display.Failures);
        var panel = new MonoFrameBuffer();
        device.Decoder!.Render(panel);
        Assert.False(panel.ContentEquals(loop.Frame), "the failed write left the panel wrong");

        for (int i = 0; i < 3; i++)
        {
            loop.RunFrame();
        }

        device.Decoder.Render(panel);
        Assert.True(panel.ContentEquals(loop.Frame), "the next present rewrote what was lost");
        Assert.Equal(1, display.Failures);
    }

    [Fact]
    public void RunFrame_FaceAndViewThrow_LoopCountsAndGoesOn()
    {
        var face = new ThrowingFace();
        using var display = new DisplayLink(null);
        var loop = new BoxLoop(new BoxLoopParts(face, [new OneEveryFrame(new BoxInput(BoxControl.Eq, BoxAction.Press))], display, Views: [new ThrowingView()]));
        for (int i = 0; i < 10; i++)
        {
            loop.RunFrame();
        }

        Assert.Equal(10, loop.Frames);
        Assert.Equal(20, loop.FaceFailures); // Handle and Tick, every frame
        Assert.True(loop.ViewFailures >= 1);
    }

    [Fact]
    public void RunFrame_LedsFollowTheFace()
    {
        var backend = new FakeBackend();
        var face = new PlaceholderFace(backend);
        var leds = new RecordingLeds();
        using var display = new DisplayLink(null);
        var loop = new BoxLoop(new BoxLoopParts(face, [], display, Leds: leds));
        loop.RunFrame();
        Assert.True(leds.Lit[BoxControl.Eq]);
        Assert.False(leds.Lit[BoxControl.Bypass]);

        face.Handle(new BoxInput(BoxControl.Eq, BoxAction.Press));
        face.Handle(new BoxInput(BoxControl.Bypass, BoxAction.Press));
        loop.RunFrame();
        Assert.False(leds.Lit[BoxControl.Eq]);
        Assert.True(leds.Lit[BoxControl.Bypass]);
        Assert.False(loop.IsLedLit(BoxControl.Eq));
        Assert.True(loop.IsLedLit(BoxControl.Comp));
    }

    internal sealed class FakeBackend : IBoxBackend
    {
        private readonly double[] _values;

        public FakeBackend()
        {
            _values = ParameterRegistry.Chain.All.Select(d => d.Default).ToArray();
        }

        public double MeterLufs { get; set; } = -18;

        public ParameterRegistry Registry => ParameterRegistry.Chain;

        public bool GlobalBypass { get; set; }

        public double Get(int index) => _values[index];

        public bool TrySet(int index, double value)
        {
            _values[index] = Registry.All[index].Clamp(value);
            return true;
        }

        public MeterSnapshot ReadMeters() => new() { ShortTermLufs = MeterLufs };

        public SystemStatus ReadSystem() => default;

        public void ResetLoudness()
        {
        }
    }

    private sealed class OneEveryFrame(BoxInput input) : IBoxInputSource
    {
        private bool _given;

        public bool TryRead(out BoxInput read)
        {
            read = input;
            _given = !_given;
            return _given;
        }
    }

    private sealed class RecordingLeds : IBoxLeds
    {
        public Dictionary<BoxControl, bool> Lit { get; } = new()
        {
            [BoxControl.Bypass] = false, [BoxControl.Eq] = false, [BoxControl.Comp] = false, [BoxControl.Limit] = false,
        };

        public void Set(BoxControl button, bool lit) => Lit[button] = lit;
    }

    private sealed class ThrowingFace : IBoxFace
    {
        public string PageName => "main";

        public bool IsDirty => true;

        public void Handle(in BoxInput input) => throw new InvalidOperationException("handle");

        public bool IsLedLit(BoxControl button) => false;

        public void Render(MonoFrameBuffer frame) => frame.SetPixel(1, 1);

        public void Tick() => throw new InvalidOperationException("tick");
    }

    private sealed class ThrowingView : IBoxView
    {
        public void Show(MonoFrameBuffer panel, in BoxViewState state, bool screenChanged) => throw new IOException("view");
    }
}
