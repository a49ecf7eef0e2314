using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Reports.Plots;

/// <summary>
/// Where <c>--plot FILE.png</c> goes: checked before any work (never an input, the render's output, a folder or a
/// non-regular file; the folder must exist; the name must end in .png) and written atomically through
/// <see cref="OutputFile"/> (hidden temporary beside it, fsync, rename).
/// </summary>
internal static class PlotOutput
{
    /// <summary>
    /// Checks <paramref name="plotPath"/>; returns null, or the one-line problem "PATH: why" (the CLI prefixes it).
    /// </summary>
    /// <param name="plotPath">The user's --plot path.</param>
    /// <param name="mode">How to write it when there is no problem.</param>
    /// <param name="input">The command's input file, which the plot must not replace.</param>
    /// <param name="output">The render's output (null for <c>measure</c>), which the plot must not be either.</param>
    /// <returns>The problem, or null.</returns>
    public static string? Check(string? plotPath, out OutputMode mode, string input, string? output = null)
    {
        mode = OutputMode.Atomic;
        if (string.IsNullOrWhiteSpace(plotPath))
        {
            return "--plot: the path is empty";
        }

        // NameTheSameFile also catches an output that does not exist yet (same name in the same folder).
        if (OutputFile.NameTheSameFile(plotPath, input))
        {
            return $"{plotPath}: --plot is the input file; refusing to overwrite it (give the plot a name of its own)";
        }

        if (output is not null && OutputFile.NameTheSameFile(plotPath, output))
        {
            return $"{plotPath}: --plot is the render's output file; give the plot a name of its own";
        }

        if (OutputFile.Check(plotPath, out mode, input, output) is string problem)
        {
            return $"{plotPath}: {problem}";
        }

        if (mode == OutputMode.Atomic && !plotPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            return $"{plotPath}: the plot is a PNG; give a name ending in .png";
        }

        if (PlotNative.EnsureLoaded() is string drawing)
        {
            return $"{plotPath}: {drawing}";
        }

        if (!PlotFonts.EnsureConfigured())
        {
            return $"{plotPath}: no font to label the plot with (install fonts-dejavu-core)";
        }

        return null;
    }

    /// <summary>Writes <paramref name="png"/> to <paramref name="plotPath"/> (temporary, fsync, rename; a device directly).</summary>
    /// <param name="plotPath">Checked by <see cref="Check"/>.</param>
    /// <param name="mode">From <see cref="Check"/>.</param>
    /// <param name="png">The image.</param>
    /// <exception cref="IOException">The file cannot be written; the message says why and never names the temporary.</exception>
    public static void Write(string plotPath, OutputMode mode, ReadOnlySpan<byte> png)
    {
        string temporary = plotPath;
        FileStream? file = null;
        try
        {
            file = OutputFile.Open(plotPath, mode, out temporary);
            file.Write(png);
            file.Flush();
            if (mode == OutputMode.Atomic)
            {
                OutputFile.FlushToDisk(file);
            }

            file.Dispose();
            file = null;
            if (mode == OutputMode.Atomic)
            {
                OutputFile.Commit(temporary, plotPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            if (mode == OutputMode.Atomic)
            {
                OutputFile.Discard(temporary, plotPath);
            }

            throw new IOException($"write error: {OutputFile.Describe(ex, temporary, plotPath)}", ex);
        }
    }
}
