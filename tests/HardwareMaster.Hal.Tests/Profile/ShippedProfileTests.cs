using HardwareMaster.Hal.Expanders;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.Hal.Tests.Profile;

public class ShippedProfileTests
{
    private static string ProfileFolder()
    {
        string? folder = AppContext.BaseDirectory;
        while (folder is not null && !File.Exists(Path.Combine(folder, "HardwareMaster.sln")))
        {
            folder = Path.GetDirectoryName(folder);
        }

        return Path.Combine(folder ?? throw new InvalidOperationException("repository root not found"), "deploy-pi", "profiles");
    }

    [Theory]
    [InlineData("hifiberry-dacplusadcpro", 2, 11)]
    [InlineData("codec-zero", 1, -1)]
    [InlineData("usb-no-hat", 0, 11)]
    [InlineData("mcp23017-3enc-4btn", 2, 11)]
    public void Resolve_ShippedName_LoadsAndValidates(string name, int hatChips, int refPin)
    {
        string? path = HardwareProfileLoader.Resolve(name, [ProfileFolder()]);
        Assert.NotNull(path);
        HardwareProfile profile = HardwareProfileLoader.Load(path);
        Assert.Equal(3, profile.Encoders.Count);
        Assert.Equal(["bypass", "comp", "eq", "limit"], profile.Buttons.Where(b => b.Name != "ref").Select(b => b.Name).Order(StringComparer.Ordinal));
        Assert.Equal(hatChips, profile.I2cDevices.Count);

        // The REF button (reference A/B) on a header GPIO where one is free; the Codec Zero's header has none left.
        ButtonPin? reference = profile.Buttons.SingleOrDefault(b => b.Name == "ref");
        Assert.Equal(refPin, reference?.Pin ?? -1);
        Assert.Null(reference?.Expander);
    }

    [Fact]
    public void DefaultProfile_HasTheRefButtonOnGpio11_AndValidates()
    {
        HardwareProfile profile = HardwareProfile.CreatePi4Or5Default();
        HardwareProfileLoader.Validate(profile);
        Assert.Equal(11, profile.Buttons.Single(b => b.Name == "ref").Pin);
    }

    [Fact]
    public void CodecZero_EveryUsableHeaderGpioIsClaimed_SoNoRefPin()
    {
        HardwareProfile profile = HardwareProfileLoader.Load(Path.Combine(ProfileFolder(), "codec-zero.json"));
        var claimed = new HashSet<int>(profile.ReservedPins);
        foreach (EncoderPins e in profile.Encoders)
        {
            claimed.Add(e.PinA);
            claimed.Add(e.PinB);
            claimed.Add(e.PinSwitch ?? -1);
        }

        claimed.UnionWith(profile.Buttons.Select(b => b.Pin));
        claimed.UnionWith(profile.Leds.Select(l => l.Pin));
        int[] usable = [.. Enumerable.Range(4, 14), .. Enumerable.Range(22, 6)]; // BCM 4-17, 22-27 (0/1 EEPROM, 2/3 I2C, 18-21 I2S)
        Assert.All(usable, pin => Assert.Contains(pin, claimed));
        Assert.DoesNotContain(profile.Buttons, b => b.Name == "ref");
    }

    [Fact]
    public void Mcp23017Board_ControlsOnTheExpander()
    {
        HardwareProfile profile = HardwareProfileLoader.Load(Path.Combine(ProfileFolder(), "mcp23017-3enc-4btn.json"));
        ExpanderSettings panel = Assert.Single(profile.Expanders);
        Assert.Equal(ExpanderChip.Mcp23017, panel.Chip);
        Assert.Equal(0x20, panel.Address);
        Assert.All(profile.Encoders, e => Assert.Equal("panel", e.Expander));
        Assert.Equal(3, profile.Leds.Count(l => l.Expander == "panel"));
    }

    [Fact]
    public void Resolve_UnknownNameOrPath()
    {
        Assert.Null(HardwareProfileLoader.Resolve("no-such-board", [ProfileFolder()]));
        Assert.Equal("./mine.json", HardwareProfileLoader.Resolve("./mine.json", [ProfileFolder()]));
    }

    [Theory]
    [InlineData("""{ "display": { "address": "0x3C" }, "expanders": [ { "name": "p", "address": "0x3C" } ] }""", "box.json: $.expanders[0].address: I2C address 0x3C on bus 1 is already used by $.display.address.")]
    [InlineData("""{ "i2cDevices": [ { "name": "DAC", "address": "0x4D" }, { "name": "ADC", "address": "0x4D" } ] }""", "box.json: $.i2cDevices[1].address: I2C address 0x4D on bus 1 is already used by $.i2cDevices[0].address.")]
    [InlineData("""{ "expanders": [ { "name": "p" } ], "buttons": [ { "name": "eq", "expander": "p", "pin": 3 }, { "name": "comp", "expander": "p", "pin": 3 } ] }""", "box.json: $.buttons[1].pin: pin 3 of expander \"p\" is already used by $.buttons[0].pin.")]
    [InlineData("""{ "expanders": [ { "name": "p", "chip": "pcf8574" } ], "leds": [ { "name": "eq", "expander": "p", "pin": 8 } ] }""", "box.json: $.leds[0].pin: 8 is not a pin of expander \"p\" (0-7).")]
    [InlineData("""{ "buttons": [ { "name": "eq", "expander": "q", "pin": 1 } ] }""", "box.json: $.buttons[0].pin: no expander named \"q\" in $.expanders.")]
    [InlineData("""{ "expanders": [ { "name": "p", "interruptPin": 17 } ], "buttons": [ { "name": "eq", "pin": 17 } ] }""", "box.json: $.buttons[0].pin: GPIO 17 is already used by $.expanders[0].interruptPin.")]
    [InlineData("""{ "expanders": [ { "name": "p" } ], "buttons": [ { "name": "eq", "expander": "p", "pin": 7 } ] }""", "box.json: $.buttons[0].pin: pin 7 (GPA7) of the MCP23017 \"p\" is output only (Microchip DS20001952D); use it for an LED.")]
    [InlineData("""{ "expanders": [ { "name": "p" } ], "encoders": [ { "name": "value", "expander": "p", "pinA": 14, "pinB": 15 } ] }""", "box.json: $.encoders[0].pinB: pin 15 (GPB7) of the MCP23017 \"p\" is output only (Microchip DS20001952D); use it for an LED.")]
    public void Parse_Conflict_OneLineNamingFileAndPath(string json, string message)
    {
        var exception = Assert.Throws<HardwareProfileException>(() => HardwareProfileLoader.Parse(json, "box.json"));
        Assert.Equal(message, exception.Message);
    }

    [Fact]
    public void Parse_Mcp23017LedOnGpa7OrInputOnMcp23008Pin7_Accepted()
    {
        Assert.Single(HardwareProfileLoader.Parse("""{ "expanders": [ { "name": "p" } ], "leds": [ { "name": "eq", "expander": "p", "pin": 7 } ] }""", "box.json").Leds);
        Assert.Single(HardwareProfileLoader.Parse("""{ "expanders": [ { "name": "p", "chip": "mcp23008" } ], "buttons": [ { "name": "eq", "expander": "p", "pin": 7 } ] }""", "box.json").Buttons);
    }
}
