using System.Buffers.Binary;

namespace HardwareMaster.Hal.AudioFiles;

/// <summary>What <see cref="TakeRepair.Repair(string, long)"/> did to one file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Frames">Whole frames of audio it now holds.</param>
/// <param name="SampleRateHz">Its sample rate.</param>
/// <param name="Channels">Its channels.</param>
/// <param name="Changed"><c>true</c> when sizes were rewritten or a partial frame cut off.</param>
/// <param name="Rf64"><c>true</c> when the header is (now) RF64.</param>
public readonly record struct TakeRepairResult(string Path, long Frames, int SampleRateHz, int Channels, bool Changed, bool Rf64)
{
    /// <summary>Duration of the audio, seconds.</summary>
    public double Seconds => SampleRateHz > 0 ? (double)Frames / SampleRateHz : 0;
}

/// <summary>
/// Repairs a take that was not closed (power cut, crash, <c>kill -9</c>): sets the RIFF/RF64, data and fact sizes from
/// the file's length, cutting a partly written last frame. Works on files written by <see cref="TakeWriter"/> (data is
/// the last chunk; the 28-byte <c>JUNK</c>/<c>ds64</c> reservation follows the RIFF header).
/// </summary>
public static class TakeRepair
{
    /// <summary>Repairs <paramref name="path"/> in place and fsyncs it.</summary>
    /// <param name="path">The take file.</param>
    /// <param name="rf64ThresholdBytes">RIFF size above which the header must be RF64 (tests lower it).</param>
    /// <returns>What it holds now.</returns>
    /// <exception cref="AudioFileException">Not a take file (no fmt or data chunk), or it cannot be read or written.</exception>
    public static TakeRepairResult Repair(string path, long rf64ThresholdBytes = uint.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);
            return Repair(stream, path, rf64ThresholdBytes);
        }
        catch (FileNotFoundException ex)
        {
            throw new AudioFileException(path, "file not found", ex);
        }
        catch (IOException ex)
        {
            throw new AudioFileException(path, "cannot repair: " + ex.Message, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new AudioFileException(path, "permission denied", ex);
        }
    }

    private static TakeRepairResult Repair(FileStream stream, string path, long rf64ThresholdBytes)
    {
        long length = stream.Length;
        Span<byte> head = stackalloc byte[12];
        if (length < 12 || stream.Read(head) != 12)
        {
            throw new AudioFileException(path, "too short to be a take");
        }

        bool wasRf64 = head[..4].SequenceEqual("RF64"u8);
        if (!(wasRf64 || head[..4].SequenceEqual("RIFF"u8)) || !head[8..12].SequenceEqual("WAVE"u8))
        {
            throw new AudioFileException(path, "not a WAV/RF64 take");
        }

        int channels = 0;
        int sampleRate = 0;
        int blockAlign = 0;
        long factAt = -1;
        long position = 12;
        Span<byte> chunk = stackalloc byte[8];
        Span<byte> fmt = stackalloc byte[16];
        while (position + 8 <= length)
        {
            stream.Position = position;
            stream.ReadExactly(chunk);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (chunk[..4].SequenceEqual("data"u8))
            {
                if (blockAlign == 0)
                {
                    throw new AudioFileException(path, "data before fmt: not a take written by this recorder");
                }

                long dataStart = position + 8;
                long dataBytes = (length - dataStart) / blockAlign * blockAlign;
                long newLength = dataStart + dataBytes;
                bool changed = newLength != length;
                if (changed)
                {
                    stream.SetLength(newLength);
                }

                long riffSize = newLength - 8;
                long frames = dataBytes / blockAlign;
                bool rf64 = wasRf64 || riffSize > rf64ThresholdBytes;
                changed |= Patch(stream, rf64, riffSize, dataBytes, frames, position + 4, factAt);
                stream.Flush(flushToDisk: true);
                return new TakeRepairResult(path, frames, sampleRate, channels, changed, rf64);
            }

            if (chunk[..4].SequenceEqual("fmt "u8))
            {
                stream.ReadExactly(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                sampleRate = (int)BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
            }
            else if (chunk[..4].SequenceEqual("fact"u8))
            {
                factAt = position + 8;
            }

            position += 8 + size + (size & 1);
        }

        throw new AudioFileException(path, "no data chunk: not a take written by this recorder");
    }

    private static bool Patch(FileStream stream, bool rf64, long riffSize, long dataBytes, long frames, long dataSizeAt, long factAt)
    {
        Span<byte> before = stackalloc byte[4];
        stream.Position = dataSizeAt;
        stream.ReadExactly(before);
        uint oldData = BinaryPrimitives.ReadUInt32LittleEndian(before);
        Span<byte> four = stackalloc byte[4];
        if (rf64)
        {
            stream.Position = 0;
            stream.Write("RF64"u8);
            BinaryPrimitives.WriteUInt32LittleEndian(four, uint.MaxValue);
            stream.Write(four);
            stream.Position = 12;
            Span<byte> ds64 = stackalloc byte[36];
            "ds64"u8.CopyTo(ds64);
            BinaryPrimitives.WriteUInt32LittleEndian(ds64[4..], 28);
            BinaryPrimitives.WriteInt64LittleEndian(ds64[8..], riffSize);
            BinaryPrimitives.WriteInt64LittleEndian(ds64[16..], dataBytes);
            BinaryPrimitives.WriteInt64LittleEndian(ds64[24..], frames);
            BinaryPrimitives.WriteUInt32LittleEndian(ds64[32..], 0);
            stream.Write(ds64);
            stream.Position = dataSizeAt;
            stream.Write(four);
            if (factAt >= 0)
            {
                stream.Position = factAt;
                stream.Write(four);
            }

            return true;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(four, (uint)riffSize);
        stream.Position = 4;
        stream.Write(four);
        BinaryPrimitives.WriteUInt32LittleEndian(four, (uint)dataBytes);
        stream.Position = dataSizeAt;
        stream.Write(four);
        if (factAt >= 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(four, (uint)frames);
            stream.Position = factAt;
            stream.Write(four);
        }

        return oldData != (uint)dataBytes;
    }
}
