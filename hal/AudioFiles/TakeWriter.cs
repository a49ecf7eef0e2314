using System.Buffers.Binary;
using System.Text;

namespace HardwareMaster.Hal.AudioFiles;

/// <summary>What a take's file says about itself: the BWF <c>bext</c> fields, an <c>iXML</c> document and <c>LIST/INFO</c> text.</summary>
/// <param name="Description">bext Description (at most 256 ASCII bytes; longer is cut).</param>
/// <param name="Originator">bext Originator (32 bytes), e.g. "HardwareMaster".</param>
/// <param name="OriginatorReference">bext OriginatorReference (32 bytes), e.g. the take's name.</param>
/// <param name="Origination">Local date and time the take started (bext OriginationDate / OriginationTime).</param>
/// <param name="TimeReferenceFrames">bext TimeReference: the first frame's index since midnight (EBU Tech 3285).</param>
/// <param name="IXml">The iXML document (UTF-8), or <c>null</c> for none.</param>
/// <param name="Info">LIST/INFO entries (four-letter id such as INAM, ISFT, ICRD, ICMT → text).</param>
/// <param name="CodingHistory">bext CodingHistory (EBU R98 lines), or empty.</param>
public sealed record TakeMetadata(
    string Description,
    string Originator,
    string OriginatorReference,
    DateTime Origination,
    long TimeReferenceFrames,
    string? IXml,
    IReadOnlyList<KeyValuePair<string, string>> Info,
    string CodingHistory = "");

/// <summary>The bext version-2 loudness fields (EBU Tech 3285 v2), written when the take is complete.</summary>
/// <param name="IntegratedLufs">LoudnessValue.</param>
/// <param name="LoudnessRangeLu">LoudnessRange.</param>
/// <param name="MaxTruePeakDbtp">MaxTruePeakLevel.</param>
/// <param name="MaxMomentaryLufs">MaxMomentaryLoudness.</param>
/// <param name="MaxShortTermLufs">MaxShortTermLoudness.</param>
public readonly record struct BextLoudness(double IntegratedLufs, double LoudnessRangeLu, double MaxTruePeakDbtp, double MaxMomentaryLufs, double MaxShortTermLufs);

/// <summary>
/// Writes one take of a live recording: a WAV file that is valid at every moment a reader could see it after
/// <see cref="Checkpoint"/>, grows into RF64 in place when it passes 4 GiB, and carries a BWF <c>bext</c> chunk, an
/// <c>iXML</c> chunk and a <c>LIST/INFO</c> chunk before its audio.
/// </summary>
/// <remarks>
/// <para>
/// Layout: <c>RIFF</c> · <c>JUNK</c> (28 bytes reserved for <c>ds64</c>, EBU Tech 3306 §3.5) · <c>fmt </c>
/// (WAVE_FORMAT_EXTENSIBLE, PCM 24-bit or IEEE float 32-bit, 2 or 4 channels) · <c>fact</c> (float only) · <c>bext</c>
/// (EBU Tech 3285 v2, 602 bytes + coding history) · <c>iXML</c> · <c>LIST/INFO</c> · <c>data</c> (last, so a file cut
/// anywhere in its audio can be repaired from its length: <see cref="TakeRepair"/>).
/// </para>
/// <para>
/// <see cref="Checkpoint"/> (the recorder calls it every second) writes the RIFF, data and fact sizes for the audio so
/// far and fsyncs, so a power cut loses at most what came after the last checkpoint. Once the RIFF size passes
/// <see cref="Rf64ThresholdBytes"/> the header becomes RF64 (<c>RF64</c>, <c>ds64</c>, 32-bit sizes −1) at the next
/// checkpoint. Never overwrites: <see cref="Create"/> fails when the file exists. Not thread-safe (the recorder's writer
/// thread owns it); after the first call <see cref="Write"/> allocates nothing.
/// </para>
/// </remarks>
public sealed class TakeWriter : IDisposable
{
    /// <summary>Size of the bext chunk's fixed part (EBU Tech 3285 v2).</summary>
    public const int BextFixedBytes = 602;

    private const int Ds64PayloadBytes = 28;
    private const int BufferBytes = 64 * 1024;
    private const int LoudnessOffsetInBext = 256 + 32 + 32 + 10 + 8 + 8 + 2 + 64; // after UMID

