using System.Runtime.InteropServices;

namespace HardwareMaster.App.Engine;

/// <summary>What an <see cref="EngineMessage"/> asks the audio thread to do at the next block start.</summary>
public enum EngineMessageKind : byte
{
    /// <summary>Bypass (<see cref="EngineMessage.Value"/> ≥ 0.5) or restore the chain stage <see cref="EngineMessage.Target"/> (a <see cref="Dsp.Chain.ChainStage"/>).</summary>
    SetBypass,

    /// <summary>Set the loudness gain to <see cref="EngineMessage.Value"/> dB (smoothed by the chain).</summary>
    SetLoudnessGainDb,

    /// <summary>Ramp the output to silence over <see cref="EngineMessage.Value"/> ms (the stop fade).</summary>
    FadeOut,

    /// <summary>Ramp the output to unity over <see cref="EngineMessage.Value"/> ms (the start fade).</summary>
    FadeIn,

    /// <summary>
    /// Set the input trim to <see cref="EngineMessage.Value"/> dB (smoothed by the chain). Post it with
    /// <see cref="AudioEngine.TryPostTrimGainDb"/>: <see cref="EngineMessage.Target"/> names the slot holding the
    /// prepared record, and a message that does not match its slot is ignored.
    /// </summary>
    SetTrimGainDb,
}

/// <summary>
/// One control → audio message: a small unmanaged value copied through the engine's
/// <see cref="Hal.Concurrency.SpscRing{T}"/>, applied allocation-free at the start of the next block.
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="Target">The stage for <see cref="EngineMessageKind.SetBypass"/>, the record slot for <see cref="EngineMessageKind.SetTrimGainDb"/>, otherwise 0.</param>
/// <param name="Value">The value (flag, dB or ms).</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct EngineMessage(EngineMessageKind Kind, int Target, float Value);
