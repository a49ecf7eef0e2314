using System.Buffers.Binary;
using System.Device.I2c;

namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// A TI ADS1115 on a simulated bus (datasheet SBAS444D §8.6: pointer register, conversion 0x00, config 0x01,
/// thresholds 0x02/0x03, big-endian 16-bit registers). Tests set each input's voltage; a read of the conversion
/// register returns the code for the channel and full-scale range in the config register (single-ended MUX 100–111,
/// differential 000–011), clipped to the 16-bit range as the chip does. A single-shot start (OS = 1) completes at once.
/// </summary>
public sealed class SimulatedAds1115 : I2cDevice
{
    private static readonly double[] FullScaleVolts = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
    private readonly I2cConnectionSettings _settings;
    private readonly ushort[] _registers = [0, 0x8583, 0x8000, 0x7FFF];
    private readonly double[] _volts = new double[4];
    private int _pointer;

    /// <summary>Creates the chip (power-on config 0x8583: AIN0-AIN1, ±2.048 V, single-shot).</summary>
    /// <param name="busId">Bus number reported.</param>
    /// <param name="address">Address reported (0x48–0x4B).</param>
    public SimulatedAds1115(int busId = 1, int address = 0x48) => _settings = new I2cConnectionSettings(busId, address);

    /// <summary>Make every bus transaction throw <see cref="IOException"/> (a loose cable, a chip without power).</summary>
    public bool Failing { get; set; }

    /// <summary>Conversions returned so far.</summary>
    public long Conversions { get; private set; }

    /// <summary>The config register.</summary>
    public ushort Config => _registers[1];

    /// <inheritdoc />
    public override I2cConnectionSettings ConnectionSettings => _settings;

    /// <summary>Sets the voltage on AIN<paramref name="channel"/>.</summary>
    /// <param name="channel">0–3.</param>
    /// <param name="volts">Volts against GND.</param>
    public void SetInput(int channel, double volts) => _volts[channel] = volts;

    /// <summary>The code the chip gives for <paramref name="volts"/> at the range in the config register.</summary>
    /// <param name="volts">Input difference.</param>
    /// <returns>The code.</returns>
    public short CodeFor(double volts)
    {
        double fullScale = FullScaleVolts[(_registers[1] >> 9) & 7];
        return (short)Math.Clamp(Math.Round(volts / fullScale * 32768.0), -32768, 32767);
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfFailing();
        if (buffer.IsEmpty)
        {
            return;
        }

        _pointer = buffer[0] & 3;
        if (buffer.Length >= 3 && _pointer != 0)
        {
            ushort value = BinaryPrimitives.ReadUInt16BigEndian(buffer[1..]);
            if (_pointer == 1)
            {
                // OS reads back 1 = not converting: the single shot finished at once.
                value |= 0x8000;
            }

            _registers[_pointer] = value;
        }
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        ThrowIfFailing();
        ushort value = _pointer == 0 ? (ushort)Convert() : _registers[_pointer];
        Span<byte> two = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(two, value);
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = two[i % 2];
        }
    }

    /// <inheritdoc />
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    /// <inheritdoc />
    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    /// <inheritdoc />
    public override void WriteByte(byte value) => Write([value]);

    private void ThrowIfFailing()
    {
        if (Failing)
        {
            throw new IOException("simulated ADS1115: the bus does not answer (Failing)");
        }
    }

    private short Convert()
    {
        Conversions++;
        int mux = (_registers[1] >> 12) & 7;
        double volts = mux switch
        {
            0 => _volts[0] - _volts[1],
            1 => _volts[0] - _volts[3],
            2 => _volts[1] - _volts[3],
            3 => _volts[2] - _volts[3],
            _ => _volts[mux - 4],
        };
        return CodeFor(volts);
    }
}
