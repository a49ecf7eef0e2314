using System.Device.I2c;

namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// A PCF8574 (8 pins) or PCF8575 (16 pins) on a simulated bus: no registers, a write sets the quasi-bidirectional
/// latches, a read returns each pin as its latch AND the external level (a latch written low pulls the pin low; a
/// latch written high is a weak pull-up the outside can pull down; NXP PCF8574 datasheet §8.1). Every write is kept
/// in <see cref="Writes"/> so the HD44780 decoder can replay what a character-LCD backpack saw.
/// </summary>
/// <remarks>
/// /INT (TI SCPS069D, PCF8574A, "Interrupt"; NXP PCF8574 rev 5 §8.5): open drain, active low. "An interrupt is generated
/// by any rising or falling edge of the port inputs in the input mode"; it resets "when data on the port is changed to
/// the original setting or data is read from, or written to, the port that generated the interrupt". Modelled as: the
/// port's levels are compared with the levels at the last read or write (power-on: all high, so a pin held low at
/// power-on asserts /INT at once, as NXP §8.5 says); /INT is low while they differ, and every transaction takes the
/// current levels as the new reference. <see cref="ExternalLevels"/> may be set from another thread than the bus user's.
/// </remarks>
public sealed class SimulatedPcf857x : I2cDevice
{
    private readonly I2cConnectionSettings _settings;
    private readonly int _bytes;
    private readonly List<byte> _writes = [];
    private readonly Lock _sync = new();
    private readonly ushort _pinMask;
    private ushort _external = 0xFFFF;
    private ushort _reference = 0xFFFF;
    private bool _interrupt;

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
        _pinMask = pins == 16 ? (ushort)0xFFFF : (ushort)0x00FF;
        _settings = new I2cConnectionSettings(busId, address);
    }

    /// <summary>Latches (bit set = high / weak pull-up).</summary>
    public ushort Latches { get; private set; } = 0xFFFF;

    /// <summary>Levels driven from outside (bit set = left high); a change of a pin's level asserts /INT.</summary>
    public ushort ExternalLevels
    {
        get => _external;
        set
        {
            lock (_sync)
            {
                _external = value;
                UpdateInterrupt();
            }
        }
    }

    /// <summary>Whether /INT is asserted (low): the port's levels differ from those at the last read or write.</summary>
    public bool InterruptAsserted => _interrupt;

    /// <summary>Called (on the thread that caused it) when <see cref="InterruptAsserted"/> changes: wire it to a scripted GPIO pin.</summary>
    public Action<bool>? InterruptChanged { get; set; }

    /// <summary>Reads of the port so far (each resets /INT).</summary>
    public long Reads { get; private set; }

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
        lock (_sync)
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

            ResetInterrupt();
        }
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        lock (_sync)
        {
            Transactions++;
            Reads++;
            ushort levels = Levels;
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = (byte)(levels >> (8 * (i % _bytes)));
            }

            ResetInterrupt();
        }
    }

    /// <inheritdoc />
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
        lock (_sync)
        {
            Transactions--;
        }
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

    // The pins' levels: a latch written low holds its pin low (an output); a latch written high lets the outside pull it.
    private ushort Levels => (ushort)(Latches & _external & _pinMask);

    private void ResetInterrupt()
    {
        _reference = Levels;
        UpdateInterrupt();
    }

    private void UpdateInterrupt()
    {
        bool asserted = Levels != (ushort)(_reference & _pinMask);
        if (asserted != _interrupt)
        {
            _interrupt = asserted;
            InterruptChanged?.Invoke(asserted);
        }
    }
}
