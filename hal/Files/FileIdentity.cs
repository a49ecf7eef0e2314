using System.Runtime.InteropServices;

namespace HardwareMaster.Hal.Files;

/// <summary>What a path names (after following symbolic links).</summary>
public enum FileKind
{
    /// <summary>Nothing exists there (or a dangling link).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A character device such as <c>/dev/null</c> or a terminal.</summary>
    CharacterDevice,

    /// <summary>A named pipe (FIFO) or an anonymous pipe reached through <c>/proc/self/fd</c>.</summary>
    Fifo,

    /// <summary>Anything else: block device, socket.</summary>
    Other,
}

/// <summary>
/// The identity of a file: device and inode number (two names with the same identity are the same file — a symbolic
/// link, <c>/proc/self/cwd/…</c>, a bind mount or a hard link), plus its kind. Read with Linux <c>statx(2)</c>, whose
/// structure has the same layout on every architecture.
/// </summary>
/// <param name="Kind">What the path names.</param>
/// <param name="Device">Device number (major &lt;&lt; 32 | minor); 0 when unknown.</param>
/// <param name="Inode">Inode number; 0 when unknown.</param>
/// <param name="HasIdentity"><c>true</c> when <paramref name="Device"/> and <paramref name="Inode"/> were read (Linux); <c>false</c> when only the kind is known.</param>
public readonly partial record struct FileIdentity(FileKind Kind, ulong Device, ulong Inode, bool HasIdentity)
{
    private const int AtFdCwd = -100;
    private const int StatxBasicStats = 0x7ff;
    private const int StatxBufferBytes = 256;
    private static bool s_statxMissing;

    /// <summary><c>true</c> when something exists at the path.</summary>
    public bool Exists => Kind != FileKind.Missing;

    /// <summary>Reads the identity of <paramref name="path"/>, following symbolic links.</summary>
    /// <param name="path">Any path.</param>
    /// <returns>The identity; <see cref="FileKind.Missing"/> when nothing (reachable) is there.</returns>
    public static FileIdentity Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return default;
        }

        if (!s_statxMissing && OperatingSystem.IsLinux())
        {
            try
            {
                return Statx(path);
            }
            catch (EntryPointNotFoundException)
            {
                s_statxMissing = true;
            }
            catch (DllNotFoundException)
            {
                s_statxMissing = true;
            }
        }

        // Portable fallback: the kind only.
        if (File.Exists(path))
        {
            return new FileIdentity(FileKind.Regular, 0, 0, false);
        }

        return Directory.Exists(path) ? new FileIdentity(FileKind.Directory, 0, 0, false) : default;
    }

    /// <summary><c>true</c> when both identities were read and name the same file.</summary>
    /// <param name="other">The other file.</param>
    /// <returns>Whether they are one file.</returns>
    public bool IsSameFileAs(FileIdentity other) =>
        HasIdentity && other.HasIdentity && Exists && other.Exists && Device == other.Device && Inode == other.Inode;

    private static unsafe FileIdentity Statx(string path)
    {
        byte* buffer = stackalloc byte[StatxBufferBytes];
        new Span<byte>(buffer, StatxBufferBytes).Clear();
        if (NativeStatx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
        {
            // ENOENT, ENOTDIR, ELOOP, EACCES on a parent: nothing we can reach is there.
            return default;
        }

        // struct statx: stx_mode (u16) at 28, stx_ino (u64) at 32, stx_dev_major/minor (u32) at 136/140.
        ushort mode = *(ushort*)(buffer + 28);
        ulong inode = *(ulong*)(buffer + 32);
        ulong device = ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140);
        FileKind kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x1000 => FileKind.Fifo,
            _ => FileKind.Other,
        };
        return new FileIdentity(kind, device, inode, true);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int NativeStatx(int dirFd, string path, int flags, int mask, byte* buffer);
}
