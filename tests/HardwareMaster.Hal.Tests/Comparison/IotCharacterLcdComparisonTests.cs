using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;
using HardwareMaster.Hal.Tests.Display;
using Xunit.Abstractions;
using IotHd44780 = Iot.Device.CharacterLcd.Hd44780;
using IotLcd2004 = Iot.Device.CharacterLcd.Lcd2004;

namespace HardwareMaster.Hal.Tests.Comparison;

/// <summary>
/// Iot.Device.CharacterLcd 4.2.0 (Lcd2004 over its PCF8574 path, <c>LcdInterface.CreateI2c(device, uses8Bit: false)</c>)
/// and our <see cref="Hd44780Lcd"/> on the same simulated backpack, both writing only the changed characters: what
/// reaches the glass, transactions and bytes per update, allocation per update (numbers in hal/README.md).
/// </summary>
public class IotCharacterLcdComparisonTests(ITestOutputHelper output)
{
    // The same diff as ours, through the library's public API: a cursor move and a Write per changed run.
    private sealed class LibraryPresenter(IotHd44780 lcd, int columns, int rows)
    {
        private readonly CharacterScreen _shown = new(columns, rows);
        private readonly char[] _run = new char[columns];

        public void Present(CharacterScreen screen)
        {
            for (int row = 0; row < rows; row++)
            {
                ReadOnlySpan<byte> wanted = screen.Row(row);
                ReadOnlySpan<byte> shown = _shown.Row(row);
                int column = 0;
                while (column < columns)
                {
                    if (wanted[column] == shown[column])
                    {
                        column++;
                        continue;
                    }

                    int end = column;
                    while (end < columns && wanted[end] != shown[end])
                    {
                        _run[end - column] = (char)wanted[end];
                        end++;
                    }

                    lcd.SetCursorPosition(column, row);
                    lcd.Write(_run.AsSpan(0, end - column));
                    column = end;
                }
            }

            _shown.CopyFrom(screen);
        }
    }

    private static CharacterScreen Meter(double input, double output, double reduction)
    {
        var s = new CharacterScreen(20, 4);
        s.Write(0, 0, "MAIN");
        s.WriteRight(0, "Pop Master");
        s.Write(0, 1, "IN");
        s.DrawBar(4, 1, 10, input);
        s.Write(15, 1, ((input * 60) - 60).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture).PadLeft(5));
        s.Write(0, 2, "OUT");
        s.DrawBar(4, 2, 10, output);
        s.Write(15, 2, ((output * 60) - 60).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture).PadLeft(5));
        s.Write(0, 3, "GR");
        s.DrawBar(3, 3, 6, reduction);
        s.Write(10, 3, "-0.3 LU");
        return s;
    }

    [Fact]
    public void Lcd2004_LibraryAndOurs_SameGlass_TransactionsBytesAndAllocationPerUpdate()
    {
        CharacterScreen a = Meter(0.80, 0.90, 0.15);
        CharacterScreen b = Meter(0.83, 0.91, 0.18);

        var libraryBus = new SimulatedCharacterLcd(20, 4);
        using var library = new IotLcd2004(libraryBus, uses8Bit: false);
        for (int code = 1; code <= 5; code++)
        {
            library.CreateCustomCharacter(code, CharacterScreen.BarGlyphs.Slice(code * 8, 8));
        }

        var libraryPresenter = new LibraryPresenter(library, 20, 4);
        long initTransactions = libraryBus.Transactions;
        (Hd44780Lcd ours, SimulatedCharacterLcd ourBus) = Hd44780LcdTests.Open(20, 4);
        using (ours)
        {
            long ourInitTransactions = ourBus.Transactions;
            long t0 = libraryBus.Transactions, b0 = libraryBus.Bytes;
            libraryPresenter.Present(a);
            long libraryFullTransactions = libraryBus.Transactions - t0, libraryFullBytes = libraryBus.Bytes - b0;
            ours.Present(a);
            int ourFullTransactions = ours.LastPresentTransactions, ourFullBytes = ours.LastPresentBytes;
            for (int row = 0; row < 4; row++)
            {
                Assert.Equal(a.RowText(row), libraryBus.Panel.RowText(row));
                Assert.Equal(a.RowText(row), ourBus.Panel.RowText(row));
            }

            t0 = libraryBus.Transactions;
            b0 = libraryBus.Bytes;
            libraryPresenter.Present(b);
            long libraryMeterTransactions = libraryBus.Transactions - t0, libraryMeterBytes = libraryBus.Bytes - b0;
            ours.Present(b);
            int ourMeterTransactions = ours.LastPresentTransactions, ourMeterBytes = ours.LastPresentBytes, changed = ours.LastPresentCharacters;
            for (int row = 0; row < 4; row++)
            {
                Assert.Equal(b.RowText(row), libraryBus.Panel.RowText(row));
                Assert.Equal(b.RowText(row), ourBus.Panel.RowText(row));
            }

            long libraryAllocated = LeastOfFour(() => { libraryPresenter.Present(a); libraryPresenter.Present(b); });
            long ourAllocated = LeastOfFour(() => { ours.Present(a); ours.Present(b); });

            // Bus time at 100 kHz (the PCF8574's rating): per transaction START + address + STOP ≈ 11.5 clocks, 9 per byte.
            static double Ms(long transactions, long bytes) => ((transactions * 11.5) + ((transactions + bytes) * 9)) * 0.01;
            output.WriteLine($"init: library {initTransactions} transactions, ours {ourInitTransactions}");
            output.WriteLine($"full 20x4 screen: library {libraryFullTransactions} transactions / {libraryFullBytes} B ({Ms(libraryFullTransactions, libraryFullBytes):0.0} ms @100 kHz), ours {ourFullTransactions} / {ourFullBytes} B ({Ms(ourFullTransactions, ourFullBytes):0.0} ms)");
            output.WriteLine($"meter update ({changed} cells changed): library {libraryMeterTransactions} transactions / {libraryMeterBytes} B ({Ms(libraryMeterTransactions, libraryMeterBytes):0.00} ms), ours {ourMeterTransactions} / {ourMeterBytes} B ({Ms(ourMeterTransactions, ourMeterBytes):0.00} ms)");
            output.WriteLine($"allocated per update (least of four segments of 100): library {libraryAllocated / 200.0:0.#} B, ours {ourAllocated / 200.0:0.#} B");
            Assert.Equal(0, ourAllocated);
            Assert.Equal(1, ourMeterTransactions);
            Assert.True(libraryMeterTransactions >= 4 * changed, "the library writes the port once per transaction");

            // The figures hal/README.md's HD44780 table quotes, exact (the same bytes every run).
            Assert.Equal((216, 9), (initTransactions, ourInitTransactions));
            Assert.Equal((264, 264), (libraryFullTransactions, libraryFullBytes));
            Assert.Equal((1, 420), (ourFullTransactions, ourFullBytes));
            Assert.Equal((56, 56, 9), (libraryMeterTransactions, libraryMeterBytes, changed));
            Assert.Equal(70, ourMeterBytes);
            Assert.Equal(0, libraryAllocated);
        }
    }

    private static long LeastOfFour(Action update)
    {
        for (int i = 0; i < 20; i++)
        {
            update();
        }

        long least = long.MaxValue;
        for (int segment = 0; segment < 4; segment++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                update();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
