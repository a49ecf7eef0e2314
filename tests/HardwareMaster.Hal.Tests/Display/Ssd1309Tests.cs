using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.Hal.Tests.Display;

public class Ssd1309Tests
{
    [Fact]
    public void Init_HasNoChargePump_UnlocksCommands_AndEveryCommandIsKnownToAnSsd1309()
    {
        (OledDisplay display, RecordingI2cDevice bus, OledDecoder panel) = OledDisplayTests.Open(OledController.Ssd1309);
        using (display)
        {
            Assert.Equal(OledController.Ssd1309, display.Controller);
            Assert.True(panel.IsDisplayOn);
            Assert.Equal(0, panel.UnknownCommands);
            Assert.Equal(64, panel.MultiplexRows);
            ReadOnlySpan<byte> init = Ssd1309.InitSequence;
            Assert.Equal(-1, init.IndexOf(OledCommand.ChargePump));
            Assert.Equal(OledCommand.SetCommandLock, init[0]);
            Assert.Equal(0x12, init[1]);
        }
    }

    [Fact]
    public void Ssd1306Init_OnAnSsd1309_SendsTheChargePumpItDoesNotHave()
    {
        // Why a separate init: the SSD1306 table's 0x8D 0x14 is not an SSD1309 command (the decoder counts it).
        var panel = new OledDecoder(OledController.Ssd1309);
        var bus = new RecordingI2cDevice { Decoder = panel };
        using var display = new Ssd1306(bus);
        Assert.True(panel.UnknownCommands > 0);
    }

    [Fact]
    public void Present_MeterFrames_DecodeIdentically_WithDirtyPagesOnly()
    {
        (OledDisplay display, RecordingI2cDevice bus, OledDecoder panel) = OledDisplayTests.Open(OledController.Ssd1309);
        using (display)
        {
            MonoFrameBuffer a = OledDisplayTests.MeterScreen(0.2f, 0.9f);
            MonoFrameBuffer b = OledDisplayTests.MeterScreen(0.3f, 0.85f);
            var shown = new MonoFrameBuffer();
            display.Present(a);
            panel.Render(shown);
            Assert.True(shown.ContentEquals(a));
            bus.Clear();
            display.Present(b);
            panel.Render(shown);
            Assert.True(shown.ContentEquals(b));
            Assert.True(bus.ByteCount < 300, $"only the changed pages are sent ({bus.ByteCount} B)");
        }
    }
}
