using System.Device.I2c;
using Iot.Device.Ads1115;

namespace HardwareMaster.Hal.Analog;

/// <summary>
/// Up to four potentiometers on one ADS1115 (wiper to AIN0–3, ends to GND and 3.3 V), read through Iot.Device.Bindings'
/// <c>Ads1115</c> at ±4.096 V full scale (3.3 V is 80 % of it: 26 400 codes of travel) and filtered by one
/// <see cref="PotFilter"/> each. Control thread only.
/// </summary>
public sealed class AdsPotBank : IDisposable
{
    private static readonly InputMultiplexer[] SingleEnded = [InputMultiplexer.AIN0, InputMultiplexer.AIN1, InputMultiplexer.AIN2, InputMultiplexer.AIN3];
    private readonly Ads1115 _adc;
    private readonly PotFilter[] _filters;
    private readonly int[] _channels;
    private readonly double _codesPerTravel;

    /// <summary>Opens the converter.</summary>
    /// <param name="device">Its I²C device (0x48–0x4B).</param>
    /// <param name="channels">AIN channel of each pot, in pot order.</param>
    /// <param name="supplyVolts">The voltage across the pots (3.3 on a Pi).</param>
    /// <param name="options">Filter tuning.</param>
    public AdsPotBank(I2cDevice device, ReadOnlySpan<int> channels, double supplyVolts = 3.3, PotFilterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!(supplyVolts is > 0.5 and <= 4.096))
        {
            throw new ArgumentOutOfRangeException(nameof(supplyVolts), supplyVolts, "0.5-4.096 V (the ±4.096 V range)");
        }

        _channels = channels.ToArray();
        foreach (int channel in _channels)
        {
            if (channel is < 0 or > 3)
            {
                throw new ArgumentOutOfRangeException(nameof(channels), channel, "an ADS1115 channel is 0-3");
            }
        }

        _filters = new PotFilter[_channels.Length];
        for (int i = 0; i < _filters.Length; i++)
        {
            _filters[i] = new PotFilter(options);
        }

        _codesPerTravel = supplyVolts / 4.096 * 32768.0;
        _adc = new Ads1115(device, InputMultiplexer.AIN0, MeasuringRange.FS4096, DataRate.SPS860, DeviceMode.PowerDown);
    }

    /// <summary>Pots in the bank.</summary>
    public int Count => _filters.Length;

    /// <summary>The filter of pot <paramref name="index"/> (for <see cref="PotFilter.Detach"/> after a preset recall).</summary>
    /// <param name="index">Pot position.</param>
    /// <returns>Its filter.</returns>
    public PotFilter Filter(int index) => _filters[index];

    /// <summary>Converts pot <paramref name="index"/> once and filters it.</summary>
    /// <param name="index">Pot position.</param>
    /// <param name="position">The 0–1 position to apply, when true is returned.</param>
    /// <returns>Whether its parameter should change.</returns>
    /// <exception cref="IOException">The bus failed.</exception>
    public bool Poll(int index, out double position)
    {
        short code = _adc.ReadRaw(SingleEnded[_channels[index]]);
        return _filters[index].Update(code / _codesPerTravel, out position);
    }

    /// <summary>Disposes the converter and its I²C device.</summary>
    public void Dispose() => _adc.Dispose();
}
