using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;
using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Remote;

/// <summary>
/// Serves a <see cref="RemoteHub"/> on the control thread, once per frame: <see cref="ApplyCommands"/> before the face
/// ticks (so it shows the new values), <see cref="Publish"/> after (with the meters the frame read). Allocation-free.
/// </summary>
public sealed class RemoteSession
{
    private readonly RemoteHub _hub;
    private readonly EngineBoxBackend _backend;
    private readonly IBoxPresets? _presets;
    private readonly double[] _values;

    /// <summary>Creates a session.</summary>
    /// <param name="hub">The hub served.</param>
    /// <param name="backend">The box's backend (values, meters, bypass).</param>
    /// <param name="presets">The box's presets, or null.</param>
    public RemoteSession(RemoteHub hub, EngineBoxBackend backend, IBoxPresets? presets)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(backend);
        _hub = hub;
        _backend = backend;
        _presets = presets;
        Target = new BoxRemoteTarget(backend, presets);
        _values = new double[backend.Registry.Count];
        backend.RemoteHub = hub; // the SYSTEM page shows its pairing secret
    }

    /// <summary>The hub served.</summary>
    public RemoteHub Hub => _hub;

    /// <summary>What applies the commands.</summary>
    public BoxRemoteTarget Target { get; }

    /// <summary>Applies the queued commands. Control thread.</summary>
    /// <returns>Commands taken.</returns>
    public int ApplyCommands() => _hub.Commands.Drain(Target);

    /// <summary>Publishes this frame's state. Control thread.</summary>
    /// <param name="readMeters"><c>true</c> when no face reads the engine's meters (then this does); <c>false</c> to publish what the face read.</param>
    public void Publish(bool readMeters)
    {
        MeterSnapshot meters = readMeters ? _backend.ReadMeters() : _backend.LastMeters;
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = _backend.Get(i);
        }

        _hub.State.Publish(meters, _values, _backend.GlobalBypass, _presets?.CurrentName);
        if (_presets is not null)
        {
            _hub.State.PublishSlots(_presets);
        }
    }
}
