using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Tests.Ui;

public class TextLineTests
{
    [Theory]
    [InlineData(-6.14, 5, 1, false, " -6.1")]
    [InlineData(-6.15, 5, 1, false, " -6.2")]
    [InlineData(1.5, 5, 1, true, " +1.5")]
    [InlineData(0.0, 5, 1, true, "  0.0")]
    [InlineData(-0.04, 5, 1, false, "  0.0")]
    [InlineData(-14, 4, 0, false, " -14")]
    [InlineData(-100.25, 5, 1, false, " -100")]
    [InlineData(123456, 4, 1, false, "####")]
    [InlineData(double.NaN, 5, 1, false, "  ---")]
    [InlineData(double.NegativeInfinity, 5, 1, false, " -inf")]
    [InlineData(double.PositiveInfinity, 5, 1, true, " +inf")]
    [InlineData(0.707, 6, 2, false, "  0.71")]
    public void AppendNumber_FixedWidth_RightAlignsRoundsAndMarksSpecials(double value, int width, int decimals, bool plus, string expected)
    {
        var line = new TextLine();

        line.AppendNumber(value, width, decimals, plus);

        Assert.Equal(expected, line.Span.ToString());
        Assert.Equal(width, line.Length);
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(59.9, "0:59")]
    [InlineData(2700, "45:00")]
    [InlineData(3723, "1:02:03")]
    [InlineData(183_125, "2d 02:52")]
    [InlineData(-5, "0:00")]
    public void AppendDuration_UsesMinutesHoursAndDays(double seconds, string expected)
    {
        Assert.Equal(expected, new TextLine().AppendDuration(seconds).Span.ToString());
    }

    [Fact]
    public void AppendInteger_ZeroPadAndNegative_FormatsLikeInvariantCulture()
    {
        Assert.Equal("007", new TextLine().AppendInteger(7, 3, true).Span.ToString());
        Assert.Equal("  -42", new TextLine().AppendInteger(-42, 5).Span.ToString());
        Assert.Equal(long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture), new TextLine().AppendInteger(long.MinValue).Span.ToString());
    }

    [Fact]
    public void Append_BeyondCapacity_DropsTheRest()
    {
        var line = new TextLine(4);

        line.Append("abcdef");

        Assert.Equal("abcd", line.Span.ToString());
    }

    [Fact]
    public void AppendPaddedAndRight_CutOrPadToTheWidth()
    {
        Assert.Equal("Lim re|  50 ms", new TextLine().AppendPadded("Lim release", 6).Append('|').AppendRight("50 ms", 7).Span.ToString());
    }
}
