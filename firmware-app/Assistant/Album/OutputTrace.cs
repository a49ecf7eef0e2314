using HardwareMaster.App.Rendering;
using HardwareMaster.Dsp.Metering;

namespace HardwareMaster.App.Assistant.Album;

/// <summary>
/// Meters the master of a render as it is written (<see cref="IRenderTrace.Output"/>, last writing pass only): loudness
/// blocks for the album's loudness and the long-term spectrum for the spectral tilt. Writer thread only.
/// </summary>
internal sealed class OutputTrace : IRenderTrace
{
    private int _rate;
    private int _channels;

    /// <summary>The master's loudness blocks (null before the writing pass).</summary>
    public ProgramMeter? Meter { get; private set; }

    /// <summary>The master's long-term spectrum (null before the writing pass).</summary>
    public LongTermSpectrum? Spectrum { get; private set; }

    /// <inheritdoc/>
    public void Begin(int sampleRateHz, int channels)
    {
        _rate = sampleRateHz;
        _channels = channels;
        BeginWritePass();
    }

    /// <inheritdoc/>
    public void Input(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
    }

    /// <inheritdoc/>
    public void BeginWritePass()
    {
        Meter = new ProgramMeter(_rate, _channels);
        Spectrum = new LongTermSpectrum(_rate);
    }

    /// <inheritdoc/>
    public void Output(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        Meter?.Process(left, right);
        Spectrum?.Process(left, right);
    }

    /// <inheritdoc/>
    public void GainReduction(double compressorDb, double limiterDb, int frames)
    {
    }
}
