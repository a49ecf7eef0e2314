namespace HardwareMaster.Hal.Tests.Faults;

/// <summary>
/// A stream that fails like a full disk once <c>limit</c> bytes were written, with .NET's message naming the file it
/// wraps. Shared source of the Hal and App output-safety tests (linked into HardwareMaster.App.Tests).
/// </summary>
internal sealed class FullDiskStream(FileStream inner, long limit) : Stream
{
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value) => inner.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_written + buffer.Length > limit)
        {
            throw new IOException($"No space left on device : '{inner.Name}'");
        }

        _written += buffer.Length;
        inner.Write(buffer);
    }
}
