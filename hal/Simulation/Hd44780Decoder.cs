using HardwareMaster.Hal.Display;

namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// An independent model of an HD44780 character LCD behind a PCF8574 backpack (P0 = RS, P1 = R/W, P2 = E,
/// P3 = backlight, P4–P7 = D4–D7): it takes the port bytes the PCF8574 latched, one at a time, and rebuilds the
/// DDRAM, CGRAM, address counter and modes, so tests and the simulator read the screen back as text.
/// </summary>
/// <remarks>
/// <para>
/// Modelled after the Hitachi HD44780U datasheet (ADE-207-272): the controller powers up in 8-bit mode (each E
/// falling edge is a whole instruction, D0–D3 read as 0 since the backpack leaves them unconnected); function set with
/// DL = 0 switches to 4-bit mode, after which two strobes (high nibble first) make one byte. Instructions: clear,
/// home, entry mode (I/D; display shift S is counted as <see cref="UnsupportedWrites"/>), display control (D, C, B),
/// cursor/display shift, function set (DL, N), CGRAM and DDRAM address (Table 6). DDRAM is 80 cells: with N = 1,
/// 0x00–0x27 and 0x40–0x67 (Table 4). Strobes with R/W high are reads (busy flag) and are counted, not applied.
/// </para>
/// <para>Not modelled: execution time (a strobe while busy), 5×10 fonts, and ROM A02.</para>
/// </remarks>
public sealed class Hd44780Decoder
{
    private const byte RegisterSelect = 0x01;
    private const byte ReadWrite = 0x02;
    private const byte Enable = 0x04;
    private const byte BacklightBit = 0x08;

    private readonly byte[] _ddram = new byte[80];
    private readonly byte[] _cgram = new byte[64];
    private readonly byte[] _rowAddress;
    private bool _enable;
    private int _pendingNibble = -1;
    private bool _addressingCgram;
    private int _address;

    /// <summary>Creates a panel model in its power-on state (8-bit mode, display off, DDRAM spaces).</summary>
    /// <param name="columns">Columns of the glass (8–40).</param>
    /// <param name="rows">Rows of the glass (1, 2 or 4).</param>
    public Hd44780Decoder(int columns, int rows)
    {
        _ = new CharacterScreen(columns, rows);
        Columns = columns;
        Rows = rows;
        _rowAddress = rows == 4 ? [0x00, 0x40, (byte)columns, (byte)(0x40 + columns)] : rows == 2 ? [0x00, 0x40] : [0x00];
        _ddram.AsSpan().Fill((byte)' ');
    }

    /// <summary>Columns of the glass.</summary>
    public int Columns { get; }

    /// <summary>Rows of the glass.</summary>
    public int Rows { get; }

    /// <summary>Whether the last port byte had the backlight bit (P3) set.</summary>
    public bool IsBacklightOn { get; private set; }

    /// <summary>Display on (D).</summary>
    public bool IsDisplayOn { get; private set; }

    /// <summary>Cursor shown (C or B).</summary>
    public bool IsCursorShown { get; private set; }

    /// <summary>4-bit interface selected (function set DL = 0).</summary>
    public bool IsFourBitMode { get; private set; }

    /// <summary>True in 4-bit mode after the first nibble of a byte (the next strobe completes it).</summary>
    public bool IsBetweenNibbles => _pendingNibble >= 0;

    /// <summary>Two-line mode (function set N = 1).</summary>
    public bool IsTwoLine { get; private set; }

    /// <summary>Address counter increments (entry mode I/D).</summary>
    public bool Increments { get; private set; } = true;

    /// <summary>The DDRAM address counter (where the next character goes).</summary>
    public int CursorAddress => _addressingCgram ? -1 : _address;

    /// <summary>Instructions executed.</summary>
    public long Instructions { get; private set; }

    /// <summary>Characters (data bytes) written into DDRAM or CGRAM.</summary>
    public long DataWrites { get; private set; }

    /// <summary>Port bytes received.</summary>
    public long PortWrites { get; private set; }

    /// <summary>Strobes with R/W high (reads) and entry-mode display shifts: a driver that does neither leaves this at 0.</summary>
    public long UnsupportedWrites { get; private set; }

    /// <summary>Clear-display instructions executed.</summary>
    public long Clears { get; private set; }

    /// <summary>Feeds one byte as latched on the PCF8574's pins.</summary>
    /// <param name="port">P7…P0.</param>
    public void Feed(byte port)
    {
        PortWrites++;
        IsBacklightOn = (port & BacklightBit) != 0;
        bool enable = (port & Enable) != 0;
        bool falling = _enable && !enable;
        _enable = enable;
        if (!falling)
        {
            return;
        }

        // The data lines are sampled on E's falling edge (HD44780U Figure 25): the levels now are the levels then.
        if ((port & ReadWrite) != 0)
        {
            UnsupportedWrites++;
            return;
        }

        int nibble = port >> 4;
        bool isData = (port & RegisterSelect) != 0;
        if (!IsFourBitMode)
        {
            Execute((byte)(nibble << 4), isData);
            return;
        }

        if (_pendingNibble < 0)
        {
            _pendingNibble = nibble;
            return;
        }

        byte value = (byte)((_pendingNibble << 4) | nibble);
        _pendingNibble = -1;
        Execute(value, isData);
    }