    private readonly FileStream _stream;
    private readonly string _path;
    private readonly SampleEncoding _encoding;
    private readonly int _channels;
    private readonly int _blockAlign;
    private readonly byte[] _buffer = new byte[BufferBytes];
    private readonly byte[] _patch = new byte[Ds64PayloadBytes + 8];
    private readonly long _dataSizeAt; // position of the data chunk's size field
    private readonly long _dataStart;
    private readonly long _factAt; // position of the fact payload, -1 without
    private readonly long _bextLoudnessAt;
    private long _dataBytes;
    private bool _rf64;
    private bool _closed;

    private TakeWriter(FileStream stream, string path, SampleEncoding encoding, int sampleRateHz, int channels, TakeMetadata metadata)
    {
        _stream = stream;
        _path = path;
        _encoding = encoding;
        _channels = channels;
        SampleRateHz = sampleRateHz;
        _blockAlign = SampleEncodings.BytesPerSample(encoding) * channels;
        byte[] header = BuildHeader(metadata, out long factAt, out long bextLoudnessAt, out long dataSizeAt);
        _factAt = factAt;
        _bextLoudnessAt = bextLoudnessAt;
        _dataSizeAt = dataSizeAt;
        _stream.Write(header);
        _dataStart = header.Length;
        Checkpoint();
    }

    /// <summary>The file.</summary>
    public string Path => _path;

    /// <summary>Sample rate, Hz.</summary>
    public int SampleRateHz { get; }

    /// <summary>Channels per frame.</summary>
    public int Channels => _channels;

    /// <summary>Frames written so far.</summary>
    public long FramesWritten => _dataBytes / _blockAlign;

    /// <summary>Bytes of the file so far (header + audio).</summary>
    public long FileBytes => _dataStart + _dataBytes;

    /// <summary><c>true</c> once the header is RF64.</summary>
    public bool IsRf64 => _rf64;

    /// <summary>Offset of the audio in the file.</summary>
    public long DataStart => _dataStart;

    /// <summary>RIFF size above which the header becomes RF64 at the next checkpoint. Default 2^32 − 1; tests lower it.</summary>
    public long Rf64ThresholdBytes { get; set; } = uint.MaxValue;

    /// <summary>Creates a new take file (never an existing one) and writes and syncs its header.</summary>
    /// <param name="path">The file to create.</param>
    /// <param name="encoding"><see cref="SampleEncoding.Pcm24"/> or <see cref="SampleEncoding.Float32"/>.</param>
    /// <param name="sampleRateHz">Sample rate, 8000–384000 Hz.</param>
    /// <param name="channels">2 or 4.</param>
    /// <param name="metadata">bext, iXML and INFO contents.</param>
    /// <returns>The writer.</returns>
    /// <exception cref="AudioFileException">The file exists, the folder is missing, or the disk refuses it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An unsupported encoding, rate or channel count.</exception>
    public static TakeWriter Create(string path, SampleEncoding encoding, int sampleRateHz, int channels, TakeMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(metadata);
        if (encoding is not (SampleEncoding.Pcm24 or SampleEncoding.Float32))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "A take is 24-bit PCM or 32-bit float.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRateHz, 384000);
        if (channels is not (2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "A take has 2 or 4 channels.");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new AudioFileException(path, "folder not found", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new AudioFileException(path, "permission denied", ex);
        }
        catch (IOException ex) when (File.Exists(path))
        {
            throw new AudioFileException(path, "already exists; a take is never overwritten", ex);
        }
        catch (IOException ex)
        {
            throw new AudioFileException(path, "cannot create: " + ex.Message, ex);
        }

        try
        {
            return new TakeWriter(stream, path, encoding, sampleRateHz, channels, metadata);
        }
        catch (IOException ex)
        {
            stream.Dispose();
            TryDelete(path);
            throw new AudioFileException(path, "cannot write the header: " + ex.Message, ex);
        }
    }

    /// <summary>Appends interleaved frames (whole frames only). Blocking file I/O; never on the audio thread.</summary>
    /// <param name="interleaved">Samples, <see cref="Channels"/> per frame.</param>
    /// <exception cref="IOException">The disk refused the write (full, removed); <see cref="FramesWritten"/> counts only what was written.</exception>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        int bytesPerSample = SampleEncodings.BytesPerSample(_encoding);
        int samplesPerChunk = BufferBytes / _blockAlign * _channels;
        while (!interleaved.IsEmpty)
        {
            int samples = Math.Min(samplesPerChunk, interleaved.Length - (interleaved.Length % _channels));
            if (samples == 0)
            {
                return;
            }

            Span<byte> bytes = _buffer.AsSpan(0, samples * bytesPerSample);
            SampleCodec.Encode(_encoding, bigEndian: false, interleaved[..samples], bytes);
            _stream.Write(bytes);
            _dataBytes += bytes.Length;
            interleaved = interleaved[samples..];
        }
    }

