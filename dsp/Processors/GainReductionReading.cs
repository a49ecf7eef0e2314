namespace HardwareMaster.Dsp.Processors;

/// <summary>A gain-reduction readout: positive dB of reduction now, and the most since the previous read.</summary>
/// <param name="CurrentDb">Reduction at the end of the last processed block, in dB (≥ 0).</param>
/// <param name="MaxSinceLastReadDb">Largest reduction seen since the previous read, in dB (≥ 0).</param>
public readonly record struct GainReductionReading(float CurrentDb, float MaxSinceLastReadDb);

/// <summary>
/// Audio → UI gain-reduction meter (STYLE C3, channel 3: keep the maximum since the last read, x42 style).
/// The audio thread publishes with <see cref="Publish"/>; any other thread reads with <see cref="Read"/>.
/// Lock-free: a compare-exchange loop on the float's bits; no allocation.
/// </summary>
public sealed class GainReductionMeter
{
    private int _currentBits;
    private int _maxBits;

    /// <summary>Publishes a block's readings. Audio thread only.</summary>
    public void Publish(float currentDb, float blockMaxDb)
    {
        Volatile.Write(ref _currentBits, BitConverter.SingleToInt32Bits(currentDb));
        int seen = Volatile.Read(ref _maxBits);
        while (BitConverter.Int32BitsToSingle(seen) < blockMaxDb)
        {
            int previous = Interlocked.CompareExchange(ref _maxBits, BitConverter.SingleToInt32Bits(blockMaxDb), seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }
    }

    /// <summary>Reads the current value and the maximum since the previous call, and restarts the maximum. Any thread.</summary>
    public GainReductionReading Read()
    {
        float current = BitConverter.Int32BitsToSingle(Volatile.Read(ref _currentBits));
        float max = BitConverter.Int32BitsToSingle(Interlocked.Exchange(ref _maxBits, 0));
        return new GainReductionReading(current, Math.Max(max, current));
    }

    /// <summary>Clears both readings.</summary>
    public void Clear()
    {
        Volatile.Write(ref _currentBits, 0);
        Volatile.Write(ref _maxBits, 0);
    }
}
