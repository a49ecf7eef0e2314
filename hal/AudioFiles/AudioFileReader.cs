namespace HardwareMaster.Hal.AudioFiles;

/// <summary>
/// Streams samples out of a WAV, RF64, AIFF or AIFF-C file as float in [-1, 1), never holding more
/// than a fixed 64 KiB buffer whatever the file length.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Open(string)"/> parses and validates the whole header; every problem (empty file, not WAV/AIFF,
/// truncated header, chunk past the end, missing fmt/data, 0 or more than 2 channels, unsupported codec,
/// odd block align, sample rate outside 8000–384000 Hz) throws an <see cref="AudioFileException"/> whose message
/// is one line naming the file and the problem.
/// </para>
/// <para>
/// A data chunk that declares more bytes than the file holds is not an error: the reader delivers what exists,
/// stops, and sets <see cref="Truncated"/> (recorders that crash leave such files). On a seekable stream this is
/// known at open time and <see cref="AudioFileFormat.LengthFrames"/> is already clamped; on a pipe it is found
/// when the stream ends early.
/// </para>
/// <para>Not thread-safe. After the first call, <see cref="Read"/> and <see cref="ReadPlanar"/> allocate nothing.</para>
/// </remarks>
public sealed class AudioFileReader : IDisposable
{
    /// <summary>Size of the one internal byte buffer.</summary>
    internal const int BufferBytes = 64 * 1024;

    private const int PlanarChunkFrames = 4096;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ByteSource _source;
    private readonly string _displayName;
    private readonly SampleEncoding _encoding;
    private readonly bool _bigEndian;
    private readonly int _channels;
    private readonly int _blockAlign;
    private readonly bool _lengthUnknown;
    private long _remainingFrames;
    private float[]? _planarScratch;
    private bool _disposed;

