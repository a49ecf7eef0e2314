namespace HardwareMaster.Hal.Midi;

/// <summary>Raw MIDI bytes from a stream: a file or a FIFO (tests, a bridge process). Ends at the stream's end.</summary>
public sealed class MidiStreamSource : IMidiByteSource
{
    private readonly Stream _stream;

    /// <summary>Wraps <paramref name="stream"/> (owned).</summary>
    /// <param name="stream">The bytes.</param>
    /// <param name="name">For logs.</param>
    public MidiStreamSource(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Opens a file or FIFO (a FIFO waits here for its writer).</summary>
    /// <param name="path">The path.</param>
    /// <returns>The source.</returns>
    /// <exception cref="MidiDeviceException">It cannot be opened.</exception>
    public static MidiStreamSource OpenFile(string path)
    {
        try
        {
            return new MidiStreamSource(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0), "file:" + path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new MidiDeviceException($"MIDI input 'file:{path}': cannot open it: {(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex.Message)}", ex);
        }
    }

    /// <inheritdoc />
    public int Read(Span<byte> buffer, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested)
        {
            return 0;
        }

        try
        {
            return _stream.Read(buffer);
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        catch (IOException ex)
        {
            throw new MidiDeviceException($"MIDI input '{Name}': {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
