using System.Security.Cryptography;
using System.Text;

namespace HardwareMaster.App.Remote.Web;

/// <summary>
/// The pairing secret every remote client must present: generated once per state directory, kept in
/// <c>STATE/remote-secret</c> (mode 0600, written atomically: temporary file, fsync, rename), shown on the box's SYSTEM
/// page and printed by <c>hardwaremaster remote pair</c>. Created by root (<c>sudo hardwaremaster remote pair</c> before
/// the service ever made one), the file is given to the state directory's owner and group, so the service's user
/// (<c>User=hardwaremaster</c>, which owns <c>/var/lib/hardwaremaster</c>) can still read it.
/// </summary>
/// <remarks>
/// 16 characters of Crockford base32 (80 bits; no I, L, O, U), grouped <c>ABCD-EFGH-JKMN-PQRS</c> so it can be read off
/// a 128×64 OLED and typed on a phone. Comparison ignores case, spaces and dashes and runs in constant time
/// (<see cref="CryptographicOperations.FixedTimeEquals"/> on SHA-256 digests, so even the length does not leak).
/// </remarks>
public sealed class RemoteSecret
{
    /// <summary>The file name inside the state directory.</summary>
    public const string FileName = "remote-secret";

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Characters = 16;
    private readonly byte[] _digest;

    private RemoteSecret(string canonical)
    {
        Canonical = canonical;
        Display = string.Join('-', canonical.Chunk(4).Select(c => new string(c)));
        _digest = SHA256.HashData(Encoding.ASCII.GetBytes(canonical));
        CookieValue = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.ASCII.GetBytes(canonical), "hardwaremaster-remote-cookie"u8));
    }

    /// <summary>The secret as stored and shown, with dashes (<c>ABCD-EFGH-JKMN-PQRS</c>).</summary>
    public string Display { get; }

    /// <summary>The secret without dashes, upper case.</summary>
    public string Canonical { get; }

    /// <summary>The pairing cookie's value: derived from the secret (a new secret invalidates every paired browser).</summary>
    public string CookieValue { get; }

    /// <summary>The secret's path in <paramref name="stateDirectory"/>.</summary>
    /// <param name="stateDirectory">The state directory.</param>
    /// <returns>The path.</returns>
    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, FileName);

    /// <summary>Reads the secret of <paramref name="stateDirectory"/>, creating it (and the folder) the first time.</summary>
    /// <param name="stateDirectory">The state directory.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="IOException">The file cannot be read or written, or holds something that is not a secret (the message names the path).</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static RemoteSecret LoadOrCreate(string stateDirectory)
    {
        string path = PathIn(stateDirectory);
        if (TryLoad(stateDirectory) is { } existing)
        {
            return existing;
        }

        Directory.CreateDirectory(stateDirectory);
        var secret = new RemoteSecret(Generate());
        WriteAtomically(path, secret.Display + "\n");
        return secret;
    }

    /// <summary>Reads the secret of <paramref name="stateDirectory"/>, or null when there is none yet.</summary>
    /// <param name="stateDirectory">The state directory.</param>
    /// <returns>The secret, or null.</returns>
    /// <exception cref="IOException">The file exists but cannot be read or is not a secret.</exception>
    public static RemoteSecret? TryLoad(string stateDirectory)
    {
        string path = PathIn(stateDirectory);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return Directory.Exists(path) ? throw new IOException($"{path}: is a folder, not the pairing secret") : null;
        }

        if (info.Length > 256)
        {
            throw new IOException($"{path}: is not a pairing secret (larger than 256 bytes); delete it to make a new one");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (UnauthorizedAccessException)
        {
            string owner = UnixOwner.TryGet(path, out uint uid, out uint gid) ? $"owned by uid {uid} gid {gid}" : "not readable";
            throw new IOException(
                $"{path}: permission denied for user '{Environment.UserName}' ({owner}); give it to the service's user, e.g. 'sudo chown hardwaremaster:hardwaremaster {path}', or delete it and run 'sudo -u hardwaremaster hardwaremaster remote pair'");
        }

        string canonical = Canonicalize(text);
        if (canonical.Length != Characters || canonical.Any(c => !Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            throw new IOException($"{path}: is not a pairing secret (16 characters of 0-9 A-Z without I L O U expected); delete it to make a new one");
        }

        return new RemoteSecret(canonical);
    }

    /// <summary>Whether <paramref name="candidate"/> is this secret (case, spaces and dashes ignored), in constant time.</summary>
    /// <param name="candidate">What the client sent.</param>
    /// <returns><c>true</c> when it matches.</returns>
    public bool Matches(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length > 128)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[128];
        int length = 0;
        foreach (char c in candidate)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            bytes[length++] = c is >= 'a' and <= 'z' ? (byte)(c - 32) : c < 128 ? (byte)c : (byte)'?';
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes[..length], digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }

    /// <summary>Whether <paramref name="cookie"/> is this secret's pairing cookie, in constant time.</summary>
    /// <param name="cookie">The cookie's value.</param>
    /// <returns><c>true</c> when it matches.</returns>
    public bool MatchesCookie(ReadOnlySpan<char> cookie)
    {
        if (cookie.Length != CookieValue.Length)
        {
            return false; // the length of a derived value is public
        }

        Span<byte> given = stackalloc byte[cookie.Length];
        Span<byte> expected = stackalloc byte[cookie.Length];
        for (int i = 0; i < cookie.Length; i++)
        {
            given[i] = (byte)cookie[i];
            expected[i] = (byte)CookieValue[i];
        }

        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private static string Canonicalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is '-' or ' ' or '\n' or '\r' or '\t')
            {
                continue;
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }

    private static string Generate()
    {
        Span<char> chars = stackalloc char[Characters];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }

    // Created 0600 from the start (never world-readable, not even for a moment), fsynced, renamed over the target.
    private static void WriteAtomically(string path, string contents)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{FileName}.part{Environment.ProcessId}");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(contents));
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite); // a stale temporary file kept its old mode
            }

            // Root writing into a folder someone else owns (sudo remote pair in the service's state directory): the
            // file is that owner's, else the service could not read its own secret. Given away before the rename, so
            // the secret never exists under the wrong owner.
            if (UnixOwner.IsRoot && UnixOwner.TryGet(Path.GetDirectoryName(path)!, out uint uid, out uint gid) && (uid != 0 || gid != 0))
            {
                UnixOwner.Set(temporary, uid, gid);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temporary);
            }
            catch (IOException)
            {
                // best effort
            }

            throw;
        }
    }
}