    /// <summary>
    /// Makes the file complete as it stands: writes the sizes for the audio so far (switching to RF64 past
    /// <see cref="Rf64ThresholdBytes"/>) and fsyncs the data and the header.
    /// </summary>
    /// <exception cref="IOException">The disk refused it.</exception>
    public void Checkpoint()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        PatchSizes();
        _stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes the bext loudness fields (if given), the final sizes, fsyncs and closes.</summary>
    /// <param name="loudness">The take's loudness, or <c>null</c> to leave the fields "not set" (0x7FFF).</param>
    /// <exception cref="IOException">The disk refused it (the file is closed anyway).</exception>
    public void Complete(BextLoudness? loudness)
    {
        if (_closed)
        {
            return;
        }

        try
        {
            if (loudness is { } l)
            {
                Span<byte> fields = _patch.AsSpan(0, 10);
                Loudness(fields, 0, l.IntegratedLufs);
                Loudness(fields, 2, l.LoudnessRangeLu);
                Loudness(fields, 4, l.MaxTruePeakDbtp);
                Loudness(fields, 6, l.MaxMomentaryLufs);
                Loudness(fields, 8, l.MaxShortTermLufs);
                WriteAt(_bextLoudnessAt, fields);
            }

            Checkpoint();
        }
        finally
        {
            Close();
        }
    }

