using System.Diagnostics;

namespace HardwareMaster.App.Tests.Faults;

/// <summary>A temporary directory for hostile inputs (FIFOs, oversized and malformed files); deleted on dispose.</summary>
internal sealed class FaultFiles : IDisposable
{
    public FaultFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("hm-fault").FullName;
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public string Text(string name, string text)
    {
        string path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A file of <paramref name="bytes"/> spaces (valid JSON whitespace) that is just over a cap.</summary>
    public string Spaces(string name, int bytes)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, Enumerable.Repeat((byte)' ', bytes).ToArray());
        return path;
    }

    /// <summary>A named pipe with no writer: opening it for reading would block for ever.</summary>
    public string Fifo(string name)
    {
        string path = PathOf(name);
        using Process process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
