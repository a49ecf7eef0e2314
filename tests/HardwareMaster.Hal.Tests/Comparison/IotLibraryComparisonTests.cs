using System.Device.Gpio;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Encoders;
using HardwareMaster.Hal.Input;
using HardwareMaster.Hal.Simulation;
using HardwareMaster.Hal.Tests.AudioFiles;
using HardwareMaster.Hal.Tests.Display;
using Xunit.Abstractions;
using IotEncoder = Iot.Device.RotaryEncoder.QuadratureRotaryEncoder;
using IotSsd1306 = Iot.Device.Ssd13xx.Ssd1306;

namespace HardwareMaster.Hal.Tests.Comparison;

/// <summary>
/// Side-by-side with Iot.Device.Bindings 4.2.0 on the same simulated bus and inputs: why hal keeps its own SSD1306
/// driver and quadrature decoder (numbers in hal/README.md, "Our code or the library's").
/// </summary>
public class IotLibraryComparisonTests(ITestOutputHelper output)
{
    private const int PinA = 17;

    // The library's frame path (what its DrawBitmap ends in): set the start address, send the whole buffer.
    private sealed class LibrarySsd1306(System.Device.I2c.I2cDevice device) : IotSsd1306(device, 128, 64)
    {
        public void SendFrame(Span<byte> buffer)
        {
            SetStartAddress();
            SendData(buffer);
        }

        // The fix: the whole 128x64 RAM as the window (its SetStartAddress always sets pages 0-3).
        public void SendFrame64(Span<byte> buffer)
        {
            SendCommand(new Iot.Device.Ssd13xx.Commands.Ssd1306Commands.SetColumnAddress());
            SendCommand(new Iot.Device.Ssd13xx.Commands.Ssd1306Commands.SetPageAddress(
                Iot.Device.Ssd13xx.Commands.Ssd1306Commands.PageAddress.Page0, Iot.Device.Ssd13xx.Commands.Ssd1306Commands.PageAddress.Page7));
            SendData(buffer);
        }
    }

    [Fact]
    public void Ssd1306_LibraryFrameOn128x64_WhyItDecodesWrong_AndTheFix()
    {
        MonoFrameBuffer a = OledDisplayTests.MeterScreen(0.2f, 0.9f);
        Iot.Device.Graphics.BitmapImage.RegisterImageFactory(ArrayImageFactory.Instance);
        var panel = new OledDecoder(OledController.Ssd1306);
        var bus = new RecordingI2cDevice { Decoder = panel };
        using var library = new LibrarySsd1306(bus);

        // 1. Its init is the 128x32 one whatever the height passed: multiplex ratio 0x1F (32 rows driven), COM pins
        //    sequential (0xDA 0x02) and a page window of 0-3 (0x22 0 3).
        Assert.Equal(32, panel.MultiplexRows);
        library.SendFrame(a.Buffer);

        // 2. Horizontal addressing inside pages 0-3 wraps after 512 bytes: frame pages 4-7 overwrite RAM pages 0-3,
        //    and RAM pages 4-7 are never written.
        for (int page = 0; page < 8; page++)
        {
            for (int column = 0; column < 128; column++)
            {
                byte expected = page < 4 ? a.GetPage(page + 4)[column] : (byte)0;
                Assert.Equal(expected, panel.ReadRam(page, column));
            }
        }

        // 3. So the glass shows frame rows 32-63 on its top half and nothing below: exactly that, pixel for pixel.
        var shown = new MonoFrameBuffer();
        panel.Render(shown);
        var model = new MonoFrameBuffer();
        for (int y = 0; y < 32; y++)
        {
            for (int x = 0; x < 128; x++)
            {
                if (a.GetPixel(x, y + 32))
                {
                    model.SetPixel(x, y);
                }
            }
        }

        Assert.True(shown.ContentEquals(model), "the top half shows frame rows 32-63, the bottom half is not driven");
        int wrong = WrongPixels(shown, a);

        // 4. The fix, through the library's public commands: 64 rows, alternative COM pins, page window 0-7.
        library.SendCommand(new Iot.Device.Ssd13xx.Commands.SetMultiplexRatio(0x3F));
        library.SendCommand(new Iot.Device.Ssd13xx.Commands.Ssd1306Commands.SetComPinsHardwareConfiguration(alternativeComPinConfiguration: true));
        library.SendFrame64(a.Buffer);
        panel.Render(shown);
        int wrongAfterFix = WrongPixels(shown, a);
        output.WriteLine($"library frame on a 128x64 panel: {wrong} of 8192 pixels differ (all explained by the 128x32 init); after the fix: {wrongAfterFix}");
        Assert.Equal(3118, wrong); // hal/README.md quotes it
        Assert.Equal(0, wrongAfterFix);
    }
    private const int PinB = 27;

