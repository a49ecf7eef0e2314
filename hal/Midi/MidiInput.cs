namespace HardwareMaster.Hal.Midi;

/// <summary>Opens MIDI inputs by their command-line spec: <c>file:PATH</c> (a file or FIFO of raw MIDI bytes) or an ALSA rawmidi name (<c>hw:1,0</c>, <c>alsa:hw:1,0</c>, <c>virtual</c>).</summary>
public static class MidiInput
{
    /// <summary>Opens <paramref name="spec"/>.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The source.</returns>
    /// <exception cref="MidiDeviceException">It cannot be opened (one line naming it).</exception>
    public static IMidiByteSource Open(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return MidiStreamSource.OpenFile(spec[5..]);
        }

        return new AlsaRawMidiSource(spec.StartsWith("alsa:", StringComparison.OrdinalIgnoreCase) ? spec[5..] : spec);
    }

    /// <summary>Checks the spec's form (not whether the device is there: a controller may be plugged in later).</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The problem in one line, or null.</returns>
    public static string? CheckSpec(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec) || spec.Equals("file:", StringComparison.OrdinalIgnoreCase) || spec.Equals("alsa:", StringComparison.OrdinalIgnoreCase))
        {
            return $"--midi '{spec}': name an ALSA rawmidi device (hw:1,0) or file:PATH";
        }

        return null;
    }
}
