using System.Device.I2c;

namespace HardwareMaster.Hal.Display;

/// <summary>A 128×64 SSD1306 OLED on I²C (usually address 0x3C, sometimes 0x3D).</summary>
/// <remarks>See <see cref="OledDisplay"/> for flushing, errors and threading.</remarks>
public sealed class Ssd1306 : OledDisplay
{
    /// <summary>The usual 7-bit I²C address.</summary>
    public const int DefaultAddress = 0x3C;

    /// <summary>Opens the display on <paramref name="device"/>, initialises and clears it.</summary>
    /// <param name="device">The I²C device.</param>
    /// <param name="options">Rotation, contrast, screen saver.</param>
    /// <param name="shouldDispose"><c>true</c> to dispose <paramref name="device"/> with this object.</param>
    /// <exception cref="System.IO.IOException">No display answered, or the init failed.</exception>
    public Ssd1306(I2cDevice device, OledOptions? options = null, bool shouldDispose = true)
        : base(device, OledController.Ssd1306, 128, 0, InitSequence, options, shouldDispose)
    {
    }

    /// <summary>
    /// Power-on sequence after SSD1306 datasheet rev 1.1, "Software initialization" flow chart
    /// (application note, §2), for a 128×64 panel with the internal charge pump. Rotation,
    /// contrast and display-on are sent separately.
    /// </summary>
    internal static ReadOnlySpan<byte> InitSequence =>
    [
        OledCommand.DisplayOff,                        // §10.1.12 sleep while configuring
        OledCommand.SetClockDivide, 0x80,              // §10.1.16 divide ratio 1, oscillator mid frequency (reset value)
        OledCommand.SetMultiplexRatio, 0x3F,           // §10.1.11 64 rows (MUX = 63)
        OledCommand.SetDisplayOffset, 0x00,            // §10.1.15 no vertical shift
        OledCommand.SetStartLine | 0x00,               // §10.1.6  RAM row 0 at the top
        OledCommand.ChargePump, 0x14,                  // charge pump app note: enable the internal 7.5 V pump
        OledCommand.SetMemoryAddressingMode, 0x02,     // §10.1.3  page addressing (what the flush uses; also the SH1106's only mode)
        OledCommand.SetComPins, 0x12,                  // §10.1.18 alternative COM pin configuration, no left/right remap (128×64 modules)
        OledCommand.SetPrecharge, 0xF1,                // §10.1.17 phase 1 = 1 DCLK, phase 2 = 15 DCLK (recommended with the charge pump)
        OledCommand.SetVcomDetect, 0x20,               // §10.1.19 V_COMH ≈ 0.77 × Vcc (reset value)
        OledCommand.EntireDisplayFromRam,              // §10.1.9  show RAM content
        OledCommand.NormalDisplay,                     // §10.1.10 1 = lit
        OledCommand.DeactivateScroll,                  // §10.2.4  no hardware scrolling
    ];
}