    private AudioFileReader(Stream stream, bool leaveOpen, ByteSource source, string displayName, ParsedHeader header)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _source = source;
        _displayName = displayName;
        _encoding = header.Encoding;
        _bigEndian = header.BigEndian;
        _channels = header.Channels;
        _blockAlign = SampleEncodings.BytesPerSample(header.Encoding) * header.Channels;
        _lengthUnknown = header.LengthUnknown;
        _remainingFrames = header.Frames;
        Truncated = header.Truncated;
        Format = new AudioFileFormat(header.Container, header.Encoding, header.SampleRateHz, header.Channels, header.Frames);
        DataOffsetBytes = header.DataStart;
    }

    /// <summary>What the file holds.</summary>
    public AudioFileFormat Format { get; }

    /// <summary>The path or display name used in error messages.</summary>
    public string DisplayName => _displayName;

    /// <summary>Frames delivered so far.</summary>
    public long PositionFrames { get; private set; }

    /// <summary>
    /// The file holds fewer sample bytes than its header declares; reading stops (without an exception) at the
    /// last whole frame that exists.
    /// </summary>
    public bool Truncated { get; private set; }

    /// <summary>Absolute stream position of the first sample byte (for tests and diagnostics).</summary>
    internal long DataOffsetBytes { get; }

    /// <summary>Opens a file for reading and parses its header.</summary>
    /// <param name="path">The file.</param>
    /// <returns>A reader positioned at the first frame.</returns>
    /// <exception cref="AudioFileException">The file cannot be opened or is not a supported, well-formed audio file.</exception>
    public static AudioFileReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream stream;
        try
        {
            // bufferSize 1 disables FileStream's own buffer: this class buffers.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException ex)
        {
            throw new AudioFileException(path, "file not found", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new AudioFileException(path, "folder not found", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new AudioFileException(path, "permission denied (or it is a folder)", ex);
        }
        catch (ArgumentException ex)
        {
            throw new AudioFileException(path, "not a valid file path", ex);
        }
        catch (IOException ex)
        {
            throw new AudioFileException(path, "cannot open: " + ex.Message, ex);
        }

        return Open(stream, path, leaveOpen: false);
    }

    /// <summary>Reads from a stream (which need not be seekable) and parses its header. The reader disposes the stream.</summary>
    /// <param name="stream">The stream, positioned at the start of the file.</param>
    /// <param name="displayName">The name to put in error messages.</param>
    /// <returns>A reader positioned at the first frame.</returns>
    /// <exception cref="AudioFileException">The stream is not a supported, well-formed audio file.</exception>
    public static AudioFileReader Open(Stream stream, string displayName) => Open(stream, displayName, leaveOpen: false);

    /// <summary>Reads from a stream (which need not be seekable) and parses its header.</summary>
    /// <param name="stream">The stream, positioned at the start of the file.</param>
    /// <param name="displayName">The name to put in error messages.</param>
    /// <param name="leaveOpen"><c>true</c> to leave the stream open when the reader is disposed.</param>
    /// <returns>A reader positioned at the first frame.</returns>
    /// <exception cref="AudioFileException">The stream is not a supported, well-formed audio file.</exception>
    public static AudioFileReader Open(Stream stream, string displayName, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        try
        {
            if (!stream.CanRead)
            {
                throw new AudioFileException(displayName, "the stream cannot be read");
            }

            var source = new ByteSource(stream, BufferBytes);
            ParsedHeader header = AudioFileHeaderParser.Parse(source, displayName);
            return new AudioFileReader(stream, leaveOpen, source, displayName, header);
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            CloseQuietly(stream, leaveOpen);
            throw new AudioFileException(displayName, "read error: " + ex.Message, ex);
        }
        catch
        {
            CloseQuietly(stream, leaveOpen);
            throw;
        }
    }

    /// <summary>
    /// Reads up to <c>interleaved.Length / Channels</c> frames as interleaved float samples in [-1, 1).
    /// </summary>
    /// <param name="interleaved">Destination; its length should be a multiple of <see cref="AudioFileFormat.Channels"/>.</param>
    /// <returns>Frames read: fewer than asked only at the end of the data, 0 once the end is reached.</returns>
    /// <exception cref="AudioFileException">The stream failed with an I/O error.</exception>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    public int Read(Span<float> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int channels = _channels;
        int blockAlign = _blockAlign;
        int wanted = (int)Math.Min(interleaved.Length / channels, _remainingFrames);
        int done = 0;
        while (done < wanted)
        {
            int availableFrames = _source.Buffered / blockAlign;
            if (availableFrames == 0)
            {
                if (Fill() == 0)
                {
                    // The stream ended before the declared data did.
                    Truncated |= !_lengthUnknown;
                    _remainingFrames = done; // becomes 0 below
                    break;
                }

                continue;
            }

            int frames = Math.Min(availableFrames, wanted - done);
            int bytes = frames * blockAlign;
            SampleCodec.Decode(_encoding, _bigEndian, _source.BufferedSpan[..bytes], interleaved.Slice(done * channels, frames * channels));
            _source.Advance(bytes);
            done += frames;
        }

        _remainingFrames -= done;
        PositionFrames += done;
        return done;
    }

    /// <summary>
    /// Reads the rest of the file in planar blocks of up to <paramref name="blockFrames"/> frames and hands each to
    /// <paramref name="handler"/> (right empty for mono; the spans are this reader's buffers, valid during the call and
    /// free to modify). For analysers that read a whole file once.
    /// </summary>
    /// <param name="blockFrames">Largest block, frames.</param>
    /// <param name="handler">Called once per block, in order.</param>
    /// <exception cref="AudioFileException">The stream failed with an I/O error or the data is corrupt.</exception>
    public void ReadBlocks(int blockFrames, PlanarBlockHandler handler)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockFrames);
        ArgumentNullException.ThrowIfNull(handler);
        bool stereo = Format.Channels == 2;
        float[] left = new float[blockFrames];
        float[] right = new float[stereo ? blockFrames : 0];
        int frames;
        while ((frames = ReadPlanar(left, right)) > 0)
        {
            handler(left.AsSpan(0, frames), stereo ? right.AsSpan(0, frames) : Span<float>.Empty);
        }
    }

    /// <summary>
    /// Reads frames into separate channel buffers. For stereo, up to <c>left.Length</c> frames
    /// (<paramref name="right"/> must be at least as long); for mono only <paramref name="left"/> is filled and
    /// <paramref name="right"/> is left untouched (it may be empty).
    /// </summary>
    /// <param name="left">Left (or the only) channel.</param>
    /// <param name="right">Right channel (stereo files).</param>
    /// <returns>Frames read; 0 at the end.</returns>
    /// <exception cref="ArgumentException">Stereo file and <paramref name="right"/> is shorter than <paramref name="left"/>.</exception>
    /// <exception cref="AudioFileException">The stream failed with an I/O error.</exception>
    public int ReadPlanar(Span<float> left, Span<float> right)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_channels == 1)
        {
            return Read(left);
        }

        if (right.Length < left.Length)
        {
            throw new ArgumentException("The right channel buffer must be at least as long as the left one.", nameof(right));
        }

        _planarScratch ??= new float[PlanarChunkFrames * 2];
        float[] scratch = _planarScratch;
        int done = 0;
        while (done < left.Length)
        {
            int want = Math.Min(left.Length - done, PlanarChunkFrames);
            int frames = Read(scratch.AsSpan(0, want * 2));
            if (frames == 0)
            {
                break;
            }

            Span<float> l = left.Slice(done, frames);
            Span<float> r = right.Slice(done, frames);
            for (int i = 0; i < frames; i++)
            {
                l[i] = scratch[2 * i];
                r[i] = scratch[(2 * i) + 1];
            }

            done += frames;
        }

        return done;
    }

    /// <summary>Closes the file (or the stream, unless it was opened with leaveOpen).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private int Fill()
    {
        try
        {
            return _source.FillSome();
        }
        catch (IOException ex)
        {
            throw new AudioFileException(_displayName, "read error: " + ex.Message, ex);
        }
    }

    private static void CloseQuietly(Stream stream, bool leaveOpen)
    {
        if (leaveOpen)
        {
            return;
        }

        try
        {
            stream.Dispose();
        }
        catch (IOException)
        {
            // Already failing with a better message.
        }
    }
}

/// <summary>One planar block of <see cref="AudioFileReader.ReadBlocks"/>: the left (or only) channel and the right one (empty for mono), same length.</summary>
/// <param name="left">Left (or only) channel.</param>
/// <param name="right">Right channel, or empty.</param>
public delegate void PlanarBlockHandler(Span<float> left, Span<float> right);
