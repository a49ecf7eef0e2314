namespace HardwareMaster.App.Engine;

/// <summary>
/// The meter contract for screens, reports and remote views: one consistent copy of everything the audio thread
/// measures, taken by <see cref="AudioEngine.ReadMeters"/> (never torn: the engine publishes it through a seqlock /
/// triple buffer). Values marked "since the previous read" are maxima over every block since the last
/// <see cref="AudioEngine.ReadMeters"/>, so a 25 fps screen misses no peak; read it from one consumer (the UI loop).
/// dB values are −∞ for silence, LUFS values −∞ before any audio, and "programme" values NaN until defined.
/// </summary>
public readonly record struct MeterSnapshot
{
    /// <summary>Input (before the chain) sample peak, left, dBFS, max since the previous read.</summary>
    public double InputPeakLeftDbfs { get; init; }

    /// <summary>Input sample peak, right, dBFS, max since the previous read.</summary>
    public double InputPeakRightDbfs { get; init; }

    /// <summary>Output (after the chain) sample peak, left, dBFS, max since the previous read.</summary>
    public double OutputPeakLeftDbfs { get; init; }

    /// <summary>Output sample peak, right, dBFS, max since the previous read.</summary>
    public double OutputPeakRightDbfs { get; init; }

    /// <summary>Output true peak (4× oversampled), dBTP, max since the previous read.</summary>
    public double TruePeakDbtp { get; init; }

    /// <summary>Output true peak, dBTP, max since the last loudness reset.</summary>
    public double TruePeakMaxDbtp { get; init; }

    /// <summary>Output momentary (400 ms) loudness, LUFS, max since the previous read.</summary>
    public double MomentaryLufs { get; init; }

    /// <summary>Output short-term (3 s) loudness, LUFS, max since the previous read.</summary>
    public double ShortTermLufs { get; init; }

    /// <summary>Output integrated loudness since the last loudness reset, LUFS (NaN until defined).</summary>
    public double IntegratedLufs { get; init; }

    /// <summary>Output loudness range since the last loudness reset, LU (NaN until defined).</summary>
    public double LoudnessRangeLu { get; init; }

    /// <summary>Output peak-to-loudness ratio: <see cref="TruePeakMaxDbtp"/> − <see cref="IntegratedLufs"/>, dB (NaN until defined).</summary>
    public double PlrDb { get; init; }

    /// <summary>Input momentary loudness, LUFS, max since the previous read.</summary>
    public double InputMomentaryLufs { get; init; }

    /// <summary>Input short-term loudness, LUFS, the latest value (what loudness-matched bypass compares).</summary>
    public double InputShortTermLufs { get; init; }

    /// <summary>Input integrated loudness since the last loudness reset, LUFS (NaN until defined).</summary>
    public double InputIntegratedLufs { get; init; }

    /// <summary>Output stereo correlation, −1 (out of phase) .. +1 (mono), over about the last 400 ms; NaN in silence.</summary>
    public double Correlation { get; init; }

    /// <summary>Compressor gain reduction, dB (positive), max since the previous read; 0 while the stage is bypassed.</summary>
    public double CompressorReductionDb { get; init; }

    /// <summary>Limiter gain reduction, dB (positive), max since the previous read; 0 while the stage is bypassed.</summary>
    public double LimiterReductionDb { get; init; }

    /// <summary>True while the global (loudness-matched) bypass is in.</summary>
    public bool GlobalBypass { get; init; }

    /// <summary>Gain applied to the dry signal in global bypass to match the processed signal's short-term loudness, dB.</summary>
    public double BypassMatchDb { get; init; }

    /// <summary>Audio-thread compute time, % of the block period, max since the previous read.</summary>
    public double CpuPercent { get; init; }

    /// <summary>Blocks processed since the engine was prepared.</summary>
    public long Blocks { get; init; }

    /// <summary>Blocks that missed their deadline since the engine was prepared.</summary>
    public long DeadlineMisses { get; init; }

    /// <summary>Seconds of audio since the last loudness reset ("since when" for the integrated value).</summary>
    public double LoudnessSeconds { get; init; }
}
