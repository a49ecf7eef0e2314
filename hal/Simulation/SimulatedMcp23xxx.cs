using System.Device.I2c;

namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// An MCP23017 (16 pins) or MCP23008 (8 pins) on a simulated I²C bus: the register file of the datasheet (MCP23017
/// DS20001952C table 3-5, IOCON.BANK = 0, sequential addressing), so Iot.Device.Bindings' <c>Mcp23017</c>/<c>Mcp23008</c>
/// run against it unchanged. Tests and the desktop set the external pin levels; reading GPIO returns them for input
/// pins (with IPOL applied) and OLAT for output pins. Not thread-safe: one bus user.
/// </summary>
public sealed class SimulatedMcp23xxx : I2cDevice
{
    private const int Iodir = 0x00;
    private const int Ipol = 0x01;
    private const int Gpinten = 0x02;
    private const int Defval = 0x03;
    private const int Intcon = 0x04;
    private const int Iocon = 0x05;
    private const int Intf = 0x07;
    private const int Intcap = 0x08;
    private const int Gpio = 0x09;
    private const int Olat = 0x0A;

    private readonly I2cConnectionSettings _settings;
    private readonly byte[] _registers;
    private readonly int _ports;
    private readonly Lock _sync = new();
    private int _pointer;
    private ushort _external = 0xFFFF;
    private bool _interrupt;

    /// <summary>Creates the chip with every register at its power-on value (IODIR = all inputs).</summary>
    /// <param name="pins">16 (MCP23017) or 8 (MCP23008).</param>
    /// <param name="busId">Bus number reported in <see cref="ConnectionSettings"/>.</param>
    /// <param name="address">Address reported in <see cref="ConnectionSettings"/>.</param>
    public SimulatedMcp23xxx(int pins = 16, int busId = 1, int address = 0x20)
    {
        if (pins is not (8 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(pins), pins, "8 or 16");
        }

        _ports = pins / 8;
        _registers = new byte[11 * _ports];
        for (int port = 0; port < _ports; port++)
        {
            _registers[Address(Iodir, port)] = 0xFF;
        }

        _settings = new I2cConnectionSettings(busId, address);
    }

    /// <summary>
    /// Levels driven onto the pins from outside (bit set = high); idle switches with pull-ups read high. A change of an
    /// input with GPINTEN set latches INTF/INTCAP (INTCON: against the previous level or DEFVAL) and asserts INT until
    /// GPIO or INTCAP of that port is read (datasheet §3.6). May be set from another thread than the bus user's.
    /// </summary>
    public ushort ExternalLevels
    {
        get => _external;
        set
        {
            lock (_sync)
            {
                ushort previous = _external;
                _external = value;
                for (int port = 0; port < _ports; port++)
                {
                    byte now = (byte)(value >> (8 * port));
                    byte before = (byte)(previous >> (8 * port));
                    byte intcon = _registers[Address(Intcon, port)];
                    byte compare = (byte)((before & ~intcon) | (_registers[Address(Defval, port)] & intcon));
                    byte fired = (byte)((now ^ compare) & _registers[Address(Gpinten, port)] & _registers[Address(Iodir, port)]);
                    if (fired != 0 && _registers[Address(Intf, port)] == 0)
                    {
                        _registers[Address(Intf, port)] = fired;
                        _registers[Address(Intcap, port)] = ReadRegister(Address(Gpio, port), clear: false);
                    }
                }

                UpdateInterrupt();
            }
        }
    }

    /// <summary>Whether the INT output (INTA; with IOCON.MIRROR either port) is asserted.</summary>
    public bool InterruptAsserted => _interrupt;

    /// <summary>Called (on the thread that caused it) when <see cref="InterruptAsserted"/> changes: wire it to a scripted GPIO pin.</summary>
    public Action<bool>? InterruptChanged { get; set; }

    /// <summary>Make every bus transaction throw <see cref="IOException"/> (a loose cable, a chip without power).</summary>
    public bool Failing { get; set; }

