namespace HardwareMaster.Hal.Audio;

/// <summary>Sample formats at the device edge. The callback always sees float32.</summary>
public enum AudioSampleFormat
{
    /// <summary>Signed 16-bit little-endian (ALSA S16_LE, PortAudio paInt16).</summary>
    S16LE,

    /// <summary>Signed 24-bit little-endian packed in 3 bytes (ALSA S24_3LE, PortAudio paInt24).</summary>
    S24Packed3LE,

    /// <summary>Signed 32-bit little-endian (ALSA S32_LE, PortAudio paInt32); 24-bit converters deliver this too.</summary>
    S32LE,

    /// <summary>IEEE 754 float32 little-endian (ALSA FLOAT_LE, PortAudio paFloat32).</summary>
    Float32LE,
}
