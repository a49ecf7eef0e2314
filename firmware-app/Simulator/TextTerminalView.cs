using HardwareMaster.App.Host;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Simulator;

/// <summary>
/// Draws the simulated character LCD in the terminal as text (what the HD44780 decoder read back from the PCF8574's
/// pins, bars as block elements), framed, with the LEDs and the keys under it; redraws in place when something changed.
/// </summary>
public sealed class TextTerminalView : IBoxView, IDisposable
{
    private readonly TextWriter _out;
    private readonly Hd44780Decoder _panel;
    private bool _started;

    /// <summary>Creates the view.</summary>
    /// <param name="output">Where to draw (the console).</param>
    /// <param name="panel">The simulated LCD.</param>
    public TextTerminalView(TextWriter output, Hd44780Decoder panel)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(panel);
        _out = output;
        _panel = panel;
    }

    /// <inheritdoc />
    public void Show(MonoFrameBuffer panel, in BoxViewState state, bool screenChanged)
    {
        if (!_started)
        {
            _started = true;
            _out.Write("\u001b[2J\u001b[?25l");
        }

        // A few lines, a few times a second while something changes: the strings here are not worth pooling.
        var text = new System.Text.StringBuilder();
        text.Append("\u001b[H");
        Render(text, _panel);
        text.Append("page ").Append(state.PageName).Append("   ")
            .Append(state.Bypass ? "[BYPASS] " : " bypass  ").Append(state.Eq ? "[EQ] " : " eq  ")
            .Append(state.Comp ? "[COMP] " : " comp  ").Append(state.Limit ? "[LIMIT]" : " limit ").Append("\u001b[K\n");
        text.Append(KeyboardInput.Help).Append("\u001b[K\n");
        _out.Write(text.ToString());
        _out.Flush();
    }

    /// <summary>Appends the LCD framed in box-drawing characters, one line per row.</summary>
    /// <param name="text">Where to append.</param>
    /// <param name="panel">The LCD.</param>
    public static void Render(System.Text.StringBuilder text, Hd44780Decoder panel)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(panel);
        text.Append('┌').Append('─', panel.Columns).Append("┐\n");
        for (int row = 0; row < panel.Rows; row++)
        {
            text.Append('│').Append(panel.RowText(row)).Append("│\n");
        }

        text.Append('└').Append('─', panel.Columns).Append("┘").Append(panel.IsBacklightOn ? string.Empty : " (backlight off)").Append('\n');
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_started)
        {
            _out.Write("\u001b[?25h\n");
            _out.Flush();
        }
    }
}
