namespace HardwareMaster.Hal.Audio.Generators;

/// <summary>A synthetic stereo source rendered block by block (generator and simulated devices, demo WAVs).</summary>
public interface IAudioSignal
{
    /// <summary>Renders <c>left.Length</c> frames starting at absolute frame <paramref name="startFrame"/>. Never allocates.</summary>
    /// <param name="left">Receives the left channel.</param>
    /// <param name="right">Receives the right channel (same length).</param>
    /// <param name="startFrame">Frames rendered before this block; signals that depend only on it are block-size independent.</param>
    void Render(Span<float> left, Span<float> right, long startFrame);
}
