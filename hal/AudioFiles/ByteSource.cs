namespace HardwareMaster.Hal.AudioFiles;

/// <summary>
/// A fixed buffer over a stream that tracks the absolute position, for parsing chunk headers and then
/// streaming sample data out of the same buffer. Memory stays at the buffer size whatever the file length.
/// </summary>
/// <remarks>Works on non-seekable streams (skips by reading); uses Seek when the stream can.</remarks>
internal sealed class ByteSource
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private long _endPosition; // absolute stream position of _buffer[_end]

    public ByteSource(Stream stream, int bufferBytes)
    {
        _stream = stream;
        _buffer = new byte[bufferBytes];
        CanSeek = stream.CanSeek;
        if (CanSeek)
        {
            _endPosition = stream.Position;
            Length = stream.Length;
        }
    }

    /// <summary>Whether the stream can seek (then <see cref="Length"/> is valid).</summary>
    public bool CanSeek { get; }

    /// <summary>The stream's length in bytes when it can seek; 0 otherwise.</summary>
    public long Length { get; }

    /// <summary>Absolute position of the next unread byte.</summary>
    public long Position => _endPosition - (_end - _start);

    /// <summary>Bytes buffered and not yet consumed.</summary>
    public int Buffered => _end - _start;

    /// <summary>The buffered, unconsumed bytes.</summary>
    public ReadOnlySpan<byte> BufferedSpan => new(_buffer, _start, _end - _start);

    /// <summary>The buffer capacity.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Reads until at least <paramref name="count"/> (≤ <see cref="Capacity"/>) bytes are buffered.</summary>
    /// <returns><c>false</c> when the stream ends first (whatever was read stays buffered).</returns>
    public bool TryEnsure(int count)
    {
        while (Buffered < count)
        {
            if (FillSome() == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Moves unconsumed bytes to the front and does one read into the free space.</summary>
    /// <returns>Bytes read; 0 at the end of the stream (or when the buffer is already full).</returns>
    public int FillSome()
    {
        if (_start > 0)
        {
            int buffered = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, buffered);
            _start = 0;
            _end = buffered;
        }

        if (_end == _buffer.Length)
        {
            return 0;
        }

        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        _endPosition += read;
        return read;
    }

    /// <summary>Consumes <paramref name="count"/> buffered bytes.</summary>
    public void Advance(int count) => _start += count;

    /// <summary>Skips <paramref name="count"/> bytes, seeking when possible.</summary>
    /// <returns>Bytes actually skipped: less than asked only when the stream ended.</returns>
    public long Skip(long count)
    {
        if (count <= Buffered)
        {
            _start += (int)count;
            return count;
        }

        long skipped = Buffered;
        _start = 0;
        _end = 0;
        long rest = count - skipped;
        if (CanSeek)
        {
            long target = Math.Min(_endPosition + rest, Length);
            _stream.Seek(target, SeekOrigin.Begin);
            skipped += target - _endPosition;
            _endPosition = target;
            return skipped;
        }

        while (rest > 0)
        {
            int read = _stream.Read(_buffer, 0, (int)Math.Min(rest, _buffer.Length));
            if (read == 0)
            {
                break;
            }

            rest -= read;
            skipped += read;
            _endPosition += read;
        }

        return skipped;
    }

    /// <summary>Drops the buffer and seeks to an absolute position (seekable streams only).</summary>
    public void SeekTo(long position)
    {
        _stream.Seek(position, SeekOrigin.Begin);
        _start = 0;
        _end = 0;
        _endPosition = position;
    }
}
