namespace HardwareMaster.Hal.Audio.Generators;

/// <summary>
/// Seedable pink (1/f) noise, independent on left and right, at a given RMS level.
/// </summary>
/// <remarks>
/// White noise from xorshift32 through Paul Kellet's "refined" pink filter (public domain, music-dsp archive, 1999):
/// accurate to ±0.05 dB above 9.2 Hz at 44.1 kHz. The output is scaled so that its long-term RMS is the requested level.
/// Stateful: blocks must be rendered in order.
/// </remarks>
public sealed class PinkNoiseSignal : IAudioSignal
{
    // Measured RMS of 0.11 × the Kellet filter output for uniform white noise in [−1, 1) (checked by GeneratorTests).
    private const float FilterRms = 0.1952f;

    private readonly float _gain;
    private readonly KelletFilter _left;
    private readonly KelletFilter _right;

    /// <summary>Creates the noise.</summary>
    /// <param name="rmsDbfs">RMS level in dBFS (e.g. −18), at most −3 so peaks stay below full scale.</param>
    /// <param name="seed">Seed; the same seed gives the same noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">The level is out of range.</exception>
    public PinkNoiseSignal(double rmsDbfs, uint seed = 1)
    {
        if (!(rmsDbfs <= -3 && rmsDbfs >= -200))
        {
            throw new ArgumentOutOfRangeException(nameof(rmsDbfs), rmsDbfs, "The level must be between −200 and −3 dBFS RMS.");
        }

        _gain = (float)Math.Pow(10, rmsDbfs / 20) / FilterRms;
        _left = new KelletFilter(seed == 0 ? 0x9E3779B9u : seed);
        _right = new KelletFilter((seed * 747796405u) + 2891336453u | 1u);
    }

    /// <inheritdoc />
    public void Render(Span<float> left, Span<float> right, long startFrame)
    {
        _left.Render(left, _gain);
        _right.Render(right, _gain);
    }

    private sealed class KelletFilter(uint seed)
    {
        // b0..b6 are the filter's state in Kellet's notation.
        private uint _state = seed;
        private float _b0, _b1, _b2, _b3, _b4, _b5, _b6;

        public void Render(Span<float> destination, float gain)
        {
            uint state = _state;
            float b0 = _b0, b1 = _b1, b2 = _b2, b3 = _b3, b4 = _b4, b5 = _b5, b6 = _b6;
            for (int i = 0; i < destination.Length; i++)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                float white = ((int)state) * (1f / 2147483648f);
                b0 = (0.99886f * b0) + (white * 0.0555179f);
                b1 = (0.99332f * b1) + (white * 0.0750759f);
                b2 = (0.96900f * b2) + (white * 0.1538520f);
                b3 = (0.86650f * b3) + (white * 0.3104856f);
                b4 = (0.55000f * b4) + (white * 0.5329522f);
                b5 = (-0.7616f * b5) - (white * 0.0168980f);
                float pink = b0 + b1 + b2 + b3 + b4 + b5 + b6 + (white * 0.5362f);
                b6 = white * 0.115926f;
                destination[i] = Math.Clamp(pink * 0.11f * gain, -1f, 1f);
            }

            _state = state;
            _b0 = b0; _b1 = b1; _b2 = b2; _b3 = b3; _b4 = b4; _b5 = b5; _b6 = b6;
        }
    }
}
