using System.IO;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.Hal.Tests.Display;

public class Hd44780LcdTests
{
    internal static (Hd44780Lcd Lcd, SimulatedCharacterLcd Bus) Open(int columns, int rows, Hd44780LcdOptions? options = null)
    {
        var bus = new SimulatedCharacterLcd(columns, rows);
        var lcd = new Hd44780Lcd(bus, columns, rows, options ?? new Hd44780LcdOptions(Sleep: _ => { }));
        return (lcd, bus);
    }

    [Theory]
    [InlineData(16, 2)]
    [InlineData(20, 4)]
    public void Init_PutsTheLcdIn4BitTwoLineMode_DisplayOnBacklightOnBlank(int columns, int rows)
    {
        (Hd44780Lcd lcd, SimulatedCharacterLcd bus) = Open(columns, rows);
        using (lcd)
        {
            Hd44780Decoder panel = bus.Panel;
            Assert.True(panel.IsFourBitMode);
            Assert.True(panel.IsTwoLine);
            Assert.True(panel.IsDisplayOn);
            Assert.False(panel.IsCursorShown);
            Assert.True(panel.IsBacklightOn);
            Assert.Equal(1, panel.Clears);
            Assert.Equal(0, panel.UnsupportedWrites);
            for (int row = 0; row < rows; row++)
            {
                Assert.Equal(new string(' ', columns), panel.RowText(row));
            }

            // The bar glyphs are in CGRAM: code 3 has three pixel columns lit.
            Assert.Equal(0x1C, panel.Glyph(3)[3]);
        }

        Assert.False(bus.Panel.IsDisplayOn);
        Assert.False(bus.Panel.IsBacklightOn);
    }

    [Theory]
    [InlineData(16, 2)]
    [InlineData(20, 4)]
    public void Present_TextAndBars_ReadBackFromTheDecodedDdram(int columns, int rows)
    {
        (Hd44780Lcd lcd, SimulatedCharacterLcd bus) = Open(columns, rows);
        using (lcd)
        {
            var screen = new CharacterScreen(columns, rows);
            screen.Write(0, 0, "MAIN");
            screen.WriteRight(0, "-14.0");
            screen.Write(0, rows - 1, "IN");
            screen.DrawBar(3, rows - 1, 4, 0.65); // 13 of 20 levels: 2 full cells, one with 3 columns, one empty
            lcd.Present(screen);
            for (int row = 0; row < rows; row++)
            {
                Assert.Equal(screen.RowText(row), bus.Panel.RowText(row));
            }

            Assert.StartsWith("IN ██▌ ", bus.Panel.RowText(rows - 1));
            Assert.Equal(1, lcd.LastPresentTransactions);
        }
    }

    [Fact]
    public void Present_OnlyChangedCharactersAreSent_InOneTransaction()
    {
        (Hd44780Lcd lcd, SimulatedCharacterLcd bus) = Open(20, 4);
        using (lcd)
        {
            var screen = new CharacterScreen(20, 4);
            screen.Write(0, 1, "GR C  1.8 L  0.6");
            lcd.Present(screen);
            Assert.Equal(80, lcd.LastPresentCharacters); // first frame: everything

            lcd.Present(screen);
            Assert.Equal(0, lcd.LastPresentTransactions); // nothing changed: nothing sent

            screen.Write(8, 1, "9"); // "1.8" -> "1.9"
            screen.Write(15, 1, "7");
            long before = bus.Transactions;
            lcd.Present(screen);
            Assert.Equal(1, bus.Transactions - before);
            Assert.Equal(2, lcd.LastPresentCharacters);
            Assert.Equal(4 * 5, lcd.LastPresentBytes); // 2 × (set address + character), 5 port bytes each
            Assert.Equal("GR C  1.9 L  0.7    ", bus.Panel.RowText(1));

            screen.Write(8, 1, "5");
            screen.Write(10, 1, "x"); // one unchanged cell between: one run of 3, not two runs
            lcd.Present(screen);
            Assert.Equal(3, lcd.LastPresentCharacters);
            Assert.Equal("GR C  1.5 x  0.7    ", bus.Panel.RowText(1));
        }
    }

