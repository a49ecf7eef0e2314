using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.Hal.Simulation;

/// <summary>Colour of the simulated OLED pixels.</summary>
public enum OledColor
{
    /// <summary>White pixels on black (most SSD1306/SH1106 modules).</summary>
    White,

    /// <summary>Blue pixels on black.</summary>
    Blue,

    /// <summary>Yellow top 16 rows, blue below (the two-colour modules).</summary>
    YellowBlue,
}

/// <summary>
/// Writes a <see cref="MonoFrameBuffer"/> as a PNG that looks like the real OLED: each pixel a
/// lit square with a thin dark gap, on black. A minimal encoder (8-bit RGB, filter 0, one IDAT
/// compressed with <see cref="ZLibStream"/>, CRC-32 per ISO 3309 as required by the PNG spec §5.3).
/// </summary>
public static class PngWriter
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Writes the PNG file at <paramref name="path"/>.</summary>
    /// <param name="path">File path.</param>
    /// <param name="frame">The picture.</param>
    /// <param name="scale">Screen pixels per OLED pixel (1–16); at 3 and above a 1-pixel gap is drawn.</param>
    /// <param name="color">Pixel colour.</param>
    public static void Write(string path, MonoFrameBuffer frame, int scale = 4, OledColor color = OledColor.White)
    {
        using FileStream stream = File.Create(path);
        Write(stream, frame, scale, color);
    }

    /// <summary>Writes the PNG to <paramref name="stream"/>.</summary>
    /// <param name="stream">Destination.</param>
    /// <param name="frame">The picture.</param>
    /// <param name="scale">Screen pixels per OLED pixel (1–16).</param>
    /// <param name="color">Pixel colour.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is out of range.</exception>
    public static void Write(Stream stream, MonoFrameBuffer frame, int scale = 4, OledColor color = OledColor.White)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, 16);
        int width = frame.Width * scale;
        int height = frame.Height * scale;
        int stride = 1 + (3 * width);

        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]); // signature (§5.2)
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.Slice(4), height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: truecolour
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering (we use filter 0 everywhere)
        header[12] = 0; // no interlace
        WriteChunk(stream, "IHDR"u8, header);

        var raw = new byte[stride * height];
        bool gap = scale >= 3;
        for (int y = 0; y < height; y++)
        {
            int row = y * stride; // raw[row] = 0: filter "None"
            int pixelY = y / scale;
            bool gapRow = gap && y % scale == scale - 1;
            (byte r, byte g, byte b) = Lit(color, pixelY);
            for (int x = 0; x < width; x++)
            {
                if (gapRow || (gap && x % scale == scale - 1) || !frame.GetPixel(x / scale, pixelY))
                {
                    continue;
                }

                int offset = row + 1 + (3 * x);
                raw[offset] = r;
                raw[offset + 1] = g;
                raw[offset + 2] = b;
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        WriteChunk(stream, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(stream, "IEND"u8, []);
    }

    /// <summary>CRC-32 (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320 reflected) as used by PNG.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="crc">Running value from a previous call, or 0.</param>
    /// <returns>The CRC.</returns>
    public static uint Crc32(ReadOnlySpan<byte> data, uint crc = 0)
    {
        crc = ~crc;
        foreach (byte value in data)
        {
            crc = CrcTable[(crc ^ value) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static (byte R, byte G, byte B) Lit(OledColor color, int pixelY) => color switch
    {
        OledColor.Blue => (0x40, 0xC8, 0xFF),
        OledColor.YellowBlue => pixelY < 16 ? ((byte)0xFF, (byte)0xE0, (byte)0x40) : ((byte)0x40, (byte)0xC8, (byte)0xFF),
        _ => (0xF4, 0xF8, 0xFF),
    };

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        stream.Write(type);
        stream.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(data, Crc32(type)));
        stream.Write(word);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
