using System.Device.I2c;
using System.IO;

namespace HardwareMaster.Hal.Display;

/// <summary>Options of <see cref="Hd44780Lcd"/>.</summary>
/// <param name="Backlight">Backlight on at start.</param>
/// <param name="IdleBytesPerInstruction">
/// Extra port writes (E low, nothing latched) after each instruction, so the HD44780 has finished the previous one
/// (37 µs at its typical 270 kHz clock, 53 µs at the 190 kHz minimum; HD44780U datasheet Table 6) before the next
/// strobe. Each byte takes 9 SCL clocks: at 100 kHz (the PCF8574's rated maximum) the two bytes before the next
/// strobe already take 180 µs, so 0 is enough; at 400 kHz they take 45 µs and 1 (the default) makes it 67 µs.
/// </param>
/// <param name="Sleep">How the constructor waits during the power-on sequence (milliseconds); null = <see cref="Thread.Sleep(int)"/>.</param>
public sealed record Hd44780LcdOptions(bool Backlight = true, int IdleBytesPerInstruction = 1, Action<int>? Sleep = null);

/// <summary>
/// An HD44780 character LCD (16×2, 20×4, …) behind the common PCF8574 I²C backpack (P0 = RS, P1 = R/W, P2 = E,
/// P3 = backlight, P4–P7 = D4–D7; address 0x27, or 0x3F on a PCF8574A), in 4-bit mode.
/// </summary>
/// <remarks>
/// <para>
/// Why ours and not Iot.Device.CharacterLcd (measured in hal/README.md): the library's PCF8574 path
/// (<c>LcdInterface.CreateI2c(device, uses8Bit: false)</c>) makes one I²C transaction per port write, four per
/// character (on a Pi, one i2c-dev syscall each). This driver keeps a shadow of the DDRAM, finds the changed runs and
/// sends all of them — a set-address instruction and the characters of each run — in ONE write transaction per
/// <see cref="Present"/> (the PCF8574 latches each byte of a multi-byte write to its pins in turn; NXP PCF8574
/// datasheet §8.2). Nothing is allocated per call.
/// </para>
/// <para>
/// Errors: an <see cref="IOException"/> is rethrown (the UI loop backs off). A transfer broken part-way may leave the
/// LCD between the two nibbles of a byte, so the next <see cref="Present"/> first resynchronises the 4-bit interface
/// (the 0x3, 0x3, 0x3, 0x2 nibble sequence of HD44780U Figure 24, which works from either nibble phase) and then
/// rewrites every cell. Display thread only.
/// </para>
/// </remarks>
public sealed class Hd44780Lcd : ICharacterDisplay
{
    /// <summary>The usual address of a PCF8574 backpack (A0–A2 open); a PCF8574A answers at 0x3F.</summary>
    public const int DefaultAddress = 0x27;

    private const byte RegisterSelect = 0x01;
    private const byte Enable = 0x04;
    private const byte BacklightBit = 0x08;
    private const byte ClearDisplay = 0x01;
    private const byte EntryModeIncrement = 0x06;
    private const byte DisplayOnNoCursor = 0x0C;
    private const byte DisplayOffCommand = 0x08;
    private const byte FunctionSet4Bit = 0x20;
    private const byte TwoLines = 0x08;
    private const byte SetCgramAddress = 0x40;
    private const byte SetDdramAddress = 0x80;

    private readonly I2cDevice _device;
    private readonly bool _shouldDispose;
    private readonly Action<int> _sleep;
    private readonly int _idleBytes;
    private readonly byte[] _shadow;
    private readonly byte[] _rowAddress;
    private readonly byte[] _transfer;
    private bool _valid;
    private bool _needsResync;
    private bool _backlight;
    private int _length;
    private bool _disposed;

