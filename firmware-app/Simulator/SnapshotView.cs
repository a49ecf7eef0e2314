using System.Globalization;
using HardwareMaster.App.Host;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Files;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Simulator;

/// <summary>
/// <c>--snapshot-dir DIR</c>: writes every new screen as a PNG, <c>screen-00001.png</c>, <c>screen-00002.png</c> … in
/// order (numbering continues after files already there, never replacing one), each written to a hidden temporary file,
/// flushed to disk and renamed, so no partial PNG ever carries a final name.
/// </summary>
public sealed class SnapshotView : IBoxView
{
    private readonly string _directory;
    private int _number;

    /// <summary>Creates the view; the folder is created when missing.</summary>
    /// <param name="directory">The folder.</param>
    /// <exception cref="IOException">The folder cannot be created (or is a file).</exception>
    public SnapshotView(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = directory;
        Directory.CreateDirectory(directory);
        _number = HighestNumber(directory, ".png");
    }

    /// <summary>The highest NNNNN of the <c>screen-NNNNN</c><paramref name="extension"/> files in <paramref name="directory"/>, or 0.</summary>
    /// <param name="directory">The snapshot folder.</param>
    /// <param name="extension">The snapshots' extension with its dot.</param>
    /// <returns>Where the numbering continues from.</returns>
    internal static int HighestNumber(string directory, string extension)
    {
        int highest = 0;
        foreach (string file in Directory.EnumerateFiles(directory, "screen-*" + extension))
        {
            string stem = Path.GetFileNameWithoutExtension(file)["screen-".Length..];
            if (int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > highest)
            {
                highest = n;
            }
        }

        return highest;
    }

    /// <summary>PNGs written.</summary>
    public int Written { get; private set; }

    /// <summary>The path of the last PNG written, or null.</summary>
    public string? LastPath { get; private set; }

    /// <summary>Checks up front that <paramref name="directory"/> can hold snapshots.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>A problem in one line, or null.</returns>
    public static string? Check(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            return "the folder name is empty";
        }

        if (File.Exists(directory))
        {
            return "is a file, not a folder";
        }

        string? parent = Path.GetDirectoryName(Path.GetFullPath(directory));
        if (!Directory.Exists(directory) && parent is not null && !Directory.Exists(parent))
        {
            return $"its parent folder {parent} does not exist";
        }

        return null;
    }

    /// <inheritdoc />
    public void Show(MonoFrameBuffer panel, in BoxViewState state, bool screenChanged)
    {
        if (!screenChanged)
        {
            return;
        }

        int number = _number + 1;
        string name = string.Create(CultureInfo.InvariantCulture, $"screen-{number:00000}.png");
        string final = Path.Combine(_directory, name);
        // The project's output rule (a tracked hidden temporary, removed on SIGINT/SIGTERM; fsynced), but never over an
        // existing screen: the rename does not replace.
        string temp = string.Empty;
        try
        {
            using (FileStream stream = OutputFile.Open(final, OutputMode.Atomic, out temp))
            {
                PngWriter.Write(stream, panel);
                OutputFile.FlushToDisk(stream);
            }

            File.Move(temp, final, overwrite: false);
            OutputFile.Untrack(temp);
        }
        catch
        {
            OutputFile.Discard(temp, final);
            throw;
        }

        _number = number;
        Written++;
        LastPath = final;
    }
}
