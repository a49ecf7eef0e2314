namespace HardwareMaster.Hal.Midi;

/// <summary>Where MIDI bytes come from. One reader thread calls <see cref="Read"/>; any thread may dispose it.</summary>
public interface IMidiByteSource : IDisposable
{
    /// <summary>What it reads (for logs).</summary>
    string Name { get; }

    /// <summary>Reads what is available, waiting for at least one byte.</summary>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="cancellation">Ends the wait.</param>
    /// <returns>Bytes read; 0 at the end of the stream (a file's end, the FIFO's writer gone) or when cancelled.</returns>
    /// <exception cref="MidiDeviceException">The device went away (unplugged).</exception>
    int Read(Span<byte> buffer, CancellationToken cancellation);
}
