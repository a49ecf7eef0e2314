namespace HardwareMaster.Hal.Display;

/// <summary>
/// A preallocated 1-bit framebuffer in the SSD1306/SH1106 page layout: <see cref="Pages"/> rows of
/// <see cref="Width"/> bytes, each byte 8 vertical pixels with the least significant bit on top.
/// Drawing primitives clip silently and never allocate.
/// </summary>
/// <remarks>Not thread-safe: draw on one thread (the UI loop) and hand the buffer to <see cref="IMonoDisplay.Present"/>.</remarks>
public sealed class MonoFrameBuffer
{
    private readonly byte[] _buffer;

    /// <summary>Creates a blank framebuffer.</summary>
    /// <param name="width">Width in pixels (1–256).</param>
    /// <param name="height">Height in pixels, a multiple of 8 (8–64).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public MonoFrameBuffer(int width = 128, int height = 64)
    {
        if (width is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be 1..256 pixels.");
        }

        if (height is < 8 or > 64 || height % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be a multiple of 8 between 8 and 64 pixels.");
        }

        Width = width;
        Height = height;
        Pages = height / 8;
        _buffer = new byte[Pages * width];
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Number of 8-pixel pages.</summary>
    public int Pages { get; }

    /// <summary>The raw bytes, page by page.</summary>
    public Span<byte> Buffer => _buffer;

    /// <summary>One page (8 pixel rows) as <see cref="Width"/> bytes.</summary>
    /// <param name="page">0 ≤ page &lt; <see cref="Pages"/>.</param>
    /// <returns>The page bytes.</returns>
    public Span<byte> GetPage(int page) => _buffer.AsSpan(page * Width, Width);

    /// <summary>Turns every pixel off.</summary>
    public void Clear() => Array.Clear(_buffer);

    /// <summary>Sets every pixel to <paramref name="on"/>.</summary>
    /// <param name="on">Lit or dark.</param>
    public void Fill(bool on) => _buffer.AsSpan().Fill(on ? (byte)0xFF : (byte)0x00);

    /// <summary>Copies another framebuffer of the same size.</summary>
    /// <param name="source">The source.</param>
    /// <exception cref="ArgumentException">The sizes differ.</exception>
    public void CopyFrom(MonoFrameBuffer source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Width != Width || source.Height != Height)
        {
            throw new ArgumentException($"Framebuffer sizes differ ({source.Width}x{source.Height} vs {Width}x{Height}).", nameof(source));
        }

        source._buffer.CopyTo(_buffer, 0);
    }

    /// <summary>Whether both framebuffers have the same size and pixels.</summary>
    /// <param name="other">The other framebuffer.</param>
    /// <returns><c>true</c> when identical.</returns>
    public bool ContentEquals(MonoFrameBuffer other) =>
        other is not null && other.Width == Width && other.Height == Height && other._buffer.AsSpan().SequenceEqual(_buffer);

    /// <summary>Reads a pixel; outside the buffer reads as dark.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <returns><c>true</c> when lit.</returns>
    public bool GetPixel(int x, int y) =>
        (uint)x < (uint)Width && (uint)y < (uint)Height && (_buffer[((y >> 3) * Width) + x] & (1 << (y & 7))) != 0;

