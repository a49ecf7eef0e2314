namespace HardwareMaster.App.Ui;

/// <summary>
/// Which controls a box has; <see cref="BoxFace"/> degrades its interaction model to them (firmware-app/Ui/README.md).
/// </summary>
/// <remarks>
/// With three encoders each has its own job (page, param, value). With fewer, the face is modal: every encoder acts as
/// "the encoder", whose push walks page → field → value mode. With fewer than four buttons every button acts as "the
/// button" (short = global bypass, long = home, double = the current page's stage bypass); the stage bypasses stay
/// reachable as the first field of their pages.
/// </remarks>
/// <param name="Encoders">Push-encoders present (1–3).</param>
/// <param name="Buttons">Buttons with LEDs present (1–4).</param>
public sealed record BoxLayout(int Encoders, int Buttons)
{
    /// <summary>The full box: page, param and value encoders; bypass, eq, comp and limit buttons.</summary>
    public static BoxLayout Full { get; } = new(3, 4);

    /// <summary>The smallest box: one push-encoder and one button; everything is still reachable.</summary>
    public static BoxLayout Minimal { get; } = new(1, 1);

    /// <summary>True when the encoders are modal (fewer than three).</summary>
    public bool IsModal => Encoders < 3;

    /// <summary>True when eq, comp and limit have buttons of their own.</summary>
    public bool HasStageButtons => Buttons >= 4;

    /// <summary>Checks the counts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    public void Validate()
    {
        if (Encoders is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(Encoders), Encoders, "A box has 1 to 3 encoders.");
        }

        if (Buttons is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(Buttons), Buttons, "A box has 1 to 4 buttons.");
        }
    }
}