    /// <summary>Feeds every byte of one I²C write (a PCF8574 latches them in turn).</summary>
    /// <param name="bytes">The bytes after the address byte.</param>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            Feed(b);
        }
    }

    /// <summary>The code in DDRAM at a glass position.</summary>
    /// <param name="column">Column.</param>
    /// <param name="row">Row.</param>
    /// <returns>The character code.</returns>
    public byte CodeAt(int column, int row) => _ddram[Index(_rowAddress[row] + column)];

    /// <summary>The 8 pattern rows of CGRAM character <paramref name="code"/> (0–7).</summary>
    /// <param name="code">0–7.</param>
    /// <returns>Its rows.</returns>
    public ReadOnlySpan<byte> Glyph(int code) => _cgram.AsSpan((code & 7) * 8, 8);

    /// <summary>
    /// One glass row as text: ROM A00 characters as themselves (0x5C ¥, 0x7E →, 0x7F ←, 0xDF °, 0xFF █), CGRAM
    /// characters by their pattern (a left-aligned bar of 1–5 pixel columns as ▏▎▌▊█, blank as space, else ¤),
    /// and a display that is off as spaces.
    /// </summary>
    /// <param name="row">The row.</param>
    /// <returns>The text.</returns>
    public string RowText(int row)
    {
        var chars = new char[Columns];
        for (int x = 0; x < Columns; x++)
        {
            chars[x] = IsDisplayOn ? Show(CodeAt(x, row)) : ' ';
        }

        return new string(chars);
    }

    /// <summary>The glass as text, one line per row.</summary>
    /// <returns>The rows joined with '\n'.</returns>
    public string ScreenText() => string.Join('\n', Enumerable.Range(0, Rows).Select(RowText));

    private char Show(byte code)
    {
        if (code >= 16)
        {
            return CharacterScreen.FromCode(code);
        }

        ReadOnlySpan<byte> glyph = Glyph(code);
        int mask = 0;
        foreach (byte line in glyph)
        {
            mask |= line & 0x1F;
        }

        return mask switch
        {
            0 => ' ',
            0x10 => '▏',
            0x18 => '▎',
            0x1C => '▌',
            0x1E => '▊',
            0x1F => '█',
            _ => '¤',
        };
    }

    private int Index(int address)
    {
        if (!IsTwoLine)
        {
            return address % 80;
        }

        int line = (address & 0x40) != 0 ? 1 : 0;
        return (line * 40) + (Math.Min(address & 0x3F, 0x27));
    }

    private void Execute(byte value, bool isData)
    {
        if (isData)
        {
            DataWrites++;
            if (_addressingCgram)
            {
                _cgram[_address & 0x3F] = (byte)(value & 0x1F);
                _address = (_address + (Increments ? 1 : -1)) & 0x3F;
            }
            else
            {
                _ddram[Index(_address)] = value;
                Step(Increments ? 1 : -1);
            }

            return;
        }

        Instructions++;
        if ((value & 0x80) != 0)
        {
            _addressingCgram = false;
            _address = value & 0x7F;
        }
        else if ((value & 0x40) != 0)
        {
            _addressingCgram = true;
            _address = value & 0x3F;
        }
        else if ((value & 0x20) != 0)
        {
            IsFourBitMode = (value & 0x10) == 0;
            IsTwoLine = (value & 0x08) != 0;
            _pendingNibble = -1;
        }
        else if ((value & 0x10) != 0)
        {
            bool display = (value & 0x08) != 0;
            if (display)
            {
                UnsupportedWrites++; // display shift is not modelled
            }
            else
            {
                Step((value & 0x04) != 0 ? 1 : -1);
            }
        }
        else if ((value & 0x08) != 0)
        {
            IsDisplayOn = (value & 0x04) != 0;
            IsCursorShown = (value & 0x03) != 0;
        }
        else if ((value & 0x04) != 0)
        {
            Increments = (value & 0x02) != 0;
            if ((value & 0x01) != 0)
            {
                UnsupportedWrites++;
            }
        }
        else if ((value & 0x02) != 0)
        {
            _addressingCgram = false;
            _address = 0;
        }
        else if (value == 0x01)
        {
            Clears++;
            _ddram.AsSpan().Fill((byte)' ');
            _addressingCgram = false;
            _address = 0;
            Increments = true;
        }
    }

    // The address counter in DDRAM: in 2-line mode the end of line 0 (0x27) continues at 0x40 and 0x67 wraps to 0x00.
    private void Step(int delta)
    {
        int a = _address + delta;
        if (IsTwoLine)
        {
            a = a switch
            {
                0x28 => 0x40,
                0x3F => 0x27,
                0x68 => 0x00,
                -1 => 0x67,
                _ => a,
            };
        }
        else
        {
            a = (a + 80) % 80;
        }

        _address = a;
    }
}
