using System.Device.I2c;

namespace HardwareMaster.Hal.Display;

/// <summary>
/// A 128×64 SSD1309 OLED on I²C (the 2.42" and 1.54" modules; usually address 0x3C, 0x3D with the address jumper).
/// Command-compatible with the SSD1306 for everything the flush uses (page addressing, 0xB0/0x00/0x10 addresses,
/// segment remap, COM scan, contrast); the init differs.
/// </summary>
/// <remarks>
/// <para>
/// Differences from the SSD1306, after the Solomon Systech SSD1309 datasheet Rev 1.1 (Jul 2011), §9 command table and
/// §10 command descriptions: there is no internal charge pump (no 0x8D command: the panel's V_CC of 7–16 V comes
/// from the module's own boost converter), a command lock (0xFD, argument 0x12 = unlocked; sent in case the module
/// was left locked), the clock divide/oscillator reset value is 0x70 (rev 1.1 changed A[7:4] from 1000b to 0111b),
/// the V_COMH levels are coded differently (0x34 ≈ 0.78 × V_CC, the reset value) and the recommended pre-charge for
/// an external V_CC is phase 1 = 2, phase 2 = 8 DCLKs (0x82).
/// </para>
/// <para>
/// Iot.Device.Bindings 4.2.0 has an <c>Ssd1309</c>, but only for 4-wire SPI (an <c>SpiDevice</c> plus CS, DC and RST
/// GPIO pins); the I²C modules need this class. See <see cref="OledDisplay"/> for flushing, errors and threading.
/// </para>
/// </remarks>
public sealed class Ssd1309 : OledDisplay
{
    /// <summary>The usual 7-bit I²C address.</summary>
    public const int DefaultAddress = 0x3C;

    /// <summary>Opens the display on <paramref name="device"/>, initialises and clears it.</summary>
    /// <param name="device">The I²C device.</param>
    /// <param name="options">Rotation, contrast, screen saver.</param>
    /// <param name="shouldDispose"><c>true</c> to dispose <paramref name="device"/> with this object.</param>
    /// <exception cref="System.IO.IOException">No display answered, or the init failed.</exception>
    public Ssd1309(I2cDevice device, OledOptions? options = null, bool shouldDispose = true)
        : base(device, OledController.Ssd1309, 128, 0, InitSequence, options, shouldDispose)
    {
    }

    /// <summary>
    /// Power-on sequence after the SSD1309 datasheet Rev 1.1, §9 command table (commands named as there). Rotation,
    /// contrast and display-on are sent separately.
    /// </summary>
    internal static ReadOnlySpan<byte> InitSequence =>
    [
        OledCommand.SetCommandLock, 0x12,              // unlock the command interface (reset: unlocked)
        OledCommand.DisplayOff,                        // sleep while configuring
        OledCommand.SetClockDivide, 0xA0,              // divide ratio 1, oscillator above the 0x70 reset value (what common SSD1309 module init code uses)
        OledCommand.SetMultiplexRatio, 0x3F,           // 64 rows
        OledCommand.SetDisplayOffset, 0x00,            // no vertical shift
        OledCommand.SetStartLine | 0x00,               // RAM row 0 at the top
        OledCommand.SetMemoryAddressingMode, 0x02,     // page addressing (what the flush uses)
        OledCommand.SetComPins, 0x12,                  // alternative COM pin configuration (128×64 modules)
        OledCommand.SetPrecharge, 0x82,                // phase 1 = 2 DCLK, phase 2 = 8 DCLK (external V_CC)
        OledCommand.SetVcomDetect, 0x34,               // V_COMH ≈ 0.78 × V_CC (reset value)
        OledCommand.EntireDisplayFromRam,              // show RAM content
        OledCommand.NormalDisplay,                     // 1 = lit
        OledCommand.DeactivateScroll,                  // no hardware scrolling
    ];
}
