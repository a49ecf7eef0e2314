using System.IO;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;
using HardwareMaster.Hal.Tests.AudioFiles;

namespace HardwareMaster.Hal.Tests.Display;

public class OledDisplayTests
{
    public static TheoryData<OledController, DisplayRotation> Matrix => new()
    {
        { OledController.Ssd1306, DisplayRotation.None },
        { OledController.Ssd1306, DisplayRotation.Rotate180 },
        { OledController.Sh1106, DisplayRotation.None },
        { OledController.Sh1106, DisplayRotation.Rotate180 },
        { OledController.Ssd1309, DisplayRotation.None },
        { OledController.Ssd1309, DisplayRotation.Rotate180 },
    };

    internal static (OledDisplay Display, RecordingI2cDevice Bus, OledDecoder Panel) Open(OledController controller, DisplayRotation rotation = DisplayRotation.None, ScreenSaver? saver = null)
    {
        var panel = new OledDecoder(controller);
        var bus = new RecordingI2cDevice { Decoder = panel };
        var options = new OledOptions(rotation, 0x90, saver);
        OledDisplay display = controller switch
        {
            OledController.Sh1106 => new Sh1106(bus, options),
            OledController.Ssd1309 => new Ssd1309(bus, options),
            _ => new Ssd1306(bus, options),
        };
        return (display, bus, panel);
    }

    internal static MonoFrameBuffer MeterScreen(float left, float right)
    {
        var frame = new MonoFrameBuffer();
        frame.DrawText(0, 0, "OUT -14.2 LUFS", MonoFont.Small);
        frame.DrawText(0, 10, "-1.0", MonoFont.Large);
        frame.DrawHorizontalBar(0, 40, 128, 8, left, left + 0.1f);
        frame.DrawHorizontalBar(0, 52, 128, 8, right, right + 0.05f);
        frame.DrawLine(60, 10, 127, 36);
        frame.InvertRectangle(100, 0, 28, 9);
        return frame;
    }

