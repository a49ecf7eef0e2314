namespace HardwareMaster.App.Remote.Midi;

/// <summary>
/// Guesses a learned CC's encoding from the first values it sent (<see cref="MidiRemoteService"/> looks at
/// <see cref="Samples"/> of them). An absolute fader or knob sends a new value per move and never repeats one; a relative
/// encoder turned one way repeats its step value. The three relative encodings differ most when turned DOWN
/// (counter-clockwise) — two's complement sends 127, 126…, sign-magnitude 65, 66…, binary offset 63, 62… — so the box
/// asks for that; turned up, two's complement and sign-magnitude both send 1, 2… (taken as two's complement) and binary
/// offset 65, 66… (taken as sign-magnitude down: turn down to learn a binary-offset encoder).
/// </summary>
public static class MidiEncodingDetector
{
    /// <summary>How many values of the learned control are looked at.</summary>
    public const int Samples = 3;

    /// <summary>Whether some relative encoding sends <paramref name="value"/> as a step of 1 to 15 (0, 16..48, 64 and 80..112 are absolute positions only).</summary>
    /// <param name="value">A CC value.</param>
    /// <returns>True for 1..15, 49..63, 65..79 and 113..127.</returns>
    public static bool IsStep(int value) => value is (>= 1 and <= 15) or (>= 49 and <= 63) or (>= 65 and <= 79) or (>= 113 and <= 127);

    /// <summary>The encoding that explains <paramref name="values"/> (CC values 0..127, in arrival order).</summary>
    /// <param name="values">The first values the control sent.</param>
    /// <returns><see cref="MidiValueMode.Absolute"/> unless the values repeat and all fall in one relative encoding's step ranges.</returns>
    public static MidiValueMode Detect(ReadOnlySpan<int> values)
    {
        bool repeats = false;
        for (int i = 1; i < values.Length; i++)
        {
            repeats |= values[i] == values[i - 1];
        }

        if (!repeats)
        {
            return MidiValueMode.Absolute;
        }

        bool up = false, twosDown = false, signDown = false, offsetDown = false;
        foreach (int value in values)
        {
            switch (value)
            {
                case >= 1 and <= 15: up = true; break;           // +1..+15 (two's complement, sign-magnitude)
                case >= 113 and <= 127: twosDown = true; break;  // −15..−1 two's complement
                case >= 65 and <= 79: signDown = true; break;    // −1..−15 sign-magnitude (+1..+15 binary offset)
                case >= 49 and <= 63: offsetDown = true; break;  // −15..−1 binary offset
                default: return MidiValueMode.Absolute;          // 0, 16..48, 64, 80..112: not a step
            }
        }

        return (up, twosDown, signDown, offsetDown) switch
        {
            (_, true, false, false) => MidiValueMode.TwosComplement,
            (true, false, false, false) => MidiValueMode.TwosComplement,
            (false, false, _, true) => MidiValueMode.BinaryOffset,
            (_, false, true, false) => MidiValueMode.SignMagnitude,
            _ => MidiValueMode.Absolute,
        };
    }
}
