using HardwareMaster.Hal.Display;

namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// An independent model of an SSD1306 or SH1106 panel: it interprets the I²C control, command and
/// data bytes per the datasheets into display RAM and renders what the glass would show. Used to
/// check the drivers and as the screen of the desktop simulator.
/// </summary>
/// <remarks>
/// <para>
/// Modelled: Co/D-C# control bytes (streams and single bytes), page addressing (both chips) and,
/// for the SSD1306, horizontal and vertical addressing with column/page windows (0x20–0x22);
/// segment remap applied at write time (SSD1306 §10.1.8), COM scan direction, start line and
/// display offset applied at display time; contrast, inverse, entire-display-on and display
/// on/off; all other commands are parsed with their argument counts and ignored.
/// </para>
/// <para>
/// Glass orientation: the module is assumed mounted as the common 0.96"/1.3" boards are, where
/// segment remap on (0xA1) with COM scan remapped (0xC8) shows RAM column/row 0 at the top-left.
/// For the SH1106 the 128 visible segments are SEG2–SEG129 of the 132.
/// </para>
/// </remarks>
public sealed class OledDecoder
{
    private const int Rows = 64;
    private readonly byte[] _ram; // indexed by physical segment: page * _ramWidth + segment
    private readonly int _ramWidth;
    private readonly int _panelOffset;
    private int _pendingCommand = -1;
    private int _argumentsNeeded;
    private int _argumentIndex;
    private readonly byte[] _arguments = new byte[8];
    private int _page;
    private int _column;
    private int _addressingMode = 2; // SSD1306 reset value: page addressing
    private int _columnStart;
    private int _columnEnd;
    private int _pageStart;
    private int _pageEnd = 7;

    /// <summary>Creates a panel model in its reset state (display off, RAM cleared).</summary>
    /// <param name="controller">Which chip to model.</param>
    /// <exception cref="ArgumentException"><paramref name="controller"/> is not an OLED controller.</exception>
    public OledDecoder(OledController controller)
    {
        if (controller is not (OledController.Ssd1306 or OledController.Sh1106 or OledController.Ssd1309))
        {
            throw new ArgumentException($"{controller} is not an OLED controller.", nameof(controller));
        }

        Controller = controller;
        _ramWidth = controller == OledController.Sh1106 ? 132 : 128;
        _panelOffset = controller == OledController.Sh1106 ? 2 : 0;
        _columnEnd = _ramWidth - 1;
        _ram = new byte[8 * _ramWidth];
    }

    /// <summary>The modelled chip.</summary>
    public OledController Controller { get; }

    /// <summary>Whether 0xAF (display on) is in effect.</summary>
    public bool IsDisplayOn { get; private set; }

    /// <summary>Current contrast (reset value 0x7F on SSD1306, 0x80 on SH1106).</summary>
    public byte Contrast { get; private set; } = 0x7F;

    /// <summary>Whether inverse display (0xA7) is in effect.</summary>
    public bool IsInverted { get; private set; }

    /// <summary>Whether entire-display-on (0xA5) is in effect.</summary>
    public bool IsEntireDisplayOn { get; private set; }

    /// <summary>Segment remap (0xA1).</summary>
    public bool SegmentRemap { get; private set; }

    /// <summary>COM scan remapped (0xC8).</summary>
    public bool ComScanRemapped { get; private set; }

    /// <summary>Display start line (0x40–0x7F).</summary>
    public int StartLine { get; private set; }

    /// <summary>Display offset (0xD3).</summary>
    public int DisplayOffset { get; private set; }

    /// <summary>Multiplex ratio + 1 (0xA8): glass rows from this one down are not driven (dark). Reset value 64.</summary>
    public int MultiplexRows { get; private set; } = 64;

    /// <summary>Data bytes written into RAM so far.</summary>
    public long DataBytes { get; private set; }

    /// <summary>Command bytes (including arguments) received so far.</summary>
    public long CommandBytes { get; private set; }

    /// <summary>Commands the model does not know (logged as a count; a driver bug if non-zero).</summary>
    public long UnknownCommands { get; private set; }

    /// <summary>Interprets one I²C write transaction (after the address byte).</summary>
    /// <param name="transaction">Control byte(s), commands and data.</param>
    public void Feed(ReadOnlySpan<byte> transaction)
    {
        int i = 0;
        while (i < transaction.Length)
        {
            byte control = transaction[i++];
            bool continuation = (control & 0x80) != 0; // Co: one byte follows, then another control byte
            bool isData = (control & 0x40) != 0;       // D/C#
            if (continuation)
            {
                if (i < transaction.Length)
                {
                    Consume(transaction[i++], isData);
                }

                continue;
            }

            for (; i < transaction.Length; i++)
            {
                Consume(transaction[i], isData);
            }
        }
    }

    /// <summary>Renders what the glass shows into <paramref name="destination"/> (128×64). A panel that is off renders dark.</summary>
    /// <param name="destination">A 128×64 framebuffer.</param>
    public void Render(MonoFrameBuffer destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Width != 128 || destination.Height != Rows)
        {
            throw new ArgumentException("The panel model renders 128x64.", nameof(destination));
        }

        destination.Clear();
        if (!IsDisplayOn)
        {
            return;
        }

