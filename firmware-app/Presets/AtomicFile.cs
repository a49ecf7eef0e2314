namespace HardwareMaster.App.Presets;

/// <summary>Writes files so that a power cut leaves either the old or the new content, never a torn file.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="contents"/> to a temporary file beside <paramref name="path"/>, flushes it to the
    /// disk (fsync), then renames it over <paramref name="path"/> (rename is atomic on POSIX file systems).
    /// </summary>
    /// <exception cref="IOException">The directory is not writable or the disk is full; the original file is untouched.</exception>
    public static void WriteAllText(string path, string contents)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(contents);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stale temporary file is harmless and is overwritten next time.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