    [Fact]
    public void Present_BusErrorBetweenNibbles_NextPresentResynchronisesAndRepairsTheScreen()
    {
        (Hd44780Lcd lcd, SimulatedCharacterLcd bus) = Open(16, 2);
        using (lcd)
        {
            var screen = new CharacterScreen(16, 2);
            screen.Write(0, 0, "EQ  Bell 2");
            lcd.Present(screen);
            screen.Write(0, 1, "freq  1.00 kHz");
            bus.FailWriteAfter(0);
            Assert.Throws<IOException>(() => lcd.Present(screen));
            Assert.True(bus.Panel.IsBetweenNibbles, "the simulated failure left the LCD between two nibbles");

            lcd.Present(screen);
            Assert.Equal("EQ  Bell 2      ", bus.Panel.RowText(0));
            Assert.Equal("freq  1.00 kHz  ", bus.Panel.RowText(1));
            Assert.True(bus.Panel.IsFourBitMode);
        }
    }

    [Fact]
    public void Open_NothingAtTheAddress_OneLineNamingBusAndAddress()
    {
        var bus = new SimulatedCharacterLcd(16, 2, address: 0x27) { IsPresent = false };
        IOException error = Assert.Throws<IOException>(() => new Hd44780Lcd(bus, 16, 2, new Hd44780LcdOptions(Sleep: _ => { })));
        Assert.Contains("bus 1 at address 0x27", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Open_BadGeometry_Throws()
    {
        var bus = new SimulatedCharacterLcd(16, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Hd44780Lcd(bus, 16, 3, new Hd44780LcdOptions(Sleep: _ => { })));
    }

    [Fact]
    public void Backlight_Toggles_WithoutTouchingTheText()
    {
        (Hd44780Lcd lcd, SimulatedCharacterLcd bus) = Open(16, 2);
        using (lcd)
        {
            var screen = new CharacterScreen(16, 2);
            screen.Write(0, 0, "hello");
            lcd.Present(screen);
            lcd.Backlight = false;
            Assert.False(bus.Panel.IsBacklightOn);
            Assert.Equal("hello           ", bus.Panel.RowText(0));
            lcd.Backlight = true;
            Assert.True(bus.Panel.IsBacklightOn);
        }
    }

    [Fact]
    public void Present_SteadyState_AllocatesNothing_LeastOfFourSegments()
    {
        (Hd44780Lcd lcd, SimulatedCharacterLcd _) = Open(20, 4);
        using (lcd)
        {
            var a = new CharacterScreen(20, 4);
            var b = new CharacterScreen(20, 4);
            a.Write(0, 0, "IN");
            a.DrawBar(3, 0, 11, 0.4);
            b.Write(0, 0, "IN");
            b.DrawBar(3, 0, 11, 0.7);
            for (int i = 0; i < 50; i++)
            {
                lcd.Present(i % 2 == 0 ? a : b);
            }

            long least = long.MaxValue;
            for (int segment = 0; segment < 4; segment++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 200; i++)
                {
                    lcd.Present(i % 2 == 0 ? a : b);
                }

                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            Assert.Equal(0, least);
        }
    }

    [Fact]
    public void Decoder_8BitPowerOnState_AndTwoLineAddressWrap()
    {
        var panel = new Hd44780Decoder(16, 2);
        Assert.False(panel.IsFourBitMode);
        // 8-bit mode: function set 0x38 is one strobe of nibble 3 (D0-D3 read as 0 → 0x30: one line).
        Strobe(panel, 0x3, false);
        Assert.False(panel.IsFourBitMode);
        Strobe(panel, 0x2, false); // 0x20: 4-bit
        Assert.True(panel.IsFourBitMode);
        Byte(panel, 0x28, false); // two lines
        Byte(panel, 0x0C, false); // display on
        Byte(panel, 0x80 | 0x27, false); // end of line 0
        Byte(panel, (byte)'A', true);
        Byte(panel, (byte)'B', true); // continues at 0x40 (line 1 column 0)
        Assert.Equal('B', (char)panel.CodeAt(0, 1));
        Assert.Equal(0x41, panel.CursorAddress);
    }

    private static void Strobe(Hd44780Decoder panel, int nibble, bool data)
    {
        byte port = (byte)((nibble << 4) | (data ? 1 : 0) | 0x08);
        panel.Feed((byte)(port | 0x04));
        panel.Feed(port);
    }

    private static void Byte(Hd44780Decoder panel, byte value, bool data)
    {
        Strobe(panel, value >> 4, data);
        Strobe(panel, value & 0x0F, data);
    }
}
