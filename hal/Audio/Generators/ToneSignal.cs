namespace HardwareMaster.Hal.Audio.Generators;

/// <summary>A sine on both channels at a given frequency and peak level; phase is computed from the absolute frame index, so it never drifts.</summary>
public sealed class ToneSignal : IAudioSignal
{
    private readonly double _cyclesPerFrame;
    private readonly float _amplitude;

    /// <summary>Creates the tone.</summary>
    /// <param name="frequencyHz">Frequency, above 0 and below Nyquist.</param>
    /// <param name="peakDbfs">Peak level in dBFS (0 = full scale), at most 0.</param>
    /// <param name="sampleRateHz">Sample rate.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public ToneSignal(double frequencyHz, double peakDbfs, int sampleRateHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRateHz);
        if (!(frequencyHz > 0 && frequencyHz < sampleRateHz / 2.0))
        {
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "The frequency must be above 0 Hz and below half the sample rate.");
        }

        if (!(peakDbfs <= 0 && peakDbfs >= -200))
        {
            throw new ArgumentOutOfRangeException(nameof(peakDbfs), peakDbfs, "The level must be between −200 and 0 dBFS.");
        }

        _cyclesPerFrame = frequencyHz / sampleRateHz;
        _amplitude = (float)Math.Pow(10, peakDbfs / 20);
    }

    /// <inheritdoc />
    public void Render(Span<float> left, Span<float> right, long startFrame)
    {
        for (int i = 0; i < left.Length; i++)
        {
            double cycles = (startFrame + i) * _cyclesPerFrame;
            float value = _amplitude * (float)Math.Sin(2 * Math.PI * (cycles - Math.Floor(cycles)));
            left[i] = value;
            right[i] = value;
        }
    }
}
