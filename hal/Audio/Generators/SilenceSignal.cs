namespace HardwareMaster.Hal.Audio.Generators;

/// <summary>Digital silence.</summary>
public sealed class SilenceSignal : IAudioSignal
{
    /// <inheritdoc />
    public void Render(Span<float> left, Span<float> right, long startFrame)
    {
        left.Clear();
        right.Clear();
    }
}
