using HardwareMaster.Dsp.Chain;
using HardwareMaster.Hal.Concurrency;

namespace HardwareMaster.App.Engine;

/// <summary>
/// The control → audio <see cref="SpscRing{T}"/> of <see cref="EngineMessage"/>s and its drain at block start: stage
/// bypasses, loudness and trim gains (applied to the chain's setters) and the start/stop fades.
/// </summary>
/// <remarks>
/// One producer thread at a time posts (<see cref="EngineController"/> serialises its callers); the audio thread drains.
/// Trim records are built on the producer thread and handed over through a slot table (the ring carries only unmanaged
/// values), twice the ring's capacity: at most Capacity messages are pending, so the slot being written is never one the
/// audio thread may still read.
/// </remarks>
internal sealed class EngineMailbox
{
    private readonly SpscRing<EngineMessage> _ring;
    private readonly TrimSettings?[] _trimSlots;
    private int _nextTrimSlot;
    private long _dropped;

    /// <summary>Creates the ring.</summary>
    /// <param name="capacity">Power of two ≥ 2.</param>
    public EngineMailbox(int capacity)
    {
        _ring = new SpscRing<EngineMessage>(capacity);
        _trimSlots = new TrimSettings?[2 * _ring.Capacity];
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

    /// <summary>Queues an input-trim change (validated by the caller) through a slot. Producer thread.</summary>
    public bool TryPostTrimGainDb(double gainDb)
    {
        int slot = _nextTrimSlot;
        Volatile.Write(ref _trimSlots[slot], new TrimSettings { GainDb = gainDb });
        if (!TryPost(new EngineMessage(EngineMessageKind.SetTrimGainDb, slot, (float)gainDb)))
        {
            return false;
        }

        _nextTrimSlot = (slot + 1) & (_trimSlots.Length - 1);
        return true;
    }

    /// <summary>Applies every pending message. Audio thread (or the control thread while no device runs).</summary>
    /// <param name="chain">The chain the parameter messages go to.</param>
    /// <param name="fade">The fade the fade messages go to.</param>
    /// <param name="ignoreFades">Discard fades (meant for a run that ended).</param>
    public void Drain(MasteringChain chain, OutputFade fade, bool ignoreFades = false)
    {
        while (_ring.TryRead(out EngineMessage message))
        {
            switch (message.Kind)
            {
                case EngineMessageKind.SetBypass:
                    if (message.Target is (int)ChainStage.HighPass or (int)ChainStage.Eq or (int)ChainStage.Compressor
                        or (int)ChainStage.Width or (int)ChainStage.Limiter)
                    {
                        chain.SetBypass((ChainStage)message.Target, message.Value >= 0.5f);
                    }

                    break;
                case EngineMessageKind.SetLoudnessGainDb:
                    if (float.IsFinite(message.Value))
                    {
                        chain.SetLoudnessGainDb(Math.Clamp(message.Value, MasteringChain.MinLoudnessGainDb, MasteringChain.MaxLoudnessGainDb));
                    }

                    break;
                case EngineMessageKind.SetTrimGainDb:
                    // Only messages from TryPostTrimGainDb name a slot holding a record with the same gain.
                    if ((uint)message.Target < (uint)_trimSlots.Length
                        && Volatile.Read(ref _trimSlots[message.Target]) is { } trim
                        && (float)trim.GainDb == message.Value)
                    {
                        chain.SetTrim(trim);
                    }

                    break;
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
