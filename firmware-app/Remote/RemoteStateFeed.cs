using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Remote;

/// <summary>
/// What remote clients may read of the box — the latest meters, every parameter value, the global bypass and the
/// preset name — published by the control thread once per frame (25 fps) and read by any number of remote threads
/// (web socket senders, OSC subscriptions) without ever touching the engine (whose meters have ONE reader: the control
/// thread).
/// </summary>
/// <remarks>
/// Meters go through a <see cref="SeqLock{T}"/> (a reader never sees a torn snapshot and never delays the publisher);
/// parameter values are copied under a short lock only when they changed (<see cref="ValuesVersion"/>). Publishing
/// allocates nothing.
/// </remarks>
public sealed class RemoteStateFeed
{
    private readonly SeqLock<MeterSnapshot> _meters = new();
    private readonly double[] _values;
    private readonly Lock _valuesGate = new();
    private long _valuesVersion;
    private long _frames;
    private int _globalBypass;
    private string? _presetName;
    private readonly string?[] _slotNames = new string?[Box.BoxPresetStore.SlotCount];
    private long _slotsVersion;

    /// <summary>Creates a feed for <paramref name="registry"/>.</summary>
    /// <param name="registry">The parameters published.</param>
    public RemoteStateFeed(ParameterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        _values = new double[registry.Count];
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = registry.All[i].Default;
        }
    }

    /// <summary>The registry the values belong to.</summary>
    public ParameterRegistry Registry { get; }

    /// <summary>Frames published so far (0 = nothing yet). Any thread.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Bumped whenever a parameter value changed. Any thread.</summary>
    public long ValuesVersion => Interlocked.Read(ref _valuesVersion);

    /// <summary>Whether the global bypass is in. Any thread.</summary>
    public bool GlobalBypass => Volatile.Read(ref _globalBypass) != 0;

    /// <summary>The current preset's name, or null. Any thread.</summary>
    public string? PresetName => Volatile.Read(ref _presetName);

    /// <summary>Publishes one frame. The control thread only; no allocation.</summary>
    /// <param name="meters">The meters the control thread read this frame.</param>
    /// <param name="values">Every parameter's current value, in registry order.</param>
    /// <param name="globalBypass">Global bypass state.</param>
    /// <param name="presetName">The current preset's name.</param>
    public void Publish(in MeterSnapshot meters, ReadOnlySpan<double> values, bool globalBypass, string? presetName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(values.Length, _values.Length);
        _meters.Write(meters);
        bool changed = false;
        for (int i = 0; i < _values.Length && !changed; i++)
        {
            changed = values[i] != Volatile.Read(ref _values[i]);
        }

        if (changed)
        {
            lock (_valuesGate)
            {
                values[.._values.Length].CopyTo(_values);
            }

            Interlocked.Increment(ref _valuesVersion);
        }

        Volatile.Write(ref _globalBypass, globalBypass ? 1 : 0);
        Volatile.Write(ref _presetName, presetName);
        Interlocked.Increment(ref _frames);
    }

    /// <summary>Bumped whenever a user slot's name changed (a save from the box or a remote client). Any thread.</summary>
    public long SlotsVersion => Interlocked.Read(ref _slotsVersion);

    /// <summary>Publishes the user slots' names (null = empty). The control thread only; no allocation (names are compared, not copied, unless one changed).</summary>
    /// <param name="presets">The box's presets.</param>
    public void PublishSlots(Ui.IBoxPresets presets)
    {
        ArgumentNullException.ThrowIfNull(presets);
        int count = Math.Min(presets.UserSlotCount, _slotNames.Length);
        bool changed = false;
        for (int i = 0; i < count && !changed; i++)
        {
            changed = !string.Equals(presets.UserSlotName(i), Volatile.Read(ref _slotNames[i]), StringComparison.Ordinal);
        }

        if (!changed)
        {
            return;
        }

        lock (_valuesGate)
        {
            for (int i = 0; i < count; i++)
            {
                _slotNames[i] = presets.UserSlotName(i);
            }
        }

        Interlocked.Increment(ref _slotsVersion);
    }

    /// <summary>Copies the user slots' names (null = empty) into <paramref name="destination"/>. Any thread; no allocation.</summary>
    /// <param name="destination">At least <see cref="Box.BoxPresetStore.SlotCount"/> entries.</param>
    /// <returns>The <see cref="SlotsVersion"/> the copy belongs to.</returns>
    public long CopySlotNames(Span<string?> destination)
    {
        lock (_valuesGate)
        {
            _slotNames.CopyTo(destination);
            return Interlocked.Read(ref _slotsVersion);
        }
    }

    /// <summary>The latest meters (default before the first frame). Any thread; never torn.</summary>
    /// <returns>The snapshot.</returns>
    public MeterSnapshot ReadMeters() => _meters.Read();

    /// <summary>Copies every parameter value into <paramref name="destination"/>. Any thread; no allocation.</summary>
    /// <param name="destination">At least <see cref="ParameterRegistry.Count"/> values.</param>
    /// <returns>The <see cref="ValuesVersion"/> the copy belongs to.</returns>
    public long CopyValues(Span<double> destination)
    {
        lock (_valuesGate)
        {
            _values.CopyTo(destination);
            return Interlocked.Read(ref _valuesVersion);
        }
    }
}
