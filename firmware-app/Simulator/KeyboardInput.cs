using HardwareMaster.App.Host;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Concurrency;

namespace HardwareMaster.App.Simulator;

/// <summary>
/// The simulator's keyboard as the box's knobs and buttons. A background thread reads raw keys
/// (<see cref="Console.ReadKey(bool)"/> with intercept) and hands gestures to the UI loop through a lock-free ring.
/// </summary>
/// <remarks>
/// The key map is <see cref="Map"/>; <see cref="Help"/> is the line shown under the screen. With simulated controls
/// (<c>run --simulate --box PROFILE</c>, <see cref="Hardware"/>) a gesture is played on the profile's pins instead (the
/// box's decoders turn it back into a gesture), and the pot keys of <see cref="MapPot"/> move the simulated pots.
/// </remarks>
public sealed class KeyboardInput : IBoxInputSource
{
    /// <summary>Detents per key press with Shift.</summary>
    public const int FastDetents = 10;

    /// <summary>The keys, as shown under the terminal OLED.</summary>
    public const string Help =
        "←/→ page  ↑/↓ param  [ ] or - = value (Shift ×10)  Enter value push (fine)  Backspace reset  Tab param push\n" +
        "Space BYPASS  1 EQ  2 COMP  3 LIMIT  (Shift+digit = long press)  r REC  R new take  a REF A/B  n/p next/prev ref  q quit\n" +
        "--box pots 1-4: z/x c/v b/m ,/. down/up 5 % (Shift 20 %)";

    /// <summary>Travel a pot key moves its pot.</summary>
    public const double PotStep = 0.05;

    /// <summary>Travel a pot key moves its pot with Shift.</summary>
    public const double FastPotStep = 0.2;

    // Pot n: down with PotKeys[2n], up with PotKeys[2n + 1]; the shifted characters (Shift = ×4) in ShiftedPotKeys.
    private const string PotKeys = "zxcvbm,.";
    private const string ShiftedPotKeys = "ZXCVBM<>";

    private readonly SpscRing<BoxInput> _ring = new(256);
    private readonly Action _quit;
    private Thread? _thread;

    /// <summary>Creates the input (starts nothing).</summary>
    /// <param name="quit">Called (on the key thread) when q is pressed.</param>
    public KeyboardInput(Action quit)
    {
        ArgumentNullException.ThrowIfNull(quit);
        _quit = quit;
    }

    /// <summary>Whether a terminal is attached (keys can be read and the screen drawn).</summary>
    public static bool IsTerminal => !Console.IsInputRedirected && !Console.IsOutputRedirected;

    /// <summary>The simulated controls the keys play on (<c>run --simulate --box</c>), or null: gestures go to the face.</summary>
    public SimulatedBoxHardware? Hardware { get; init; }

    /// <summary>Starts the key thread.</summary>
    public void Start()
    {
        _thread = new Thread(ReadKeys) { IsBackground = true, Name = "hm-keys" };
        _thread.Start();
    }

    /// <inheritdoc />
    public bool TryRead(out BoxInput input) => _ring.TryRead(out input);

