using System.Buffers.Binary;
using System.IO.Compression;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.Hal.Tests.Simulation;

public class SimulationTests
{
    [Fact]
    public void PngWriter_Frame_WritesValidPngWithScaledPixels()
    {
        var frame = new MonoFrameBuffer();
        frame.SetPixel(1, 0);
        using var stream = new MemoryStream();
        PngWriter.Write(stream, frame, scale: 4, OledColor.Blue);
        byte[] png = stream.ToArray();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);

        int offset = 8;
        var idat = new MemoryStream();
        int width = 0;
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(crc, PngWriter.Crc32(png.AsSpan(offset + 4, 4 + length)));
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset + 8));
                Assert.Equal(256, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset + 12)));
            }
            else if (type == "IDAT")
            {
                idat.Write(png, offset + 8, length);
            }

            offset += 12 + length;
        }

        Assert.Equal(512, width);
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] pixels = raw.ToArray();
        int stride = 1 + (3 * width);
        Assert.Equal(stride * 256, pixels.Length);
        Assert.Equal(0xC8, pixels[1 + (3 * 4) + 1]);  // (4,0): inside OLED pixel (1,0), green channel of blue
        Assert.Equal(0, pixels[1 + (3 * 7) + 1]);     // (7,0): the gap column
        Assert.Equal(0, pixels[1 + (3 * 0) + 1]);     // (0,0): OLED pixel (0,0) is dark
    }

    [Fact]
    public void Crc32_KnownVector_MatchesIsoValue() => Assert.Equal(0xCBF43926u, PngWriter.Crc32("123456789"u8));

    [Fact]
    public void TerminalRenderer_HalfBlocks_EncodeTwoRowsPerCharacter()
    {
        var frame = new MonoFrameBuffer(4, 8);
        frame.SetPixel(0, 0);
        frame.SetPixel(1, 1);
        frame.SetPixel(2, 0);
        frame.SetPixel(2, 1);
        string text = TerminalRenderer.Render(frame);
        Assert.Equal("▀▄█ \n    \n    \n    \n", text);
    }

    [Fact]
    public void KeyboardKnobMap_Keys_MapToKnobsAndButtons()
    {
        var map = new KeyboardKnobMap();
        Span<InputEvent> events = stackalloc InputEvent[3];
        Assert.Equal(1, map.Map(new ConsoleKeyInfo('w', ConsoleKey.W, false, false, false), 7, events));
        Assert.Equal(new InputEvent(InputSource.Encoder(0), InputAction.Rotate, 1, 7), events[0]);
        Assert.Equal(1, map.Map(new ConsoleKeyInfo('A', ConsoleKey.A, true, false, false), 8, events));
        Assert.Equal(new InputEvent(InputSource.Encoder(1), InputAction.Rotate, -5, 8), events[0]);
        Assert.Equal(3, map.Map(new ConsoleKeyInfo('C', ConsoleKey.C, true, false, false), 9, events));
        Assert.Equal(InputAction.LongPress, events[1].Action);
        Assert.Equal(InputSource.EncoderSwitch(2), events[0].Source);
        Assert.Equal(2, map.Map(new ConsoleKeyInfo('3', ConsoleKey.D3, false, false, false), 9, events));
        Assert.Equal(InputSource.Button(2), events[0].Source);
        Assert.Equal(0, map.Map(new ConsoleKeyInfo('m', ConsoleKey.M, false, false, false), 9, events));
    }

    [Fact]
    public void OledDecoder_HorizontalAddressingWithWindow_WrapsLikeDatasheet()
    {
        var panel = new OledDecoder(OledController.Ssd1306);
        panel.Feed([0x00, 0xA0, 0x20, 0x00, 0x21, 10, 11, 0x22, 2, 3]);
        panel.Feed([0x40, 1, 2, 3, 4, 5]);
        Assert.Equal(2, panel.ReadRam(2, 11));
        Assert.Equal(3, panel.ReadRam(3, 10));
        Assert.Equal(4, panel.ReadRam(3, 11));
        Assert.Equal(5, panel.ReadRam(2, 10)); // window wrapped back to its start
    }

    [Fact]
    public void OledDecoder_SingleByteControlBytes_AreInterpreted()
    {
        var panel = new OledDecoder(OledController.Ssd1306);
        panel.Feed([0x80, 0xAF, 0x80, 0x81, 0x80, 0x33, 0xC0, 0x55]);
        Assert.True(panel.IsDisplayOn);
        Assert.Equal(0x33, panel.Contrast);
        Assert.Equal(0x55, panel.ReadRam(0, 0));
    }

    [Fact]
    public void ManualTimeProvider_Advance_MovesTimestampAndClock()
    {
        var time = new ManualTimeProvider();
        DateTimeOffset start = time.GetUtcNow();
        time.AdvanceMs(1.5);
        Assert.Equal(15_000, time.GetTimestamp());
        Assert.Equal(TimeSpan.FromMilliseconds(1.5), time.GetUtcNow() - start);
        Assert.Throws<ArgumentOutOfRangeException>(() => time.Advance(TimeSpan.FromTicks(-1)));
    }
}
