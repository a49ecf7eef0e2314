namespace HardwareMaster.Hal.Audio;

/// <summary>
/// The engine side of an audio device: called once per fixed block of <see cref="IAudioDevice.BlockFrames"/> frames.
/// </summary>
public interface IAudioCallback
{
    /// <summary>Reads the input block and fills the output block.</summary>
    /// <param name="buffers">Planar stereo float32 input and output of exactly one block.</param>
    /// <remarks>
    /// Called on the device's real-time thread (or the audio library's callback thread). It must not allocate,
    /// block or throw. A device that catches an exception reports <see cref="AudioDeviceErrorKind.CallbackFailed"/>
    /// and stops cleanly; it never lets the exception reach native code.
    /// </remarks>
    void ProcessBlock(in AudioBuffers buffers);
}
