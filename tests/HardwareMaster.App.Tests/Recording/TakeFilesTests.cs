using HardwareMaster.App.Recording;
using HardwareMaster.App.Tests.Faults;

namespace HardwareMaster.App.Tests.Recording;

/// <summary>The take's hidden space reserve: a stale one is replaced, nothing that is not a regular file is touched.</summary>
public sealed class TakeFilesTests : IDisposable
{
    private readonly FaultFiles _files = new();

    [Fact]
    public void WriteReserve_StaleRegularFile_IsReplacedWithTheReserve()
    {
        string path = _files.PathOf(".take-0001.reserve");
        File.WriteAllText(path, "left by a killed run");

        TakeFiles.WriteReserve(path, 4096);

        Assert.Equal(4096, new FileInfo(path).Length);
    }

    [Fact]
    public void WriteReserve_LinkAtTheName_IsRefusedAndItsTargetKept()
    {
        string target = _files.PathOf("precious.wav");
        File.WriteAllText(target, "a take");
        string path = _files.PathOf(".take-0002.reserve");
        File.CreateSymbolicLink(path, target);

        IOException error = Assert.Throws<IOException>(() => TakeFiles.WriteReserve(path, 4096));

        Assert.Contains("not a regular file", error.Message, StringComparison.Ordinal);
        Assert.Equal("a take", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(path).LinkTarget);
    }

    [Fact]
    public void WriteReserve_FifoAtTheName_IsRefusedWithoutBlocking()
    {
        string path = _files.Fifo(".take-0003.reserve");

        Assert.Throws<IOException>(() => TakeFiles.WriteReserve(path, 4096));
        Assert.True(File.Exists(path));
    }

    public void Dispose() => _files.Dispose();
}
