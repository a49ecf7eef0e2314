using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace HardwareMaster.Hal.AudioFiles;

/// <summary>What the header says, and where the sample data starts.</summary>
/// <param name="Container">The container.</param>
/// <param name="Encoding">The stored sample encoding.</param>
/// <param name="BigEndian">Whether samples are big-endian.</param>
/// <param name="SampleRateHz">The sample rate.</param>
/// <param name="Channels">1 or 2.</param>
/// <param name="DataStart">Absolute stream position of the first sample byte.</param>
/// <param name="Frames">Frames to deliver (declared, clamped to the file when seekable).</param>
/// <param name="Truncated">The file holds less data than the header declares (known at open time).</param>
/// <param name="LengthUnknown">The header does not say how long the data is (read to the end of the stream).</param>
internal readonly record struct ParsedHeader(
    AudioContainer Container,
    SampleEncoding Encoding,
    bool BigEndian,
    int SampleRateHz,
    int Channels,
    long DataStart,
    long Frames,
    bool Truncated,
    bool LengthUnknown);

/// <summary>
/// Parses WAV/RF64 and AIFF/AIFF-C headers from a <see cref="ByteSource"/>, leaving it at the first
/// sample byte. Every problem becomes an <see cref="AudioFileException"/> with one line naming it.
/// </summary>
/// <remarks>
/// References: Microsoft "Multimedia Programming Interface and Data Specifications 1.0" (RIFF/WAVE) and
/// "WAVEFORMATEXTENSIBLE" (mmreg.h/ksmedia.h sub-format GUIDs); EBU Tech 3306 (RF64, 'ds64');
/// Apple "Audio Interchange File Format" 1.3 and "AIFF-C" (1991 draft) for COMM/SSND and compression types.
/// Every chunk advances the position by at least 8 bytes, so a parse always ends.
/// </remarks>
internal static class AudioFileHeaderParser
{
    /// <summary>Lowest sample rate the files may have.</summary>
    public const int MinSampleRateHz = 8000;

    /// <summary>Highest sample rate the files may have.</summary>
    public const int MaxSampleRateHz = 384000;

    private const ushort WaveFormatPcm = 0x0001;
    private const ushort WaveFormatIeeeFloat = 0x0003;
    private const ushort WaveFormatExtensible = 0xFFFE;
    private const uint UnknownSize32 = 0xFFFFFFFF;

    // KSDATAFORMAT_SUBTYPE_* GUIDs are {XXXXXXXX-0000-0010-8000-00AA00389B71} with the format tag in the
    // first field; these are the 14 bytes after the little-endian tag (ksmedia.h).
    private static ReadOnlySpan<byte> SubFormatGuidTail => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    public static ParsedHeader Parse(ByteSource source, string name)
    {
        if (!source.TryEnsure(12))
        {
            int have = source.Buffered;
            if (have == 0)
            {
                throw new AudioFileException(name, "file is empty");
            }

            if (have >= 4 && IsKnownMagic(FourCc(source.BufferedSpan)))
            {
                throw new AudioFileException(name, $"truncated header: the file ends after {have} bytes");
            }

            throw new AudioFileException(name, $"not a WAV or AIFF file ({have} bytes only)");
        }

        ReadOnlySpan<byte> head = source.BufferedSpan;
        uint magic = FourCc(head);
        uint form = FourCc(head[8..]);
        if (magic is Tag.Riff or Tag.Rf64 or Tag.Bw64)
        {
            if (form != Tag.Wave)
            {
                throw new AudioFileException(name, $"RIFF file is not WAVE (form type {Describe(head.Slice(8, 4))})");
            }

            source.Advance(12);
            return ParseWave(source, name, magic != Tag.Riff);
        }

        if (magic == Tag.Form)
        {
            if (form != Tag.Aiff && form != Tag.Aifc)
            {
                throw new AudioFileException(name, $"IFF file is not AIFF or AIFF-C (form type {Describe(head.Slice(8, 4))})");
            }

            source.Advance(12);
            return ParseAiff(source, name, form == Tag.Aifc);
        }

        throw new AudioFileException(name, $"not a WAV or AIFF file (starts with {Describe(head[..4])})");
    }