    // Our SSD1306 init on the bus: probe, init table, rotation, contrast, the whole RAM cleared (8 pages), display on (hal/README.md, the init row).
    private const int OurInitBytes = 1096;

    [Fact]
    public void Ssd1306_LibraryAndOurs_SameFrameOnThePanel_BytesAndAllocationPerFrame()
    {
        MonoFrameBuffer a = OledDisplayTests.MeterScreen(0.2f, 0.9f);
        MonoFrameBuffer b = OledDisplayTests.MeterScreen(0.3f, 0.85f);

        // The library: its constructor sends its init sequence; a frame is a start address plus the whole 1 KiB buffer.
        Iot.Device.Graphics.BitmapImage.RegisterImageFactory(ArrayImageFactory.Instance);
        var libraryPanel = new OledDecoder(OledController.Ssd1306);
        var libraryBus = new RecordingI2cDevice { Decoder = libraryPanel };
        using var library = new LibrarySsd1306(libraryBus);
        int libraryInitBytes = libraryBus.ByteCount;
        Assert.True(libraryPanel.IsDisplayOn);
        libraryBus.Clear();
        library.SendFrame(a.Buffer);
        int libraryFrameBytes = libraryBus.ByteCount;
        int libraryFrameTransactions = libraryBus.TransactionCount;
        var shown = new MonoFrameBuffer();
        libraryPanel.Render(shown);
        int libraryWrongPixels = WrongPixels(shown, a);
        Assert.True(libraryPanel.DataBytes >= 1024, "the whole buffer reached the panel");

        (OledDisplay ours, RecordingI2cDevice ourBus, OledDecoder ourPanel) = OledDisplayTests.Open(OledController.Ssd1306);
        using (ours)
        {
            int ourInitBytes = ourBus.ByteCount; // the constructor's init table (and the contrast it is given)
            ourBus.Clear();
            ours.Present(a);
            int ourFullFrameBytes = ourBus.ByteCount;
            ourPanel.Render(shown);
            Assert.True(shown.ContentEquals(a), "our frame decodes to the same picture");
            ourBus.Clear();
            ours.Present(b);
            int ourMeterBytes = ourBus.ByteCount;
            ourPanel.Render(shown);
            Assert.True(shown.ContentEquals(b));

            libraryBus.Clear();
            library.SendFrame(b.Buffer);
            int libraryMeterBytes = libraryBus.ByteCount;

            // Allocation per frame, after warm-up (the recorder is cleared between frames and does not allocate).
            for (int i = 0; i < 50; i++)
            {
                ours.Present(i % 2 == 0 ? a : b);
                ourBus.Clear();
                library.SendFrame((i % 2 == 0 ? a : b).Buffer);
                libraryBus.Clear();
            }

            // Least of four segments of 100 frames each (a foreign GC can only make a segment read more, never less).
            const int frames = 100;
            long ourBytesPerFrame = AllocationProbe.SmallestBytesAllocated(() =>
            {
                for (int i = 0; i < frames; i++)
                {
                    ours.Present(i % 2 == 0 ? a : b);
                    ourBus.Clear();
                }
            }) / frames;
            long libraryBytesPerFrame = AllocationProbe.SmallestBytesAllocated(() =>
            {
                for (int i = 0; i < frames; i++)
                {
                    library.SendFrame((i % 2 == 0 ? a : b).Buffer);
                    libraryBus.Clear();
                }
            }) / frames;
            output.WriteLine($"init bytes: library {libraryInitBytes}, ours {ourInitBytes}; library frame decoded by OledDecoder: {libraryWrongPixels} of 8192 pixels differ from the frame buffer");
            output.WriteLine($"full frame: library {libraryFrameBytes} B in {libraryFrameTransactions} transactions, ours (first frame, every page dirty) {ourFullFrameBytes} B");
            output.WriteLine($"meter frame (two bars move): library {libraryMeterBytes} B, ours {ourMeterBytes} B (dirty pages only)");
            output.WriteLine($"allocated per frame: library {libraryBytesPerFrame} B, ours {ourBytesPerFrame} B");

            // The figures hal/README.md quotes ("Our code or the library's"), exact: the same bytes every run.
            Assert.Equal(601, libraryInitBytes);
            Assert.Equal(OurInitBytes, ourInitBytes);
            Assert.Equal(794, ourFullFrameBytes);
            Assert.Equal(1033, libraryFrameBytes);
            Assert.Equal(3, libraryFrameTransactions);
            Assert.Equal(1033, libraryMeterBytes);
            Assert.Equal(66, ourMeterBytes);
            Assert.Equal(3118, libraryWrongPixels);
            Assert.Equal(112, libraryBytesPerFrame);
            Assert.Equal(0, ourBytesPerFrame);
        }
    }

