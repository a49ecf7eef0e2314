using System.Runtime.InteropServices;
using System.Text;
using HardwareMaster.Hal.Files;
using HardwareMaster.Hal.Json;

namespace HardwareMaster.App.Box;

/// <summary>The steps of a two-generation state-file save (<see cref="BoxPresetStore"/>), in order; the power-loss tests simulate a crash after each.</summary>
public enum SaveStep
{
    /// <summary>The temporary file exists and holds the first half of the new content (not flushed).</summary>
    TempPartlyWritten,

    /// <summary>The temporary file holds all of the new content (not flushed).</summary>
    TempWritten,

    /// <summary>The temporary file is flushed to the disk (fsync) and closed.</summary>
    TempFlushed,

    /// <summary>The current copy was renamed to <c>NAME.prev</c> (the directory not yet flushed); the final name is absent.</summary>
    Rotated,

    /// <summary>The rotation is flushed (directory fsync).</summary>
    RotationFlushed,

    /// <summary>The temporary file was renamed over the final name (the directory not yet flushed).</summary>
    Committed,

    /// <summary>The commit is flushed (directory fsync): the save is durable.</summary>
    CommitFlushed,
}

/// <summary>What <see cref="GenerationalFile.Read{T}"/> found.</summary>
/// <typeparam name="T">The parsed content.</typeparam>
/// <param name="Value">The content (the current copy, else the previous one), or default when neither is usable.</param>
/// <param name="FromPrevious">True when <paramref name="Value"/> came from <c>NAME.prev</c>.</param>
/// <param name="Problem">One line when something was wrong (a corrupt or missing current copy, both unusable); null otherwise.</param>
internal readonly record struct GenerationalRead<T>(T? Value, bool FromPrevious, string? Problem)
    where T : class;

/// <summary>
/// A small state file kept in two generations, <c>NAME</c> and <c>NAME.prev</c>, so that pulling the power at any
/// instant of a save leaves at least one good copy: the new content is written to a hidden temporary file beside
/// <c>NAME</c> and flushed (fsync); only then is the current copy (if it is good) renamed to <c>NAME.prev</c>, the
/// temporary file renamed to <c>NAME</c>, and the directory flushed after each rename so the renames reach the disk
/// in that order. Reading takes <c>NAME</c> when it parses, else <c>NAME.prev</c>, and says so in one line.
/// </summary>
/// <remarks>
/// <para>
/// At every instant of a save the directory holds one of: the old <c>NAME</c> (and maybe its older <c>.prev</c>)
/// plus a temporary file that reading ignores; no <c>NAME</c> and the old content as <c>NAME.prev</c> (between the two
/// renames); or the new <c>NAME</c> with the old content as <c>NAME.prev</c>. A <c>NAME</c> that does not parse is
/// never rotated into <c>NAME.prev</c>, so a corrupt current copy cannot push out the last good one.
/// </para>
/// <para>Control thread only; allocates (it is called on a save or a recall, not per frame).</para>
/// </remarks>
internal static partial class GenerationalFile
{
    /// <summary>The suffix of the previous generation.</summary>
    public const string PreviousSuffix = ".prev";

    /// <summary>Test seam: called after each <see cref="SaveStep"/>; a test throws from it to simulate a crash there.</summary>
    internal static AsyncLocal<Action<string, SaveStep>?> StepHook { get; } = new();

    /// <summary>The previous generation of <paramref name="path"/>.</summary>
    public static string PreviousOf(string path) => path + PreviousSuffix;

