namespace HardwareMaster.App.Ui;

/// <summary>
/// A preallocated line of text for the OLED: numbers are written into it as fixed-width, right-aligned fields with a
/// small fixed-point formatter, so drawing a frame formats nothing through <c>string</c> and allocates nothing.
/// </summary>
/// <remarks>Not thread-safe: one UI thread. Characters beyond <see cref="Capacity"/> are dropped silently.</remarks>
internal sealed class TextLine
{
    private static readonly long[] PowersOfTen = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    private readonly char[] _chars;

    /// <summary>Creates an empty line.</summary>
    /// <param name="capacity">Largest number of characters kept.</param>
    public TextLine(int capacity = 32) => _chars = new char[capacity];

    /// <summary>Largest number of characters kept.</summary>
    public int Capacity => _chars.Length;

    /// <summary>Number of characters written.</summary>
    public int Length { get; private set; }

    /// <summary>The text written so far.</summary>
    public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

    /// <summary>Empties the line.</summary>
    /// <returns>This line.</returns>
    public TextLine Clear()
    {
        Length = 0;
        return this;
    }

    /// <summary>Appends characters.</summary>
    /// <param name="text">The characters.</param>
    /// <returns>This line.</returns>
    public TextLine Append(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            Append(c);
        }

        return this;
    }

    /// <summary>Appends one character.</summary>
    /// <param name="c">The character.</param>
    /// <returns>This line.</returns>
    public TextLine Append(char c)
    {
        if (Length < _chars.Length)
        {
            _chars[Length++] = c;
        }

        return this;
    }

    /// <summary>Appends <paramref name="text"/> cut or space-padded to exactly <paramref name="width"/> characters.</summary>
    /// <param name="text">The characters.</param>
    /// <param name="width">Field width.</param>
    /// <returns>This line.</returns>
    public TextLine AppendPadded(ReadOnlySpan<char> text, int width)
    {
        Append(text.Length > width ? text[..width] : text);
        return Spaces(width - text.Length);
    }

    /// <summary>Appends <paramref name="text"/> right-aligned in <paramref name="width"/> characters (cut at the right when longer).</summary>
    /// <param name="text">The characters.</param>
    /// <param name="width">Field width.</param>
    /// <returns>This line.</returns>
    public TextLine AppendRight(ReadOnlySpan<char> text, int width)
    {
        Spaces(width - text.Length);
        return Append(text.Length > width ? text[..width] : text);
    }

    /// <summary>Appends <paramref name="count"/> spaces (none when not positive).</summary>
    /// <param name="count">How many.</param>
    /// <returns>This line.</returns>
    public TextLine Spaces(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Append(' ');
        }

        return this;
    }

    /// <summary>
    /// Appends <paramref name="value"/> right-aligned in exactly <paramref name="width"/> characters with
    /// <paramref name="decimals"/> decimals (0–6): <c>---</c> for NaN, <c>-inf</c>/<c>+inf</c> for infinities, and
    /// <c>#</c> characters when the number does not fit.
    /// </summary>
    /// <param name="value">The number.</param>
    /// <param name="width">Field width (1–24).</param>
    /// <param name="decimals">Digits after the point.</param>
    /// <param name="plus">Write a <c>+</c> in front of positive numbers.</param>
    /// <returns>This line.</returns>
    public TextLine AppendNumber(double value, int width, int decimals, bool plus = false)
    {
        Span<char> field = stackalloc char[24];
        width = Math.Clamp(width, 1, field.Length);
        decimals = Math.Clamp(decimals, 0, PowersOfTen.Length - 1);
        int length = FormatNumber(field, value, decimals, plus);
        if (length > width)
        {
            // Too wide: drop decimals first (a meter reading of -100.0 still shows -100), then give up honestly.
            for (int fewer = decimals - 1; fewer >= 0 && length > width; fewer--)
            {
                length = FormatNumber(field, value, fewer, plus);
            }

            if (length > width)
            {
                field[..width].Fill('#');
                length = width;
            }
        }

        Spaces(width - length);
        return Append(field[..length]);
    }

    /// <summary>Appends <paramref name="value"/> with <paramref name="decimals"/> decimals in as few characters as it needs.</summary>
    /// <param name="value">The number.</param>
    /// <param name="decimals">Digits after the point (0–6).</param>
    /// <param name="plus">Write a <c>+</c> in front of positive numbers.</param>
    /// <returns>This line.</returns>
    public TextLine AppendNumber(double value, int decimals, bool plus = false)
    {
        Span<char> field = stackalloc char[24];
        int length = FormatNumber(field, value, Math.Clamp(decimals, 0, PowersOfTen.Length - 1), plus);
        return Append(field[..length]);
    }

    /// <summary>Appends a whole number right-aligned in <paramref name="width"/> characters (<paramref name="zeroPad"/> pads with zeros).</summary>
    /// <param name="value">The number.</param>
    /// <param name="width">Field width.</param>
    /// <param name="zeroPad">Pad with zeros instead of spaces (clock fields).</param>
    /// <returns>This line.</returns>
    public TextLine AppendInteger(long value, int width, bool zeroPad = false)
    {
        Span<char> digits = stackalloc char[24];
        int length = FormatInteger(digits, value);
        if (length > width)
        {
            for (int i = 0; i < width; i++)
            {
                Append('#');
            }

            return this;
        }

        for (int i = length; i < width; i++)
        {
            Append(zeroPad ? '0' : ' ');
        }

        return Append(digits[..length]);
    }

    /// <summary>Appends a whole number in as few characters as it needs.</summary>
    /// <param name="value">The number.</param>
    /// <returns>This line.</returns>
    public TextLine AppendInteger(long value)
    {
        Span<char> digits = stackalloc char[24];
        return Append(digits[..FormatInteger(digits, value)]);
    }

    /// <summary>Appends a duration as <c>m:ss</c> under an hour, <c>h:mm:ss</c> under a day and <c>Nd hh:mm</c> beyond.</summary>
    /// <param name="seconds">Seconds (negative and NaN count as 0).</param>
    /// <returns>This line.</returns>
    public TextLine AppendDuration(double seconds)
    {
        long total = double.IsFinite(seconds) && seconds > 0 ? (long)seconds : 0;
        long days = total / 86_400;
        long hours = total / 3_600 % 24;
        long minutes = total / 60 % 60;
        long secs = total % 60;
        if (days > 0)
        {
            return AppendInteger(days).Append("d ").AppendInteger(hours, 2, true).Append(':').AppendInteger(minutes, 2, true);
        }

        if (hours > 0)
        {
            AppendInteger(hours).Append(':').AppendInteger(minutes, 2, true);
        }
        else
        {
            AppendInteger(minutes);
        }

        return Append(':').AppendInteger(secs, 2, true);
    }

    private static int FormatNumber(Span<char> field, double value, int decimals, bool plus)
    {
        if (double.IsNaN(value))
        {
            "---".CopyTo(field);
            return 3;
        }

        if (double.IsInfinity(value) || Math.Abs(value) >= 1e12)
        {
            (value < 0 ? "-inf" : "+inf").CopyTo(field);
            return 4;
        }

        long scaled = (long)Math.Round(Math.Abs(value) * PowersOfTen[decimals], MidpointRounding.AwayFromZero);
        bool negative = value < 0 && scaled != 0;
        Span<char> reversed = stackalloc char[24];
        int count = 0;
        for (int digit = 0; digit < decimals; digit++)
        {
            reversed[count++] = (char)('0' + (scaled % 10));
            scaled /= 10;
        }

        if (decimals > 0)
        {
            reversed[count++] = '.';
        }

        do
        {
            reversed[count++] = (char)('0' + (scaled % 10));
            scaled /= 10;
        }
        while (scaled > 0);

        if (negative)
        {
            reversed[count++] = '-';
        }
        else if (plus && value > 0)
        {
            reversed[count++] = '+';
        }

        for (int i = 0; i < count; i++)
        {
            field[i] = reversed[count - 1 - i];
        }

        return count;
    }

    private static int FormatInteger(Span<char> digits, long value)
    {
        Span<char> reversed = stackalloc char[24];
        int count = 0;
        ulong magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        do
        {
            reversed[count++] = (char)('0' + (int)(magnitude % 10));
            magnitude /= 10;
        }
        while (magnitude > 0);

        if (value < 0)
        {
            reversed[count++] = '-';
        }

        for (int i = 0; i < count; i++)
        {
            digits[i] = reversed[count - 1 - i];
        }

        return count;
    }
}
