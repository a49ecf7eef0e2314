using System.Buffers.Binary;
using static HardwareMaster.Hal.AudioFiles.AudioFileHeaderParser;

namespace HardwareMaster.Hal.AudioFiles;

/// <summary>
/// Streams float samples into a WAV, RF64, AIFF or AIFF-C file through a fixed 64 KiB buffer, and patches
/// the sizes in the header on <see cref="Complete"/> (or <see cref="Dispose"/>).
/// </summary>
/// <remarks>
/// <para>
/// WAV layout: RIFF header, a 28-byte 'JUNK' chunk (the EBU Tech 3306 reservation), 'fmt ', 'fact' (float
/// only), 'data'. If the file grows past 4 GiB, <see cref="Complete"/> upgrades it in place to RF64 by turning
/// 'RIFF' into 'RF64' and 'JUNK' into 'ds64' — no copy. <see cref="AudioContainer.Rf64"/> writes RF64 from
/// the start. Format tags: 16-bit PCM uses WAVE_FORMAT_PCM; 24/32-bit PCM uses WAVE_FORMAT_EXTENSIBLE (as
/// Microsoft asks for more than 16 bits); float uses WAVE_FORMAT_IEEE_FLOAT plus a 'fact' chunk.
/// </para>
/// <para>
/// AIFF holds integer PCM only; AIFF-C writes 'NONE' for PCM and 'fl32'/'fl64' for float. Both are limited to
/// 4 GiB by their 32-bit sizes: a write that would pass it throws <see cref="AudioFileException"/>.
/// </para>
/// <para>
/// Float → integer: scale by 2^(bits−1), round to nearest, clamp (so +1.0 clips to the maximum), NaN → 0.
/// The output stream must be writable and seekable. Not thread-safe. After the first call, <see cref="Write"/>
/// and <see cref="WritePlanar"/> allocate nothing.
/// </para>
/// </remarks>
public sealed class AudioFileWriter : IDisposable
{
    /// <summary>Size of the one internal byte buffer.</summary>
    internal const int BufferBytes = 64 * 1024;

    private const int WavJunkPayloadBytes = 28;
    private const uint AifcVersion1 = 0xA2805140; // AIFF-C version 1 timestamp (Apple AIFF-C draft, FVER chunk)
    private const int PlanarChunkFrames = 4096;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string _displayName;
    private readonly AudioContainer _requestedContainer;
    private readonly SampleEncoding _encoding;
    private readonly int _sampleRateHz;
    private readonly int _channels;
    private readonly int _blockAlign;
    private readonly bool _bigEndian;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private readonly long _fileStart;
    private readonly long _dataStart;
    private readonly long _factAt; // absolute position of the fact payload, -1 when absent
    private readonly long _aiffFramesAt; // absolute position of COMM numSampleFrames
    private long _dataBytes;
    private float[]? _planarScratch;
    private bool _completed;
    private bool _disposed;

    private AudioFileWriter(Stream stream, bool leaveOpen, string displayName, AudioContainer container, SampleEncoding encoding, int sampleRateHz, int channels)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _displayName = displayName;
        _requestedContainer = container;
        Container = container;
        _encoding = encoding;
        _sampleRateHz = sampleRateHz;
        _channels = channels;
        _blockAlign = SampleEncodings.BytesPerSample(encoding) * channels;
        _bigEndian = container is AudioContainer.Aiff or AudioContainer.Aifc;
        _fileStart = stream.Position;
        _factAt = -1;
        _aiffFramesAt = -1;

        Span<byte> header = _buffer;
        int length = _bigEndian
            ? BuildAiffHeader(header, out int framesAt)
            : BuildWavHeader(header, out framesAt);
        if (_bigEndian)
        {
            _aiffFramesAt = _fileStart + framesAt;
        }
        else if (framesAt >= 0)
        {
            _factAt = _fileStart + framesAt;
        }

