namespace HardwareMaster.App.Engine;

/// <summary>
/// What an <see cref="IEngineBlockObserver"/> sees of one block: the engine's input (after the test signal replaced it,
/// before the chain; not yet sanitised, exactly what the chain was given) and the master (the final output: after the
/// global bypass, the fade and the safety clipper — what the device plays and a recorder keeps).
/// </summary>
/// <remarks>Valid only for the duration of the call.</remarks>
public readonly ref struct EngineBlockView
{
    /// <summary>Creates a view.</summary>
    /// <param name="inputLeft">Input, left.</param>
    /// <param name="inputRight">Input, right.</param>
    /// <param name="masterLeft">Master, left.</param>
    /// <param name="masterRight">Master, right.</param>
    /// <param name="firstFrame">Index of the block's first frame since the engine was prepared (warm-up excluded).</param>
    /// <param name="sampleRateHz">The stream's rate.</param>
    public EngineBlockView(ReadOnlySpan<float> inputLeft, ReadOnlySpan<float> inputRight, ReadOnlySpan<float> masterLeft, ReadOnlySpan<float> masterRight, long firstFrame, int sampleRateHz)
    {
        InputLeft = inputLeft;
        InputRight = inputRight;
        MasterLeft = masterLeft;
        MasterRight = masterRight;
        FirstFrame = firstFrame;
        SampleRateHz = sampleRateHz;
    }

    /// <summary>The chain's input, left (the device capture or the test signal).</summary>
    public ReadOnlySpan<float> InputLeft { get; }

    /// <summary>The chain's input, right.</summary>
    public ReadOnlySpan<float> InputRight { get; }

    /// <summary>The master, left: what goes out.</summary>
    public ReadOnlySpan<float> MasterLeft { get; }

    /// <summary>The master, right.</summary>
    public ReadOnlySpan<float> MasterRight { get; }

    /// <summary>Frames in the block.</summary>
    public int Frames => MasterLeft.Length;

    /// <summary>Index of the block's first frame since <see cref="AudioEngine.Prepare"/> (warm-up excluded).</summary>
    public long FirstFrame { get; }

    /// <summary>The stream's sample rate, Hz.</summary>
    public int SampleRateHz { get; }

    /// <summary>The compressor's largest gain reduction in this block, dB (0 when bypassed).</summary>
    public float CompressorGainReductionDb { get; init; }

    /// <summary>The limiter's largest gain reduction in this block, dB (0 when bypassed).</summary>
    public float LimiterGainReductionDb { get; init; }

    /// <summary>The master's true peak in this block (4× oversampled output meter), linear.</summary>
    public float MasterTruePeak { get; init; }
}

/// <summary>
/// Something that watches every block on the audio thread — a recorder's ring writer, the READY? page's analysis feed.
/// Attached to one of the engine's observer slots (<see cref="AudioEngine.AttachObserver"/>).
/// </summary>
/// <remarks>
/// <see cref="OnBlock"/> runs on the audio thread after the master is final: it must not allocate, lock, wait, do I/O,
/// log or throw; it copies what it needs into preallocated memory (a lock-free ring) and returns. It cannot change the
/// master (the view is read-only). It is not called during warm-up.
/// </remarks>
public interface IEngineBlockObserver
{
    /// <summary>Called once per block, audio thread.</summary>
    /// <param name="view">The block's input and master.</param>
    void OnBlock(in EngineBlockView view);
}

/// <summary>The engine's observer slots (one per feature, so no list is ever resized on the audio thread).</summary>
public enum EngineObserverSlot
{
    /// <summary>The recorder (issue 15).</summary>
    Recorder = 0,

    /// <summary>The READY? page's programme analysis (issue 14).</summary>
    Analysis = 1,

    /// <summary>Remote meters or a test probe.</summary>
    Auxiliary = 2,
}
