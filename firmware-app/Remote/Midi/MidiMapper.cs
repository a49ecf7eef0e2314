using HardwareMaster.App.Parameters;
using HardwareMaster.Hal.Midi;

namespace HardwareMaster.App.Remote.Midi;

/// <summary>
/// Turns MIDI messages into <see cref="RemoteCommand"/>s through a <see cref="MidiMap"/>: absolute CCs set a parameter
/// along its taper, relative CCs step it by knob steps, NRPNs (CC 99/98 select, 6/38 data entry, 96/97 increment and
/// decrement) do either with 14 bits, program changes recall presets. Table lookups only: no allocation per message.
/// </summary>
/// <remarks>The MIDI reader thread only.</remarks>
public sealed class MidiMapper
{
    private const int AnyChannel = 16;
    private readonly MidiBinding?[] _cc = new MidiBinding?[17 * 128];
    private readonly Dictionary<int, MidiBinding> _nrpn = [];
    private readonly ParameterRegistry _registry;
    private readonly IReadOnlyList<string> _programs;
    private readonly int[] _nrpnSelected = new int[16];   // −1 = none (or an RPN)
    private readonly int[] _nrpnMsb = new int[16];
    private readonly int[] _dataMsb = new int[16];

    /// <summary>Creates a mapper.</summary>
    /// <param name="map">The mapping.</param>
    /// <param name="registry">The registry the map's indices belong to.</param>
    /// <param name="factoryNames">Factory preset names (program N → the N-th when the map lists no programs).</param>
    public MidiMapper(MidiMap map, ParameterRegistry registry, IReadOnlyList<string> factoryNames)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(registry);
        Map = map;
        _registry = registry;
        _programs = map.Programs ?? factoryNames;
        foreach (MidiBinding binding in map.Bindings)
        {
            int channel = binding.Channel < 0 ? AnyChannel : binding.Channel;
            if (binding.Controller >= 0)
            {
                _cc[(channel * 128) + binding.Controller] = binding;
            }
            else
            {
                _nrpn[(channel * 16384) + binding.Nrpn] = binding;
            }
        }

        Array.Fill(_nrpnSelected, -1);
        Array.Fill(_nrpnMsb, -1);
    }

    /// <summary>The mapping.</summary>
    public MidiMap Map { get; }

    /// <summary>The last control that moved (for MIDI learn): channel, CC (or −1) and NRPN (or −1). Reader thread.</summary>
    public (int Channel, int Controller, int Nrpn) LastControl { get; private set; } = (-1, -1, -1);

    /// <summary>The value the last control sent (CC 0..127; an NRPN's data byte). Reader thread.</summary>
    public int LastValue { get; private set; }

    /// <summary>Controls that moved, mapped or not (MIDI learn waits for this to change). Reader thread.</summary>
    public long ControlsSeen { get; private set; }

    /// <summary>The value a relative encoder's byte means, in steps.</summary>
    /// <param name="mode">The encoding (not <see cref="MidiValueMode.Absolute"/>).</param>
    /// <param name="value">The data byte, 0..127.</param>
    /// <returns>Steps, −64..+63.</returns>
    public static int DecodeRelative(MidiValueMode mode, int value) => mode switch
    {
        MidiValueMode.TwosComplement => value < 64 ? value : value - 128,
        MidiValueMode.BinaryOffset => value - 64,
        MidiValueMode.SignMagnitude => (value & 0x40) != 0 ? -(value & 0x3F) : value & 0x3F,
        _ => 0,
    };

    /// <summary>Maps one message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="command">The command to queue.</param>
    /// <returns><c>true</c> when the message is mapped.</returns>
    public bool TryMap(in MidiMessage message, out RemoteCommand command)
    {
        command = default;
        int channel = message.Channel & 0x0F;
        switch (message.Kind)
        {
            case MidiMessageKind.ProgramChange:
                if (message.Data1 < _programs.Count && _programs[message.Data1] is { Length: > 0 } name)
                {
                    command = new RemoteCommand(RemoteCommandKind.RecallFactoryPreset, -1, message.Data1, name, RemoteOrigin.Midi);
                    return true;
                }

                return false;
            case MidiMessageKind.ControlChange:
                return ControlChange(channel, message.Data1, message.Data2, out command);
            default:
                return false;
        }
    }

    private bool ControlChange(int channel, int controller, int value, out RemoteCommand command)
    {
        command = default;
        switch (controller)
        {
            case 99: // NRPN MSB
                _nrpnMsb[channel] = value;
                _nrpnSelected[channel] = -1;
                return false;
            case 98: // NRPN LSB: the selection is complete
                _nrpnSelected[channel] = _nrpnMsb[channel] >= 0 ? (_nrpnMsb[channel] << 7) | value : -1;
                return false;
            case 101:
            case 100: // RPN select: data entry no longer goes to an NRPN
                _nrpnSelected[channel] = -1;
                _nrpnMsb[channel] = -1;
                return false;
            case 6:
            case 38:
            case 96:
            case 97:
                return DataEntry(channel, controller, value, out command);
            default:
                break;
        }

        Seen(channel, controller, -1, value);
        MidiBinding? binding = _cc[(channel * 128) + controller] ?? _cc[(AnyChannel * 128) + controller];
        if (binding is null)
        {
            return false;
        }

        command = binding.Mode == MidiValueMode.Absolute
            ? RemoteCommand.Set(binding.ParameterIndex, _registry.All[binding.ParameterIndex].FromNormalized(value / 127.0), RemoteOrigin.Midi)
            : RemoteCommand.Step(binding.ParameterIndex, DecodeRelative(binding.Mode, value), RemoteOrigin.Midi);
        return binding.Mode == MidiValueMode.Absolute || command.Value != 0;
    }

    private bool DataEntry(int channel, int controller, int value, out RemoteCommand command)
    {
        command = default;
        int nrpn = _nrpnSelected[channel];
        if (nrpn < 0)
        {
            return false;
        }

        if (controller == 6)
        {
            _dataMsb[channel] = value;
        }

        Seen(channel, -1, nrpn, value);
        if (!_nrpn.TryGetValue((channel * 16384) + nrpn, out MidiBinding? binding) && !_nrpn.TryGetValue((AnyChannel * 16384) + nrpn, out binding))
        {
            return false;
        }

        switch (controller)
        {
            case 96:
            case 97:
                command = RemoteCommand.Step(binding.ParameterIndex, controller == 96 ? 1 : -1, RemoteOrigin.Midi);
                return true;
            case 6 when binding.Mode != MidiValueMode.Absolute:
                command = RemoteCommand.Step(binding.ParameterIndex, DecodeRelative(binding.Mode, value), RemoteOrigin.Midi);
                return command.Value != 0;
            case 38 when binding.Mode != MidiValueMode.Absolute:
                return false; // a relative NRPN moves on its MSB
            default:
                int position = controller == 6 ? value << 7 : (_dataMsb[channel] << 7) | value;
                command = RemoteCommand.Set(binding.ParameterIndex, _registry.All[binding.ParameterIndex].FromNormalized(position / 16383.0), RemoteOrigin.Midi);
                return true;
        }
    }

    private void Seen(int channel, int controller, int nrpn, int value)
    {
        LastControl = (channel, controller, nrpn);
        LastValue = value;
        ControlsSeen++;
    }
}
