namespace HardwareMaster.Hal.Audio;

/// <summary>A failure to open, configure or start a device; the message names the device and the native error text.</summary>
public sealed class AudioDeviceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the device and the cause.</param>
    public AudioDeviceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a native error code.</summary>
    /// <param name="message">One line naming the device and the cause.</param>
    /// <param name="nativeErrorCode">The (negative) ALSA or PortAudio error code.</param>
    public AudioDeviceException(string message, int nativeErrorCode)
        : base(message)
    {
        NativeErrorCode = nativeErrorCode;
    }

    /// <summary>Creates the exception wrapping another.</summary>
    /// <param name="message">One line naming the device and the cause.</param>
    /// <param name="innerException">The underlying failure.</param>
    public AudioDeviceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The native error code (negative errno for ALSA, PaError for PortAudio), 0 when there is none.</summary>
    public int NativeErrorCode { get; }

    /// <summary>
    /// <c>false</c> when retrying cannot help (a malformed or unknown device spec, a file at the wrong sample rate, an
    /// output folder that does not exist or is read-only); the host then fails at once instead of retrying. <c>true</c>
    /// (the default) for what can come back by itself: a device that is unplugged, busy or not yet there.
    /// </summary>
    public bool CanRecover { get; init; } = true;
}
