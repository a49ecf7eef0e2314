namespace HardwareMaster.Dsp;

/// <summary>What a processor is prepared for: sample rate, the largest block it will see, channel count.</summary>
/// <param name="SampleRateHz">Sample rate in Hz (32 000 – 192 000 for the box and files).</param>
/// <param name="MaxBlockFrames">Largest number of frames per <see cref="IAudioProcessor.Process"/> call.</param>
/// <param name="Channels">1 (mono) or 2 (stereo).</param>
public readonly record struct ProcessSpec(int SampleRateHz, int MaxBlockFrames, int Channels)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a field is outside what the DSP supports.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SampleRateHz, 8000, nameof(SampleRateHz));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SampleRateHz, 384000, nameof(SampleRateHz));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBlockFrames, 1, nameof(MaxBlockFrames));
        ArgumentOutOfRangeException.ThrowIfLessThan(Channels, 1, nameof(Channels));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Channels, AudioBlock.MaxChannels, nameof(Channels));
    }
}
