using HardwareMaster.App.Host;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Simulator;

/// <summary>
/// Draws the simulated OLED in the terminal (hal's <see cref="TerminalRenderer"/>, half blocks, 128×32 characters),
/// the LEDs and the keys under it; redraws in place (ANSI cursor home) and only when something changed.
/// </summary>
public sealed class TerminalView : IBoxView, IDisposable
{
    private const string Home = "\u001b[H";
    private const string On = "\u001b[7m";
    private const string Off = "\u001b[0m";
    private const string Dim = "\u001b[2m";
    private const string ClearLine = "\u001b[K";

    private readonly TextWriter _out;
    private readonly char[] _buffer;
    private bool _started;

    /// <summary>Creates the view.</summary>
    /// <param name="output">Where to draw (the console).</param>
    public TerminalView(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _out = output;
        _buffer = new char[TerminalRenderer.RequiredLength(new MonoFrameBuffer()) + 512 + KeyboardInput.Help.Length];
    }

    /// <inheritdoc />
    public void Show(MonoFrameBuffer panel, in BoxViewState state, bool screenChanged)
    {
        ArgumentNullException.ThrowIfNull(panel);
        if (!_started)
        {
            _started = true;
            _out.Write("\u001b[2J\u001b[?25l"); // clear once, hide the cursor
        }

        var writer = new SpanWriter(_buffer);
        writer.Append(Home);
        writer.Advance(TerminalRenderer.Render(panel, writer.Rest));
        writer.Append("page ");
        writer.Append(state.PageName);
        writer.Append("   ");
        Led(ref writer, " BYPASS ", state.Bypass);
        Led(ref writer, " EQ ", state.Eq);
        Led(ref writer, " COMP ", state.Comp);
        Led(ref writer, " LIMIT ", state.Limit);
        writer.Append(ClearLine);
        writer.Append("\n");
        writer.Append(KeyboardInput.Help);
        writer.Append(ClearLine);
        writer.Append("\n");
        _out.Write(_buffer, 0, writer.Length);
        _out.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_started)
        {
            _out.Write("\u001b[?25h\n"); // the cursor back
            _out.Flush();
        }
    }

    private static void Led(ref SpanWriter writer, string name, bool lit)
    {
        writer.Append(lit ? On : Dim);
        writer.Append(name);
        writer.Append(Off);
        writer.Append(" ");
    }

    private ref struct SpanWriter(Span<char> destination)
    {
        private readonly Span<char> _destination = destination;

        public int Length { get; private set; }

        public readonly Span<char> Rest => _destination[Length..];

        public void Append(ReadOnlySpan<char> text)
        {
            int n = Math.Min(text.Length, _destination.Length - Length);
            text[..n].CopyTo(_destination[Length..]);
            Length += n;
        }

        public void Advance(int count) => Length += count;
    }
}
