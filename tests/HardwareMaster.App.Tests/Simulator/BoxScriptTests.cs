using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Tests.Simulator;

/// <summary>The <c>--script</c> format: <c>SECONDS CONTROL ACTION [COUNT]</c>, comments, and one precise error per bad line.</summary>
public sealed class BoxScriptTests
{
    [Fact]
    public void Parse_GoodLines_GivesTimedGesturesInOrder()
    {
        BoxScript script = BoxScript.Parse(
            """
            # a comment line

            0     page cw
            0.5   param ccw 3   # trailing comment
            1.25  value cw 12
            2     bypass press
            2     eq long
            3     comp double 2
            4.0   limit press
            """,
            "s.txt");

        Assert.Equal(
            new[]
            {
                new ScriptStep(0, new BoxInput(BoxControl.Page, BoxAction.Cw, 1), 3),
                new ScriptStep(0.5, new BoxInput(BoxControl.Param, BoxAction.Ccw, 3), 4),
                new ScriptStep(1.25, new BoxInput(BoxControl.Value, BoxAction.Cw, 12), 5),
                new ScriptStep(2, new BoxInput(BoxControl.Bypass, BoxAction.Press, 1), 6),
                new ScriptStep(2, new BoxInput(BoxControl.Eq, BoxAction.Long, 1), 7),
                new ScriptStep(3, new BoxInput(BoxControl.Comp, BoxAction.Double, 1), 8),
                new ScriptStep(3, new BoxInput(BoxControl.Comp, BoxAction.Double, 1), 8),
                new ScriptStep(4, new BoxInput(BoxControl.Limit, BoxAction.Press, 1), 9),
            },
            script.Steps);
        Assert.Equal(4, script.EndSeconds);
    }

    [Theory]
    [InlineData("1 page", 1, "expected 'SECONDS CONTROL ACTION [COUNT]', got 2 words")]
    [InlineData("0 page cw\nabc page cw", 2, "'abc' is not a time")]
    [InlineData("-1 page cw", 1, "'-1' is not a time")]
    [InlineData("NaN page cw", 1, "'NaN' is not a time")]
    [InlineData("1 knob cw", 1, "unknown control 'knob'")]
    [InlineData("1 page spin", 1, "unknown action 'spin'")]
    [InlineData("1 bypass cw", 1, "'bypass' is a button")]
    [InlineData("1 value cw 0", 1, "count '0' must be a whole number from 1 to 1000")]
    [InlineData("1 value cw 2.5", 1, "count '2.5'")]
    [InlineData("1 value cw 1001", 1, "count '1001'")]
    [InlineData("2 page cw\n\n# c\n1 page cw", 4, "time 1 s goes back")]
    [InlineData("1 Page cw", 1, "unknown control 'Page'")]
    [InlineData("1 page cw 2 3", 1, "got 5 words")]
    public void Parse_BadLine_NamesFileAndLine(string text, int line, string why)
    {
        var ex = Assert.Throws<BoxScriptException>(() => BoxScript.Parse(text, "dir/s.txt"));
        Assert.StartsWith($"dir/s.txt:{line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Tour_VisitsPagesButtonsAndAnEdit()
    {
        BoxScript tour = BoxScript.Tour;
        Assert.Contains(tour.Steps, s => s.Input is { Control: BoxControl.Page, Action: BoxAction.Cw });
        Assert.Contains(tour.Steps, s => s.Input is { Control: BoxControl.Value, Action: BoxAction.Cw });
        foreach (BoxControl button in new[] { BoxControl.Bypass, BoxControl.Eq, BoxControl.Comp, BoxControl.Limit })
        {
            // every button is pressed an even number of times: the tour ends with the audio as it started
            Assert.Equal(0, tour.Steps.Count(s => s.Input.Control == button && s.Input.Action == BoxAction.Press) % 2);
            Assert.Contains(tour.Steps, s => s.Input.Control == button);
        }
    }
}