        stream.Write(_buffer, 0, length);
        _dataStart = _fileStart + length;
    }

    /// <summary>
    /// The container the file has: the requested one, except that a <see cref="AudioContainer.Wav"/> file that
    /// passed 4 GiB reports <see cref="AudioContainer.Rf64"/> after <see cref="Complete"/>.
    /// </summary>
    public AudioContainer Container { get; private set; }

    /// <summary>The format written so far (LengthFrames = <see cref="FramesWritten"/>).</summary>
    public AudioFileFormat Format => new(Container, _encoding, _sampleRateHz, _channels, FramesWritten);

    /// <summary>Frames written so far.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>
    /// RIFF size (file bytes − 8) above which a <see cref="AudioContainer.Wav"/> file is upgraded to RF64 on
    /// <see cref="Complete"/>. Default 2^32 − 1, the largest a 32-bit RIFF size can hold; tests lower it.
    /// </summary>
    internal long Rf64ThresholdBytes { get; set; } = uint.MaxValue;

    /// <summary>Creates (or overwrites) a file and writes its header.</summary>
    /// <param name="path">The file to create.</param>
    /// <param name="container">The container.</param>
    /// <param name="encoding">How samples are stored.</param>
    /// <param name="sampleRateHz">Sample rate, 8000–384000 Hz.</param>
    /// <param name="channels">1 or 2.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="AudioFileException">The format is not supported (then no file is created) or the file cannot be created.</exception>
    public static AudioFileWriter Create(string path, AudioContainer container, SampleEncoding encoding, int sampleRateHz, int channels)
    {
        ArgumentNullException.ThrowIfNull(path);
        Validate(path, container, encoding, sampleRateHz, channels);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);
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
            throw new AudioFileException(path, "cannot create: " + ex.Message, ex);
        }

        return Create(stream, path, container, encoding, sampleRateHz, channels, leaveOpen: false);
    }

    /// <summary>Writes to a stream (writable and seekable), which the writer disposes.</summary>
    /// <param name="stream">The stream; the file starts at its current position.</param>
    /// <param name="displayName">The name to put in error messages.</param>
    /// <param name="container">The container.</param>
    /// <param name="encoding">How samples are stored.</param>
    /// <param name="sampleRateHz">Sample rate, 8000–384000 Hz.</param>
    /// <param name="channels">1 or 2.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="AudioFileException">The format is not supported, the stream cannot seek, or writing fails.</exception>
    public static AudioFileWriter Create(Stream stream, string displayName, AudioContainer container, SampleEncoding encoding, int sampleRateHz, int channels)
        => Create(stream, displayName, container, encoding, sampleRateHz, channels, leaveOpen: false);

    /// <summary>Writes to a stream (writable and seekable).</summary>
    /// <param name="stream">The stream; the file starts at its current position.</param>
    /// <param name="displayName">The name to put in error messages.</param>
    /// <param name="container">The container.</param>
    /// <param name="encoding">How samples are stored.</param>
    /// <param name="sampleRateHz">Sample rate, 8000–384000 Hz.</param>
    /// <param name="channels">1 or 2.</param>
    /// <param name="leaveOpen"><c>true</c> to leave the stream open when the writer is disposed.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="AudioFileException">The format is not supported, the stream cannot seek, or writing fails.</exception>
    public static AudioFileWriter Create(Stream stream, string displayName, AudioContainer container, SampleEncoding encoding, int sampleRateHz, int channels, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        try
        {
            Validate(displayName, container, encoding, sampleRateHz, channels);
            if (!stream.CanWrite || !stream.CanSeek)
            {
                throw new AudioFileException(displayName, "the output must be a writable, seekable file (sizes are patched at the end)");
            }

            return new AudioFileWriter(stream, leaveOpen, displayName, container, encoding, sampleRateHz, channels);
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            CloseQuietly(stream, leaveOpen);
            throw new AudioFileException(displayName, "write error: " + ex.Message, ex);
        }
        catch
        {
            CloseQuietly(stream, leaveOpen);
            throw;
        }
    }

    /// <summary>Appends interleaved frames.</summary>
    /// <param name="interleaved">Samples, frame by frame; length a multiple of the channel count.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of the channel count.</exception>
    /// <exception cref="InvalidOperationException">The writer is already complete.</exception>
    /// <exception cref="AudioFileException">Writing failed (disk full, ...) or an AIFF file would pass 4 GiB.</exception>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        ThrowIfCompleted();
        if (interleaved.Length % _channels != 0)
        {
            throw new ArgumentException($"The sample count {interleaved.Length} is not a multiple of {_channels} channels.", nameof(interleaved));
        }

        long frames = interleaved.Length / _channels;
        if (_bigEndian && (_dataStart - _fileStart) + _dataBytes + (frames * _blockAlign) + 1 - 8 > uint.MaxValue)
        {
            throw new AudioFileException(_displayName, "AIFF files cannot be larger than 4 GiB; write WAV (it becomes RF64) instead");
        }

        int framesPerChunk = _buffer.Length / _blockAlign;
        int samplesPerChunk = framesPerChunk * _channels;
        try
        {
            while (!interleaved.IsEmpty)
            {
                int samples = Math.Min(samplesPerChunk, interleaved.Length);
                int bytes = samples / _channels * _blockAlign;
                SampleCodec.Encode(_encoding, _bigEndian, interleaved[..samples], _buffer);
                _stream.Write(_buffer, 0, bytes);
                _dataBytes += bytes;
                FramesWritten += samples / _channels;
                interleaved = interleaved[samples..];
            }
        }
        catch (IOException ex)
        {
            throw new AudioFileException(_displayName, "write error: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// Appends frames from separate channel buffers. Stereo: both spans must have the same length.
    /// Mono: only <paramref name="left"/> is written and <paramref name="right"/> is ignored (it may be empty).
    /// </summary>
    /// <param name="left">Left (or the only) channel.</param>
    /// <param name="right">Right channel (stereo).</param>
    /// <exception cref="ArgumentException">Stereo and the lengths differ.</exception>
    /// <exception cref="InvalidOperationException">The writer is already complete.</exception>
    /// <exception cref="AudioFileException">Writing failed.</exception>
    public void WritePlanar(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        ThrowIfCompleted();
        if (_channels == 1)
        {
            Write(left);
            return;
        }

        if (right.Length != left.Length)
        {
            throw new ArgumentException($"The left ({left.Length}) and right ({right.Length}) buffers must have the same length.", nameof(right));
        }

        _planarScratch ??= new float[PlanarChunkFrames * 2];
        float[] scratch = _planarScratch;
        for (int done = 0; done < left.Length;)
        {
            int frames = Math.Min(left.Length - done, PlanarChunkFrames);
            ReadOnlySpan<float> l = left.Slice(done, frames);
            ReadOnlySpan<float> r = right.Slice(done, frames);
            for (int i = 0; i < frames; i++)
            {
                scratch[2 * i] = l[i];
                scratch[(2 * i) + 1] = r[i];
            }

            Write(scratch.AsSpan(0, frames * 2));
            done += frames;
        }
    }

    /// <summary>
    /// Pads the data to an even length, writes the final sizes into the header (upgrading WAV to RF64 when it
    /// passed 4 GiB) and flushes. Further writes throw; calling it again does nothing.
    /// </summary>
    /// <exception cref="AudioFileException">Writing failed.</exception>
    public void Complete()
    {
        if (_completed || _disposed)
        {
            return;
        }

        _completed = true;
        try
        {
            long end = _dataStart + _dataBytes;
            if ((_dataBytes & 1) != 0)
            {
                _stream.WriteByte(0); // chunks are padded to an even length
                end++;
            }

            long fileBytes = end - _fileStart;
            if (_bigEndian)
            {
                PatchAiff(fileBytes);
            }
            else
            {
                PatchWav(fileBytes);
            }

            _stream.Seek(end, SeekOrigin.Begin);
            _stream.Flush();
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException)
        {
            throw new AudioFileException(_displayName, "write error: " + ex.Message, ex);
        }
    }

    /// <summary>Completes the file (if <see cref="Complete"/> was not called) and closes it.</summary>
    /// <exception cref="AudioFileException">Completing failed; the stream is closed anyway.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            Complete();
        }
        finally
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                CloseQuietly(_stream, leaveOpen: false);
            }
        }
    }

    private static void Validate(string name, AudioContainer container, SampleEncoding encoding, int sampleRateHz, int channels)
    {
        if (!Enum.IsDefined(container))
        {
            throw new ArgumentOutOfRangeException(nameof(container), container, "Unknown container.");
        }

        if (!Enum.IsDefined(encoding))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown sample encoding.");
        }

        if (channels is < 1 or > 2)
        {
            throw new AudioFileException(name, $"{channels} channels: only mono and stereo are supported");
        }

        if (sampleRateHz is < MinSampleRateHz or > MaxSampleRateHz)
        {
            throw new AudioFileException(name, $"sample rate {sampleRateHz} Hz is outside the supported {MinSampleRateHz}-{MaxSampleRateHz} Hz");
        }

        if (container == AudioContainer.Aiff && SampleEncodings.IsFloat(encoding))
        {
            throw new AudioFileException(name, "AIFF cannot hold float samples; use AIFF-C (.aifc) or WAV");
        }
    }

    private int BuildWavHeader(Span<byte> header, out int factPayloadAt)
    {
        bool rf64 = _requestedContainer == AudioContainer.Rf64;
        int bits = SampleEncodings.BitsPerSample(_encoding);
        bool isFloat = SampleEncodings.IsFloat(_encoding);
        bool extensible = !isFloat && bits > 16;

        int at = 0;
        PutTag(header, ref at, rf64 ? Tag.Rf64 : Tag.Riff);
        PutLe32(header, ref at, rf64 ? uint.MaxValue : 0);
        PutTag(header, ref at, Tag.Wave);

        // JUNK reserves room for a ds64 chunk (EBU Tech 3306 §3.5), so the file can become RF64 in place.
        PutTag(header, ref at, rf64 ? Tag.Ds64 : Tag.Junk);
        PutLe32(header, ref at, WavJunkPayloadBytes);
        header.Slice(at, WavJunkPayloadBytes).Clear();
        at += WavJunkPayloadBytes;

        PutTag(header, ref at, Tag.Fmt);
        PutLe32(header, ref at, extensible ? 40u : isFloat ? 18u : 16u);
        PutLe16(header, ref at, extensible ? (ushort)0xFFFE : isFloat ? (ushort)3 : (ushort)1);
        PutLe16(header, ref at, (ushort)_channels);
        PutLe32(header, ref at, (uint)_sampleRateHz);
        PutLe32(header, ref at, (uint)(_sampleRateHz * _blockAlign));
        PutLe16(header, ref at, (ushort)_blockAlign);
        PutLe16(header, ref at, (ushort)bits);
        if (extensible)
        {
            PutLe16(header, ref at, 22); // cbSize
            PutLe16(header, ref at, (ushort)bits); // wValidBitsPerSample
            PutLe32(header, ref at, _channels == 1 ? 0x4u : 0x3u); // SPEAKER_FRONT_CENTER or FRONT_LEFT|FRONT_RIGHT
            PutLe16(header, ref at, 1); // KSDATAFORMAT_SUBTYPE_PCM {00000001-0000-0010-8000-00AA00389B71}
            ReadOnlySpan<byte> tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            tail.CopyTo(header[at..]);
            at += tail.Length;
        }
        else if (isFloat)
        {
            PutLe16(header, ref at, 0); // cbSize
        }

        factPayloadAt = -1;
        if (isFloat)
        {
            // Non-PCM formats carry a fact chunk with the frame count (RIFF spec, "fact chunk").
            PutTag(header, ref at, Tag.Fact);
            PutLe32(header, ref at, 4);
            factPayloadAt = at;
            PutLe32(header, ref at, 0);
        }

        PutTag(header, ref at, Tag.Data);
        PutLe32(header, ref at, rf64 ? uint.MaxValue : 0);
        return at;
    }

    private int BuildAiffHeader(Span<byte> header, out int framesAt)
    {
        bool aifc = _requestedContainer == AudioContainer.Aifc;
        int bits = SampleEncodings.BitsPerSample(_encoding);
        int at = 0;
        PutTag(header, ref at, Tag.Form);
        PutBe32(header, ref at, 0);
        PutTag(header, ref at, aifc ? Tag.Aifc : Tag.Aiff);
        if (aifc)
        {
            PutTag(header, ref at, Tag.Fver);
            PutBe32(header, ref at, 4);
            PutBe32(header, ref at, AifcVersion1);
        }

        (uint compression, string compressionName) = _encoding switch
        {
            SampleEncoding.Float32 => (Tag.Fl32, "32-bit floating point"),
            SampleEncoding.Float64 => (Tag.Fl64, "64-bit floating point"),
            _ => (Tag.None, "not compressed"),
        };

        // pstring: count byte + text, padded so that the whole is even (AIFF-C, "pstring").
        int pstringBytes = 1 + compressionName.Length;
        pstringBytes += pstringBytes & 1;
        PutTag(header, ref at, Tag.Comm);
        PutBe32(header, ref at, aifc ? (uint)(22 + pstringBytes) : 18u);
        BinaryPrimitives.WriteInt16BigEndian(header[at..], (short)_channels);
        at += 2;
        framesAt = at;
        PutBe32(header, ref at, 0);
        BinaryPrimitives.WriteInt16BigEndian(header[at..], (short)bits);
        at += 2;
        ExtendedFloat.Write((uint)_sampleRateHz, header[at..]);
        at += 10;
        if (aifc)
        {
            PutTag(header, ref at, compression);
            header.Slice(at, pstringBytes).Clear();
            header[at] = (byte)compressionName.Length;
            for (int i = 0; i < compressionName.Length; i++)
            {
                header[at + 1 + i] = (byte)compressionName[i];
            }

            at += pstringBytes;
        }

        PutTag(header, ref at, Tag.Ssnd);
        PutBe32(header, ref at, 8);
        PutBe32(header, ref at, 0); // offset
        PutBe32(header, ref at, 0); // blockSize
        return at;
    }

    private void PatchWav(long fileBytes)
    {
        long riffSize = fileBytes - 8;
        bool rf64 = _requestedContainer == AudioContainer.Rf64 || riffSize > Rf64ThresholdBytes;
        Span<byte> scratch = stackalloc byte[WavJunkPayloadBytes];
        if (rf64)
        {
            // EBU Tech 3306: 'RF64', RIFF size −1, ds64 {riffSize, dataSize, sampleCount, tableLength}, data size −1.
            BinaryPrimitives.WriteUInt32BigEndian(scratch, Tag.Rf64);
            BinaryPrimitives.WriteUInt32LittleEndian(scratch[4..], uint.MaxValue);
            WriteAt(_fileStart, scratch[..8]);
            BinaryPrimitives.WriteUInt32BigEndian(scratch, Tag.Ds64);
            WriteAt(_fileStart + 12, scratch[..4]);
            BinaryPrimitives.WriteInt64LittleEndian(scratch, riffSize);
            BinaryPrimitives.WriteInt64LittleEndian(scratch[8..], _dataBytes);
            BinaryPrimitives.WriteInt64LittleEndian(scratch[16..], FramesWritten);
            BinaryPrimitives.WriteUInt32LittleEndian(scratch[24..], 0);
            WriteAt(_fileStart + 20, scratch);
            Container = AudioContainer.Rf64;
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)riffSize);
            WriteAt(_fileStart + 4, scratch[..4]);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(scratch, rf64 ? uint.MaxValue : (uint)_dataBytes);
        WriteAt(_dataStart - 4, scratch[..4]);
        if (_factAt >= 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(scratch, rf64 || FramesWritten > uint.MaxValue ? uint.MaxValue : (uint)FramesWritten);
            WriteAt(_factAt, scratch[..4]);
        }
    }

    private void PatchAiff(long fileBytes)
    {
        Span<byte> scratch = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(scratch, (uint)(fileBytes - 8));
        WriteAt(_fileStart + 4, scratch);
        BinaryPrimitives.WriteUInt32BigEndian(scratch, (uint)FramesWritten);
        WriteAt(_aiffFramesAt, scratch);
        BinaryPrimitives.WriteUInt32BigEndian(scratch, (uint)(8 + _dataBytes));
        WriteAt(_dataStart - 12, scratch); // SSND size sits before offset and blockSize
    }

    private void WriteAt(long position, ReadOnlySpan<byte> bytes)
    {
        _stream.Seek(position, SeekOrigin.Begin);
        _stream.Write(bytes);
    }

    private void ThrowIfCompleted()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("The file is already complete; create a new writer to write more.");
        }
    }

    private static void PutTag(Span<byte> span, ref int at, uint tag)
    {
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], tag);
        at += 4;
    }

    private static void PutLe16(Span<byte> span, ref int at, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], value);
        at += 2;
    }

    private static void PutLe32(Span<byte> span, ref int at, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], value);
        at += 4;
    }

    private static void PutBe32(Span<byte> span, ref int at, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], value);
        at += 4;
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
