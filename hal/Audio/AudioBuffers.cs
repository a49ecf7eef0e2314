namespace HardwareMaster.Hal.Audio;

/// <summary>
/// One block of planar stereo float32 audio handed to <see cref="IAudioCallback.ProcessBlock"/>.
/// Samples are nominally in [−1, 1]; anything outside is clipped at the device edge when the device format is integer.
/// </summary>
/// <remarks>
/// Valid only for the duration of the call. A device without capture gives silent inputs; a device without
/// playback gives outputs that are discarded. The output spans are cleared to silence before every call.
/// </remarks>
public readonly ref struct AudioBuffers
{
    /// <summary>Creates a view over preallocated device buffers.</summary>
    /// <param name="inputLeft">Captured left channel.</param>
    /// <param name="inputRight">Captured right channel (a copy of the left for mono devices).</param>
    /// <param name="outputLeft">Left channel to play.</param>
    /// <param name="outputRight">Right channel to play.</param>
    /// <param name="blockIndex">Zero-based index of this block since <see cref="IAudioDevice.Start"/>.</param>
    public AudioBuffers(ReadOnlySpan<float> inputLeft, ReadOnlySpan<float> inputRight, Span<float> outputLeft, Span<float> outputRight, long blockIndex)
    {
        InputLeft = inputLeft;
        InputRight = inputRight;
        OutputLeft = outputLeft;
        OutputRight = outputRight;
        BlockIndex = blockIndex;
        MonitorLeft = default;
        MonitorRight = default;
    }

    /// <summary>Creates a view with a separate monitor pair (<see cref="OutputChannelMap.HasMonitorPair"/>).</summary>
    /// <param name="inputLeft">Captured left channel.</param>
    /// <param name="inputRight">Captured right channel.</param>
    /// <param name="outputLeft">The master's left channel to play.</param>
    /// <param name="outputRight">The master's right channel to play.</param>
    /// <param name="monitorLeft">The monitor pair's left channel to play (empty without a monitor pair).</param>
    /// <param name="monitorRight">The monitor pair's right channel to play.</param>
    /// <param name="blockIndex">Zero-based index of this block since <see cref="IAudioDevice.Start"/>.</param>
    public AudioBuffers(ReadOnlySpan<float> inputLeft, ReadOnlySpan<float> inputRight, Span<float> outputLeft, Span<float> outputRight, Span<float> monitorLeft, Span<float> monitorRight, long blockIndex)
        : this(inputLeft, inputRight, outputLeft, outputRight, blockIndex)
    {
        MonitorLeft = monitorLeft;
        MonitorRight = monitorRight;
    }

    /// <summary>Captured left channel, <see cref="Frames"/> samples.</summary>
    public ReadOnlySpan<float> InputLeft { get; }

    /// <summary>Captured right channel, <see cref="Frames"/> samples.</summary>
    public ReadOnlySpan<float> InputRight { get; }

    /// <summary>Left channel to play, <see cref="Frames"/> samples.</summary>
    public Span<float> OutputLeft { get; }

    /// <summary>Right channel to play, <see cref="Frames"/> samples.</summary>
    public Span<float> OutputRight { get; }

    /// <summary>
    /// The monitor pair's left channel, <see cref="Frames"/> samples, cleared before every call; empty when the device
    /// has no separate monitor pair (<see cref="AudioDeviceOptions.OutputMap"/>).
    /// </summary>
    public Span<float> MonitorLeft { get; }

    /// <summary>The monitor pair's right channel (see <see cref="MonitorLeft"/>).</summary>
    public Span<float> MonitorRight { get; }

    /// <summary>True when the device plays a separate monitor pair.</summary>
    public bool HasMonitorPair => !MonitorLeft.IsEmpty;

    /// <summary>Frames in this block (always the device's block size).</summary>
    public int Frames => OutputLeft.Length;

    /// <summary>Zero-based index of this block since the device was started.</summary>
    public long BlockIndex { get; }
}
