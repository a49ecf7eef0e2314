using System.Globalization;
using System.Runtime.InteropServices;

namespace HardwareMaster.Hal.Files;

/// <summary>How a file the program writes is written.</summary>
public enum OutputMode
{
    /// <summary>Absent or a regular file: written to a hidden temporary file beside it, flushed (fsync) and renamed over it.</summary>
    Atomic,

    /// <summary>A character device (<c>/dev/null</c>, a terminal) or a FIFO: written directly, never replaced.</summary>
    Direct,
}

/// <summary>
/// The one rule for every file the program writes ("nothing lost"): never the input (compared by device and inode, so
/// symbolic links, <c>/proc/self/cwd/…</c> and hard links are caught); never replace what is not a regular file
/// (a device or FIFO is written directly, a folder or anything else is refused); regular files are replaced atomically
/// through a hidden temporary file <c>.NAME.partPID.EXT</c> beside them, which is deleted on failure and on
/// SIGINT/SIGTERM/SIGHUP, and whose stale copies left by killed processes are removed the next time that output is written.
/// </summary>
public static class OutputFile
{
    private static readonly object s_gate = new();
    private static readonly HashSet<string> s_tracked = new(StringComparer.Ordinal);
    private static List<PosixSignalRegistration>? s_registrations;

    /// <summary>
    /// Checks <paramref name="path"/> as an output: returns <c>null</c> and the way to write it, or the problem in a few
    /// words without the path (the caller prefixes it): empty, a folder, not a regular file/device/FIFO, the same file as
    /// one of <paramref name="inputs"/>, folder missing.
    /// </summary>
    /// <param name="path">The output path as the user gave it.</param>
    /// <param name="mode">How to write it when there is no problem.</param>
    /// <param name="inputs">Files that must not be overwritten (null entries are skipped).</param>
    /// <returns>The problem, or <c>null</c>.</returns>
    public static string? Check(string? path, out OutputMode mode, params string?[] inputs)
    {
        mode = OutputMode.Atomic;
        if (string.IsNullOrWhiteSpace(path))
        {
            return "the path is empty";
        }

        FileIdentity output = FileIdentity.Of(path);
        foreach (string? input in inputs)
        {
            if (!string.IsNullOrEmpty(input) && IsSameFile(path, output, input))
            {
                return $"is the same file as the input {input}; refusing to overwrite the input file";
            }
        }

        switch (output.Kind)
        {
            case FileKind.Directory:
                return "is a folder; give a file name";
            case FileKind.Other:
                return "is not a regular file, character device or FIFO; refusing to replace it";
            case FileKind.CharacterDevice or FileKind.Fifo:
                mode = OutputMode.Direct;
                return null;
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is null || FileIdentity.Of(directory).Kind != FileKind.Directory)
        {
            return $"directory {directory} does not exist";
        }

        return null;
    }

    /// <summary>
    /// <c>true</c> when <paramref name="a"/> and <paramref name="b"/> are the same existing file (device and inode; on
    /// systems without <c>statx</c>, the fully resolved paths).
    /// </summary>
    /// <param name="a">One path.</param>
    /// <param name="b">The other.</param>
    /// <returns>Whether writing one would overwrite the other.</returns>
    public static bool IsSameFile(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Length > 0 && IsSameFile(a, FileIdentity.Of(a), b);
    }

    /// <summary>
    /// <c>true</c> when <paramref name="a"/> and <paramref name="b"/> name the same file, whether or not it exists yet:
    /// the same existing file (device and inode), or the same name in the same folder (the folder compared by device and inode).
    /// </summary>
    /// <param name="a">One path.</param>
    /// <param name="b">The other.</param>
    /// <returns>Whether writing one would write the other.</returns>
    public static bool NameTheSameFile(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length == 0 || b.Length == 0)
        {
            return false;
        }

