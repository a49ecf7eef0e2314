using System.Runtime.InteropServices;

namespace HardwareMaster.App.Remote.Web;

/// <summary>
/// Who owns a path, and handing a file to that owner: what <c>sudo hardwaremaster remote pair</c> needs so the
/// secret it creates in the service's state directory stays readable by the service's user. Linux only
/// (<c>statx(2)</c>, whose layout is the same on every architecture, and <c>chown(2)</c>); elsewhere nothing is known.
/// </summary>
internal static partial class UnixOwner
{
    private const int AtFdCwd = -100;
    private const int StatxBasicStats = 0x7ff;
    private const int StatxBufferBytes = 256;

    /// <summary>Whether this process runs as root (effective uid 0).</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && NativeGeteuid() == 0;

    /// <summary>Reads the owner of <paramref name="path"/> (following links).</summary>
    /// <param name="path">Any path.</param>
    /// <param name="uid">The owner's uid.</param>
    /// <param name="gid">The owner's gid.</param>
    /// <returns><c>false</c> when not on Linux or the path cannot be read.</returns>
    public static unsafe bool TryGet(string path, out uint uid, out uint gid)
    {
        uid = gid = 0;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        byte* buffer = stackalloc byte[StatxBufferBytes];
        new Span<byte>(buffer, StatxBufferBytes).Clear();
        if (NativeStatx(AtFdCwd, path, 0, StatxBasicStats, buffer) != 0)
        {
            return false;
        }

        // struct statx: stx_uid (u32) at 20, stx_gid (u32) at 24.
        uid = *(uint*)(buffer + 20);
        gid = *(uint*)(buffer + 24);
        return true;
    }

    /// <summary>Gives <paramref name="path"/> to <paramref name="uid"/>:<paramref name="gid"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="uid">The new owner.</param>
    /// <param name="gid">The new group.</param>
    /// <exception cref="IOException">chown failed (the message names the path and the errno).</exception>
    public static void Set(string path, uint uid, uint gid)
    {
        if (NativeChown(path, uid, gid) != 0)
        {
            throw new IOException($"{path}: cannot give it to uid {uid} gid {gid} (chown: errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int NativeStatx(int dirFd, string path, int flags, int mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int NativeChown(string path, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint NativeGeteuid();
}
