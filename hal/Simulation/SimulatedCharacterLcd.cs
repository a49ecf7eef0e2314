using System.Device.I2c;
using System.IO;

namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// A PCF8574 backpack with an HD44780 LCD on a simulated bus: every byte written is latched to the port and fed to an
/// <see cref="Hd44780Decoder"/>, so the screen can be read back as text. Counts transactions and bytes (nothing is
/// stored, so it does not allocate), and can be absent or fail one write part-way.
/// </summary>
public sealed class SimulatedCharacterLcd : I2cDevice
{
    private readonly I2cConnectionSettings _settings;
    private int _failAtWrite = -1;

    /// <summary>Creates the backpack and its LCD.</summary>
    /// <param name="columns">Columns of the glass.</param>
    /// <param name="rows">Rows of the glass.</param>
    /// <param name="busId">Bus reported.</param>
    /// <param name="address">Address reported.</param>
    public SimulatedCharacterLcd(int columns, int rows, int busId = 1, int address = 0x27)
    {
        Panel = new Hd44780Decoder(columns, rows);
        _settings = new I2cConnectionSettings(busId, address);
    }

    /// <summary>The LCD.</summary>
    public Hd44780Decoder Panel { get; }

    /// <summary>When false, every transfer fails as if nothing acknowledged the address.</summary>
    public bool IsPresent { get; set; } = true;

    /// <summary>Write transactions that reached the chip.</summary>
    public long Transactions { get; private set; }

    /// <summary>Bytes written (after the address byte).</summary>
    public long Bytes { get; private set; }

    /// <summary>The port as last latched.</summary>
    public byte Port { get; private set; } = 0xFF;

    /// <inheritdoc />
    public override I2cConnectionSettings ConnectionSettings => _settings;

    /// <summary>Makes write number <paramref name="writeIndex"/> (0 = the next) deliver an odd number of its bytes, then fail.</summary>
    /// <param name="writeIndex">Which write.</param>
    public void FailWriteAfter(int writeIndex) => _failAtWrite = writeIndex;

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!IsPresent)
        {
            throw new IOException("Error 6 (ENXIO): no device acknowledged the address.");
        }

        if (_failAtWrite >= 0 && _failAtWrite-- == 0)
        {
            _failAtWrite = -1;
            // Broken part-way, where the LCD has taken the first nibble of a byte and waits for the second.
            for (int i = 0; i < buffer.Length; i++)
            {
                Latch(buffer.Slice(i, 1));
                if (i >= buffer.Length / 2 && Panel.IsBetweenNibbles)
                {
                    break;
                }
            }

            throw new IOException("Error 121 (EREMOTEIO): remote I/O error (simulated).");
        }

        Transactions++;
        Latch(buffer);
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        if (!IsPresent)
        {
            throw new IOException("Error 6 (ENXIO): no device acknowledged the address.");
        }

        buffer.Fill(Port);
    }

    /// <inheritdoc />
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    /// <inheritdoc />
    public override void WriteByte(byte value)
    {
        Span<byte> one = [value];
        Write(one);
    }

    private void Latch(ReadOnlySpan<byte> bytes)
    {
        Bytes += bytes.Length;
        foreach (byte b in bytes)
        {
            Port = b;
            Panel.Feed(b);
        }
    }
}
