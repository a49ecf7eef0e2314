namespace HardwareMaster.Hal.Midi;

/// <summary>A MIDI 1.0 channel-voice message type (the status byte's high nibble).</summary>
public enum MidiMessageKind : byte
{
    /// <summary>0x8n: note off (key, velocity).</summary>
    NoteOff = 0x80,

    /// <summary>0x9n: note on (key, velocity).</summary>
    NoteOn = 0x90,

    /// <summary>0xAn: polyphonic key pressure (key, pressure).</summary>
    PolyPressure = 0xA0,

    /// <summary>0xBn: control change (controller, value).</summary>
    ControlChange = 0xB0,

    /// <summary>0xCn: program change (program).</summary>
    ProgramChange = 0xC0,

    /// <summary>0xDn: channel pressure (pressure).</summary>
    ChannelPressure = 0xD0,

    /// <summary>0xEn: pitch bend (LSB, MSB).</summary>
    PitchBend = 0xE0,
}

/// <summary>One complete channel-voice message.</summary>
/// <param name="Kind">The message type.</param>
/// <param name="Channel">Channel 0..15 (MIDI's "channel 1" is 0).</param>
/// <param name="Data1">First data byte (controller, key, program), 0..127.</param>
/// <param name="Data2">Second data byte (value, velocity), 0..127; 0 for one-data-byte messages.</param>
public readonly record struct MidiMessage(MidiMessageKind Kind, byte Channel, byte Data1, byte Data2);
