namespace HardwareMaster.Hal.Input;

/// <summary>What kind of control produced an <see cref="InputEvent"/>.</summary>
public enum InputSourceKind
{
    /// <summary>The rotation of a rotary encoder.</summary>
    Encoder,

    /// <summary>The push switch built into a rotary encoder.</summary>
    EncoderSwitch,

    /// <summary>A stand-alone push button.</summary>
    Button,
}

/// <summary>What happened to the control.</summary>
public enum InputAction
{
    /// <summary>An encoder moved; <see cref="InputEvent.Delta"/> holds the signed, accelerated detent count.</summary>
    Rotate,

    /// <summary>A (debounced) switch closed.</summary>
    Press,

    /// <summary>A (debounced) switch opened.</summary>
    Release,

    /// <summary>A switch has been held for the long-press time (emitted once, while still held).</summary>
    LongPress,

    /// <summary>A second short press started within the double-press window (emitted together with its <see cref="Press"/>).</summary>
    DoublePress,
}

/// <summary>Identifies one physical control: its kind and its zero-based index in the hardware profile.</summary>
/// <param name="Kind">Encoder, encoder switch or button.</param>
/// <param name="Index">Zero-based index among controls of that kind (encoder 0's switch is <c>(EncoderSwitch, 0)</c>).</param>
public readonly record struct InputSource(InputSourceKind Kind, int Index)
{
    /// <summary>The rotation of encoder <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based encoder index.</param>
    /// <returns>The source.</returns>
    public static InputSource Encoder(int index) => new(InputSourceKind.Encoder, index);

    /// <summary>The push switch of encoder <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based encoder index.</param>
    /// <returns>The source.</returns>
    public static InputSource EncoderSwitch(int index) => new(InputSourceKind.EncoderSwitch, index);

    /// <summary>Stand-alone button <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based button index.</param>
    /// <returns>The source.</returns>
    public static InputSource Button(int index) => new(InputSourceKind.Button, index);
}

/// <summary>
/// One user input, small and unmanaged so it can cross from a GPIO callback thread to the control
/// loop through a lock-free ring without allocating.
/// </summary>
/// <param name="Source">Which control.</param>
/// <param name="Action">What happened.</param>
/// <param name="Delta">Signed detents for <see cref="InputAction.Rotate"/> (positive = clockwise, after acceleration); 0 otherwise.</param>
/// <param name="TimestampTicks">When it happened, in <see cref="TimeProvider.GetTimestamp"/> ticks of the binding's time provider.</param>
public readonly record struct InputEvent(InputSource Source, InputAction Action, int Delta, long TimestampTicks);
