using HardwareMaster.Hal.Files;

namespace HardwareMaster.Hal.Json;

/// <summary>A small settings file (preset, configuration, hardware profile) could not be read. The message is one line: <c>PATH: why</c>.</summary>
public sealed class BoundedFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file as the user named it.</param>
    /// <param name="problem">Why it could not be read (no path in it).</param>
    /// <param name="inner">The underlying error, if any.</param>
    public BoundedFileException(string path, string problem, Exception? inner = null)
        : base($"{(path.Length == 0 ? "(empty file name)" : path)}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file as the user named it.</summary>
    public string Path { get; }

    /// <summary>Why it could not be read, without the path.</summary>
    public string Problem { get; }
}

/// <summary>
/// Reads small settings files whole, but never more than a cap: at most <c>maxBytes + 1</c> bytes are read, so
/// <c>/dev/zero</c> or a huge file ends at once with one line instead of filling memory, and devices, FIFOs,
/// sockets and directories are refused before they are opened (opening a FIFO would wait for a writer).
/// </summary>
public static class BoundedFile
{
    /// <summary>The cap the settings parsers use: 1 MiB (a full preset is about 4 kB).</summary>
    public const int DefaultMaxBytes = 1 << 20;

    /// <summary>Reads the whole of <paramref name="path"/>, which must be a regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="path">The file (symbolic links are followed).</param>
    /// <param name="maxBytes">Largest accepted size in bytes.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="BoundedFileException">Empty name, missing, unreadable, not a regular file, or larger than the cap.</exception>
    public static byte[] ReadAllBytes(string path, int maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (path.Length == 0)
        {
            throw new BoundedFileException(path, "the file name is empty");
        }

        if (NonRegularKind(path) is { } kind)
        {
            throw new BoundedFileException(path, $"not a regular file ({kind})");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            byte[] buffer = new byte[Math.Min(maxBytes + 1L, 64 * 1024)];
            int total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (buffer.Length > maxBytes)
                    {
                        throw new BoundedFileException(path, $"larger than {Describe(maxBytes)}; this is not a settings file");
                    }

                    Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
                }

                int read = stream.Read(buffer, total, buffer.Length - total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            Array.Resize(ref buffer, total);
            return buffer;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BoundedFileException(path, "file not found", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BoundedFileException(path, "permission denied", e);
        }
        catch (IOException e) when (e is not BoundedFileException)
        {
            throw new BoundedFileException(path, FirstLine(e.Message), e);
        }
    }

    /// <summary>What <paramref name="path"/> is when it exists and is not a regular file ("a directory", "a FIFO", …); null otherwise or when unknown.</summary>
    /// <param name="path">The path (symbolic links are followed).</param>
    /// <returns>The kind, or null.</returns>
    public static string? NonRegularKind(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FileIdentity.Of(path).Kind switch
        {
            FileKind.Directory => "a directory",
            FileKind.CharacterDevice => "a character device",
            FileKind.Fifo => "a FIFO",
            FileKind.Other => "a block device or socket",
            _ => null, // a regular file, or missing/unreachable: opening it says why
        };
    }

    private static string Describe(int bytes) =>
        bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : bytes % 1024 == 0 ? $"{bytes >> 10} KiB" : $"{bytes} bytes";

    private static string FirstLine(string text)
    {
        int newline = text.IndexOfAny(['\r', '\n']);
        return newline < 0 ? text : text[..newline];
    }
}