    private static int WrongPixels(MonoFrameBuffer shown, MonoFrameBuffer expected)
    {
        int wrong = 0;
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 128; x++)
            {
                wrong += shown.GetPixel(x, y) != expected.GetPixel(x, y) ? 1 : 0;
            }
        }

        return wrong;
    }

    // A detented encoder turned clockwise (rest 11: 01 -> 00 -> 10 -> 11), every edge bouncing `bounces` times.
    private static List<PinStep> BouncyTurn(int detents, int bounces, int seed)
    {
        var random = new Random(seed);
        var steps = new List<PinStep>();
        (bool A, bool B)[] cw = [(true, true), (false, true), (false, false), (true, false)];
        int position = 0;
        for (int d = 0; d < detents; d++)
        {
            for (int t = 0; t < 4; t++)
            {
                (bool A, bool B) from = cw[position % 4];
                position++;
                (bool A, bool B) to = cw[position % 4];
                int pin = from.A != to.A ? PinA : PinB;
                bool level = from.A != to.A ? to.A : to.B;
                int n = random.Next(bounces + 1);
                for (int k = 0; k < n; k++)
                {
                    steps.Add(new PinStep(pin, level ? PinValue.High : PinValue.Low, 0.02));
                    steps.Add(new PinStep(pin, level ? PinValue.Low : PinValue.High, 0.02));
                }

                steps.Add(new PinStep(pin, level ? PinValue.High : PinValue.Low, 10));
            }
        }

        return steps;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Quadrature_BouncyStream_LibraryCountErrorsVersusOurs(int bounces)
    {
        const int detents = 200;
        List<PinStep> stream = BouncyTurn(detents, bounces, seed: 42);

        var libraryTime = new ManualTimeProvider();
        var libraryDriver = new ScriptedGpioDriver(libraryTime);
        libraryDriver.SetInput(PinA, PinValue.High);
        libraryDriver.SetInput(PinB, PinValue.High);
        // Debounce 0: the library's debounce runs on the wall clock, which does not move in a replay; on a Pi a
        // debounce long enough to hide bounce also drops real edges of a fast turn.
        using var library = new IotEncoder(PinA, PinB, PinEventTypes.Falling, 20, new GpioController(libraryDriver), shouldDispose: true) { Debounce = TimeSpan.Zero };
        libraryDriver.Play(stream.ToArray());
        long libraryCount = Math.Abs((long)library.PulseCount);

        var ourTime = new ManualTimeProvider();
        var ourDriver = new ScriptedGpioDriver(ourTime);
        ourDriver.SetInput(PinA, PinValue.High);
        ourDriver.SetInput(PinB, PinValue.High);
        using var ours = new GpioRotaryEncoder(PinA, PinB, null, ourTime, new GpioController(ourDriver));
        ourDriver.Play(stream.ToArray());
        long ourCount = 0;
        while (ours.TryRead(out InputEvent e))
        {
            ourCount += e.Delta;
        }

        output.WriteLine($"{detents} detents, up to {bounces} bounces per edge: library counts {libraryCount} (error {libraryCount - detents}), ours {ourCount} (error {ourCount - detents})");
        Assert.Equal(detents, ourCount);
        Assert.Equal(bounces == 0 ? 200 : 226, libraryCount); // hal/README.md quotes both (seeded stream: exact)
    }
}
