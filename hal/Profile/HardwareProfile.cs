using System.Text.Json.Serialization;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.Hal.Profile;

/// <summary>
/// Which GPIO pins (BCM numbers), I²C bus and display the box uses. Loaded from JSON with
/// <see cref="HardwareProfileLoader"/>, which also validates it.
/// </summary>
public sealed class HardwareProfile
{
    /// <summary>Free-text name shown in logs ("Pi 4/5 default").</summary>
    public string Name { get; set; } = "custom";

    /// <summary>Rotary encoders, index = position in the list.</summary>
    public List<EncoderPins> Encoders { get; set; } = [];

    /// <summary>Push buttons, index = position in the list.</summary>
    public List<ButtonPin> Buttons { get; set; } = [];

    /// <summary>LEDs, index = position in the list.</summary>
    public List<LedPin> Leds { get; set; } = [];

    /// <summary>The OLED, or <c>null</c> for none.</summary>
    public DisplaySettings? Display { get; set; }

    /// <summary>Extra pins that a HAT uses and controls must avoid (beyond the always reserved ones).</summary>
    public List<int> ReservedPins { get; set; } = [];

    /// <summary>Other chips on the I²C buses (a HAT's codec, ADC): their addresses are claimed so nothing else uses them.</summary>
    public List<I2cClaim> I2cDevices { get; set; } = [];

    /// <summary>I²C GPIO expanders (MCP23017/MCP23008/PCF8574/PCF8575) whose pins encoders, buttons and LEDs may use (<c>"expander": NAME</c>).</summary>
    public List<ExpanderSettings> Expanders { get; set; } = [];

    /// <summary>Potentiometers on ADS1115 converters, each mapped to one registry parameter (soft takeover after a recall).</summary>
    public List<PotSettings> Pots { get; set; } = [];

    /// <summary>
    /// The default for a Raspberry Pi 4 or 5 with an I²S audio HAT: leaves GPIO 0/1 (HAT ID EEPROM),
    /// 2/3 (I²C1) and 18–21 (I²S) free; the REF button (reference A/B) on GPIO 11; see hal/README.md for the wiring table.
    /// </summary>
    /// <returns>A new profile.</returns>
    public static HardwareProfile CreatePi4Or5Default() => new()
    {
        Name = "Pi 4/5 default (I2S HAT compatible)",
        Encoders =
        [
            new EncoderPins { Name = "page", PinA = 17, PinB = 27, PinSwitch = 22 },
            new EncoderPins { Name = "param", PinA = 5, PinB = 6, PinSwitch = 13 },
            new EncoderPins { Name = "value", PinA = 23, PinB = 24, PinSwitch = 25 },
        ],
        Buttons =
        [
            new ButtonPin { Name = "eq", Pin = 16 },
            new ButtonPin { Name = "comp", Pin = 26 },
            new ButtonPin { Name = "limit", Pin = 12 },
            new ButtonPin { Name = "bypass", Pin = 4 },
            new ButtonPin { Name = "ref", Pin = 11 },
        ],
        Leds =
        [
            new LedPin { Name = "eq", Pin = 7 },
            new LedPin { Name = "comp", Pin = 8 },
            new LedPin { Name = "limit", Pin = 9 },
            new LedPin { Name = "bypass", Pin = 10 },
        ],
        Display = new DisplaySettings { Type = OledController.Ssd1306, I2cBus = 1, Address = 0x3C, Rotation = 0 },
    };
}

/// <summary>Pins of one rotary encoder.</summary>
public sealed class EncoderPins
{
    /// <summary>Name of the expander (in <see cref="HardwareProfile.Expanders"/>) the pins are on, or null for the Pi's header (BCM numbers).</summary>
    public string? Expander { get; set; }

    /// <summary>Label.</summary>
    public string Name { get; set; } = "";

    /// <summary>BCM pin of contact A.</summary>
    public int PinA { get; set; } = -1;

    /// <summary>BCM pin of contact B.</summary>
    public int PinB { get; set; } = -1;

    /// <summary>BCM pin of the push switch, or <c>null</c>.</summary>
    public int? PinSwitch { get; set; }

    /// <summary>Quadrature transitions per detent (1, 2 or 4).</summary>
    public int TransitionsPerDetent { get; set; } = 4;

    /// <summary>Swap the direction.</summary>
    public bool Reverse { get; set; }
}

/// <summary>Pin of one push button (switch to ground, internal pull-up).</summary>
public sealed class ButtonPin
{
    /// <summary>Name of the expander (in <see cref="HardwareProfile.Expanders"/>) the pins are on, or null for the Pi's header (BCM numbers).</summary>
    public string? Expander { get; set; }

