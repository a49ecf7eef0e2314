using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.App.Host;

/// <summary>
/// The profile's pots as parameter controls, applied on the UI thread once a frame: a pot's new position moves its
/// registry parameter (through the parameter's taper), and a value set any other way — a preset recall, a slot load, a
/// reset, the encoders, the remote, the last state restored at start — detaches the pot (soft takeover) until it passes
/// through that value, so nothing jumps.
/// </summary>
/// <remarks>Detection is by value: each frame every pot's parameter is compared with what the pot last left it at. Allocation-free per frame.</remarks>
public sealed class PotParameters
{
    private readonly I2cControlPoller _poller;
    private readonly IBoxBackend _backend;
    private readonly int[] _slots;
    private readonly int[] _parameters;
    private readonly bool[] _reverse;
    private readonly double[] _last;
    private bool _started;

    /// <summary>Creates the mapping.</summary>
    /// <param name="poller">The I²C poller reading the pots.</param>
    /// <param name="profile">The profile (pot order, parameter ids, reverse).</param>
    /// <param name="slots">Each profile pot's slot in <paramref name="poller"/>.</param>
    /// <param name="backend">The parameters.</param>
    /// <exception cref="ArgumentException">A pot names an unknown parameter.</exception>
    public PotParameters(I2cControlPoller poller, HardwareProfile profile, IReadOnlyList<int> slots, IBoxBackend backend)
    {
        ArgumentNullException.ThrowIfNull(poller);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(backend);
        if (CheckProfile(profile, backend.Registry) is { } problem)
        {
            throw new ArgumentException(problem, nameof(profile));
        }

        _poller = poller;
        _backend = backend;
        _slots = [.. slots];
        _parameters = new int[_slots.Length];
        _reverse = new bool[_slots.Length];
        _last = new double[_slots.Length];
        for (int i = 0; i < _slots.Length; i++)
        {
            _parameters[i] = backend.Registry.IndexOf(profile.Pots[i].Parameter);
            _reverse[i] = profile.Pots[i].Reverse;
        }
    }

    /// <summary>Pots mapped.</summary>
    public int Count => _slots.Length;

    /// <summary>Parameter changes made by the pots so far.</summary>
    public long Moves { get; private set; }

    /// <summary>Times a pot was detached because its parameter was set elsewhere (including at start).</summary>
    public long Detaches { get; private set; }

    /// <summary>Checks that every pot of <paramref name="profile"/> names a parameter of <paramref name="registry"/>.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="registry">The parameters.</param>
    /// <returns>Null when all are known, else one line naming the JSON path and the id.</returns>
    public static string? CheckProfile(HardwareProfile profile, ParameterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(registry);
        for (int i = 0; i < profile.Pots.Count; i++)
        {
            if (!registry.TryGetIndex(profile.Pots[i].Parameter, out _))
            {
                return $"$.pots[{i}].parameter: no parameter \"{profile.Pots[i].Parameter}\" (the ids are listed by `hardwaremaster params`)";
            }
        }

        return null;
    }

    /// <summary>Whether pot <paramref name="pot"/> follows its parameter, and where it is (the screen may show position vs value while detached).</summary>
    /// <param name="pot">Profile pot index.</param>
    /// <param name="position">Pot position 0–1 (NaN before the first conversion).</param>
    /// <param name="valuePosition">The parameter's value as knob travel 0–1.</param>
    /// <returns>True when attached.</returns>
    public bool Status(int pot, out double position, out double valuePosition)
    {
        bool attached = _poller.PotStatus(_slots[pot], out double raw);
        position = _reverse[pot] && !double.IsNaN(raw) ? 1 - raw : raw;
        valuePosition = _backend.Registry.All[_parameters[pot]].ToNormalized(_backend.Get(_parameters[pot]));
        return attached;
    }

    /// <summary>One frame: detach pots whose parameter was set elsewhere, apply the positions the others reported. UI thread.</summary>
    public void Apply()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            int index = _parameters[i];
            ParameterDefinition definition = _backend.Registry.All[index];
            double value = _backend.Get(index);
            if (!_started || value != _last[i])
            {
                _last[i] = value;
                _poller.SetParameterPosition(_slots[i], Travel(i, definition.ToNormalized(value)), detach: true);
                Detaches++;
                continue;
            }

            if (_poller.TryTakePosition(_slots[i], out double position))
            {
                double wanted = definition.FromNormalized(Travel(i, position));
                if (wanted != value && _backend.TrySet(index, wanted))
                {
                    Moves++;
                    _last[i] = _backend.Get(index);
                    _poller.SetParameterPosition(_slots[i], Travel(i, definition.ToNormalized(_last[i])), detach: false);
                }
            }
        }

        _started = true;
    }

    private double Travel(int pot, double position) => _reverse[pot] ? 1 - position : position;
}