    /// <summary>Probes for the backpack, runs the HD44780 4-bit power-on sequence, loads the bar glyphs and clears the screen.</summary>
    /// <param name="device">The I²C device (bus and the backpack's address).</param>
    /// <param name="columns">Columns (8–40).</param>
    /// <param name="rows">Rows (1, 2 or 4).</param>
    /// <param name="options">Backlight, bus pacing, sleep.</param>
    /// <param name="shouldDispose"><c>true</c> to dispose <paramref name="device"/> with this object.</param>
    /// <exception cref="IOException">Nothing answered at the address, or the init failed.</exception>
    public Hd44780Lcd(I2cDevice device, int columns, int rows, Hd44780LcdOptions? options = null, bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(device);
        _ = new CharacterScreen(columns, rows); // validates the geometry with the same message
        options ??= new Hd44780LcdOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.IdleBytesPerInstruction);
        _device = device;
        _shouldDispose = shouldDispose;
        _sleep = options.Sleep ?? Thread.Sleep;
        _idleBytes = options.IdleBytesPerInstruction;
        _backlight = options.Backlight;
        Columns = columns;
        Rows = rows;
        _shadow = new byte[columns * rows];
        // DDRAM addresses of the row starts (HD44780U Table 4 and the usual module wiring: rows 2/3 continue rows 0/1).
        _rowAddress = rows == 4 ? [0x00, 0x40, (byte)columns, (byte)(0x40 + columns)] : rows == 2 ? [0x00, 0x40] : [0x00];
        int perInstruction = 4 + _idleBytes;
        _transfer = new byte[perInstruction * Math.Max(72, (columns * rows) + (rows * columns / 2) + 8)]; // the 64 glyph bytes, or every cell plus its run addresses
        try
        {
            Probe();
            PowerOn();
            Send(RegisterSelectNone, SetCgramAddress);
            ReadOnlySpan<byte> glyphs = CharacterScreen.BarGlyphs;
            for (int i = 0; i < glyphs.Length; i++)
            {
                Queue(RegisterSelect, glyphs[i]);
            }

            Flush();
            Queue(RegisterSelectNone, DisplayOnNoCursor);
            Flush();
        }
        catch
        {
            if (shouldDispose)
            {
                device.Dispose();
            }

            throw;
        }
    }

    private const byte RegisterSelectNone = 0x00;

    /// <inheritdoc />
    public int Columns { get; }

    /// <inheritdoc />
    public int Rows { get; }

    /// <summary>Bytes (port writes, excluding the address byte) sent by the last <see cref="Present"/>.</summary>
    public int LastPresentBytes { get; private set; }

    /// <summary>I²C write transactions made by the last <see cref="Present"/> (0 or 1).</summary>
    public int LastPresentTransactions { get; private set; }

    /// <summary>Characters rewritten by the last <see cref="Present"/>.</summary>
    public int LastPresentCharacters { get; private set; }

    /// <summary>The backlight (PCF8574 P3); changing it is one 1-byte write.</summary>
    /// <exception cref="IOException">The bus transfer failed.</exception>
    public bool Backlight
    {
        get => _backlight;
        set
        {
            ThrowIfDisposed();
            _backlight = value;
            _transfer[0] = Port(0);
            _device.Write(_transfer.AsSpan(0, 1));
        }
    }

    /// <summary>Forgets what the LCD shows, so the next <see cref="Present"/> rewrites every cell.</summary>
    public void Invalidate() => _valid = false;

    /// <inheritdoc />
    public void Present(CharacterScreen screen)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(screen);
        if (screen.Columns != Columns || screen.Rows != Rows)
        {
            throw new ArgumentException($"The LCD is {Columns}x{Rows}; the screen is {screen.Columns}x{screen.Rows}.", nameof(screen));
        }

        LastPresentBytes = 0;
        LastPresentTransactions = 0;
        LastPresentCharacters = 0;
        if (_needsResync)
        {
            Resync();
        }

        ReadOnlySpan<byte> cells = screen.Cells;
        for (int row = 0; row < Rows; row++)
        {
            ReadOnlySpan<byte> wanted = cells.Slice(row * Columns, Columns);
            Span<byte> shown = _shadow.AsSpan(row * Columns, Columns);
            int column = 0;
            while (column < Columns)
            {
                if (_valid && wanted[column] == shown[column])
                {
                    column++;
                    continue;
                }

                // A run of changed cells; an unchanged cell between two changes is resent (4 bytes) rather than
                // paying a new set-address instruction (also 4 bytes) for the next run.
                int end = column + 1;
                while (end < Columns && (!_valid || wanted[end] != shown[end] || (end + 1 < Columns && wanted[end + 1] != shown[end + 1])))
                {
                    end++;
                }

                Queue(RegisterSelectNone, (byte)(SetDdramAddress | (_rowAddress[row] + column)));
                for (int i = column; i < end; i++)
                {
                    Queue(RegisterSelect, wanted[i]);
                }

                LastPresentCharacters += end - column;
                column = end;
            }
        }

        if (_length == 0)
        {
            return;
        }

        try
        {
            Flush();
        }
        catch
        {
            _valid = false;
            _needsResync = true;
            throw;
        }

        cells.CopyTo(_shadow);
        _valid = true;
    }

    /// <summary>Clears the LCD, switches it and the backlight off (the box is not running) and releases the bus if owned.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            _backlight = false;
            _length = 0;
            Queue(RegisterSelectNone, DisplayOffCommand);
            Flush();
        }
        catch (IOException)
        {
            // The LCD went away; nothing to switch off.
        }

        _disposed = true;
        if (_shouldDispose)
        {
            _device.Dispose();
        }
    }

    private void Probe()
    {
        try
        {
            _transfer[0] = Port(0);
            _device.Write(_transfer.AsSpan(0, 1));
        }
        catch (IOException exception)
        {
            I2cConnectionSettings settings = _device.ConnectionSettings;
            throw new IOException($"No HD44780 LCD backpack (PCF8574) answered on I2C bus {settings.BusId} at address 0x{settings.DeviceAddress:X2} ({exception.Message}). Check wiring and power (the backpack needs 5 V; its I2C lines then need level shifting or the pull-ups removed), and the address (0x27, or 0x3F for a PCF8574A).", exception);
        }
    }

    // HD44780U datasheet Figure 24 "4-Bit Interface": after power-on (> 40 ms at 2.7 V), three 0x3 nibbles with
    // waits of > 4.1 ms and > 100 µs, then 0x2 selects 4-bit mode; function set, display off, clear, entry mode.
    private void PowerOn()
    {
        _sleep(50);
        Resync();
        Queue(RegisterSelectNone, DisplayOffCommand);
        Queue(RegisterSelectNone, ClearDisplay);
        Flush();
        _sleep(2); // clear takes 1.52 ms
        Queue(RegisterSelectNone, EntryModeIncrement);
        Flush();
        _valid = false;
    }

    private void Resync()
    {
        QueueNibble(RegisterSelectNone, 0x3);
        Flush();
        _sleep(5);
        QueueNibble(RegisterSelectNone, 0x3);
        Flush();
        _sleep(1);
        QueueNibble(RegisterSelectNone, 0x3);
        QueueNibble(RegisterSelectNone, 0x2);
        Queue(RegisterSelectNone, (byte)(FunctionSet4Bit | (Rows > 1 ? TwoLines : 0)));
        Queue(RegisterSelectNone, DisplayOnNoCursor);
        Flush();
        _needsResync = false;
        _valid = false;
    }

    private void Send(byte registerSelect, byte value)
    {
        Queue(registerSelect, value);
        Flush();
    }

    private void Queue(byte registerSelect, byte value)
    {
        QueueNibble(registerSelect, value >> 4);
        QueueNibble(registerSelect, value & 0x0F);
        for (int i = 0; i < _idleBytes; i++)
        {
            _transfer[_length++] = Port(registerSelect);
        }
    }

    // One nibble: data and RS with E high, then the same with E low (the HD44780 latches on E's falling edge).
    private void QueueNibble(byte registerSelect, int nibble)
    {
        byte port = (byte)((nibble << 4) | registerSelect);
        _transfer[_length++] = (byte)(Port(port) | Enable);
        _transfer[_length++] = Port(port);
    }

    private byte Port(byte bits) => (byte)(bits | (_backlight ? BacklightBit : 0));

    private void Flush()
    {
        int length = _length;
        _length = 0;
        _device.Write(_transfer.AsSpan(0, length));
        LastPresentBytes += length;
        LastPresentTransactions++;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