    /// <summary>Sets a pixel; outside the buffer is ignored.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="on">Lit or dark.</param>
    public void SetPixel(int x, int y, bool on = true)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        int index = ((y >> 3) * Width) + x;
        byte bit = (byte)(1 << (y & 7));
        _buffer[index] = on ? (byte)(_buffer[index] | bit) : (byte)(_buffer[index] & ~bit);
    }

    /// <summary>Draws a straight line (Bresenham), both end points included.</summary>
    /// <param name="x0">Start column.</param>
    /// <param name="y0">Start row.</param>
    /// <param name="x1">End column.</param>
    /// <param name="y1">End row.</param>
    /// <param name="on">Lit or dark.</param>
    public void DrawLine(int x0, int y0, int x1, int y1, bool on = true)
    {
        if (y0 == y1)
        {
            FillRectangle(Math.Min(x0, x1), y0, Math.Abs(x1 - x0) + 1, 1, on);
            return;
        }

        if (x0 == x1)
        {
            FillRectangle(x0, Math.Min(y0, y1), 1, Math.Abs(y1 - y0) + 1, on);
            return;
        }

        int dx = Math.Abs(x1 - x0);
        int dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int error = dx + dy;
        while (true)
        {
            SetPixel(x0, y0, on);
            if (x0 == x1 && y0 == y1)
            {
                return;
            }

            int doubled = 2 * error;
            if (doubled >= dy)
            {
                error += dy;
                x0 += sx;
            }

            if (doubled <= dx)
            {
                error += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>Draws a one-pixel rectangle outline.</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="on">Lit or dark.</param>
    public void DrawRectangle(int x, int y, int width, int height, bool on = true)
    {
        if (width <= 0 || height <= 0)
        {
            return;
        }

        FillRectangle(x, y, width, 1, on);
        FillRectangle(x, y + height - 1, width, 1, on);
        FillRectangle(x, y, 1, height, on);
        FillRectangle(x + width - 1, y, 1, height, on);
    }

    /// <summary>Fills a rectangle.</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="on">Lit or dark.</param>
    public void FillRectangle(int x, int y, int width, int height, bool on = true) => ApplyRectangle(x, y, width, height, on ? RectangleOperation.Set : RectangleOperation.Clear);

    /// <summary>Inverts every pixel in a rectangle (for highlighted menu lines and selected values).</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public void InvertRectangle(int x, int y, int width, int height) => ApplyRectangle(x, y, width, height, RectangleOperation.Invert);

    /// <summary>Draws text with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>); background pixels are left unchanged.</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row (any row, not only page boundaries).</param>
    /// <param name="text">The characters (format numbers into a stack buffer with <c>TryFormat</c> to stay allocation-free).</param>
    /// <param name="font">The font.</param>
    /// <param name="on"><c>true</c> draws lit glyphs; <c>false</c> draws dark glyphs (text on a filled or inverted area).</param>
    /// <returns>The column just right of the text.</returns>
    public int DrawText(int x, int y, ReadOnlySpan<char> text, MonoFont font, bool on = true)
    {
        ArgumentNullException.ThrowIfNull(font);
        foreach (char character in text)
        {
            for (int column = 0; column < font.GlyphWidth; column++)
            {
                ApplyColumn(x + column, y, font.GetColumn(character, column), on);
            }

            x += font.CellWidth;
        }

        return x;
    }

    /// <summary>
    /// Draws a horizontal bar meter: an outline, a fill from the left for <paramref name="fraction"/>,
    /// and a two-pixel peak-hold marker at <paramref name="peakFraction"/>.
    /// </summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Outer width (≥ 3).</param>
    /// <param name="height">Outer height (≥ 3).</param>
    /// <param name="fraction">Fill, 0–1 (clamped; NaN counts as 0).</param>
    /// <param name="peakFraction">Peak-hold position, 0–1, or negative for none.</param>
    public void DrawHorizontalBar(int x, int y, int width, int height, float fraction, float peakFraction = -1)
    {
        if (width < 3 || height < 3)
        {
            return;
        }

        int inner = width - 2;
        FillRectangle(x, y, width, height, false);
        DrawRectangle(x, y, width, height);
        int filled = Scale(fraction, inner);
        FillRectangle(x + 1, y + 1, filled, height - 2);
        if (peakFraction >= 0)
        {
            int peak = Math.Clamp(Scale(peakFraction, inner), 1, inner);
            FillRectangle(x + peak - 1, y + 1, Math.Min(2, inner - peak + 1), height - 2);
        }
    }

    /// <summary>
    /// Draws a vertical bar meter filling from the bottom, with a two-pixel peak-hold marker.
    /// </summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Outer width (≥ 3).</param>
    /// <param name="height">Outer height (≥ 3).</param>
    /// <param name="fraction">Fill, 0–1 (clamped; NaN counts as 0).</param>
    /// <param name="peakFraction">Peak-hold position, 0–1, or negative for none.</param>
    public void DrawVerticalBar(int x, int y, int width, int height, float fraction, float peakFraction = -1)
    {
        if (width < 3 || height < 3)
        {
            return;
        }

        int inner = height - 2;
        int bottom = y + height - 1; // first row below the interior
        FillRectangle(x, y, width, height, false);
        DrawRectangle(x, y, width, height);
        int filled = Scale(fraction, inner);
        FillRectangle(x + 1, bottom - filled, width - 2, filled);
        if (peakFraction >= 0)
        {
            int peak = Math.Clamp(Scale(peakFraction, inner), 1, inner);
            int markerHeight = Math.Min(2, inner - peak + 1);
            FillRectangle(x + 1, bottom - peak - markerHeight + 1, width - 2, markerHeight);
        }
    }

    private static int Scale(float fraction, int length)
    {
        if (!(fraction > 0))
        {
            return 0;
        }

        return fraction >= 1 ? length : (int)MathF.Round(fraction * length);
    }

    private void ApplyColumn(int x, int y, uint bits, bool on)
    {
        if ((uint)x >= (uint)Width || bits == 0)
        {
            return;
        }

        // Place the column's bits at row y; rows above 0 or below the buffer fall off.
        for (int page = 0; page < Pages; page++)
        {
            int shift = y - (page * 8);
            uint pageBits = shift >= 0 ? (shift < 32 ? bits << shift : 0) : (-shift < 32 ? bits >> -shift : 0);
            byte mask = (byte)pageBits;
            if (mask == 0)
            {
                continue;
            }

            int index = (page * Width) + x;
            _buffer[index] = on ? (byte)(_buffer[index] | mask) : (byte)(_buffer[index] & ~mask);
        }
    }

    private void ApplyRectangle(int x, int y, int width, int height, RectangleOperation operation)
    {
        int left = Math.Max(0, x);
        int right = Math.Min(Width, x + width);   // exclusive
        int top = Math.Max(0, y);
        int bottom = Math.Min(Height, y + height); // exclusive
        if (left >= right || top >= bottom)
        {
            return;
        }

        for (int page = top >> 3; page <= (bottom - 1) >> 3; page++)
        {
            int pageTop = page * 8;
            int from = Math.Max(top, pageTop) - pageTop;
            int to = Math.Min(bottom, pageTop + 8) - pageTop; // exclusive
            byte mask = (byte)(((1 << to) - 1) & ~((1 << from) - 1));
            Span<byte> row = _buffer.AsSpan((page * Width) + left, right - left);
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = operation switch
                {
                    RectangleOperation.Set => (byte)(row[i] | mask),
                    RectangleOperation.Clear => (byte)(row[i] & ~mask),
                    _ => (byte)(row[i] ^ mask),
                };
            }
        }
    }

    private enum RectangleOperation
    {
        Set,
        Clear,
        Invert,
    }
}