    private static ParsedHeader ParseWave(ByteSource source, string name, bool rf64)
    {
        AudioContainer container = rf64 ? AudioContainer.Rf64 : AudioContainer.Wav;
        WaveFormat? format = null;
        long ds64DataSize = -1;
        Ds64Entry[]? table = null;
        long earlyDataStart = -1;
        long earlyDataBytes = 0;
        bool earlyDataUnknown = false;

        while (true)
        {
            long chunkHeaderAt = source.Position;
            if (!source.TryEnsure(8))
            {
                if (source.Buffered == 0)
                {
                    break; // clean end of file
                }

                throw new AudioFileException(name, $"truncated chunk header at byte {chunkHeaderAt}");
            }

            ReadOnlySpan<byte> header = source.BufferedSpan;
            uint id = FourCc(header);
            string idText = Describe(header[..4]);
            uint size32 = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            source.Advance(8);
            long chunkStart = source.Position;

            if (id == Tag.Ds64)
            {
                if (size32 < 28)
                {
                    throw new AudioFileException(name, $"ds64 chunk is {size32} bytes, needs at least 28");
                }

                int readable = (int)Math.Min(size32, 28 + (16 * 12));
                RequireChunkBytes(source, name, idText, readable);
                ReadOnlySpan<byte> ds64 = source.BufferedSpan;
                ds64DataSize = ReadSize64(ds64[8..], name, "ds64 data size");
                uint tableLength = BinaryPrimitives.ReadUInt32LittleEndian(ds64[24..]);
                int entries = (int)Math.Min(tableLength, (uint)((readable - 28) / 12));
                table = new Ds64Entry[entries];
                for (int i = 0; i < entries; i++)
                {
                    ReadOnlySpan<byte> entry = ds64.Slice(28 + (i * 12), 12);
                    table[i] = new Ds64Entry(FourCc(entry), ReadSize64(entry[4..], name, "ds64 table size"));
                }

                SkipChunk(source, name, idText, chunkHeaderAt, chunkStart, size32);
                continue;
            }

            long size = size32;
            bool sizeUnknown = false;
            if (size32 == UnknownSize32)
            {
                if (rf64 && id == Tag.Data && ds64DataSize >= 0)
                {
                    size = ds64DataSize;
                }
                else if (rf64 && LookUp(table, id, out long tableSize))
                {
                    size = tableSize;
                }
                else if (id == Tag.Data)
                {
                    sizeUnknown = true; // streaming writers leave -1 when they cannot seek back
                }
                else if (rf64)
                {
                    throw new AudioFileException(name, $"chunk {idText} at byte {chunkHeaderAt} has a 64-bit size but the ds64 chunk does not list it");
                }
            }

            if (id == Tag.Fmt)
            {
                if (size < 16)
                {
                    throw new AudioFileException(name, $"fmt chunk is {size} bytes, needs at least 16");
                }

                int readable = (int)Math.Min(size, 64);
                RequireChunkBytes(source, name, idText, readable);
                format = ParseWaveFormat(source.BufferedSpan[..readable], name);
                SkipChunk(source, name, idText, chunkHeaderAt, chunkStart, size);
                if (earlyDataStart >= 0)
                {
                    source.SeekTo(earlyDataStart);
                    return FinishWave(source, container, format.Value, earlyDataStart, earlyDataBytes, earlyDataUnknown);
                }

                continue;
            }

            if (id == Tag.Data)
            {
                if (format is { } known)
                {
                    return FinishWave(source, container, known, chunkStart, size, sizeUnknown);
                }

                if (!source.CanSeek)
                {
                    throw new AudioFileException(name, "data chunk comes before the fmt chunk (reading that needs a seekable file)");
                }

                earlyDataStart = chunkStart;
                earlyDataBytes = size;
                earlyDataUnknown = sizeUnknown;
                long available = source.Length - chunkStart;
                source.Skip(Math.Min(PaddedSize(size), available));
                continue;
            }

            SkipChunk(source, name, idText, chunkHeaderAt, chunkStart, size);
        }

        if (format is null)
        {
            throw new AudioFileException(name, "no fmt chunk");
        }

        throw new AudioFileException(name, "no data chunk");
    }

