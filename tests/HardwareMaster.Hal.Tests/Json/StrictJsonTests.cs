using HardwareMaster.Hal.Json;

namespace HardwareMaster.Hal.Tests.Json;

public class StrictJsonTests
{
    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAllowedAndLinesAreKnown()
    {
        using StrictJsonDocument document = StrictJson.Parse("{\n // note\n \"a\": { \"b\": [1, {\"c\": 2},],\n },\n \"d\": 3,\n}", "x.json");
        Assert.Equal(3, document.Root.GetProperty("d").GetInt32());
        Assert.Equal(3, document.LineOf("a"));
        Assert.Equal(3, document.LineOf("a", "b"));
        Assert.Equal(3, document.LineOf("a", "b", "[1]", "c"));
        Assert.Equal(5, document.LineOf("d"));
        Assert.Null(document.LineOf("zz"));
    }

    [Fact]
    public void Parse_SameKeyInDifferentObjects_IsNotADuplicate()
    {
        using StrictJsonDocument document = StrictJson.Parse("{ \"a\": { \"x\": 1 }, \"b\": { \"x\": 2 }, \"c\": [ { \"x\": 1 }, { \"x\": 2 } ] }", "x.json");
        Assert.Equal(2, document.Root.GetProperty("b").GetProperty("x").GetInt32());
    }

    [Theory]
    [InlineData("{ \"a\": 1, \"a\": 1 }", "line 1: duplicate key \"a\"")]
    [InlineData("{ \"a\": [ { \"k\": 1,\n \"k\": 2 } ] }", "line 2: duplicate key \"k\" in \"a[0]\"")]
    [InlineData("{ \"a\": \"\\udc00\" }", "line 1: a string is not valid Unicode")]
    [InlineData("{ \"a\": \"\\ud800\\u0041\" }", "line 1: a string is not valid Unicode")]
    [InlineData("{ \"a\":\n\n 1,, }", "line 3: not valid JSON")]
    public void Parse_BrokenRule_ThrowsWithLine(string json, string expected)
    {
        StrictJsonException error = Assert.Throws<StrictJsonException>(() => StrictJson.Parse(json, "x.json"));
        Assert.StartsWith("x.json: " + expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_ValidSurrogatePair_IsAccepted()
    {
        using StrictJsonDocument document = StrictJson.Parse("{ \"a\": \"\\ud83c\\udfb5\" }", "x.json");
        Assert.Equal("\U0001F3B5", document.Root.GetProperty("a").GetString());
    }

    [Fact]
    public void Parse_NestingBeyondTheLimit_Throws()
    {
        string json = new string('[', StrictJson.MaxDepth + 1) + new string(']', StrictJson.MaxDepth + 1);
        Assert.Throws<StrictJsonException>(() => StrictJson.Parse(json, "x.json"));
        using StrictJsonDocument ok = StrictJson.Parse(new string('[', StrictJson.MaxDepth) + new string(']', StrictJson.MaxDepth), "x.json");
    }

    [Fact]
    public void ReadAllBytes_CapPlusOne_IsRefusedAndCapIsRead()
    {
        string path = Path.Combine(Path.GetTempPath(), "hm-bounded-" + Guid.NewGuid());
        try
        {
            File.WriteAllBytes(path, new byte[1000]);
            Assert.Equal(1000, BoundedFile.ReadAllBytes(path, maxBytes: 1000).Length);
            BoundedFileException error = Assert.Throws<BoundedFileException>(() => BoundedFile.ReadAllBytes(path, maxBytes: 999));
            Assert.Equal($"{path}: larger than 999 bytes; this is not a settings file", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadAllBytes_ProcFileWithZeroSizeButContent_IsReadWhole()
    {
        byte[] status = BoundedFile.ReadAllBytes("/proc/self/status");
        Assert.Contains("Name:", System.Text.Encoding.ASCII.GetString(status));
    }

    [Theory]
    [InlineData("/dev/zero", "not a regular file (a character device)")]
    [InlineData("/dev/null", "not a regular file (a character device)")]
    [InlineData("/", "not a regular file (a directory)")]
    [InlineData("/nonexistent/x.json", "file not found")]
    public void ReadAllBytes_NotARegularFile_OneLine(string path, string problem)
    {
        BoundedFileException error = Assert.Throws<BoundedFileException>(() => BoundedFile.ReadAllBytes(path));
        Assert.Equal(problem, error.Problem);
        Assert.Equal($"{path}: {problem}", error.Message);
    }
}
