namespace HardwareMaster.App.Monitor;

/// <summary>
/// Where the reference player looks for files (issue 14, item 3): a folder specification — one or more folders
/// separated by <c>:</c>, each of which may hold <c>*</c> wildcards in its segments (<c>/media/*/*</c>: any stick the
/// desktop's automounter mounts under /media/USER/LABEL). The first folder that exists and holds WAV/AIFF files wins;
/// without one the first folder that exists (an empty stick), else none (no stick).
/// </summary>
/// <remarks>Only the folder's own files are listed (no recursion), sorted by name; hidden files (<c>._song.wav</c>, the
/// AppleDouble copies a Mac leaves on a stick) are skipped. Any thread; touches the file system.</remarks>
public static class ReferenceFolder
{
    /// <summary>The box's default: a stick mounted by udisks (/media/USER/LABEL), by usbmount (/media/usb0) or by hand (/mnt/usb).</summary>
    public const string DefaultSpec = "/media/*/*:/media/*:/mnt/usb";

    /// <summary>The file name extensions listed (case-insensitive): what the WAV/RF64/AIFF readers open.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".wav", ".wave", ".rf64", ".aif", ".aiff", ".aifc"];

    /// <summary>One scan.</summary>
    /// <param name="Folder">The folder in use, or null when none exists.</param>
    /// <param name="Files">Its audio files' names (not paths), sorted.</param>
    public readonly record struct Listing(string? Folder, string[] Files);

    /// <summary>Scans <paramref name="spec"/> once.</summary>
    /// <param name="spec">The specification.</param>
    /// <returns>The folder and its files.</returns>
    public static Listing Scan(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string? firstExisting = null;
        foreach (string candidate in Candidates(spec))
        {
            string[]? files = List(candidate);
            if (files is null)
            {
                continue;
            }

            firstExisting ??= candidate;
            if (files.Length > 0)
            {
                return new Listing(candidate, files);
            }
        }

        return new Listing(firstExisting, []);
    }

    /// <summary>The folders <paramref name="spec"/> names right now (wildcards expanded, sorted), existing ones only.</summary>
    /// <param name="spec">The specification.</param>
    /// <returns>The folders.</returns>
    public static IEnumerable<string> Candidates(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (string part in spec.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!part.Contains('*', StringComparison.Ordinal))
            {
                if (Directory.Exists(part))
                {
                    yield return part;
                }

                continue;
            }

            foreach (string expanded in Expand(part))
            {
                yield return expanded;
            }
        }
    }

    private static List<string> Expand(string pattern)
    {
        bool rooted = pattern.StartsWith('/');
        string[] segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { rooted ? "/" : "." };
        foreach (string segment in segments)
        {
            var next = new List<string>();
            foreach (string folder in current)
            {
                if (!segment.Contains('*', StringComparison.Ordinal))
                {
                    string path = Path.Combine(folder, segment);
                    if (Directory.Exists(path))
                    {
                        next.Add(path);
                    }

                    continue;
                }

                try
                {
                    string[] found = Directory.GetDirectories(folder, segment);
                    Array.Sort(found, StringComparer.Ordinal);
                    next.AddRange(found);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // A folder we may not read (another user's /media entry): nothing there for us.
                }
            }

            current = next;
            if (current.Count == 0)
            {
                break;
            }
        }

        return current;
    }

    // The audio files of one folder, or null when it cannot be read (gone, no permission).
    private static string[]? List(string folder)
    {
        try
        {
            var names = new List<string>();
            foreach (string path in Directory.EnumerateFiles(folder))
            {
                string name = Path.GetFileName(path);
                if (name.StartsWith('.'))
                {
                    continue;
                }

                string extension = Path.GetExtension(name);
                foreach (string known in Extensions)
                {
                    if (string.Equals(extension, known, StringComparison.OrdinalIgnoreCase))
                    {
                        names.Add(name);
                        break;
                    }
                }
            }

            string[] sorted = [.. names];
            Array.Sort(sorted, StringComparer.OrdinalIgnoreCase);
            return sorted;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
