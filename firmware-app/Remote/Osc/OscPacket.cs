using System.Buffers.Binary;

namespace HardwareMaster.App.Remote.Osc;

/// <summary>Receives the messages of an OSC packet (bundles flattened, in order).</summary>
public interface IOscMessageHandler
{
    /// <summary>One message of a packet that parsed completely.</summary>
    /// <param name="message">The message (valid only during the call).</param>
    void OnMessage(in OscMessage message);
}

/// <summary>
/// One OSC 1.0 message over a received packet's bytes: address, type tags and arguments, read in place (no copies, no
/// allocation). Supported argument types: <c>i</c> int32, <c>f</c> float32, <c>s</c> string, <c>b</c> blob (big-endian,
/// 4-byte aligned, as OSC 1.0 specifies); <c>T F N I</c> (no data) are accepted and skipped.
/// </summary>
public readonly ref struct OscMessage
{
    private readonly ReadOnlySpan<byte> _arguments;

    internal OscMessage(ReadOnlySpan<byte> address, ReadOnlySpan<byte> typeTags, ReadOnlySpan<byte> arguments)
    {
        Address = address;
        TypeTags = typeTags;
        _arguments = arguments;
    }

    /// <summary>The address pattern (ASCII, starts with '/', no terminator).</summary>
    public ReadOnlySpan<byte> Address { get; }

    /// <summary>The type tags without the leading ','.</summary>
    public ReadOnlySpan<byte> TypeTags { get; }

    /// <summary>Arguments.</summary>
    public int Count => TypeTags.Length;

    /// <summary>Argument <paramref name="index"/> as a number (i or f).</summary>
    /// <param name="index">The argument.</param>
    /// <param name="value">Its value.</param>
    /// <returns><c>false</c> when there is no such numeric argument.</returns>
    public bool TryGetNumber(int index, out double value)
    {
        value = 0;
        if (!Seek(index, out int offset) || offset + 4 > _arguments.Length)
        {
            return false;
        }

        switch (TypeTags[index])
        {
            case (byte)'f':
                value = BinaryPrimitives.ReadSingleBigEndian(_arguments[offset..]);
                return true;
            case (byte)'i':
                value = BinaryPrimitives.ReadInt32BigEndian(_arguments[offset..]);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Argument <paramref name="index"/> as a string's bytes (s).</summary>
    /// <param name="index">The argument.</param>
    /// <param name="value">Its bytes, without the terminator.</param>
    /// <returns><c>false</c> when there is no such string argument.</returns>
    public bool TryGetString(int index, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!Seek(index, out int offset) || TypeTags[index] != (byte)'s')
        {
            return false;
        }

        int end = _arguments[offset..].IndexOf((byte)0);
        value = _arguments.Slice(offset, end);
        return true;
    }

    private bool Seek(int index, out int offset)
    {
        offset = 0;
        if ((uint)index >= (uint)TypeTags.Length)
        {
            return false;
        }

        for (int i = 0; i < index; i++)
        {
            offset += OscPacket.ArgumentSize(TypeTags[i], _arguments[offset..]);
        }

        return true;
    }
}

/// <summary>
/// A small, allocation-free parser of OSC 1.0 packets (<see href="https://opensoundcontrol.stanford.edu/spec-1_0.html"/>):
/// a packet is a message (address string, type-tag string, arguments) or a bundle (<c>#bundle</c>, 8-byte time tag,
/// then size-prefixed elements, each a message or a bundle). Strings are NUL-terminated and padded to 4 bytes.
/// A packet is validated whole before any of its messages is delivered, so a malformed packet changes nothing; nothing
/// here throws for any input. Time tags are ignored (everything applies on arrival, as on most control surfaces).
/// </summary>
public static class OscPacket
{
    /// <summary>Deepest bundle nesting accepted.</summary>
    public const int MaxDepth = 8;

    /// <summary>Validates <paramref name="packet"/> and, when it is well formed, delivers its messages to <paramref name="handler"/>.</summary>
    /// <param name="packet">The datagram.</param>
    /// <param name="handler">The receiver, or null to validate only.</param>
    /// <returns><c>false</c> when the packet is malformed (nothing was delivered).</returns>
    public static bool TryDispatch(ReadOnlySpan<byte> packet, IOscMessageHandler? handler)
    {
        if (!Walk(packet, null, 0))
        {
            return false;
        }

        return handler is null || Walk(packet, handler, 0);
    }

    /// <summary>Bytes argument <paramref name="tag"/> occupies at the start of <paramref name="data"/> (data must have been validated).</summary>
    internal static int ArgumentSize(byte tag, ReadOnlySpan<byte> data) => tag switch
    {
        (byte)'i' or (byte)'f' => 4,
        (byte)'s' => Pad(data.IndexOf((byte)0) + 1),
        (byte)'b' => 4 + Pad(BinaryPrimitives.ReadInt32BigEndian(data)),
        _ => 0,
    };

    private static int Pad(int length) => (length + 3) & ~3;

    private static bool Walk(ReadOnlySpan<byte> packet, IOscMessageHandler? handler, int depth)
    {
        if (packet.Length == 0 || (packet.Length & 3) != 0)
        {
            return false;
        }

        if (packet[0] == (byte)'#')
        {
            if (depth >= MaxDepth || packet.Length < 16 || !packet[..8].SequenceEqual("#bundle\0"u8))
            {
                return false;
            }

            ReadOnlySpan<byte> rest = packet[16..]; // after the 8-byte time tag
            while (rest.Length > 0)
            {
                if (rest.Length < 4)
                {
                    return false;
                }

                int size = BinaryPrimitives.ReadInt32BigEndian(rest);
                if (size <= 0 || (size & 3) != 0 || size > rest.Length - 4 || !Walk(rest.Slice(4, size), handler, depth + 1))
                {
                    return false;
                }

                rest = rest[(4 + size)..];
            }

            return true;
        }

        return Message(packet, handler);
    }

    private static bool Message(ReadOnlySpan<byte> packet, IOscMessageHandler? handler)
    {
        if (packet[0] != (byte)'/' || !ReadString(packet, out ReadOnlySpan<byte> address, out int used))
        {
            return false;
        }

        ReadOnlySpan<byte> rest = packet[used..];
        ReadOnlySpan<byte> tags = default;
        if (rest.Length > 0)
        {
            // OSC 1.0 says the type-tag string "should" be there; a message without it has no arguments we can read.
            if (rest[0] != (byte)',' || !ReadString(rest, out ReadOnlySpan<byte> tagString, out used))
            {
                return false;
            }

            tags = tagString[1..];
            rest = rest[used..];
        }

        ReadOnlySpan<byte> arguments = rest;
        int offset = 0;
        foreach (byte tag in tags)
        {
            ReadOnlySpan<byte> at = arguments[offset..];
            switch (tag)
            {
                case (byte)'i':
                case (byte)'f':
                    if (at.Length < 4)
                    {
                        return false;
                    }

                    offset += 4;
                    break;
                case (byte)'s':
                    if (!ReadString(at, out _, out used))
                    {
                        return false;
                    }

                    offset += used;
                    break;
                case (byte)'b':
                    if (at.Length < 4)
                    {
                        return false;
                    }

                    int size = BinaryPrimitives.ReadInt32BigEndian(at);
                    if (size < 0 || size > at.Length - 4 || Pad(size) > at.Length - 4)
                    {
                        return false;
                    }

                    offset += 4 + Pad(size);
                    break;
                case (byte)'T':
                case (byte)'F':
                case (byte)'N':
                case (byte)'I':
                    break;
                default:
                    return false; // a type we do not read: we could not find the arguments after it
            }
        }

        if (offset != arguments.Length)
        {
            return false; // trailing bytes that no type tag accounts for
        }

        handler?.OnMessage(new OscMessage(address, tags, arguments));
        return true;
    }

    // An OSC-string: ASCII up to a NUL, then NULs to a multiple of 4 bytes.
    private static bool ReadString(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> value, out int used)
    {
        value = default;
        used = 0;
        int end = data.IndexOf((byte)0);
        if (end < 0)
        {
            return false;
        }

        used = Pad(end + 1);
        if (used > data.Length)
        {
            return false;
        }

        value = data[..end];
        return true;
    }
}
