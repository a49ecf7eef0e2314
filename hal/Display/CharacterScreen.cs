namespace HardwareMaster.Hal.Display;

/// <summary>
/// A preallocated character grid for text displays (HD44780 character LCDs): <see cref="Columns"/> ×
/// <see cref="Rows"/> cells, each one HD44780 character code (ROM A00). Writing clips silently and never allocates.
/// </summary>
/// <remarks>
/// <para>
/// Characters are mapped to codes by <see cref="ToCode"/>: printable ASCII (space to <c>}</c>) as itself, except
/// <c>\</c> (a yen sign in ROM A00) and <c>~</c> (an arrow), which become <c>/</c> and <c>-</c>; <c>°</c> → 0xDF;
/// <c>'\u0001'</c>–<c>'\u0007'</c> are the custom CGRAM glyphs (<see cref="BarGlyphs"/>); anything else is <c>?</c>.
/// </para>
/// <para>Not thread-safe: fill it on the UI thread and hand it to <see cref="ICharacterDisplay.Present"/>.</para>
/// </remarks>
public sealed class CharacterScreen
{
    /// <summary>The CGRAM code of a bar cell with <c>n</c> of its 5 pixel columns lit is <c>(char)n</c> (1–5); 0 is an empty cell (a space).</summary>
    public const int BarLevelsPerCell = 5;

    private readonly byte[] _cells;

