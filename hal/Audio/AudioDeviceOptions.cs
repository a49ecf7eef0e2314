namespace HardwareMaster.Hal.Audio;

/// <summary>
/// How to open an audio device. Names are backend-specific (ALSA: <c>hw:CARD=Device,DEV=0</c>, <c>plughw:1,0</c>,
/// <c>default</c>; PortAudio: the device name as listed, or <c>default</c>).
/// </summary>
/// <param name="Name">Device used for both directions unless <paramref name="InputName"/> or <paramref name="OutputName"/> overrides it.</param>
/// <param name="SampleRateHz">Sample rate; the device must run at exactly this rate (no resampling in the driver is relied upon).</param>
/// <param name="BlockFrames">Frames per callback block (and the ALSA period size).</param>
/// <param name="Periods">Periods in the ALSA buffer (2–3 is typical); PortAudio uses it to suggest the latency.</param>
/// <param name="RealtimePriority">SCHED_FIFO priority of the audio thread (1–99); 0 keeps normal scheduling.</param>
/// <param name="LockMemory">Call <c>mlockall(MCL_CURRENT|MCL_FUTURE)</c> before starting, when permitted.</param>
/// <param name="Direction">Duplex, output-only or input-only.</param>
/// <param name="InputName">Capture device name overriding <paramref name="Name"/>.</param>
/// <param name="OutputName">Playback device name overriding <paramref name="Name"/>.</param>
/// <param name="SampleFormat">Force this edge format; <c>null</c> negotiates the best the device offers (S32, float, S24_3, S16).</param>
/// <param name="MaxFrames">Stop after this many frames and raise <see cref="IAudioDevice.Completed"/>; <c>null</c> runs until stopped.</param>
/// <param name="Paced">For generator and simulated devices: follow the wall clock (<c>true</c>) or run as fast as possible.</param>
/// <param name="StallTimeoutMs">A hardware device that delivers no audio for this long is reported as lost (<see cref="AudioDeviceErrorKind.DeviceLost"/>).</param>
/// <param name="OutputMap">More than two playback channels (a separate monitor pair); <c>null</c> plays stereo on the first two.</param>
public sealed record AudioDeviceOptions(
    string Name = "default",
    int SampleRateHz = 48000,
    int BlockFrames = 64,
    int Periods = 2,
    int RealtimePriority = 70,
    bool LockMemory = true,
    AudioDirection Direction = AudioDirection.Duplex,
    string? InputName = null,
    string? OutputName = null,
    AudioSampleFormat? SampleFormat = null,
    long? MaxFrames = null,
    bool Paced = true,
    int StallTimeoutMs = 2000,
    OutputChannelMap? OutputMap = null)
{
    /// <summary>The capture device name actually used.</summary>
    public string EffectiveInputName => InputName ?? Name;

    /// <summary>The playback device name actually used.</summary>
    public string EffectiveOutputName => OutputName ?? Name;

    /// <summary>The playback channels to open: the map's, or 2.</summary>
    public int OutputChannels => OutputMap?.Channels ?? 2;

    /// <summary>Checks ranges; called by every device constructor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SampleRateHz, 8000, nameof(SampleRateHz));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SampleRateHz, 768000, nameof(SampleRateHz));
        ArgumentOutOfRangeException.ThrowIfLessThan(BlockFrames, 1, nameof(BlockFrames));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BlockFrames, 8192, nameof(BlockFrames));
        ArgumentOutOfRangeException.ThrowIfLessThan(Periods, 2, nameof(Periods));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Periods, 16, nameof(Periods));
        ArgumentOutOfRangeException.ThrowIfNegative(RealtimePriority, nameof(RealtimePriority));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RealtimePriority, 99, nameof(RealtimePriority));
        ArgumentOutOfRangeException.ThrowIfLessThan(StallTimeoutMs, 100, nameof(StallTimeoutMs));
        OutputMap?.Validate();
        if (MaxFrames is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(MaxFrames));
        }
    }
}
