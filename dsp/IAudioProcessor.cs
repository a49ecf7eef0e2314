namespace HardwareMaster.Dsp;

/// <summary>
/// The lifecycle every processor follows (JUCE's prepare/process/reset shape, NAudio's honest latency).
/// </summary>
/// <remarks>
/// <see cref="Prepare"/> runs on the control thread and is the only place that allocates.
/// <see cref="Process"/> runs on the audio thread: in place, no allocation, no locks, never throws.
/// </remarks>
public interface IAudioProcessor
{
    /// <summary>Allocates and designs for <paramref name="spec"/>. Control thread only.</summary>
    void Prepare(in ProcessSpec spec);

    /// <summary>Processes one block in place. Audio thread only; never allocates or throws.</summary>
    void Process(AudioBlock block);

    /// <summary>Clears history (filter state, envelopes, delay lines) and keeps parameters. No allocation.</summary>
    void Reset();

    /// <summary>Delay, in frames, this processor adds to the signal. Non-zero only for look-ahead stages.</summary>
    int LatencyFrames { get; }
}