        for (int y = 0; y < Math.Min(Rows, MultiplexRows); y++)
        {
            int scanRow = ComScanRemapped ? y : Rows - 1 - y;
            int ramRow = (scanRow + StartLine + DisplayOffset) % Rows;
            for (int x = 0; x < 128; x++)
            {
                int segment = _ramWidth - 1 - _panelOffset - x;
                bool lit = IsEntireDisplayOn || (((_ram[((ramRow >> 3) * _ramWidth) + segment] >> (ramRow & 7)) & 1) != 0) != IsInverted;
                if (lit)
                {
                    destination.SetPixel(x, y);
                }
            }
        }
    }

    /// <summary>Reads one RAM byte by column address as the chip would map it now (for tests).</summary>
    /// <param name="page">Page 0–7.</param>
    /// <param name="columnAddress">Column address 0 – RAM width − 1.</param>
    /// <returns>The stored byte.</returns>
    public byte ReadRam(int page, int columnAddress) => _ram[(page * _ramWidth) + SegmentOf(columnAddress)];

    private int SegmentOf(int columnAddress) => SegmentRemap ? _ramWidth - 1 - columnAddress : columnAddress;

    private void Consume(byte value, bool isData)
    {
        if (isData)
        {
            WriteData(value);
            return;
        }

        CommandBytes++;
        if (_pendingCommand >= 0)
        {
            _arguments[_argumentIndex++] = value;
            if (_argumentIndex == _argumentsNeeded)
            {
                ApplyWithArguments((byte)_pendingCommand);
                _pendingCommand = -1;
            }

            return;
        }

        int needed = ArgumentCount(value);
        if (needed > 0)
        {
            _pendingCommand = value;
            _argumentsNeeded = needed;
            _argumentIndex = 0;
            return;
        }

        Apply(value);
    }

    private int ArgumentCount(byte command)
    {
        bool ssd = Controller != OledController.Sh1106;
        return command switch
        {
            0x81 or 0xA8 or 0xD3 or 0xD5 or 0xD9 or 0xDA or 0xDB => 1,
            0x20 when ssd => 1,
            0x8D when Controller == OledController.Ssd1306 => 1, // the SSD1309 has no charge pump
            0xFD when Controller == OledController.Ssd1309 => 1, // command lock
            0x21 or 0x22 when ssd => 2,
            0xA3 when ssd => 2,
            0x26 or 0x27 when ssd => 6,
            0x29 or 0x2A when ssd => 5,
            0xAD when !ssd => 1,
            _ => 0,
        };
    }

    private void Apply(byte command)
    {
        bool ssd = Controller != OledController.Sh1106;
        switch (command)
        {
            case <= 0x0F:
                _column = (_column & 0xF0) | command;
                break;
            case <= 0x1F:
                _column = (_column & 0x0F) | ((command & 0x0F) << 4);
                break;
            case >= 0x30 and <= 0x33 when !ssd:
                break; // pump voltage
            case >= 0x40 and <= 0x7F:
                StartLine = command & 0x3F;
                break;
            case 0xA0 or 0xA1:
                SegmentRemap = command == 0xA1;
                break;
            case 0xA4 or 0xA5:
                IsEntireDisplayOn = command == 0xA5;
                break;
            case 0xA6 or 0xA7:
                IsInverted = command == 0xA7;
                break;
            case 0xAE or 0xAF:
                IsDisplayOn = command == 0xAF;
                break;
            case >= 0xB0 and <= 0xB7:
                _page = command & 0x07;
                break;
            case 0xC0 or 0xC8:
                ComScanRemapped = command == 0xC8;
                break;
            case >= 0xC1 and <= 0xCF when !ssd:
                ComScanRemapped = command >= 0xC8; // SH1106 ignores the low bits
                break;
            case 0xE3 or 0x2E or 0x2F:
                break; // NOP, scroll stop/start (scrolling not modelled)
            case 0xE0 or 0xEE when !ssd:
                break; // read-modify-write (reads are not modelled)
            default:
                UnknownCommands++;
                break;
        }
    }

    private void ApplyWithArguments(byte command)
    {
        switch (command)
        {
            case 0x81:
                Contrast = _arguments[0];
                break;
            case 0xD3:
                DisplayOffset = _arguments[0] & 0x3F;
                break;
            case 0xA8:
                MultiplexRows = Math.Clamp((_arguments[0] & 0x3F) + 1, 16, 64);
                break;
            case 0x20:
                _addressingMode = _arguments[0] & 0x03;
                break;
            case 0x21:
                _columnStart = _arguments[0] & 0x7F;
                _columnEnd = _arguments[1] & 0x7F;
                _column = _columnStart;
                break;
            case 0x22:
                _pageStart = _arguments[0] & 0x07;
                _pageEnd = _arguments[1] & 0x07;
                _page = _pageStart;
                break;
            default:
                break; // timing / analog settings: no effect on the picture model
        }
    }

    private void WriteData(byte value)
    {
        DataBytes++;
        _ram[(_page * _ramWidth) + SegmentOf(Math.Min(_column, _ramWidth - 1))] = value;
        if (Controller == OledController.Sh1106 || _addressingMode == 2)
        {
            // Page mode: the column pointer advances; SSD1306 wraps to the start column at the end (§10.1.3),
            // the SH1106 pointer stops at the last column (modelled as staying there).
            if (_column < _ramWidth - 1)
            {
                _column++;
            }
            else if (Controller != OledController.Sh1106)
            {
                _column = 0;
            }

            return;
        }

        if (_addressingMode == 0)
        {
            // Horizontal: column first, then next page within the window (§10.1.4).
            if (++_column > _columnEnd)
            {
                _column = _columnStart;
                _page = _page >= _pageEnd ? _pageStart : _page + 1;
            }

            return;
        }

        // Vertical: page first, then next column (§10.1.5).
        if (++_page > _pageEnd)
        {
            _page = _pageStart;
            _column = _column >= _columnEnd ? _columnStart : _column + 1;
        }
    }
}
