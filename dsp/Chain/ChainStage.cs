namespace HardwareMaster.Dsp.Chain;

/// <summary>The stages of <see cref="MasteringChain"/>, in their fixed signal order.</summary>
public enum ChainStage
{
    /// <summary>Input trim.</summary>
    Trim,

    /// <summary>DC blocker / high-pass.</summary>
    HighPass,

    /// <summary>Seven-band parametric EQ.</summary>
    Eq,

    /// <summary>Glue compressor.</summary>
    Compressor,

    /// <summary>M/S width and mono-below-frequency.</summary>
    Width,

    /// <summary>Loudness gain (set by loudness targeting; drives the limiter).</summary>
    LoudnessGain,

    /// <summary>True-peak limiter.</summary>
    Limiter,

    /// <summary>TPDF dither (active only when <see cref="Processors.DitherSettings.Bits"/> is 16 or 24).</summary>
    Dither,
}

/// <summary>
/// Something that looks at audio passing a point of the chain (a meter). Called on the audio thread:
/// must not allocate, lock, throw or modify the block.
/// </summary>
public interface IAudioTap
{
    /// <summary>Observes one block. Audio thread only.</summary>
    void Process(AudioBlock block);
}
