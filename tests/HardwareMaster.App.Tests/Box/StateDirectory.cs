namespace HardwareMaster.App.Tests.Box;

/// <summary>
/// A fresh state directory for a test, deleted on dispose. It lives in <c>/dev/shm</c> (tmpfs) when there is one:
/// these tests are about what a crash or a kill leaves, which the page cache keeps whatever the disk; on a shared,
/// busy VM a real fsync can stall for many seconds, which would only make the tests slow.
/// </summary>
internal sealed class StateDirectory : IDisposable
{
    public StateDirectory(string prefix)
    {
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(root, $"hm-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // already gone
        }
    }
}
