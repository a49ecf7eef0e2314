using System.Device.I2c;
using Iot.Device.Mcp23xxx;
using Iot.Device.Pcx857x;

namespace HardwareMaster.Hal.Expanders;

/// <summary>
/// <see cref="IExpanderPort"/> on Iot.Device.Bindings 4.2 (<c>Mcp23017</c>, <c>Mcp23008</c>, <c>Pcf8574</c>,
/// <c>Pcf8575</c>): the library does the register work, we read the whole port at once so our
/// <c>QuadratureDecoder</c> and <c>ButtonStateMachine</c> see a coherent sample of every pin.
/// </summary>
/// <remarks>
/// MCP23x: IODIR is set to 1 (input) for every pin outside <c>outputMask</c>, GPPU pulls those inputs up (switches go
/// to GND), outputs start low. PCF857x (quasi-bidirectional, datasheet §8.1): an input is a pin written high, so every
/// write keeps the input bits high. Allocation-free per call (the library reads into stack buffers).
/// </remarks>
public sealed class IotExpanderPort : IExpanderPort
{
    private readonly Mcp23x1x? _mcp16;
    private readonly Mcp23x0x? _mcp8;
    private readonly Pcx857x? _pcf;
    private readonly ushort _outputMask;
    private readonly ushort _inputMask;

    private IotExpanderPort(ExpanderChip chip, I2cDevice device, ushort outputMask, bool shouldDispose, bool interruptOnChange = false)
    {
        Chip = chip;
        PinCount = chip is ExpanderChip.Mcp23017 or ExpanderChip.Pcf8575 ? 16 : 8;
        ushort all = (ushort)((1 << PinCount) - 1);
        _outputMask = (ushort)(outputMask & all);
        _inputMask = (ushort)(all & ~_outputMask);
        switch (chip)
        {
            case ExpanderChip.Mcp23017:
                _mcp16 = new Mcp23017(device, shouldDispose: shouldDispose);
                _mcp16.WriteUInt16(Register.OLAT, 0);
                _mcp16.WriteUInt16(Register.GPPU, _inputMask);
                _mcp16.WriteUInt16(Register.IODIR, _inputMask);
                if (interruptOnChange)
                {
                    // IOCON.MIRROR (bit 6): INTA reports both ports; INTCON = 0: interrupt on any change; GPINTEN: every input.
                    _mcp16.WriteUInt16(Register.IOCON, 0x4040);
                    _mcp16.WriteUInt16(Register.INTCON, 0);
                    _mcp16.WriteUInt16(Register.GPINTEN, _inputMask);
                }

                break;
            case ExpanderChip.Mcp23008:
                _mcp8 = new Mcp23008(device, shouldDispose: shouldDispose);
                _mcp8.WriteByte(Register.OLAT, 0);
                _mcp8.WriteByte(Register.GPPU, (byte)_inputMask);
                _mcp8.WriteByte(Register.IODIR, (byte)_inputMask);
                if (interruptOnChange)
                {
                    _mcp8.WriteByte(Register.INTCON, 0);
                    _mcp8.WriteByte(Register.GPINTEN, (byte)_inputMask);
                }

                break;
            case ExpanderChip.Pcf8574:
                _pcf = new Pcf8574(device, shouldDispose: shouldDispose);
                WriteOutputs(0);
                break;
            case ExpanderChip.Pcf8575:
                _pcf = new Pcf8575(device, shouldDispose: shouldDispose);
                WriteOutputs(0);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(chip), chip, "unknown expander chip");
        }
    }

    /// <summary>The chip.</summary>
    public ExpanderChip Chip { get; }

    /// <inheritdoc />
    public int PinCount { get; }

    /// <summary>Opens and configures an expander.</summary>
    /// <param name="chip">Which chip.</param>
    /// <param name="device">Its I²C device.</param>
    /// <param name="outputMask">Pins used as outputs (LEDs); the rest are pulled-up inputs.</param>
    /// <param name="shouldDispose">Dispose <paramref name="device"/> with this object.</param>
    /// <returns>The port.</returns>
    /// <exception cref="IOException">The chip does not answer.</exception>
    public static IotExpanderPort Open(ExpanderChip chip, I2cDevice device, ushort outputMask = 0, bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new IotExpanderPort(chip, device, outputMask, shouldDispose);
    }

    /// <summary>Opens and configures an expander whose INT output is wired to a GPIO: as <see cref="Open(ExpanderChip, I2cDevice, ushort, bool)"/>, plus (MCP23x) interrupt-on-change for every input, INTA mirroring both ports, active low; reading the port clears it (datasheet §3.6). A PCF857x's /INT needs no set-up.</summary>
    /// <param name="chip">Which chip.</param>
    /// <param name="device">Its I²C device.</param>
    /// <param name="outputMask">Pins used as outputs (LEDs).</param>
    /// <param name="interruptOnChange">Enable the MCP23x interrupt on change.</param>
    /// <param name="shouldDispose">Dispose <paramref name="device"/> with this object.</param>
    /// <returns>The port.</returns>
    /// <exception cref="IOException">The chip does not answer.</exception>
    public static IotExpanderPort Open(ExpanderChip chip, I2cDevice device, ushort outputMask, bool interruptOnChange, bool shouldDispose)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new IotExpanderPort(chip, device, outputMask, shouldDispose, interruptOnChange);
    }

    /// <inheritdoc />
    public ushort ReadInputs()
    {
        if (_mcp16 is not null)
        {
            return _mcp16.ReadUInt16(Register.GPIO);
        }

        if (_mcp8 is not null)
        {
            return _mcp8.ReadByte(Register.GPIO);
        }

        return PinCount == 16 ? ((Pcx8575)_pcf!).ReadUInt16() : _pcf!.ReadByte();
    }

    /// <inheritdoc />
    public void WriteOutputs(ushort levels)
    {
        ushort outputs = (ushort)(levels & _outputMask);
        if (_mcp16 is not null)
        {
            _mcp16.WriteUInt16(Register.OLAT, outputs);
        }
        else if (_mcp8 is not null)
        {
            _mcp8.WriteByte(Register.OLAT, (byte)outputs);
        }
        else
        {
            ushort value = (ushort)(outputs | _inputMask);
            if (PinCount == 16)
            {
                ((Pcx8575)_pcf!).WriteUInt16(value);
            }
            else
            {
                _pcf!.WriteByte((byte)value);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _mcp16?.Dispose();
        _mcp8?.Dispose();
        _pcf?.Dispose();
    }
}
