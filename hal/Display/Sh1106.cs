using System.Device.I2c;

namespace HardwareMaster.Hal.Display;

/// <summary>
/// A 128×64 SH1106 OLED on I²C (the "1.3 inch" modules). Its RAM has 132 columns and the panel
/// shows columns 2–129, so every page write is offset by 2; it has no horizontal addressing mode.
/// </summary>
/// <remarks>See <see cref="OledDisplay"/> for flushing, errors and threading.</remarks>
public sealed class Sh1106 : OledDisplay
{
    /// <summary>The usual 7-bit I²C address.</summary>
    public const int DefaultAddress = 0x3C;

    /// <summary>RAM column of the panel's first pixel.</summary>
    public const int ColumnOffset = 2;

    /// <summary>Opens the display on <paramref name="device"/>, initialises and clears it.</summary>
    /// <param name="device">The I²C device.</param>
    /// <param name="options">Rotation, contrast, screen saver.</param>
    /// <param name="shouldDispose"><c>true</c> to dispose <paramref name="device"/> with this object.</param>
    /// <exception cref="System.IO.IOException">No display answered, or the init failed.</exception>
    public Sh1106(I2cDevice device, OledOptions? options = null, bool shouldDispose = true)
        : base(device, OledController.Sh1106, 132, ColumnOffset, InitSequence, options, shouldDispose)
    {
    }

    /// <summary>
    /// Power-on sequence after the SH1106 datasheet V2.3 command table (commands named as there).
    /// Rotation, contrast and display-on are sent separately.
    /// </summary>
    internal static ReadOnlySpan<byte> InitSequence =>
    [
        OledCommand.DisplayOff,                        // "Display OFF/ON" (AE): sleep while configuring
        OledCommand.SetClockDivide, 0x80,              // "Set Display Clock Divide Ratio/Oscillator Frequency": +15 % osc, divide 1
        OledCommand.SetMultiplexRatio, 0x3F,           // "Set Multiplex Ratio": 64 rows
        OledCommand.SetDisplayOffset, 0x00,            // "Set Display Offset": none
        OledCommand.SetStartLine | 0x00,               // "Set Display Start Line": 0
        OledCommand.SetDcDc, 0x8B,                     // "Set DC-DC ON/OFF" (AD): built-in DC-DC on
        OledCommand.SetPumpVoltage | 0x02,             // "Set Pump voltage value" (30–33): 8.0 V (reset value)
        OledCommand.SetComPins, 0x12,                  // "Set Common pads hardware configuration": alternative (reset value)
        OledCommand.SetPrecharge, 0x22,                // "Set Dis-charge/Pre-charge Period": 2 DCLK each (reset value)
        OledCommand.SetVcomDetect, 0x35,               // "Set VCOM Deselect Level": 0.77 × V_REF (reset value)
        OledCommand.EntireDisplayFromRam,              // "Set Entire Display OFF/ON" (A4): show RAM
        OledCommand.NormalDisplay,                     // "Set Normal/Reverse Display" (A6)
    ];
}
