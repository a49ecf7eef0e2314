namespace HardwareMaster.App.Remote;

/// <summary>Applies remote commands (on the control thread).</summary>
public interface IRemoteCommandTarget
{
    /// <summary>Applies <paramref name="command"/>; never throws for a bad command (unknown index, preset, slot).</summary>
    /// <param name="command">The command.</param>
    /// <returns><c>true</c> when it was applied, <c>false</c> when it was refused (counted by the queue).</returns>
    bool Apply(in RemoteCommand command);
}

/// <summary>
/// A bounded queue of <see cref="RemoteCommand"/>s from any number of remote threads (MIDI reader, OSC socket, web
/// requests) to the one control thread that applies them. Fixed capacity, no allocation after construction; when full,
/// new commands are dropped and counted (a controller flooding the box cannot grow memory).
/// </summary>
/// <remarks>
/// A short lock guards the ring: producers and the consumer are ordinary threads, never the audio thread (which never
/// sees this queue: the control thread applies the commands through the registry and the engine's lock-free mailbox).
/// </remarks>
public sealed class RemoteCommandQueue
{
    private readonly RemoteCommand[] _ring;
    private readonly Lock _gate = new();
    private int _head;
    private int _count;
    private long _dropped;
    private long _refused;
    private long _applied;

    /// <summary>Creates a queue.</summary>
    /// <param name="capacity">Commands held at most (≥ 1).</param>
    public RemoteCommandQueue(int capacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new RemoteCommand[capacity];
    }

    /// <summary>Commands dropped because the queue was full. Any thread.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Commands the target refused. Any thread.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Commands applied. Any thread.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Queues <paramref name="command"/>. Any thread; never blocks for long, never allocates.</summary>
    /// <param name="command">The command.</param>
    /// <returns><c>false</c> when the queue was full (dropped and counted).</returns>
    public bool TryEnqueue(in RemoteCommand command)
    {
        lock (_gate)
        {
            if (_count == _ring.Length)
            {
                _dropped++;
                return false;
            }

            _ring[(_head + _count) % _ring.Length] = command;
            _count++;
            return true;
        }
    }

    /// <summary>Applies up to <paramref name="max"/> queued commands in order. The control thread only.</summary>
    /// <param name="target">Who applies them.</param>
    /// <param name="max">At most this many (the rest wait for the next frame).</param>
    /// <returns>Commands taken from the queue.</returns>
    public int Drain(IRemoteCommandTarget target, int max = 64)
    {
        ArgumentNullException.ThrowIfNull(target);
        int taken = 0;
        while (taken < max)
        {
            RemoteCommand command;
            lock (_gate)
            {
                if (_count == 0)
                {
                    break;
                }

                command = _ring[_head];
                _ring[_head] = default; // drop the preset name reference
                _head = (_head + 1) % _ring.Length;
                _count--;
            }

            taken++;
            bool applied;
            try
            {
                applied = target.Apply(command);
            }
            catch (ArgumentException)
            {
                applied = false; // a value the chain refused: the previous value stays (EngineController is all or nothing)
            }

            if (applied)
            {
                Interlocked.Increment(ref _applied);
            }
            else
            {
                Interlocked.Increment(ref _refused);
            }
        }

        return taken;
    }
}
