namespace HardwareMaster.Hal.Input;

/// <summary>
/// Merges several <see cref="IInputQueue"/>s (encoders, buttons, the keyboard map) into one queue
/// that returns events in timestamp order.
/// </summary>
/// <remarks>
/// Register every source with <see cref="Add"/> during start-up; afterwards only the control
/// thread calls <see cref="TryRead"/>. The hub keeps one look-ahead event per source, so reading
/// never allocates or locks.
/// </remarks>
public sealed class InputHub : IInputQueue
{
    private IInputQueue[] _sources = [];
    private InputEvent[] _pending = [];
    private bool[] _hasPending = [];

    /// <summary>Number of registered sources.</summary>
    public int SourceCount => _sources.Length;

    /// <summary>Registers a source. Start-up only (allocates).</summary>
    /// <param name="source">The queue to merge.</param>
    public void Add(IInputQueue source)
    {
        ArgumentNullException.ThrowIfNull(source);
        int count = _sources.Length;
        Array.Resize(ref _sources, count + 1);
        Array.Resize(ref _pending, count + 1);
        Array.Resize(ref _hasPending, count + 1);
        _sources[count] = source;
    }

    /// <summary>Returns the oldest pending event across all sources. Control thread only.</summary>
    /// <param name="inputEvent">The event, or <c>default</c>.</param>
    /// <returns><c>true</c> when an event was returned.</returns>
    public bool TryRead(out InputEvent inputEvent)
    {
        int best = -1;
        long bestTicks = long.MaxValue;
        for (int i = 0; i < _sources.Length; i++)
        {
            if (!_hasPending[i])
            {
                _hasPending[i] = _sources[i].TryRead(out _pending[i]);
            }

            if (_hasPending[i] && _pending[i].TimestampTicks < bestTicks)
            {
                best = i;
                bestTicks = _pending[i].TimestampTicks;
            }
        }

        if (best < 0)
        {
            inputEvent = default;
            return false;
        }

        inputEvent = _pending[best];
        _hasPending[best] = false;
        return true;
    }
}
