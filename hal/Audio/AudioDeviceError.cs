namespace HardwareMaster.Hal.Audio;

/// <summary>What went wrong on a device.</summary>
public enum AudioDeviceErrorKind
{
    /// <summary>Not fatal: real-time scheduling or memory locking was refused; audio runs with normal priority.</summary>
    RealtimeWarning,

    /// <summary>Not fatal: one or more buffer under/overruns were recovered (see <see cref="IAudioDevice.XrunCount"/>).</summary>
    Xrun,

    /// <summary>Fatal: the device failed or vanished (USB unplugged); the device has stopped.</summary>
    DeviceLost,

    /// <summary>Fatal: the callback threw; the device has stopped.</summary>
    CallbackFailed,
}

/// <summary>An error or warning reported by <see cref="IAudioDevice.Error"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Message">One line naming the device and the cause (ALSA's or PortAudio's error text where there is one).</param>
/// <param name="XrunCount">The device's xrun counter when the event was raised.</param>
public sealed record AudioDeviceError(AudioDeviceErrorKind Kind, string Message, long XrunCount)
{
    /// <summary><c>true</c> when the device has stopped and must be disposed (and perhaps reopened).</summary>
    public bool IsFatal => Kind is AudioDeviceErrorKind.DeviceLost or AudioDeviceErrorKind.CallbackFailed;
}
