using HardwareMaster.Hal.Concurrency;

namespace HardwareMaster.App.Engine;

/// <summary>
/// The control → audio <see cref="SpscRing{T}"/> of engine commands (the start/stop fades) and its drain at block start.
/// Parameters never travel here (they go through the chain's setters).
/// </summary>
/// <remarks>
/// One producer thread at a time posts (<see cref="EngineController"/> serialises its callers); the audio thread drains.
/// </remarks>
internal sealed class EngineMailbox
{
    private readonly SpscRing<EngineMessage> _ring;
    private long _dropped;

    /// <summary>Creates the ring.</summary>
    /// <param name="capacity">Power of two ≥ 2.</param>
    public EngineMailbox(int capacity)
    {
        _ring = new SpscRing<EngineMessage>(capacity);
    }

    /// <summary>Messages dropped because the ring was full. Any thread.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Zeroes <see cref="Dropped"/>. Control thread.</summary>
    public void ResetDropped() => Interlocked.Exchange(ref _dropped, 0);

    /// <summary>Queues a message; <c>false</c> (dropped and counted) when the ring is full. Producer thread.</summary>
    public bool TryPost(in EngineMessage message)
    {
        if (_ring.TryWrite(message))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Applies every pending message. Audio thread (or the control thread while no device runs).</summary>
    /// <param name="fade">The fade the fade messages go to.</param>
    /// <param name="ignoreFades">Discard fades (meant for a run that ended).</param>
    public void Drain(OutputFade fade, bool ignoreFades = false)
    {
        while (_ring.TryRead(out EngineMessage message))
        {
            switch (message.Kind)
            {
                case EngineMessageKind.FadeOut when !ignoreFades:
                    fade.StartRamp(0, message.Value);
                    break;
                case EngineMessageKind.FadeIn when !ignoreFades:
                    fade.StartRamp(1, message.Value);
                    break;
            }
        }
    }
}