    private static MonoFrameBuffer Rotated180(MonoFrameBuffer frame)
    {
        var rotated = new MonoFrameBuffer();
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 128; x++)
            {
                rotated.SetPixel(127 - x, 63 - y, frame.GetPixel(x, y));
            }
        }

        return rotated;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Present_DecodedByteStream_EqualsDrawnFramebuffer(OledController controller, DisplayRotation rotation)
    {
        (OledDisplay display, _, OledDecoder panel) = Open(controller, rotation);
        using (display)
        {
            MonoFrameBuffer frame = MeterScreen(0.6f, 0.4f);
            display.Present(frame);
            var seen = new MonoFrameBuffer();
            panel.Render(seen);
            MonoFrameBuffer expected = rotation == DisplayRotation.None ? frame : Rotated180(frame);
            Assert.True(expected.ContentEquals(seen), TerminalRenderer.Render(seen));
            Assert.True(panel.IsDisplayOn);
            Assert.Equal(0x90, panel.Contrast);
            Assert.Equal(0, panel.UnknownCommands);
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Constructor_Init_ClearsAllRamIncludingHiddenColumns(OledController controller, DisplayRotation rotation)
    {
        (OledDisplay display, _, OledDecoder panel) = Open(controller, rotation);
        using (display)
        {
            int ramWidth = controller == OledController.Sh1106 ? 132 : 128;
            Assert.Equal(8 * ramWidth, panel.DataBytes);
            var seen = new MonoFrameBuffer();
            panel.Render(seen);
            Assert.True(new MonoFrameBuffer().ContentEquals(seen));
        }
    }

    [Theory]
    [InlineData(OledController.Ssd1306)]
    [InlineData(OledController.Sh1106)]
    public void Present_OnlyOnePageChanged_SendsOnlyThatPagesChangedColumns(OledController controller)
    {
        (OledDisplay display, RecordingI2cDevice bus, _) = Open(controller);
        using (display)
        {
            MonoFrameBuffer frame = MeterScreen(0.5f, 0.5f);
            display.Present(frame);
            bus.Clear();
            display.Present(frame);
            Assert.Equal(0, bus.TransactionCount);

            frame.SetPixel(100, 20); // page 2, column 100 (blank area)
            frame.SetPixel(104, 21);
            display.Present(frame);
            Assert.Equal(2, bus.TransactionCount);
            int column = 100 + (controller == OledController.Sh1106 ? 2 : 0);
            Assert.Equal(new byte[] { 0x00, 0xB2, (byte)(column & 0x0F), (byte)(0x10 | (column >> 4)) }, bus.GetTransaction(0).ToArray());
            Assert.Equal(0x40, bus.GetTransaction(1)[0]);
            Assert.Equal(1 + 5, bus.GetTransaction(1).Length);
        }
    }

    [Fact]
    public void Present_SteadyState_DoesNotAllocate()
    {
        (OledDisplay display, RecordingI2cDevice bus, _) = Open(OledController.Ssd1306);
        using (display)
        {
            MonoFrameBuffer a = MeterScreen(0.2f, 0.9f);
            MonoFrameBuffer b = MeterScreen(0.8f, 0.1f);
            for (int i = 0; i < 50; i++)
            {
                display.Present(i % 2 == 0 ? a : b);
                bus.Clear();
            }

            long smallest = AllocationProbe.SmallestBytesAllocated(() =>
            {
                for (int i = 0; i < 250; i++)
                {
                    display.Present(i % 2 == 0 ? a : b);
                    bus.Clear();
                }
            });

            Assert.Equal(0, smallest);
        }
    }

    [Theory]
    [InlineData(OledController.Ssd1306, 1)]
    [InlineData(OledController.Ssd1306, 6)]
    [InlineData(OledController.Sh1106, 4)]
    public void Present_BusErrorMidFlush_ThrowsAndNextFlushRepairsScreen(OledController controller, int failingWrite)
    {
        (OledDisplay display, RecordingI2cDevice bus, OledDecoder panel) = Open(controller);
        using (display)
        {
            display.Present(MeterScreen(0.1f, 0.1f));
            MonoFrameBuffer next = MeterScreen(0.9f, 0.7f);
            next.InvertRectangle(0, 0, 128, 30);
            bus.FailWriteAfter(failingWrite);
            Assert.Throws<IOException>(() => display.Present(next));
            display.Present(next);
            var seen = new MonoFrameBuffer();
            panel.Render(seen);
            Assert.True(next.ContentEquals(seen));
        }
    }

    [Fact]
    public void Constructor_NoDeviceAtAddress_ThrowsClearIOException()
    {
        var bus = new RecordingI2cDevice(1, 0x3D) { IsPresent = false };
        IOException error = Assert.Throws<IOException>(() => new Ssd1306(bus));
        Assert.Contains("bus 1", error.Message);
        Assert.Contains("0x3D", error.Message);
    }

    [Fact]
    public void Rotation_ChangedAtRunTime_RewritesWholeScreenUpsideDown()
    {
        (OledDisplay display, _, OledDecoder panel) = Open(OledController.Sh1106);
        using (display)
        {
            MonoFrameBuffer frame = MeterScreen(0.3f, 0.6f);
            display.Present(frame);
            display.Rotation = DisplayRotation.Rotate180;
            display.Present(frame);
            var seen = new MonoFrameBuffer();
            panel.Render(seen);
            Assert.True(Rotated180(frame).ContentEquals(seen));
        }
    }

    [Fact]
    public void Present_AfterIdleTime_DimsAndShiftsThenRestoresOnActivity()
    {
        var time = new ManualTimeProvider();
        var saver = new ScreenSaver(time, new ScreenSaverOptions(IdleMs: 60_000, DimContrast: 0x02, ShiftIntervalMs: 10_000, MaxShiftPixels: 2));
        (OledDisplay display, _, OledDecoder panel) = Open(OledController.Ssd1306, saver: saver);
        using (display)
        {
            var frame = new MonoFrameBuffer();
            frame.FillRectangle(10, 10, 20, 20);
            display.Present(frame);
            Assert.Equal(0x90, panel.Contrast);

            time.AdvanceMs(61_000);
            display.Present(frame);
            Assert.Equal(0x02, panel.Contrast);
            var seen = new MonoFrameBuffer();
            panel.Render(seen);
            Assert.False(frame.ContentEquals(seen));
            Assert.True(seen.GetPixel(11, 10) && !seen.GetPixel(10, 10)); // moved one pixel right

            saver.NotifyActivity();
            display.Present(frame);
            panel.Render(seen);
            Assert.Equal(0x90, panel.Contrast);
            Assert.True(frame.ContentEquals(seen));
        }
    }

    [Fact]
    public void TurnOff_ThenOn_PanelFollows()
    {
        (OledDisplay display, _, OledDecoder panel) = Open(OledController.Ssd1306);
        using (display)
        {
            display.TurnOff();
            Assert.False(panel.IsDisplayOn);
            display.TurnOn();
            Assert.True(panel.IsDisplayOn);
            display.Contrast = 0x10;
            Assert.Equal(0x10, panel.Contrast);
        }

        Assert.False(panel.IsDisplayOn); // Dispose switches the panel off
    }
}