    /// <summary>Label.</summary>
    public string Name { get; set; } = "";

    /// <summary>BCM pin.</summary>
    public int Pin { get; set; } = -1;
}

/// <summary>Pin of one LED.</summary>
public sealed class LedPin
{
    /// <summary>Name of the expander (in <see cref="HardwareProfile.Expanders"/>) the pins are on, or null for the Pi's header (BCM numbers).</summary>
    public string? Expander { get; set; }

    /// <summary>Label.</summary>
    public string Name { get; set; } = "";

    /// <summary>BCM pin.</summary>
    public int Pin { get; set; } = -1;

    /// <summary><c>true</c> when the LED lights with the pin low.</summary>
    public bool ActiveLow { get; set; }
}

/// <summary>The display connection: a 128×64 OLED, or an HD44780 character LCD on a PCF8574 backpack.</summary>
public sealed class DisplaySettings
{
    /// <summary>Controller: <c>"ssd1306"</c>, <c>"sh1106"</c>, <c>"ssd1309"</c> (OLEDs) or <c>"hd44780"</c> (character LCD; then <see cref="Columns"/> and <see cref="Rows"/>).</summary>
    public OledController Type { get; set; } = OledController.Ssd1306;

    /// <summary>I²C bus number (1 = GPIO 2/3 on the header).</summary>
    public int I2cBus { get; set; } = 1;

    /// <summary>7-bit address; JSON accepts a number or a string such as <c>"0x3C"</c>.</summary>
    [JsonConverter(typeof(HexIntJsonConverter))]
    public int Address { get; set; } = 0x3C;

    /// <summary>Rotation in degrees: 0 or 180 (OLEDs only).</summary>
    public int Rotation { get; set; }

    /// <summary>Character LCD columns (16 or 20); only with <c>"type": "hd44780"</c>.</summary>
    public int? Columns { get; set; }

    /// <summary>Character LCD rows (2 or 4); only with <c>"type": "hd44780"</c>.</summary>
    public int? Rows { get; set; }
}

/// <summary>A chip on an I²C bus that the profile does not drive but must not collide with (a HAT's codec).</summary>
public sealed class I2cClaim
{
    /// <summary>What it is ("PCM5122 DAC").</summary>
    public string Name { get; set; } = "";

    /// <summary>Bus number.</summary>
    public int I2cBus { get; set; } = 1;

    /// <summary>7-bit address (number or "0x4D").</summary>
    [JsonConverter(typeof(HexIntJsonConverter))]
    public int Address { get; set; }
}

/// <summary>An I²C GPIO expander.</summary>
public sealed class ExpanderSettings
{
    /// <summary>Name the controls refer to.</summary>
    public string Name { get; set; } = "";

    /// <summary>The chip.</summary>
    public HardwareMaster.Hal.Expanders.ExpanderChip Chip { get; set; } = HardwareMaster.Hal.Expanders.ExpanderChip.Mcp23017;

    /// <summary>Bus number.</summary>
    public int I2cBus { get; set; } = 1;

    /// <summary>7-bit address (MCP23x/PCF857x: 0x20–0x27; PCF8574A: 0x38–0x3F).</summary>
    [JsonConverter(typeof(HexIntJsonConverter))]
    public int Address { get; set; } = 0x20;

    /// <summary>BCM pin the chip's INT output is wired to (claimed like any control pin), or null to poll.</summary>
    public int? InterruptPin { get; set; }
}

/// <summary>A potentiometer (wiper to an ADS1115 input, ends to GND and 3.3 V) driving one parameter.</summary>
public sealed class PotSettings
{
    /// <summary>Label.</summary>
    public string Name { get; set; } = "";

    /// <summary>The registry parameter it moves ("input.gain"); checked against the registry when the box starts.</summary>
    public string Parameter { get; set; } = "";

    /// <summary>Bus of its ADS1115.</summary>
    public int I2cBus { get; set; } = 1;

    /// <summary>7-bit address of its ADS1115 (0x48–0x4B); pots sharing an address share the converter.</summary>
    [JsonConverter(typeof(HexIntJsonConverter))]
    public int Address { get; set; } = 0x48;

    /// <summary>ADS1115 input, 0–3 (AIN0–AIN3, single-ended).</summary>
    public int Channel { get; set; }

    /// <summary>Fully clockwise gives the parameter's minimum (a pot wired the other way round).</summary>
    public bool Reverse { get; set; }
}
