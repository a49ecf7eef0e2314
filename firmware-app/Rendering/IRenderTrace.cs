namespace HardwareMaster.App.Rendering;

/// <summary>
/// Receives what a render sees, for time plots and spectra (<c>render --plot</c>): the source as the analysis pass reads
/// it, and the master and the gain reduction of the writing pass. Only the last writing pass counts:
/// <see cref="BeginWritePass"/> starts it again.
/// </summary>
/// <remarks>
/// Threading: the renderer runs a two-thread pipeline. <see cref="Input"/> and <see cref="Output"/> are called on the
/// reader/writer thread, <see cref="GainReduction"/> on the chain thread, concurrently with them; an implementation
/// keeps the two sides in separate state. Calls of one side arrive in order. The spans are valid during the call only.
/// </remarks>
public interface IRenderTrace
{
    /// <summary>Called once, before the analysis pass reads the source.</summary>
    /// <param name="sampleRateHz">Sample rate of the source (and the master).</param>
    /// <param name="channels">1 or 2.</param>
    void Begin(int sampleRateHz, int channels);

    /// <summary>Source frames as read, in order (analysis pass). <paramref name="right"/> is empty for mono.</summary>
    /// <param name="left">Left (or only) channel.</param>
    /// <param name="right">Right channel or empty.</param>
    void Input(ReadOnlySpan<float> left, ReadOnlySpan<float> right);

    /// <summary>A writing pass starts: forget the output and gain reduction of an earlier one.</summary>
    void BeginWritePass();

    /// <summary>Master frames as written (latency removed, before the word-length conversion), in order.</summary>
    /// <param name="left">Left (or only) channel.</param>
    /// <param name="right">Right channel or empty.</param>
    void Output(ReadOnlySpan<float> left, ReadOnlySpan<float> right);

    /// <summary>Gain reduction after one chain block of the writing pass (dB, positive = reduction; 0 for a bypassed stage).</summary>
    /// <param name="compressorDb">Compressor reduction at the end of the block.</param>
    /// <param name="limiterDb">Largest limiter reduction within the block.</param>
    /// <param name="frames">Frames in the block.</param>
    void GainReduction(double compressorDb, double limiterDb, int frames);
}
