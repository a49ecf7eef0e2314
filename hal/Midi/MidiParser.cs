namespace HardwareMaster.Hal.Midi;

/// <summary>
/// Turns a MIDI 1.0 byte stream (a USB controller through ALSA rawmidi, a DIN port, a test file) into channel-voice
/// messages, one byte at a time, with no allocation and no exception for any input.
/// </summary>
/// <remarks>
/// <para>Follows the MIDI 1.0 Detailed Specification (4.2), §"Running Status" and §"System Exclusive":</para>
/// <list type="bullet">
/// <item>a status byte 0x80–0xEF sets the running status; data bytes after a complete message start the next one
/// with the same status (so <c>B0 07 64 07 65</c> is two control changes);</item>
/// <item>system real-time bytes (0xF8–0xFF) may appear anywhere, even inside a message; they are skipped and change
/// nothing;</item>
/// <item>system exclusive (0xF0 … 0xF7) is skipped whole; any status byte (not only 0xF7) ends it, as the
/// specification allows for a lost EOX;</item>
/// <item>system common (0xF1–0xF6) clears the running status; its data bytes are skipped;</item>
/// <item>data bytes with no running status (after power-up, after sysex) are garbage and are dropped.</item>
/// </list>
/// <para>One thread only (the MIDI reader).</para>
/// </remarks>
public sealed class MidiParser
{
    private byte _status;      // running status (0 = none)
    private byte _data1;
    private int _have;         // data bytes collected for the current message
    private int _skip;         // system-common data bytes still to skip
    private bool _inSysex;

    /// <summary>Data bytes dropped as garbage (no running status). Reader thread.</summary>
    public long GarbageBytes { get; private set; }

    /// <summary>System-exclusive messages skipped. Reader thread.</summary>
    public long SysexSkipped { get; private set; }

    /// <summary>Feeds one byte.</summary>
    /// <param name="value">The byte.</param>
    /// <param name="message">The message this byte completed.</param>
    /// <returns><c>true</c> when <paramref name="message"/> is a complete channel-voice message.</returns>
    public bool Push(byte value, out MidiMessage message)
    {
        message = default;
        if (value >= 0xF8)
        {
            return false; // real-time: clock, start, stop, active sensing, reset — transparent
        }

        if (value >= 0x80)
        {
            if (_inSysex)
            {
                _inSysex = false;
                SysexSkipped++;
            }

            _have = 0;
            _skip = 0;
            if (value < 0xF0)
            {
                _status = value;
                return false;
            }

            _status = 0; // system common and sysex cancel the running status
            switch (value)
            {
                case 0xF0:
                    _inSysex = true;
                    break;
                case 0xF1: // MTC quarter frame
                case 0xF3: // song select
                    _skip = 1;
                    break;
                case 0xF2: // song position pointer
                    _skip = 2;
                    break;
                default: // F4/F5 undefined, F6 tune request, F7 a stray EOX
                    break;
            }

            return false;
        }

        if (_inSysex)
        {
            return false;
        }

        if (_skip > 0)
        {
            _skip--;
            return false;
        }

        if (_status == 0)
        {
            GarbageBytes++;
            return false;
        }

        var kind = (MidiMessageKind)(_status & 0xF0);
        byte channel = (byte)(_status & 0x0F);
        if (kind is MidiMessageKind.ProgramChange or MidiMessageKind.ChannelPressure)
        {
            message = new MidiMessage(kind, channel, value, 0);
            return true;
        }

        if (_have == 0)
        {
            _data1 = value;
            _have = 1;
            return false;
        }

        _have = 0;
        message = new MidiMessage(kind, channel, _data1, value);
        return true;
    }

    /// <summary>Forgets any partial message and the running status (after a device reopens).</summary>
    public void Reset()
    {
        _status = 0;
        _have = 0;
        _skip = 0;
        _inSysex = false;
    }
}