    /// <summary>Maps one key to a gesture.</summary>
    /// <param name="key">The key.</param>
    /// <param name="input">The gesture.</param>
    /// <param name="quit">True for q.</param>
    /// <returns>Whether the key is mapped.</returns>
    public static bool Map(ConsoleKeyInfo key, out BoxInput input, out bool quit)
    {
        quit = false;
        bool shift = (key.Modifiers & ConsoleModifiers.Shift) != 0;
        int detents = shift ? FastDetents : 1;
        input = default;
        switch (key.Key)
        {
            case ConsoleKey.LeftArrow: input = new BoxInput(BoxControl.Page, BoxAction.Ccw); return true;
            case ConsoleKey.RightArrow: input = new BoxInput(BoxControl.Page, BoxAction.Cw); return true;
            case ConsoleKey.UpArrow: input = new BoxInput(BoxControl.Param, BoxAction.Ccw); return true;
            case ConsoleKey.DownArrow: input = new BoxInput(BoxControl.Param, BoxAction.Cw); return true;
            case ConsoleKey.Enter: input = new BoxInput(BoxControl.Value, BoxAction.Press); return true;
            case ConsoleKey.Backspace: input = new BoxInput(BoxControl.Value, BoxAction.Long); return true;
            case ConsoleKey.Tab: input = new BoxInput(BoxControl.Param, BoxAction.Press); return true;
            case ConsoleKey.Spacebar: input = new BoxInput(BoxControl.Bypass, BoxAction.Press); return true;
        }

        switch (key.KeyChar)
        {
            case '[' or '-': input = new BoxInput(BoxControl.Value, BoxAction.Ccw, detents); return true;
            case ']' or '=': input = new BoxInput(BoxControl.Value, BoxAction.Cw, detents); return true;
            case '{' or '_': input = new BoxInput(BoxControl.Value, BoxAction.Ccw, FastDetents); return true;
            case '}' or '+': input = new BoxInput(BoxControl.Value, BoxAction.Cw, FastDetents); return true;
            case '1': input = new BoxInput(BoxControl.Eq, BoxAction.Press); return true;
            case '2': input = new BoxInput(BoxControl.Comp, BoxAction.Press); return true;
            case '3': input = new BoxInput(BoxControl.Limit, BoxAction.Press); return true;
            case '!': input = new BoxInput(BoxControl.Eq, BoxAction.Long); return true;
            case '@': input = new BoxInput(BoxControl.Comp, BoxAction.Long); return true;
            case '#': input = new BoxInput(BoxControl.Limit, BoxAction.Long); return true;
            case 'r': input = new BoxInput(BoxControl.Rec, BoxAction.Press); return true;
            case 'R': input = new BoxInput(BoxControl.Rec, BoxAction.Long); return true;
            case 'a': input = new BoxInput(BoxControl.Ref, BoxAction.Press); return true;
            case 'n': input = new BoxInput(BoxControl.Ref, BoxAction.Long); return true;
            case 'p': input = new BoxInput(BoxControl.Ref, BoxAction.Double); return true;
            case 'q' or 'Q': quit = true; return false;
            default: return false;
        }
    }

    /// <summary>Maps a pot key: z/x pot 1 down/up, c/v pot 2, b/m pot 3, ,/. pot 4; Shift moves <see cref="FastPotStep"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="pot">The pot (0-based).</param>
    /// <param name="delta">Change of position (of the 0–1 travel).</param>
    /// <returns>Whether the key is a pot key.</returns>
    public static bool MapPot(ConsoleKeyInfo key, out int pot, out double delta)
    {
        int index = PotKeys.IndexOf(key.KeyChar, StringComparison.Ordinal);
        bool fast = index < 0;
        if (fast)
        {
            index = ShiftedPotKeys.IndexOf(key.KeyChar, StringComparison.Ordinal);
        }

        pot = index / 2;
        delta = (index % 2 == 0 ? -1 : 1) * (fast ? FastPotStep : PotStep);
        return index >= 0;
    }

    private void ReadKeys()
    {
        try
        {
            while (true)
            {
                ConsoleKeyInfo key = Console.ReadKey(intercept: true);
                if (Map(key, out BoxInput input, out bool quit))
                {
                    if (Hardware is { } pins)
                    {
                        pins.TryEnqueue(input); // played on the profile's pins; a control the profile lacks does nothing
                    }
                    else
                    {
                        _ring.TryWrite(input); // a full ring (256 keys between two frames) drops the key, as a knob would
                    }
                }
                else if (Hardware is { } pots && MapPot(key, out int pot, out double delta))
                {
                    pots.MovePot(pot, delta);
                }
                else if (quit)
                {
                    _quit();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // The terminal went away: no more keys.
        }
    }
}
