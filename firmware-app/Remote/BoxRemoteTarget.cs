using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Remote;

/// <summary>
/// Applies remote commands to the box exactly as its knobs do: parameters through the face's backend (so the face, the
/// last-state save and the engine see one value), presets through the box's preset store.
/// </summary>
/// <param name="backend">The box's backend (registry, values, global bypass, loudness reset).</param>
/// <param name="presets">The box's presets, or null (preset commands are then refused).</param>
public sealed class BoxRemoteTarget(IBoxBackend backend, IBoxPresets? presets) : IRemoteCommandTarget
{
    /// <summary>Commands applied, by origin (Midi, Osc, Web, Test). Control thread writes; any thread may read.</summary>
    public long[] AppliedByOrigin { get; } = new long[4];

    /// <inheritdoc />
    public bool Apply(in RemoteCommand command)
    {
        bool applied = command.Kind switch
        {
            RemoteCommandKind.SetParameter => SetParameter(command.Index, command.Value),
            RemoteCommandKind.StepParameter => StepParameter(command.Index, command.Value),
            RemoteCommandKind.SetGlobalBypass => SetGlobalBypass(command.Value != 0),
            RemoteCommandKind.RecallFactoryPreset => RecallFactory(command.Text),
            RemoteCommandKind.RecallUserSlot => presets is not null && presets.RecallUser(command.Index),
            RemoteCommandKind.ResetLoudness => ResetLoudness(),
            RemoteCommandKind.SaveUserSlot => presets is not null && (uint)command.Index < (uint)presets.UserSlotCount && presets.SaveUser(command.Index),
            RemoteCommandKind.Reference => Reference(command.Index),
            _ => false,
        };
        if (applied && (uint)command.Origin < (uint)AppliedByOrigin.Length)
        {
            Interlocked.Increment(ref AppliedByOrigin[(int)command.Origin]);
        }

        return applied;
    }

    private bool SetParameter(int index, double value)
    {
        if ((uint)index >= (uint)backend.Registry.Count || !double.IsFinite(value))
        {
            return false;
        }

        backend.TrySet(index, backend.Registry.All[index].Clamp(value));
        return true; // an unchanged value is still an applied command
    }

    private bool StepParameter(int index, double steps)
    {
        if ((uint)index >= (uint)backend.Registry.Count || !double.IsFinite(steps) || Math.Abs(steps) > 10_000)
        {
            return false;
        }

        var definition = backend.Registry.All[index];
        backend.TrySet(index, KnobSteps.Nudge(definition, backend.Get(index), (int)steps, fine: false));
        return true;
    }

    private bool SetGlobalBypass(bool on)
    {
        backend.GlobalBypass = on;
        return true;
    }

    private bool RecallFactory(string? name)
    {
        if (presets is null || name is null)
        {
            return false;
        }

        IReadOnlyList<string> names = presets.FactoryNames;
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return presets.RecallFactory(i);
            }
        }

        return false;
    }

    private bool Reference(int action)
    {
        if (backend.Reference is not { } reference)
        {
            return false;
        }

        switch (action)
        {
            case 0 or 1: reference.SetOn(action == 1); return true;
            case 2: reference.Toggle(); return true;
            case 3: return reference.Next() is not null;
            case 4: return reference.Previous() is not null;
            default: return false;
        }
    }

    private bool ResetLoudness()
    {
        backend.ResetLoudness();
        return true;
    }
}