    /// <summary>Saves <paramref name="contents"/> as the new generation of <paramref name="path"/>.</summary>
    /// <param name="path">The final file (its folder must exist).</param>
    /// <param name="contents">The new content (UTF-8).</param>
    /// <param name="isGood">Whether existing bytes are a good copy (only a good current copy becomes <c>NAME.prev</c>).</param>
    /// <exception cref="IOException">The path is refused or the disk failed; one line naming <paramref name="path"/>. The good copies are untouched.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static void Write(string path, string contents, Func<byte[], bool> isGood)
    {
        if (OutputFile.Check(path, out OutputMode mode) is string problem)
        {
            throw new IOException($"{path}: {problem}");
        }

        if (mode != OutputMode.Atomic)
        {
            throw new IOException($"{path}: is not a regular file; refusing to keep state in it");
        }

        string previous = PreviousOf(path);
        if (FileIdentity.Of(previous).Kind is not (FileKind.Missing or FileKind.Regular))
        {
            throw new IOException($"{previous}: is not a regular file; refusing to replace it");
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents);
        Action<string, SaveStep>? hook = StepHook.Value;
        string temporary = path;
        try
        {
            using (FileStream stream = OutputFile.Open(path, mode, out temporary))
            {
                stream.SetLength(0);
                int half = bytes.Length / 2;
                stream.Write(bytes, 0, half);
                hook?.Invoke(path, SaveStep.TempPartlyWritten);
                stream.Write(bytes, half, bytes.Length - half);
                hook?.Invoke(path, SaveStep.TempWritten);
                OutputFile.FlushToDisk(stream);
            }

            hook?.Invoke(path, SaveStep.TempFlushed);
            if (IsGoodFile(path, isGood))
            {
                File.Move(path, previous, overwrite: true);
                hook?.Invoke(path, SaveStep.Rotated);
                FlushDirectory(directory);
                hook?.Invoke(path, SaveStep.RotationFlushed);
            }

            OutputFile.Commit(temporary, path);
            hook?.Invoke(path, SaveStep.Committed);
            FlushDirectory(directory);
            hook?.Invoke(path, SaveStep.CommitFlushed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            OutputFile.Discard(temporary, path);
            throw new IOException($"cannot save {path}: {OutputFile.Describe(ex, temporary, path)}", ex);
        }
    }

    /// <summary>Reads the newest good generation of <paramref name="path"/>.</summary>
    /// <typeparam name="T">The parsed content.</typeparam>
    /// <param name="path">The final file.</param>
    /// <param name="parse">Parses bytes (second argument: the file's path, for messages); throws <see cref="FormatException"/> with a one-line reason when they are not a good copy.</param>
    /// <returns>The content and what was wrong; <see cref="GenerationalRead{T}.Value"/> and the problem are both null when neither file exists.</returns>
    public static GenerationalRead<T> Read<T>(string path, Func<byte[], string, T> parse)
        where T : class
    {
        string previous = PreviousOf(path);
        string? currentProblem = TryRead(path, parse, out T? current);
        if (current is not null)
        {
            return new(current, false, null);
        }

        string? previousProblem = TryRead(previous, parse, out T? older);
        if (older is not null)
        {
            string why = currentProblem ?? $"{path} is missing (a save was interrupted)";
            return new(older, true, $"{why}; using the previous copy {previous}");
        }

        if (currentProblem is null && previousProblem is null)
        {
            return new(null, false, null);
        }

        return new(null, false, $"{currentProblem ?? $"{path} is missing"}; {previousProblem ?? $"no previous copy {previous}"}");
    }

    /// <summary>Flushes a directory's entries (the renames in it) to the disk; best effort (some file systems refuse it).</summary>
    /// <param name="directory">The folder.</param>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // O_RDONLY | O_CLOEXEC (same value on x86-64, arm and arm64); O_DIRECTORY differs between them, so it is not used.
        int descriptor = Open(directory, 0x80000);
        if (descriptor < 0)
        {
            return;
        }

        _ = Fsync(descriptor);
        _ = Close(descriptor);
    }

    // Returns null and the value, null and no value (missing), or the one-line problem.
    private static string? TryRead<T>(string path, Func<byte[], string, T> parse, out T? value)
        where T : class
    {
        value = null;
        if (FileIdentity.Of(path).Kind == FileKind.Missing)
        {
            return null;
        }

        try
        {
            value = parse(BoundedFile.ReadAllBytes(path), path);
            return null;
        }
        catch (BoundedFileException e)
        {
            return $"{path}: {e.Problem}";
        }
        catch (FormatException e)
        {
            return $"{path} is corrupt ({e.Message})";
        }
    }

    private static bool IsGoodFile(string path, Func<byte[], bool> isGood)
    {
        if (FileIdentity.Of(path).Kind != FileKind.Regular)
        {
            return false;
        }

        try
        {
            return isGood(BoundedFile.ReadAllBytes(path));
        }
        catch (BoundedFileException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
