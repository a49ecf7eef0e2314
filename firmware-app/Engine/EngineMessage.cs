using System.Runtime.InteropServices;

namespace HardwareMaster.App.Engine;

/// <summary>What an <see cref="EngineMessage"/> asks the audio thread to do at the next block start.</summary>
public enum EngineMessageKind : byte
{
    /// <summary>Ramp the output to silence over <see cref="EngineMessage.Value"/> ms (the stop fade).</summary>
    FadeOut,

    /// <summary>Ramp the output to unity over <see cref="EngineMessage.Value"/> ms (the start fade).</summary>
    FadeIn,
}

/// <summary>
/// One engine command (the start/stop fades): a small unmanaged value copied through the engine's
/// <see cref="Hal.Concurrency.SpscRing{T}"/>, applied allocation-free at the start of the next block. Parameters do not
/// travel here: they reach the audio thread through the chain's setters (one route, nothing queued, nothing dropped).
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="Target">Reserved, 0.</param>
/// <param name="Value">The fade time, ms.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct EngineMessage(EngineMessageKind Kind, int Target, float Value);