    private static ParsedHeader FinishWave(ByteSource source, AudioContainer container, WaveFormat format, long dataStart, long dataBytes, bool sizeUnknown)
    {
        int blockAlign = SampleEncodings.BytesPerSample(format.Encoding) * format.Channels;
        bool truncated = false;
        if (source.CanSeek)
        {
            long available = Math.Max(0, source.Length - dataStart);
            if (sizeUnknown)
            {
                dataBytes = available;
                sizeUnknown = false;
            }
            else if (dataBytes > available)
            {
                dataBytes = available;
                truncated = true;
            }
        }

        long frames = sizeUnknown ? long.MaxValue / blockAlign : dataBytes / blockAlign;
        return new ParsedHeader(container, format.Encoding, false, format.SampleRateHz, format.Channels, dataStart, frames, truncated, sizeUnknown);
    }

    private static WaveFormat ParseWaveFormat(ReadOnlySpan<byte> fmt, string name)
    {
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);

        if (channels == 0)
        {
            throw new AudioFileException(name, "fmt chunk says 0 channels");
        }

        int codecTag = tag;
        int validBits = bits;
        if (tag == WaveFormatExtensible)
        {
            if (fmt.Length < 40)
            {
                throw new AudioFileException(name, $"WAVE_FORMAT_EXTENSIBLE fmt chunk is {fmt.Length} bytes, needs 40");
            }

            ReadOnlySpan<byte> guid = fmt.Slice(24, 16);
            if (!guid[2..].SequenceEqual(SubFormatGuidTail))
            {
                throw new AudioFileException(name, $"unsupported codec: WAVE_FORMAT_EXTENSIBLE sub-format {FormatGuid(guid)}");
            }

            codecTag = BinaryPrimitives.ReadUInt16LittleEndian(guid);
            int declaredValid = BinaryPrimitives.ReadUInt16LittleEndian(fmt[18..]);
            validBits = declaredValid == 0 ? bits : declaredValid;
            if (validBits > bits)
            {
                throw new AudioFileException(name, $"fmt chunk says {validBits} valid bits in a {bits}-bit sample");
            }
        }

        SampleEncoding encoding;
        if (codecTag == WaveFormatPcm)
        {
            encoding = bits switch
            {
                16 => SampleEncoding.Pcm16,
                24 => SampleEncoding.Pcm24,
                32 => SampleEncoding.Pcm32,
                8 => throw new AudioFileException(name, "8-bit PCM is not supported (16, 24 and 32-bit are)"),
                _ => throw new AudioFileException(name, $"PCM with {bits} bits per sample is not supported (16, 24 and 32-bit are)"),
            };
        }
        else if (codecTag == WaveFormatIeeeFloat)
        {
            encoding = bits switch
            {
                32 => SampleEncoding.Float32,
                64 => SampleEncoding.Float64,
                _ => throw new AudioFileException(name, $"float with {bits} bits per sample is not supported (32 and 64-bit are)"),
            };
        }
        else
        {
            throw new AudioFileException(name, $"unsupported codec: {WaveCodecName(codecTag)} (format tag 0x{codecTag:X4}); only PCM and IEEE float are supported");
        }

        CheckChannels(channels, name);
        int sampleRate = CheckSampleRate(rate, name);
        int expectedAlign = channels * (bits / 8);
        if (blockAlign != expectedAlign)
        {
            throw new AudioFileException(name, $"block align {blockAlign} does not match {channels} channel(s) of {bits} bits (expected {expectedAlign})");
        }

