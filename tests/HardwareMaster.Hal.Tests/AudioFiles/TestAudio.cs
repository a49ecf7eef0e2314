using System.Buffers.Binary;
using System.Text;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Tests.AudioFiles;

/// <summary>One chunk for the hand-made test files. <paramref name="SizeOverride"/> lies about the size.</summary>
internal sealed record Chunk(string Id, byte[] Payload, uint? SizeOverride = null);

/// <summary>Builders for hand-made WAV/AIFF files and test signals.</summary>
internal static class TestAudio
{
    public static byte[] Riff(params Chunk[] chunks) => Container("RIFF", "WAVE", bigEndian: false, chunks);

    public static byte[] Form(string formType, params Chunk[] chunks) => Container("FORM", formType, bigEndian: true, chunks);

    public static byte[] Container(string magic, string formType, bool bigEndian, params Chunk[] chunks)
    {
        var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes(formType));
        foreach (Chunk chunk in chunks)
        {
            body.Write(Encoding.ASCII.GetBytes(chunk.Id));
            body.Write(U32(chunk.SizeOverride ?? (uint)chunk.Payload.Length, bigEndian));
            body.Write(chunk.Payload);
            if ((chunk.Payload.Length & 1) != 0)
            {
                body.WriteByte(0);
            }
        }

        var file = new MemoryStream();
        file.Write(Encoding.ASCII.GetBytes(magic));
        file.Write(U32((uint)body.Length, bigEndian));
        body.Position = 0;
        body.CopyTo(file);
        return file.ToArray();
    }

    public static Chunk Fmt(ushort tag, int channels, int rateHz, int blockAlign, int bits)
    {
        byte[] payload = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), (uint)rateHz);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(8), (uint)(rateHz * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(12), (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(14), (ushort)bits);
        return new Chunk("fmt ", payload);
    }

    public static Chunk PcmFmt(int channels, int rateHz, int bits) => Fmt(1, channels, rateHz, channels * bits / 8, bits);

    /// <summary>WAVE_FORMAT_EXTENSIBLE with the sub-format GUID {tag-0000-0010-8000-00AA00389B71}.</summary>
    public static Chunk ExtensibleFmt(ushort subFormatTag, int channels, int rateHz, int bits, int validBits, byte[]? guidTail = null)
    {
        byte[] payload = new byte[40];
        Fmt(0xFFFE, channels, rateHz, channels * bits / 8, bits).Payload.CopyTo(payload, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(18), (ushort)validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(20), channels == 1 ? 4u : 3u);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(24), subFormatTag);
        (guidTail ?? [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]).CopyTo(payload, 26);
        return new Chunk("fmt ", payload);
    }

    public static Chunk Comm(int channels, uint frames, int bits, byte[] rate80, string? compression = null)
    {
        var payload = new MemoryStream();
        payload.Write(U16((ushort)channels, bigEndian: true));
        payload.Write(U32(frames, bigEndian: true));
        payload.Write(U16((ushort)bits, bigEndian: true));
        payload.Write(rate80);
        if (compression is not null)
        {
            payload.Write(Encoding.ASCII.GetBytes(compression));
            payload.Write([0, 0]); // empty pstring, padded
        }

        return new Chunk("COMM", payload.ToArray());
    }

    public static Chunk Ssnd(byte[] data, uint offset = 0)
    {
        byte[] payload = new byte[8 + offset + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, offset);
        data.CopyTo(payload, 8 + (int)offset);
        return new Chunk("SSND", payload);
    }

    public static byte[] Rate80(int rateHz)
    {
        // Independent of the production code: exponent = 16383 + floor(log2), mantissa left-justified.
        int shift = 0;
        while ((rateHz >> (shift + 1)) != 0)
        {
            shift++;
        }

        byte[] bytes = new byte[10];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(16383 + shift));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(2), (ulong)rateHz << (63 - shift));
        return bytes;
    }

    public static byte[] Pcm16Le(params short[] samples)
    {
        byte[] bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i]);
        }

        return bytes;
    }

    public static byte[] Pcm16Be(params short[] samples)
    {
        byte[] bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(i * 2), samples[i]);
        }

        return bytes;
    }

    public static byte[] U16(ushort value, bool bigEndian)
    {
        byte[] bytes = new byte[2];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        }

        return bytes;
    }

    public static byte[] U32(uint value, bool bigEndian)
    {
        byte[] bytes = new byte[4];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }

        return bytes;
    }

    /// <summary>Interleaved samples that the encoding can store exactly (on its integer grid).</summary>
    public static float[] ExactSignal(SampleEncoding encoding, int frames, int channels, int seed)
    {
        var random = new Random(seed);
        int gridBits = encoding switch
        {
            SampleEncoding.Pcm16 => 15,
            SampleEncoding.Pcm24 => 23,
            _ => 23, // Pcm32 and float: a float holds 24 significant bits
        };
        float[] samples = new float[frames * channels];
        int full = 1 << gridBits;
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = random.Next(-full, full) / (float)full;
        }

        // The extremes of the grid must survive too.
        if (samples.Length >= 2)
        {
            samples[0] = -1f;
            samples[1] = (full - 1) / (float)full;
        }

        return samples;
    }

    /// <summary>Writes a whole file into memory.</summary>
    public static byte[] WriteToBytes(AudioContainer container, SampleEncoding encoding, int rateHz, int channels, float[] interleaved, Action<AudioFileWriter>? configure = null)
    {
        var stream = new MemoryStream();
        using (AudioFileWriter writer = AudioFileWriter.Create(stream, "memory", container, encoding, rateHz, channels, leaveOpen: true))
        {
            configure?.Invoke(writer);
            writer.Write(interleaved);
            writer.Complete();
        }

        return stream.ToArray();
    }

    /// <summary>Reads all frames with an odd block size (so blocks straddle the internal buffer).</summary>
    public static float[] ReadAll(AudioFileReader reader, int blockFrames = 37)
    {
        var result = new List<float>();
        float[] block = new float[blockFrames * reader.Format.Channels];
        int guard = 0;
        int frames;
        while ((frames = reader.Read(block)) > 0)
        {
            result.AddRange(block.AsSpan(0, frames * reader.Format.Channels));
            Assert.True(++guard < 10_000_000, "reader did not end");
        }

        return result.ToArray();
    }
}

/// <summary>A read-only, non-seekable stream that returns at most a few bytes per Read (like a pipe).</summary>
internal sealed class TrickleStream(byte[] data, int maxChunk = 7, int seed = 1) : Stream
{
    private readonly Random _random = new(seed);
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(Math.Min(count, _random.Next(1, maxChunk + 1)), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