    /// <summary>Creates a blank (all spaces) screen.</summary>
    /// <param name="columns">Columns (8–40).</param>
    /// <param name="rows">Rows (1, 2 or 4).</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is not an HD44780 geometry (at most 80 cells).</exception>
    public CharacterScreen(int columns, int rows)
    {
        if (columns is < 8 or > 40 || rows is not (1 or 2 or 4) || columns * rows > 80)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), $"{columns}x{rows} is not a character LCD size (8-40 columns, 1, 2 or 4 rows, at most 80 cells).");
        }

        Columns = columns;
        Rows = rows;
        _cells = new byte[columns * rows];
        Clear();
    }

    /// <summary>
    /// The CGRAM glyphs a <see cref="CharacterScreen"/> bar uses, 8 bytes (rows, 5 low bits = pixels, bit 4 leftmost)
    /// per code 0–7: code <c>n</c> (1–5) has its <c>n</c> left pixel columns lit on rows 1–6; code 0, 6 and 7 are blank.
    /// </summary>
    public static ReadOnlySpan<byte> BarGlyphs =>
    [
        0, 0, 0, 0, 0, 0, 0, 0,
        0, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0,
        0, 0x18, 0x18, 0x18, 0x18, 0x18, 0x18, 0,
        0, 0x1C, 0x1C, 0x1C, 0x1C, 0x1C, 0x1C, 0,
        0, 0x1E, 0x1E, 0x1E, 0x1E, 0x1E, 0x1E, 0,
        0, 0x1F, 0x1F, 0x1F, 0x1F, 0x1F, 0x1F, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
    ];

    /// <summary>Columns.</summary>
    public int Columns { get; }

    /// <summary>Rows.</summary>
    public int Rows { get; }

    /// <summary>All cells, row by row (HD44780 character codes).</summary>
    public ReadOnlySpan<byte> Cells => _cells;

    /// <summary>One row's codes.</summary>
    /// <param name="row">0 ≤ row &lt; <see cref="Rows"/>.</param>
    /// <returns>The row.</returns>
    public ReadOnlySpan<byte> Row(int row) => _cells.AsSpan(row * Columns, Columns);

    /// <summary>Fills every cell with a space.</summary>
    public void Clear() => _cells.AsSpan().Fill((byte)' ');

    /// <summary>Fills one row with spaces.</summary>
    /// <param name="row">The row (ignored when out of range).</param>
    public void ClearRow(int row)
    {
        if ((uint)row < (uint)Rows)
        {
            _cells.AsSpan(row * Columns, Columns).Fill((byte)' ');
        }
    }

    /// <summary>Writes text at a cell, clipped at the row's end.</summary>
    /// <param name="column">Start column (may be negative: the start is clipped).</param>
    /// <param name="row">Row (ignored when out of range).</param>
    /// <param name="text">The text.</param>
    /// <returns>The column after the last character written (or that would have been).</returns>
    public int Write(int column, int row, ReadOnlySpan<char> text)
    {
        if ((uint)row < (uint)Rows)
        {
            for (int i = 0; i < text.Length; i++)
            {
                int x = column + i;
                if ((uint)x < (uint)Columns)
                {
                    _cells[(row * Columns) + x] = ToCode(text[i]);
                }
            }
        }

        return column + text.Length;
    }

    /// <summary>Writes text so that it ends at the row's last column.</summary>
    /// <param name="row">Row.</param>
    /// <param name="text">The text.</param>
    /// <returns>The start column.</returns>
    public int WriteRight(int row, ReadOnlySpan<char> text)
    {
        int column = Columns - text.Length;
        Write(column, row, text);
        return column;
    }

    /// <summary>Sets one cell to a raw character code.</summary>
    /// <param name="column">Column (ignored when out of range).</param>
    /// <param name="row">Row (ignored when out of range).</param>
    /// <param name="code">HD44780 code.</param>
    public void SetCode(int column, int row, byte code)
    {
        if ((uint)column < (uint)Columns && (uint)row < (uint)Rows)
        {
            _cells[(row * Columns) + column] = code;
        }
    }

    /// <summary>Draws a horizontal bar of <paramref name="cells"/> cells from the left, 5 levels per cell (CGRAM codes 1–5, see <see cref="BarGlyphs"/>).</summary>
    /// <param name="column">First cell.</param>
    /// <param name="row">Row.</param>
    /// <param name="cells">Width in cells.</param>
    /// <param name="fraction">Filled fraction 0–1 (NaN = empty).</param>
    public void DrawBar(int column, int row, int cells, double fraction)
    {
        int levels = double.IsNaN(fraction) ? 0 : (int)Math.Round(Math.Clamp(fraction, 0, 1) * cells * BarLevelsPerCell);
        for (int i = 0; i < cells; i++)
        {
            int lit = Math.Clamp(levels - (i * BarLevelsPerCell), 0, BarLevelsPerCell);
            SetCode(column + i, row, lit == 0 ? (byte)' ' : (byte)lit);
        }
    }

    /// <summary>Copies another screen of the same size.</summary>
    /// <param name="source">The source.</param>
    public void CopyFrom(CharacterScreen source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Columns != Columns || source.Rows != Rows)
        {
            throw new ArgumentException($"The screens differ in size ({source.Columns}x{source.Rows} vs {Columns}x{Rows}).", nameof(source));
        }

        source._cells.CopyTo(_cells, 0);
    }

    /// <summary>Whether both screens show the same codes.</summary>
    /// <param name="other">The other screen.</param>
    /// <returns>True when equal in size and content.</returns>
    public bool ContentEquals(CharacterScreen other) =>
        other is not null && other.Columns == Columns && other.Rows == Rows && other._cells.AsSpan().SequenceEqual(_cells);

    /// <summary>One row as readable text (bar codes as block elements ▏▎▌▊█; tests and terminals; allocates).</summary>
    /// <param name="row">The row.</param>
    /// <returns>The text.</returns>
    public string RowText(int row)
    {
        ReadOnlySpan<byte> codes = Row(row);
        var chars = new char[codes.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            chars[i] = FromCode(codes[i]);
        }

        return new string(chars);
    }

    /// <summary>The whole screen as text, rows separated by '\n' (allocates).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Join('\n', Enumerable.Range(0, Rows).Select(RowText));

    /// <summary>The HD44780 (ROM A00) code shown for <paramref name="c"/>.</summary>
    /// <param name="c">A character.</param>
    /// <returns>The code.</returns>
    public static byte ToCode(char c) => c switch
    {
        >= '\u0001' and <= '\u0007' => (byte)c,
        '\\' => (byte)'/',
        '~' => (byte)'-',
        >= ' ' and <= '}' => (byte)c,
        '°' => 0xDF,
        _ => (byte)'?',
    };

    /// <summary>Readable text for a code (bar glyphs 1–5 as ▏▎▌▊█, ROM A00 specials, '?' for the rest).</summary>
    /// <param name="code">An HD44780 code.</param>
    /// <returns>A character.</returns>
    public static char FromCode(byte code) => code switch
    {
        0 => ' ',
        1 => '▏',
        2 => '▎',
        3 => '▌',
        4 => '▊',
        5 => '█',
        0x5C => '¥',
        0x7E => '→',
        0x7F => '←',
        0xDF => '°',
        0xFF => '█',
        >= 0x20 and <= 0x7D => (char)code,
        _ => '?',
    };
}
