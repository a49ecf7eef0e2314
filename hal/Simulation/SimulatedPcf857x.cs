using System.Device.I2c;

namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// A PCF8574 (8 pins) or PCF8575 (16 pins) on a simulated bus: no registers, a write sets the quasi-bidirectional
/// latches, a read returns each pin as its latch AND the external level (a latch written low pulls the pin low; a
/// latch written high is a weak pull-up the outside can pull down; NXP PCF8574 datasheet §8.1). Every write is kept
/// in <see cref="Writes"/> so the HD44780 decoder can replay what a character-LCD backpack saw.
/// </summary>
public sealed class SimulatedPcf857x : I2cDevice
{
    private readonly I2cConnectionSettings _settings;
    private readonly int _bytes;
    private readonly List<byte> _writes = [];

    /// <summary>Creates the chip (latches all high at power-on).</summary>
    /// <param name="pins">8 or 16.</param>
    /// <param name="busId">Bus number reported.</param>
    /// <param name="address">Address reported.</param>
    public SimulatedPcf857x(int pins = 8, int busId = 1, int address = 0x27)
    {
        if (pins is not (8 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(pins), pins, "8 or 16");
        }

        _bytes = pins / 8;
        _settings = new I2cConnectionSettings(busId, address);
    }

    /// <summary>Latches (bit set = high / weak pull-up).</summary>
    public ushort Latches { get; private set; } = 0xFFFF;

    /// <summary>Levels driven from outside (bit set = left high).</summary>
    public ushort ExternalLevels { get; set; } = 0xFFFF;

    /// <summary>Every byte written, in order (8-bit chip only; first byte of each 16-bit write otherwise).</summary>
    public IReadOnlyList<byte> Writes => _writes;

    /// <summary>When false, <see cref="Writes"/> is not extended (steady-state allocation tests).</summary>
    public bool KeepWrites { get; set; } = true;

    /// <summary>Bus transactions so far.</summary>
    public long Transactions { get; private set; }

    /// <inheritdoc />
    public override I2cConnectionSettings ConnectionSettings => _settings;

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Transactions++;
        for (int i = 0; i + _bytes <= buffer.Length; i += _bytes)
        {
            Latches = _bytes == 2 ? (ushort)(buffer[i] | (buffer[i + 1] << 8)) : (ushort)(0xFF00 | buffer[i]);
            if (KeepWrites)
            {
                _writes.Add(buffer[i]);
            }
        }
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        Transactions++;
        ushort levels = (ushort)(Latches & ExternalLevels);
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)(levels >> (8 * (i % _bytes)));
        }
    }

    /// <inheritdoc />
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
        Transactions--;
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
}
