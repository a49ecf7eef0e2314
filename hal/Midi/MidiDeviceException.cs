namespace HardwareMaster.Hal.Midi;

/// <summary>A MIDI input could not be opened or read. The message is one line naming the device and the problem.</summary>
public sealed class MidiDeviceException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line: <c>MIDI device 'NAME': problem</c>.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public MidiDeviceException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
