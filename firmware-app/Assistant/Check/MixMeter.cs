using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Assistant.Check;

/// <summary>
/// Measures a mix for <see cref="MixChecklist"/> in one pass: every meter (<see cref="ProgramMeter"/>,
/// <see cref="SignalHealth"/>, <see cref="PeakDensityMeter"/>, <see cref="LowEndMonoMeter"/>,
/// <see cref="LongTermSpectrum"/>) is fed the same block. <see cref="MeasureFile"/> reads a file once with
/// <see cref="AudioFileReader"/>, as <c>measure</c> does; the box can feed its input blocks to <see cref="Process"/>.
/// </summary>
/// <remarks>Threading: not thread-safe. <see cref="Process"/> is allocation-free; every meter allocates in its constructor.</remarks>
internal sealed class MixMeter
{
    private const int BlockFrames = 8192;

    private readonly int _channels;
    private readonly ProgramMeter _loudness;
    private readonly SignalHealth _health;
    private readonly PeakDensityMeter _peaks;
    private readonly LowEndMonoMeter _lowEnd;
    private readonly LongTermSpectrum _spectrum;

    /// <summary>Creates the meters.</summary>
    /// <param name="sampleRateHz">Sample rate of the mix (8 kHz … 384 kHz).</param>
    /// <param name="channels">1 or 2.</param>
    public MixMeter(int sampleRateHz, int channels)
    {
        _channels = channels;
        _loudness = new ProgramMeter(sampleRateHz, channels);
        _health = new SignalHealth(channels);
        _peaks = new PeakDensityMeter(sampleRateHz);
        _lowEnd = new LowEndMonoMeter(sampleRateHz, channels);
        _spectrum = new LongTermSpectrum(sampleRateHz);
    }

    /// <summary>Reads <paramref name="path"/> once and measures it.</summary>
    /// <param name="path">A WAV/AIFF file.</param>
    /// <returns>The measurement.</returns>
    /// <exception cref="AudioFileException">The file cannot be opened or decoded.</exception>
    public static MixMeasurement MeasureFile(string path)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        AudioFileFormat format = reader.Format;
        var meter = new MixMeter(format.SampleRateHz, format.Channels);
        reader.ReadBlocks(BlockFrames, (l, r) => meter.Process(l, r));

        return meter.GetMeasurement(new MixFormat(format.SampleRateHz, format.Channels, format.BitsPerSample, format.IsFloat, format.Describe()));
    }

    /// <summary>Adds one planar block to every meter.</summary>
    /// <param name="left">Left (or only) channel.</param>
    /// <param name="right">Right channel of a stereo mix (the same length), empty for mono.</param>
    public void Process(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        ReadOnlySpan<float> r = _channels == 2 ? right : ReadOnlySpan<float>.Empty;
        _loudness.Process(left, r);
        _health.Process(left, r);
        _peaks.Process(left, r);
        _lowEnd.Process(left, r);
        _spectrum.Process(left, r);
    }

    /// <summary>What was measured so far.</summary>
    /// <param name="format">How the mix is stored.</param>
    public MixMeasurement GetMeasurement(MixFormat format) =>
        new(format, _loudness.GetReport(), _health.GetReport(), _peaks.GetStatistics(), _lowEnd.GetReport(), _spectrum);
}
