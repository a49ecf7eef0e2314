namespace HardwareMaster.Hal.Expanders;

/// <summary>
/// One I²C GPIO expander seen as a single port of up to 16 pins (bit n = expander pin n: GPA0–7 then GPB0–7 on an
/// MCP23017, P0–P17 on a PCF8575). Control thread only; one bus transaction per call.
/// </summary>
public interface IExpanderPort : IDisposable
{
    /// <summary>Pins on the chip (8 or 16).</summary>
    int PinCount { get; }

    /// <summary>Reads every pin's level in one transaction (bit set = high).</summary>
    /// <returns>The levels.</returns>
    ushort ReadInputs();

    /// <summary>Drives the output pins (bits outside the output mask given at creation are left as inputs).</summary>
    /// <param name="levels">Levels, bit set = high.</param>
    void WriteOutputs(ushort levels);
}

/// <summary>The expander chips a profile may name.</summary>
public enum ExpanderChip
{
    /// <summary>Microchip MCP23017, 16 pins, I²C 0x20–0x27, internal 100 kΩ pull-ups.</summary>
    Mcp23017,

    /// <summary>Microchip MCP23008, 8 pins, I²C 0x20–0x27, internal pull-ups.</summary>
    Mcp23008,

    /// <summary>NXP/TI PCF8574, 8 quasi-bidirectional pins, I²C 0x20–0x27 (PCF8574A: 0x38–0x3F).</summary>
    Pcf8574,

    /// <summary>NXP/TI PCF8575, 16 quasi-bidirectional pins, I²C 0x20–0x27.</summary>
    Pcf8575,
}
