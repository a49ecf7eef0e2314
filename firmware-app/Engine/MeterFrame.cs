namespace HardwareMaster.App.Engine;

/// <summary>
/// The audio thread's latest meter state, published once per block through <see cref="SeqLock{T}"/> (the "latest"
/// half of a <see cref="MeterSnapshot"/>; the "max since the previous read" half travels in atomic max cells).
/// </summary>
internal readonly record struct MeterFrame
{
    /// <summary>Input short-term loudness at the end of the block, LUFS.</summary>
    public double InputShortTermLufs { get; init; }

    /// <summary>Output stereo correlation, NaN in silence.</summary>
    public double Correlation { get; init; }

    /// <summary>Output true peak since the last loudness reset, linear.</summary>
    public float TruePeakMax { get; init; }

    /// <summary>Frames measured since the last loudness reset.</summary>
    public long LoudnessFrames { get; init; }

    /// <summary>Global bypass in (requested).</summary>
    public bool GlobalBypass { get; init; }

    /// <summary>Match gain of the global bypass, dB.</summary>
    public double BypassMatchDb { get; init; }
}
