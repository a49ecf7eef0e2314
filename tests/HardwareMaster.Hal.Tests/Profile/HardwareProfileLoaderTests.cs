using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.Hal.Tests.Profile;

public class HardwareProfileLoaderTests
{
    private const string Valid = """
        {
          // comments are allowed
          "name": "bench",
          "encoders": [ { "name": "a", "pinA": 17, "pinB": 27, "pinSwitch": 22 } ],
          "buttons": [ { "name": "eq", "pin": 16 } ],
          "leds": [ { "name": "eq", "pin": 12, "activeLow": true } ],
          "display": { "type": "sh1106", "i2cBus": 1, "address": "0x3D", "rotation": 180 }
        }
        """;

    [Fact]
    public void Parse_ValidProfile_ReadsEveryField()
    {
        HardwareProfile profile = HardwareProfileLoader.Parse(Valid, "bench.json");
        Assert.Equal(17, profile.Encoders[0].PinA);
        Assert.Equal(22, profile.Encoders[0].PinSwitch);
        Assert.Equal(16, profile.Buttons[0].Pin);
        Assert.True(profile.Leds[0].ActiveLow);
        Assert.Equal(OledController.Sh1106, profile.Display!.Type);
        Assert.Equal(0x3D, profile.Display.Address);
        Assert.Equal(180, profile.Display.Rotation);
    }

    [Fact]
    public void CreatePi4Or5Default_IsValidAndRoundTrips()
    {
        HardwareProfile profile = HardwareProfile.CreatePi4Or5Default();
        HardwareProfileLoader.Validate(profile);
        string json = HardwareProfileLoader.ToJson(profile);
        HardwareProfile again = HardwareProfileLoader.Parse(json);
        Assert.Equal(json, HardwareProfileLoader.ToJson(again));
        Assert.Contains("\"0x3C\"", json);
    }

    [Theory]
    [InlineData("\"buttons\": [ { \"pin\": 27 } ]", "$.buttons[0].pin", "already used by $.encoders[0].pinB")]
    [InlineData("\"buttons\": [ { \"pin\": 18 } ]", "$.buttons[0].pin", "I2S")]
    [InlineData("\"leds\": [ { \"pin\": 21 } ]", "$.leds[0].pin", "I2S")]
    [InlineData("\"buttons\": [ { \"pin\": 2 } ]", "$.buttons[0].pin", "I2C1 SDA")]
    [InlineData("\"leds\": [ { \"pin\": 3 } ]", "$.leds[0].pin", "I2C1 SCL")]
    [InlineData("\"buttons\": [ { \"pin\": 40 } ]", "$.buttons[0].pin", "not a header GPIO")]
    [InlineData("\"buttons\": [ { \"pin\": 5 } ], \"reservedPins\": [5]", "$.buttons[0].pin", "reservedPins")]
    public void Parse_PinConflict_FailsWithOneLineNamingFileAndPath(string extra, string path, string problem)
    {
        string json = "{ \"encoders\": [ { \"pinA\": 17, \"pinB\": 27 } ], " + extra + " }";
        HardwareProfileException error = Assert.Throws<HardwareProfileException>(() => HardwareProfileLoader.Parse(json, "box.json"));
        Assert.StartsWith("box.json: " + path + ": ", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("{ \"buttons\": [ { \"pin\": \"x\" } ] }", "$.buttons[0].pin")]
    [InlineData("{ \"display\": { \"address\": \"0xZZ\" } }", "$.display.address")]
    [InlineData("{ \"display\": { \"type\": \"st7735\" } }", "$.display.type")]
    [InlineData("{ \"colour\": 1 }", "$")]
    [InlineData("{ \"display\": { \"rotation\": 90 } }", "$.display.rotation")]
    public void Parse_BadJson_NamesThePath(string json, string path)
    {
        HardwareProfileException error = Assert.Throws<HardwareProfileException>(() => HardwareProfileLoader.Parse(json, "box.json"));
        Assert.StartsWith("box.json: " + path, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("{ \"type\": \"hd44780\", \"address\": \"0x27\", \"rows\": 2 }", "$.display.columns", "16 or 20")]
    [InlineData("{ \"type\": \"hd44780\", \"address\": \"0x27\", \"columns\": 16, \"rows\": 3 }", "$.display.rows", "2 or 4")]
    [InlineData("{ \"type\": \"hd44780\", \"address\": \"0x4D\", \"columns\": 20, \"rows\": 4 }", "$.display.address", "PCF8574")]
    [InlineData("{ \"type\": \"hd44780\", \"address\": \"0x27\", \"columns\": 20, \"rows\": 4, \"rotation\": 180 }", "$.display.rotation", "cannot be rotated")]
    [InlineData("{ \"type\": \"ssd1309\", \"columns\": 20 }", "$.display.columns", "only a character LCD")]
    public void Parse_BadCharacterDisplay_OneLineNamingFileAndPath(string display, string path, string problem)
    {
        HardwareProfileException error = Assert.Throws<HardwareProfileException>(() => HardwareProfileLoader.Parse("{ \"display\": " + display + " }", "box.json"));
        Assert.StartsWith("box.json: " + path + ": ", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("{ \"type\": \"hd44780\", \"address\": \"0x27\", \"columns\": 20, \"rows\": 4 }", OledController.Hd44780)]
    [InlineData("{ \"type\": \"ssd1309\", \"address\": \"0x3C\" }", OledController.Ssd1309)]
    public void Parse_NewDisplayTypes_Load(string display, OledController type)
    {
        HardwareProfile profile = HardwareProfileLoader.Parse("{ \"display\": " + display + " }", "box.json");
        Assert.Equal(type, profile.Display!.Type);
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "hm-missing-profile-" + Guid.NewGuid() + ".json");
        HardwareProfileException error = Assert.Throws<HardwareProfileException>(() => HardwareProfileLoader.Load(path));
        Assert.StartsWith(path + ": ", error.Message);
    }
}
