using System.Text;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Presets;

/// <summary>Writes files so that a power cut leaves either the old or the new content, never a torn file.</summary>
/// <remarks>The rules are <see cref="OutputFile"/>'s: only a regular file (or nothing) is ever replaced.</remarks>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="contents"/> to a temporary file beside <paramref name="path"/> (<c>.NAME.partPID.EXT</c>),
    /// flushes it to the disk (fsync), then renames it over <paramref name="path"/> (rename is atomic on POSIX file
    /// systems). A character device or FIFO at <paramref name="path"/> (<c>/dev/stdout</c>, <c>/dev/full</c>) is written
    /// directly and never replaced; a folder or anything else is refused. Stale temporary files of dead processes are removed.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="contents">The text (UTF-8).</param>
    /// <param name="mustNotBe">Files that must not be overwritten (e.g. the audio input and output); compared by device and inode.</param>
    /// <exception cref="IOException">The path is refused, the directory is not writable or the disk is full; the original file is untouched.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void WriteAllText(string path, string contents, params string?[] mustNotBe)
    {
        if (OutputFile.Check(path, out OutputMode mode, mustNotBe) is string problem)
        {
            throw new IOException(problem);
        }

        byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents);
        string temporary = path;
        try
        {
            using (FileStream stream = OutputFile.Open(path, mode, out temporary))
            {
                if (mode == OutputMode.Atomic)
                {
                    stream.SetLength(0);
                }

                stream.Write(bytes);
                OutputFile.FlushToDisk(stream);
            }

            OutputFile.Commit(temporary, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            OutputFile.Discard(temporary, path);
            if (ex.Message.Contains(temporary, StringComparison.Ordinal) && !string.Equals(temporary, path, StringComparison.Ordinal))
            {
                throw new IOException(OutputFile.Describe(ex, temporary, path), ex);
            }

            throw;
        }
    }
}