        if (IsSameFile(a, b) || string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal))
        {
            return true;
        }

        string fa = Path.GetFullPath(a), fb = Path.GetFullPath(b);
        if (!string.Equals(Path.GetFileName(fa), Path.GetFileName(fb), StringComparison.Ordinal))
        {
            return false;
        }

        string? da = Path.GetDirectoryName(fa), db = Path.GetDirectoryName(fb);
        return da is not null && db is not null && FileIdentity.Of(da).IsSameFileAs(FileIdentity.Of(db));
    }

    /// <summary>The hidden temporary file beside <paramref name="path"/>: <c>.NAME.partPID.EXT</c>.</summary>
    /// <param name="path">The final output.</param>
    /// <returns>The temporary path (same folder, same extension).</returns>
    public static string TemporaryPathFor(string path)
    {
        string full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileNameWithoutExtension(full)}.part{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}{Path.GetExtension(full)}");
    }

    /// <summary>
    /// Deletes temporary files of <paramref name="path"/> (exactly <c>.NAME.partPID.EXT</c> beside it) whose process is
    /// no longer alive: what a killed run left behind. Best effort; never throws.
    /// </summary>
    /// <param name="path">The final output.</param>
    /// <returns>How many files were removed.</returns>
    public static int RemoveStaleTemporaries(string path)
    {
        int removed = 0;
        try
        {
            if (!Directory.Exists("/proc/self"))
            {
                return 0; // cannot tell which processes are alive
            }

            string full = Path.GetFullPath(path);
            string directory = Path.GetDirectoryName(full)!;
            string prefix = $".{Path.GetFileNameWithoutExtension(full)}.part";
            string extension = Path.GetExtension(full);
            foreach (string candidate in Directory.EnumerateFiles(directory, prefix + "*" + extension))
            {
                string name = Path.GetFileName(candidate);
                if (name.Length <= prefix.Length + extension.Length || !name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(extension, StringComparison.Ordinal))
                {
                    continue;
                }

                ReadOnlySpan<char> digits = name.AsSpan(prefix.Length, name.Length - prefix.Length - extension.Length);
                if (!IsAllDigits(digits) || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0 || pid == Environment.ProcessId)
                {
                    continue;
                }

                if (!Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)) && FileIdentity.Of(candidate).Kind == FileKind.Regular)
                {
                    File.Delete(candidate);
                    removed++;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // Best effort: a stale temporary file is only clutter.
        }

        return removed;
    }

    /// <summary>
    /// Opens <paramref name="path"/> for writing the way <paramref name="mode"/> says: the temporary file (created, or
    /// truncated) for <see cref="OutputMode.Atomic"/>, the device or FIFO itself for <see cref="OutputMode.Direct"/>.
    /// </summary>
    /// <param name="path">The final output.</param>
    /// <param name="mode">From <see cref="Check"/>.</param>
    /// <param name="temporary">The temporary path (Atomic) or <paramref name="path"/> (Direct).</param>
    /// <returns>The stream (read/write for a temporary file, write-only for a device).</returns>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static FileStream Open(string path, OutputMode mode, out string temporary)
    {
        if (mode == OutputMode.Direct)
        {
            temporary = path;
            return new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        }

        RemoveStaleTemporaries(path);
        temporary = TemporaryPathFor(path);
        Track(temporary);
        try
        {
            return new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);
        }
        catch
        {
            Untrack(temporary);
            throw;
        }
    }

    /// <summary>Flushes <paramref name="stream"/> to the disk (fsync) when it is a regular file; a device is only flushed.</summary>
    /// <param name="stream">The written stream.</param>
    /// <exception cref="IOException">The flush failed (disk full).</exception>
    public static void FlushToDisk(FileStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Flush(flushToDisk: stream.CanSeek && FileIdentity.Of(stream.Name).Kind == FileKind.Regular);
    }

    /// <summary>Renames the finished temporary file over the output (atomic on POSIX) and stops tracking it.</summary>
    /// <param name="temporary">The temporary file (already flushed and closed).</param>
    /// <param name="path">The final output.</param>
    /// <exception cref="IOException">The rename failed; the temporary file is deleted and the output untouched.</exception>
    public static void Commit(string temporary, string path)
    {
        if (string.Equals(temporary, path, StringComparison.Ordinal))
        {
            return; // Direct
        }

        try
        {
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            Discard(temporary, path);
            throw;
        }

        Untrack(temporary);
    }

    /// <summary>Deletes the temporary file of a failed write (best effort) and stops tracking it. Does nothing for a direct write.</summary>
    /// <param name="temporary">The temporary file.</param>
    /// <param name="path">The final output (compared so a direct write is never deleted).</param>
    public static void Discard(string temporary, string path)
    {
        if (string.IsNullOrEmpty(temporary) || string.Equals(temporary, path, StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            File.Delete(temporary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Beside the output and named as such; removed as stale next time.
        }

        Untrack(temporary);
    }

    /// <summary>
    /// Registers <paramref name="temporary"/> to be deleted if the process is ended by SIGINT, SIGTERM or SIGHUP before
    /// it is committed or discarded (the signal then goes on to end the process as usual).
    /// </summary>
    /// <param name="temporary">A temporary file.</param>
    public static void Track(string temporary)
    {
        lock (s_gate)
        {
            s_tracked.Add(temporary);
            if (s_registrations is null)
            {
                s_registrations = [];
                try
                {
                    foreach (PosixSignal signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
                    {
                        s_registrations.Add(PosixSignalRegistration.Create(signal, _ => DeleteTracked()));
                    }
                }
                catch (PlatformNotSupportedException)
                {
                    // No POSIX signals here: stale files are still removed next time.
                }
            }
        }
    }

    /// <summary>Stops tracking <paramref name="temporary"/> (it was committed or deleted).</summary>
    /// <param name="temporary">A temporary file.</param>
    public static void Untrack(string temporary)
    {
        lock (s_gate)
        {
            s_tracked.Remove(temporary);
        }
    }

    /// <summary>The temporary files that would be deleted by a signal now.</summary>
    /// <returns>A copy of the set.</returns>
    public static IReadOnlyList<string> Tracked()
    {
        lock (s_gate)
        {
            return [.. s_tracked];
        }
    }

    /// <summary>Deletes every tracked temporary file (what the signal handler does). Best effort.</summary>
    /// <returns>How many files were deleted.</returns>
    public static int DeleteTracked()
    {
        string[] files;
        lock (s_gate)
        {
            files = [.. s_tracked];
            s_tracked.Clear();
        }

        int deleted = 0;
        foreach (string file in files)
        {
            try
            {
                if (File.Exists(file))
                {
                    File.Delete(file);
                    deleted++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Removed as stale next time.
            }
        }

        return deleted;
    }

    /// <summary>The message of <paramref name="error"/> on one line, naming <paramref name="path"/> where it named the temporary file.</summary>
    /// <param name="error">An I/O error.</param>
    /// <param name="temporary">The temporary file the error may name.</param>
    /// <param name="path">The output the user asked for.</param>
    /// <returns>The cleaned message.</returns>
    public static string Describe(Exception error, string temporary, string path)
    {
        ArgumentNullException.ThrowIfNull(error);
        string message = error.Message.ReplaceLineEndings(" ").Trim();
        if (!string.IsNullOrEmpty(temporary) && !string.Equals(temporary, path, StringComparison.Ordinal))
        {
            message = message.Replace(temporary, path, StringComparison.Ordinal);
        }

        return message;
    }

    private static bool IsSameFile(string path, FileIdentity output, string input)
    {
        FileIdentity source = FileIdentity.Of(input);
        if (output.HasIdentity && source.HasIdentity)
        {
            return output.IsSameFileAs(source);
        }

        // No statx: compare the fully resolved paths.
        return output.Exists && source.Exists && string.Equals(Resolve(path), Resolve(input), StringComparison.Ordinal);
    }

    private static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