    /// <summary>Bus transactions so far.</summary>
    public long Transactions { get; private set; }

    /// <summary>Read transactions so far (a register read; reading GPIO or INTCAP clears the interrupt).</summary>
    public long Reads { get; private set; }

    /// <inheritdoc />
    public override I2cConnectionSettings ConnectionSettings => _settings;

    /// <summary>A register of one port (0 = A, 1 = B).</summary>
    /// <param name="register">Register index as in the MCP23008 map (IODIR 0 … OLAT 10).</param>
    /// <param name="port">Port.</param>
    /// <returns>Its value.</returns>
    public byte Register(int register, int port = 0) => _registers[Address(register, port)];

    /// <summary>The output latch of every pin (bit n = pin n).</summary>
    public ushort OutputLatch => (ushort)(Register(Olat) | (_ports == 2 ? Register(Olat, 1) << 8 : 0));

    /// <summary>The direction register (bit set = input).</summary>
    public ushort Direction => (ushort)(Register(Iodir) | (_ports == 2 ? Register(Iodir, 1) << 8 : 0));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfFailing();
        lock (_sync)
        {
            Transactions++;
            if (buffer.IsEmpty)
            {
                return;
            }

            _pointer = buffer[0] % _registers.Length;
            for (int i = 1; i < buffer.Length; i++)
            {
                WriteRegister(_pointer, buffer[i]);
                _pointer = (_pointer + 1) % _registers.Length;
            }

            UpdateInterrupt();
        }
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        ThrowIfFailing();
        lock (_sync)
        {
            Transactions++;
            Reads++;
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = ReadRegister(_pointer, clear: true);
                _pointer = (_pointer + 1) % _registers.Length;
            }

            UpdateInterrupt();
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

    private int Address(int register, int port) => _ports == 2 ? (register * 2) + port : register;

    private void Split(int address, out int register, out int port)
    {
        register = _ports == 2 ? address / 2 : address;
        port = _ports == 2 ? address % 2 : 0;
    }

    private void WriteRegister(int address, byte value)
    {
        Split(address, out int register, out int port);
        if (register == Gpio)
        {
            // Writing GPIO writes the latch (datasheet §3.5.10).
            _registers[Address(Olat, port)] = value;
            return;
        }

        if (register is Intf or Intcap)
        {
            return; // read-only
        }

        if (register == Iocon)
        {
            // IOCON is one register seen at both port addresses (BANK = 0).
            for (int p = 0; p < _ports; p++)
            {
                _registers[Address(Iocon, p)] = value;
            }

            return;
        }

        _registers[address] = value;
    }

    private void ThrowIfFailing()
    {
        if (Failing)
        {
            throw new IOException("simulated MCP23xxx: the bus does not answer (Failing)");
        }
    }

    private void UpdateInterrupt()
    {
        bool mirror = (_registers[Address(Iocon, 0)] & 0x40) != 0;
        bool asserted = _registers[Address(Intf, 0)] != 0 || (mirror && _ports == 2 && _registers[Address(Intf, 1)] != 0);
        if (asserted != _interrupt)
        {
            _interrupt = asserted;
            InterruptChanged?.Invoke(asserted);
        }
    }

    private byte ReadRegister(int address, bool clear)
    {
        Split(address, out int register, out int port);
        if (register == Intcap && clear)
        {
            _registers[Address(Intf, port)] = 0;
        }

        if (register != Gpio)
        {
            return _registers[address];
        }

        if (clear)
        {
            _registers[Address(Intf, port)] = 0;
        }

        byte external = (byte)(_external >> (8 * port));
        byte direction = _registers[Address(Iodir, port)];
        byte inputs = (byte)((external ^ _registers[Address(Ipol, port)]) & direction);
        byte outputs = (byte)(_registers[Address(Olat, port)] & ~direction);
        return (byte)(inputs | outputs);
    }
}
