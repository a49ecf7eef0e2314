namespace HardwareMaster.Hal.Audio.Generators;

/// <summary>The built-in synthetic demo mix as an <see cref="IAudioSignal"/> (see <see cref="DemoMix"/>).</summary>
/// <param name="sampleRateHz">Sample rate.</param>
public sealed class DemoMixSignal(int sampleRateHz) : IAudioSignal
{
    /// <inheritdoc />
    public void Render(Span<float> left, Span<float> right, long startFrame) => DemoMix.Render(left, right, startFrame, sampleRateHz);
}
