namespace HardwareMaster.Hal.Display;

/// <summary>
/// Command bytes of the SSD1306 and SH1106 (shared unless noted). Section numbers refer to the
/// Solomon Systech SSD1306 datasheet rev. 1.1 (§10 "Command descriptions") and the command table
/// of the Sino Wealth SH1106 datasheet V2.3.
/// </summary>
public static class OledCommand
{
    /// <summary>I²C control byte: a stream of command bytes follows (Co = 0, D/C# = 0; SSD1306 §8.1.5.2).</summary>
    public const byte ControlCommandStream = 0x00;

    /// <summary>I²C control byte: a stream of display-RAM data bytes follows (Co = 0, D/C# = 1).</summary>
    public const byte ControlDataStream = 0x40;

    /// <summary>Lower nibble of the column start address, page addressing mode (OR with 0–15; §10.1.1).</summary>
    public const byte SetLowerColumn = 0x00;

    /// <summary>Upper nibble of the column start address, page addressing mode (OR with 0–15; §10.1.2).</summary>
    public const byte SetHigherColumn = 0x10;

    /// <summary>SSD1306 only: memory addressing mode, 1 argument (0 horizontal, 1 vertical, 2 page; §10.1.3).</summary>
    public const byte SetMemoryAddressingMode = 0x20;

    /// <summary>SSD1306 only: deactivate scrolling (§10.2.4).</summary>
    public const byte DeactivateScroll = 0x2E;

    /// <summary>SH1106 only: charge-pump output voltage, OR with 0–3 (0x32 = 8.0 V, the reset value).</summary>
    public const byte SetPumpVoltage = 0x30;

    /// <summary>Display start line, OR with 0–63 (§10.1.6).</summary>
    public const byte SetStartLine = 0x40;

    /// <summary>Contrast, 1 argument 0–255 (§10.1.7).</summary>
    public const byte SetContrast = 0x81;

    /// <summary>SSD1306 only: charge pump, 1 argument (0x14 enable; application note "Charge Pump Setting").</summary>
    public const byte ChargePump = 0x8D;

    /// <summary>Segment remap off: column 0 → SEG0 (§10.1.8). Affects only data written afterwards.</summary>
    public const byte SegmentRemapOff = 0xA0;

    /// <summary>Segment remap on: column 0 → SEG127 (SEG131 on SH1106).</summary>
    public const byte SegmentRemapOn = 0xA1;

    /// <summary>Show RAM content (§10.1.9).</summary>
    public const byte EntireDisplayFromRam = 0xA4;

    /// <summary>Light every pixel regardless of RAM (§10.1.9).</summary>
    public const byte EntireDisplayOn = 0xA5;

    /// <summary>Normal display: RAM bit 1 = lit (§10.1.10).</summary>
    public const byte NormalDisplay = 0xA6;

    /// <summary>Inverse display: RAM bit 0 = lit.</summary>
    public const byte InverseDisplay = 0xA7;

    /// <summary>Multiplex ratio, 1 argument (N−1, 15–63; §10.1.11).</summary>
    public const byte SetMultiplexRatio = 0xA8;

    /// <summary>SH1106 only: DC-DC control, 1 argument (0x8B = on).</summary>
    public const byte SetDcDc = 0xAD;

    /// <summary>Display off, sleep (§10.1.12).</summary>
    public const byte DisplayOff = 0xAE;

    /// <summary>Display on (§10.1.12).</summary>
    public const byte DisplayOn = 0xAF;

    /// <summary>Page start address for page addressing mode, OR with 0–7 (§10.1.13).</summary>
    public const byte SetPage = 0xB0;

    /// <summary>COM scan from COM0 to COM[N−1] (§10.1.14). Takes effect immediately.</summary>
    public const byte ComScanNormal = 0xC0;

    /// <summary>COM scan from COM[N−1] to COM0.</summary>
    public const byte ComScanRemapped = 0xC8;

    /// <summary>Display offset (vertical shift by COM), 1 argument 0–63 (§10.1.15).</summary>
    public const byte SetDisplayOffset = 0xD3;

    /// <summary>Clock divide ratio and oscillator frequency, 1 argument (§10.1.16).</summary>
    public const byte SetClockDivide = 0xD5;

    /// <summary>Pre-charge period, 1 argument (§10.1.17).</summary>
    public const byte SetPrecharge = 0xD9;

    /// <summary>COM pins hardware configuration, 1 argument (§10.1.18).</summary>
    public const byte SetComPins = 0xDA;

    /// <summary>V_COMH deselect level, 1 argument (§10.1.19).</summary>
    public const byte SetVcomDetect = 0xDB;

    /// <summary>SSD1309 only: command lock, 1 argument (0x12 unlocked, 0x16 locked; SSD1309 datasheet Rev 1.1 command table).</summary>
    public const byte SetCommandLock = 0xFD;

    /// <summary>No operation (§10.1.20); used to probe for the display.</summary>
    public const byte Nop = 0xE3;
}
