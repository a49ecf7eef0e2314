using System.Diagnostics;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.Hal.Tests.Profile;

/// <summary>Hostile hardware profiles: every failure is one HardwareProfileException line, never a stack trace or a hang.</summary>
public class HardwareProfileFaultTests
{
    private static string Fails(string json)
    {
        HardwareProfileException error = Assert.Throws<HardwareProfileException>(() => HardwareProfileLoader.Parse(json, "box.json"));
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("box.json: ", error.Message);
        return error.Message;
    }

    [Fact]
    public void Parse_DuplicateKey_IsAnErrorNamingKeyAndLine()
    {
        Assert.Equal(
            "box.json: line 3: duplicate key \"pin\" in \"buttons[0]\"; each key may appear once",
            Fails("{ \"buttons\": [\n { \"pin\": 16,\n \"pin\": 26 } ] }"));
    }

    [Fact]
    public void Parse_DuplicateTopLevelSection_IsAnError()
    {
        Assert.Equal(
            "box.json: line 2: duplicate key \"leds\"; each key may appear once",
            Fails("{ \"leds\": [],\n \"leds\": [ { \"pin\": 12 } ] }"));
    }

    [Theory]
    [InlineData("{ \"name\": \"\\udc00\" }")]
    [InlineData("{ \"display\": { \"address\": \"0x\\ud83c\" } }")]
    public void Parse_LoneSurrogate_OneLine(string json)
    {
        Assert.StartsWith("box.json: line 1: a string is not valid Unicode", Fails(json));
    }

    [Theory]
    [InlineData("{ \"encoders\": null }", "box.json: $.encoders: must not be null.")]
    [InlineData("{ \"buttons\": [ null ] }", "box.json: $.buttons[0]: must not be null.")]
    [InlineData("{ \"leds\": [ { \"name\": null, \"pin\": 12 } ] }", "box.json: $.leds[0].name: must not be null.")]
    [InlineData("{ \"name\": null }", "box.json: $.name: must not be null.")]
    [InlineData("{ \"reservedPins\": null }", "box.json: $.reservedPins: must not be null.")]
    public void Parse_NullWhereAValueBelongs_OneLineNotNullReference(string json, string expected)
    {
        Assert.Equal(expected, Fails(json));
    }

    [Theory]
    [InlineData("{ \"display\": { \"address\": 1e99 } }", "$.display.address")]
    [InlineData("{ \"display\": { \"address\": 60.5 } }", "$.display.address")]
    [InlineData("{ \"buttons\": [ { \"pin\": 99999999999 } ] }", "$.buttons[0].pin")]
    [InlineData("{ \"leds\": [ { \"pin\": 12, \"activeLow\": \"yes\" } ] }", "$.leds[0].activeLow")]
    [InlineData("{ \"encoders\": {} }", "$.encoders")]
    public void Parse_WrongTypeOrOutOfRangeNumber_NamesThePath(string json, string path)
    {
        Assert.StartsWith("box.json: " + path, Fails(json));
    }

    [Fact]
    public void Parse_UnknownNestedKey_IsAnError()
    {
        Assert.Contains("pinC", Fails("{ \"encoders\": [ { \"pinA\": 17, \"pinB\": 27, \"pinC\": 22 } ] }"));
    }

    [Fact]
    public void Parse_DeepNesting_OneLine()
    {
        Assert.StartsWith("box.json: line 1: not valid JSON", Fails("{ \"name\": " + new string('[', 100000) + " }"));
    }

    [Fact]
    public void Load_DevZero_EndsAtOnceWithOneLine()
    {
        HardwareProfileException error = Assert.Throws<HardwareProfileException>(() => HardwareProfileLoader.Load("/dev/zero"));
        Assert.Equal("/dev/zero: cannot read the hardware profile: not a regular file (a character device)", error.Message);
    }

    [Fact]
    public void Load_FifoWithoutWriter_RefusedWithoutOpening()
    {
        string directory = Directory.CreateTempSubdirectory("hm-profile").FullName;
        try
        {
            string fifo = Path.Combine(directory, "profile.json");
            using (Process process = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
            {
                process.WaitForExit();
                Assert.Equal(0, process.ExitCode);
            }

            HardwareProfileException error = Assert.Throws<HardwareProfileException>(() => HardwareProfileLoader.Load(fifo));
            Assert.Equal($"{fifo}: cannot read the hardware profile: not a regular file (a FIFO)", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Load_LargerThanTheCap_OneLine()
    {
        string path = Path.Combine(Path.GetTempPath(), "hm-big-profile-" + Guid.NewGuid() + ".json");
        File.WriteAllBytes(path, Enumerable.Repeat((byte)' ', (1 << 20) + 1).ToArray());
        try
        {
            HardwareProfileException error = Assert.Throws<HardwareProfileException>(() => HardwareProfileLoader.Load(path));
            Assert.Equal($"{path}: cannot read the hardware profile: larger than 1 MiB; this is not a settings file", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_DefaultProfileFile_RoundTrips()
    {
        string path = Path.Combine(Path.GetTempPath(), "hm-profile-" + Guid.NewGuid() + ".json");
        File.WriteAllText(path, HardwareProfileLoader.ToJson(HardwareProfile.CreatePi4Or5Default()));
        try
        {
            Assert.Equal(3, HardwareProfileLoader.Load(path).Encoders.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