        return new WaveFormat(encoding, channels, sampleRate);
    }

    private static ParsedHeader ParseAiff(ByteSource source, string name, bool aifc)
    {
        AudioContainer container = aifc ? AudioContainer.Aifc : AudioContainer.Aiff;
        AiffFormat? format = null;
        long earlyDataStart = -1;
        long earlyDataBytes = 0;

        while (true)
        {
            long chunkHeaderAt = source.Position;
            if (!source.TryEnsure(8))
            {
                if (source.Buffered == 0)
                {
                    break;
                }

                throw new AudioFileException(name, $"truncated chunk header at byte {chunkHeaderAt}");
            }

            ReadOnlySpan<byte> header = source.BufferedSpan;
            uint id = FourCc(header);
            string idText = Describe(header[..4]);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
            source.Advance(8);
            long chunkStart = source.Position;

            if (id == Tag.Comm)
            {
                int needed = aifc ? 22 : 18;
                if (size < needed)
                {
                    throw new AudioFileException(name, $"COMM chunk is {size} bytes, needs at least {needed}");
                }

                RequireChunkBytes(source, name, idText, needed);
                format = ParseComm(source.BufferedSpan[..needed], name, aifc);
                SkipChunk(source, name, idText, chunkHeaderAt, chunkStart, size);
                if (earlyDataStart >= 0)
                {
                    source.SeekTo(earlyDataStart);
                    return FinishAiff(source, container, format.Value, earlyDataStart, earlyDataBytes);
                }

                continue;
            }

            if (id == Tag.Ssnd)
            {
                if (size < 8)
                {
                    throw new AudioFileException(name, $"SSND chunk is {size} bytes, needs at least 8");
                }

                RequireChunkBytes(source, name, idText, 8);
                long offset = BinaryPrimitives.ReadUInt32BigEndian(source.BufferedSpan);
                source.Advance(8);
                if (offset > size - 8)
                {
                    throw new AudioFileException(name, $"SSND data offset {offset} is past the end of its {size}-byte chunk");
                }

                long dataStart = chunkStart + 8 + offset;
                long dataBytes = size - 8 - offset;
                if (format is { } known)
                {
                    if (source.Skip(offset) < offset)
                    {
                        throw new AudioFileException(name, "the file ends inside the SSND data offset");
                    }

                    return FinishAiff(source, container, known, dataStart, dataBytes);
                }

                if (!source.CanSeek)
                {
                    throw new AudioFileException(name, "SSND chunk comes before the COMM chunk (reading that needs a seekable file)");
                }

                earlyDataStart = dataStart;
                earlyDataBytes = dataBytes;
                long available = Math.Max(0, source.Length - source.Position);
                source.Skip(Math.Min(PaddedSize(size) - 8, available));
                continue;
            }

            SkipChunk(source, name, idText, chunkHeaderAt, chunkStart, size);
        }

        if (format is null)
        {
            throw new AudioFileException(name, "no COMM chunk");
        }

        throw new AudioFileException(name, "no SSND chunk");
    }

    private static ParsedHeader FinishAiff(ByteSource source, AudioContainer container, AiffFormat format, long dataStart, long dataBytes)
    {
        int blockAlign = SampleEncodings.BytesPerSample(format.Encoding) * format.Channels;
        bool truncated = false;
        if (source.CanSeek)
        {
            long available = Math.Max(0, source.Length - dataStart);
            dataBytes = Math.Min(dataBytes, available);
        }

        long frames = format.Frames;
        long held = dataBytes / blockAlign;
        if (held < frames)
        {
            frames = held;
            truncated = true;
        }

        return new ParsedHeader(container, format.Encoding, format.BigEndian, format.SampleRateHz, format.Channels, dataStart, frames, truncated, false);
    }

    private static AiffFormat ParseComm(ReadOnlySpan<byte> comm, string name, bool aifc)
    {
        int channels = BinaryPrimitives.ReadInt16BigEndian(comm);
        long frames = BinaryPrimitives.ReadUInt32BigEndian(comm[2..]);
        int sampleSize = BinaryPrimitives.ReadInt16BigEndian(comm[6..]);
        double rate = ExtendedFloat.Read(comm.Slice(8, 10));
        if (channels <= 0)
        {
            throw new AudioFileException(name, $"COMM chunk says {channels} channels");
        }

        uint compression = aifc ? FourCc(comm[18..]) : Tag.None;
        bool bigEndian = true;
        bool isFloat = false;
        SampleEncoding encoding;
        switch (compression)
        {
            case Tag.None:
            case Tag.Twos:
                break;
            case Tag.Sowt:
                bigEndian = false;
                break;
            case Tag.In24:
                sampleSize = 24;
                break;
            case Tag.In32:
                sampleSize = 32;
                break;
            case Tag.Fl32:
            case Tag.Fl32Upper:
                isFloat = true;
                sampleSize = 32;
                break;
            case Tag.Fl64:
            case Tag.Fl64Upper:
                isFloat = true;
                sampleSize = 64;
                break;
            default:
                throw new AudioFileException(name, $"unsupported codec: AIFF-C compression type {Describe(comm.Slice(18, 4))}; only 'NONE', 'twos', 'sowt', 'in24', 'in32', 'fl32' and 'fl64' are supported");
        }

        if (isFloat)
        {
            encoding = sampleSize == 64 ? SampleEncoding.Float64 : SampleEncoding.Float32;
        }
        else
        {
            // AIFF stores sample sizes that are not a multiple of 8 left-justified in whole bytes, so a
            // 20-bit sample decodes correctly as 24-bit.
            encoding = ((sampleSize + 7) / 8) switch
            {
                2 => SampleEncoding.Pcm16,
                3 => SampleEncoding.Pcm24,
                4 => SampleEncoding.Pcm32,
                1 => throw new AudioFileException(name, "8-bit PCM is not supported (16, 24 and 32-bit are)"),
                _ => throw new AudioFileException(name, $"PCM with {sampleSize} bits per sample is not supported (16, 24 and 32-bit are)"),
            };
        }

        CheckChannels(channels, name);
        if (double.IsNaN(rate) || rate < MinSampleRateHz - 0.5 || rate > MaxSampleRateHz + 0.5)
        {
            string shown = double.IsNaN(rate) ? "not a number" : rate.ToString("0.###", CultureInfo.InvariantCulture) + " Hz";
            throw new AudioFileException(name, $"sample rate {shown} is outside the supported {MinSampleRateHz}-{MaxSampleRateHz} Hz");
        }

        return new AiffFormat(encoding, bigEndian, channels, (int)Math.Round(rate), frames);
    }

    private static void CheckChannels(int channels, string name)
    {
        if (channels is < 1 or > 2)
        {
            throw new AudioFileException(name, $"{channels} channels: only mono and stereo are supported");
        }
    }

    private static int CheckSampleRate(uint rate, string name)
    {
        if (rate is < MinSampleRateHz or > MaxSampleRateHz)
        {
            throw new AudioFileException(name, $"sample rate {rate} Hz is outside the supported {MinSampleRateHz}-{MaxSampleRateHz} Hz");
        }

        return (int)rate;
    }

    /// <summary>Buffers the first <paramref name="count"/> bytes of the current chunk or reports the file as truncated.</summary>
    private static void RequireChunkBytes(ByteSource source, string name, string idText, int count)
    {
        if (!source.TryEnsure(count))
        {
            throw new AudioFileException(name, $"truncated {idText} chunk: the file ends inside it");
        }
    }

    /// <summary>Skips the rest of a chunk whose payload started at <paramref name="chunkStart"/>, including the pad byte.</summary>
    private static void SkipChunk(ByteSource source, string name, string idText, long chunkHeaderAt, long chunkStart, long size)
    {
        long end = chunkStart + size;
        long target = end + (size & 1);
        long toSkip = target - source.Position;
        if (source.CanSeek && target > source.Length)
        {
            if (end == source.Length)
            {
                source.Skip(end - source.Position); // the last chunk's pad byte is missing: tolerate
                return;
            }

            throw new AudioFileException(name, $"chunk {idText} at byte {chunkHeaderAt} declares {size} bytes, past the end of the file ({source.Length} bytes)");
        }

        long skipped = source.Skip(toSkip);
        if (skipped < toSkip && source.Position != end)
        {
            throw new AudioFileException(name, $"chunk {idText} at byte {chunkHeaderAt} declares {size} bytes, past the end of the file");
        }
    }

    private static long PaddedSize(long size) => size + (size & 1);

    private static long ReadSize64(ReadOnlySpan<byte> bytes, string name, string what)
    {
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (value > long.MaxValue / 2)
        {
            throw new AudioFileException(name, $"{what} {value} is impossibly large");
        }

        return (long)value;
    }

    private static bool LookUp(Ds64Entry[]? table, uint id, out long size)
    {
        if (table is not null)
        {
            foreach (Ds64Entry entry in table)
            {
                if (entry.Id == id)
                {
                    size = entry.Size;
                    return true;
                }
            }
        }

        size = 0;
        return false;
    }

    private static bool IsKnownMagic(uint magic) => magic is Tag.Riff or Tag.Rf64 or Tag.Bw64 or Tag.Form;

    /// <summary>Reads a four-character code as a big-endian number, so constants read like the text.</summary>
    private static uint FourCc(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt32BigEndian(bytes);

    /// <summary>A four-character code for a message: 'LIST' when printable, else hex bytes.</summary>
    internal static string Describe(ReadOnlySpan<byte> fourBytes)
    {
        foreach (byte b in fourBytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return "0x" + Convert.ToHexString(fourBytes);
            }
        }

        return "'" + Encoding.ASCII.GetString(fourBytes) + "'";
    }

    private static string FormatGuid(ReadOnlySpan<byte> guid) => new Guid(guid).ToString("B", CultureInfo.InvariantCulture);

    private static string WaveCodecName(int tag) => tag switch
    {
        0x0002 => "Microsoft ADPCM",
        0x0006 => "A-law",
        0x0007 => "mu-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG audio",
        0x0055 => "MP3",
        0x0092 => "Dolby AC-3 over S/PDIF",
        0x00FF => "AAC",
        0x0161 or 0x0162 or 0x0163 => "Windows Media Audio",
        0x1610 => "MPEG-4 AAC",
        0x2000 => "Dolby AC-3",
        0xF1AC => "FLAC",
        _ => "unknown codec",
    };

    private readonly record struct WaveFormat(SampleEncoding Encoding, int Channels, int SampleRateHz);

    private readonly record struct AiffFormat(SampleEncoding Encoding, bool BigEndian, int Channels, int SampleRateHz, long Frames);

    private readonly record struct Ds64Entry(uint Id, long Size);

    /// <summary>Four-character codes as big-endian numbers.</summary>
    internal static class Tag
    {
        public const uint Riff = 0x52494646; // 'RIFF'
        public const uint Rf64 = 0x52463634; // 'RF64'
        public const uint Bw64 = 0x42573634; // 'BW64' (ITU-R BS.2088, same layout as RF64)
        public const uint Wave = 0x57415645; // 'WAVE'
        public const uint Fmt = 0x666D7420; // 'fmt '
        public const uint Data = 0x64617461; // 'data'
        public const uint Ds64 = 0x64733634; // 'ds64'
        public const uint Junk = 0x4A554E4B; // 'JUNK'
        public const uint Fact = 0x66616374; // 'fact'
        public const uint Form = 0x464F524D; // 'FORM'
        public const uint Aiff = 0x41494646; // 'AIFF'
        public const uint Aifc = 0x41494643; // 'AIFC'
        public const uint Comm = 0x434F4D4D; // 'COMM'
        public const uint Ssnd = 0x53534E44; // 'SSND'
        public const uint Fver = 0x46564552; // 'FVER'
        public const uint None = 0x4E4F4E45; // 'NONE'
        public const uint Twos = 0x74776F73; // 'twos'
        public const uint Sowt = 0x736F7774; // 'sowt'
        public const uint In24 = 0x696E3234; // 'in24'
        public const uint In32 = 0x696E3332; // 'in32'
        public const uint Fl32 = 0x666C3332; // 'fl32'
        public const uint Fl32Upper = 0x464C3332; // 'FL32'
        public const uint Fl64 = 0x666C3634; // 'fl64'
        public const uint Fl64Upper = 0x464C3634; // 'FL64'
    }
}