    /// <summary>
    /// After a write failed (disk full, stick pulled): cuts the file back to the frames that were written and makes its
    /// header match, as far as the disk still allows; never throws. The file is closed.
    /// </summary>
    /// <returns><c>null</c> when the file was closed cleanly, else why not.</returns>
    public string? Abandon()
    {
        if (_closed)
        {
            return null;
        }

        string? problem = null;
        try
        {
            _stream.SetLength(_dataStart + _dataBytes); // drops a partly written frame; shrinking needs no space
            Checkpoint();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            problem = ex.Message;
        }
        finally
        {
            Close();
        }

        return problem;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_closed)
        {
            Abandon();
        }
    }

    private void Close()
    {
        _closed = true;
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // the close of a file on a vanished disk: nothing more to save
        }
    }

    private void PatchSizes()
    {
        long riffSize = _dataStart + _dataBytes - 8;
        if (!_rf64 && riffSize > Rf64ThresholdBytes)
        {
            _rf64 = true;
            WriteAt(0, "RF64"u8);
            WriteAt(12, "ds64"u8);
        }

        Span<byte> four = _patch.AsSpan(0, 4);
        if (_rf64)
        {
            Span<byte> ds64 = _patch.AsSpan(0, Ds64PayloadBytes);
            BinaryPrimitives.WriteInt64LittleEndian(ds64, riffSize);
            BinaryPrimitives.WriteInt64LittleEndian(ds64[8..], _dataBytes);
            BinaryPrimitives.WriteInt64LittleEndian(ds64[16..], FramesWritten);
            BinaryPrimitives.WriteUInt32LittleEndian(ds64[24..], 0); // no table
            WriteAt(20, ds64);
            BinaryPrimitives.WriteUInt32LittleEndian(four, uint.MaxValue);
            WriteAt(4, four);
            WriteAt(_dataSizeAt, four);
            if (_factAt >= 0)
            {
                WriteAt(_factAt, four);
            }
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(four, (uint)riffSize);
            WriteAt(4, four);
            BinaryPrimitives.WriteUInt32LittleEndian(four, (uint)_dataBytes);
            WriteAt(_dataSizeAt, four);
            if (_factAt >= 0)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(four, (uint)FramesWritten);
                WriteAt(_factAt, four);
            }
        }
    }

    private void WriteAt(long position, ReadOnlySpan<byte> bytes)
    {
        long end = _stream.Position;
        _stream.Position = position;
        _stream.Write(bytes);
        _stream.Position = end;
    }

    private byte[] BuildHeader(TakeMetadata metadata, out long factAt, out long bextLoudnessAt, out long dataSizeAt)
    {
        using var header = new MemoryStream();
        Ascii(header, "RIFF");
        Le32(header, 0);
        Ascii(header, "WAVE");
        Ascii(header, "JUNK");
        Le32(header, Ds64PayloadBytes);
        header.Write(new byte[Ds64PayloadBytes]);

        bool isFloat = _encoding == SampleEncoding.Float32;
        int bits = SampleEncodings.BitsPerSample(_encoding);
        Ascii(header, "fmt ");
        Le32(header, 40);
        Le16(header, 0xFFFE); // WAVE_FORMAT_EXTENSIBLE: more than 16 bits or more than 2 channels
        Le16(header, _channels);
        Le32(header, (uint)SampleRateHz);
        Le32(header, (uint)(SampleRateHz * _blockAlign));
        Le16(header, _blockAlign);
        Le16(header, bits);
        Le16(header, 22); // cbSize
        Le16(header, bits); // valid bits
        Le32(header, _channels == 2 ? 0x3u : 0x0u); // FRONT_LEFT|FRONT_RIGHT; four channels (input + master) have no speaker positions
        Le16(header, isFloat ? 3 : 1); // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT / _PCM {0000000x-0000-0010-8000-00AA00389B71}
        header.Write([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]);

        factAt = -1;
        if (isFloat)
        {
            Ascii(header, "fact");
            Le32(header, 4);
            factAt = header.Position;
            Le32(header, 0);
        }

        // bext, EBU Tech 3285 v2: fixed ASCII fields, then the coding history.
        byte[] history = Encoding.ASCII.GetBytes(metadata.CodingHistory);
        int bextSize = BextFixedBytes + history.Length;
        Ascii(header, "bext");
        Le32(header, (uint)bextSize);
        long bextStart = header.Position;
        Fixed(header, metadata.Description, 256);
        Fixed(header, metadata.Originator, 32);
        Fixed(header, metadata.OriginatorReference, 32);
        Fixed(header, metadata.Origination.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), 10);
        Fixed(header, metadata.Origination.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), 8);
        Le32(header, (uint)(metadata.TimeReferenceFrames & 0xFFFFFFFF));
        Le32(header, (uint)(metadata.TimeReferenceFrames >> 32));
        Le16(header, 2); // version
        header.Write(new byte[64]); // UMID: none
        bextLoudnessAt = header.Position;
        for (int i = 0; i < 5; i++)
        {
            Le16(header, 0x7FFF); // loudness "not set" until Complete (EBU Tech 3285 v2 §2.4)
        }

        header.Write(new byte[180]); // reserved
        header.Write(history);
        if ((bextSize & 1) != 0)
        {
            header.WriteByte(0);
        }

        System.Diagnostics.Debug.Assert(bextLoudnessAt - bextStart == LoudnessOffsetInBext, "bext layout");
        if (metadata.IXml is { } xml)
        {
            Chunk(header, "iXML", Encoding.UTF8.GetBytes(xml));
        }

        if (metadata.Info.Count > 0)
        {
            using var info = new MemoryStream();
            Ascii(info, "INFO");
            foreach (KeyValuePair<string, string> entry in metadata.Info)
            {
                byte[] text = Encoding.UTF8.GetBytes(entry.Value + "\0");
                Chunk(info, entry.Key, text);
            }

            Chunk(header, "LIST", info.ToArray());
        }

        Ascii(header, "data");
        dataSizeAt = header.Position;
        Le32(header, 0);
        return header.ToArray();
    }

    private static void Loudness(Span<byte> fields, int at, double value)
    {
        // Stored as round(100 × value) in a signed 16-bit word; "not set" (0x7FFF) for a value that is not finite.
        short stored = double.IsFinite(value) ? (short)Math.Clamp(Math.Round(value * 100), short.MinValue, short.MaxValue - 1) : short.MaxValue;
        BinaryPrimitives.WriteInt16LittleEndian(fields[at..], stored);
    }

    private static void Chunk(MemoryStream to, string id, byte[] payload)
    {
        Ascii(to, id);
        Le32(to, (uint)payload.Length);
        to.Write(payload);
        if ((payload.Length & 1) != 0)
        {
            to.WriteByte(0); // RIFF pads chunks to even sizes
        }
    }

    private static void Fixed(MemoryStream to, string text, int bytes)
    {
        byte[] field = new byte[bytes];
        int n = Encoding.ASCII.GetBytes(text.AsSpan(0, Math.Min(text.Length, bytes)), field);
        _ = n;
        to.Write(field);
    }

    private static void Ascii(MemoryStream to, string text) => to.Write(Encoding.ASCII.GetBytes(text));

    private static void Le16(MemoryStream to, int value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value);
        to.Write(b);
    }

    private static void Le32(MemoryStream to, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        to.Write(b);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // a folder that vanished with the header: nothing left to delete
        }
    }
}
