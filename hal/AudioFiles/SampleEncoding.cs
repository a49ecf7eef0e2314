namespace HardwareMaster.Hal.AudioFiles;

/// <summary>How one sample is stored in the file (byte order is a property of the container).</summary>
public enum SampleEncoding
{
    /// <summary>Signed 16-bit integer PCM.</summary>
    Pcm16,

    /// <summary>Signed 24-bit integer PCM, packed in 3 bytes.</summary>
    Pcm24,

    /// <summary>Signed 32-bit integer PCM.</summary>
    Pcm32,

    /// <summary>IEEE 754 binary32 float, nominal range [-1, 1].</summary>
    Float32,

    /// <summary>IEEE 754 binary64 float, nominal range [-1, 1].</summary>
    Float64,
}

/// <summary>Facts about <see cref="SampleEncoding"/> values.</summary>
public static class SampleEncodings
{
    /// <summary>Bits per stored sample: 16, 24, 32, 32 or 64.</summary>
    /// <param name="encoding">The encoding.</param>
    /// <returns>The bit depth of one stored sample.</returns>
    public static int BitsPerSample(SampleEncoding encoding) => encoding switch
    {
        SampleEncoding.Pcm16 => 16,
        SampleEncoding.Pcm24 => 24,
        SampleEncoding.Pcm32 => 32,
        SampleEncoding.Float32 => 32,
        SampleEncoding.Float64 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown sample encoding."),
    };

    /// <summary>Bytes per stored sample (one channel of one frame).</summary>
    /// <param name="encoding">The encoding.</param>
    /// <returns><see cref="BitsPerSample"/> / 8.</returns>
    public static int BytesPerSample(SampleEncoding encoding) => BitsPerSample(encoding) / 8;

    /// <summary>Whether the encoding is IEEE floating point.</summary>
    /// <param name="encoding">The encoding.</param>
    /// <returns><c>true</c> for <see cref="SampleEncoding.Float32"/> and <see cref="SampleEncoding.Float64"/>.</returns>
    public static bool IsFloat(SampleEncoding encoding) => encoding is SampleEncoding.Float32 or SampleEncoding.Float64;
}
