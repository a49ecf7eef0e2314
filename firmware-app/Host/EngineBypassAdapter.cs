using System.Runtime.CompilerServices;
using HardwareMaster.App.Engine;

namespace HardwareMaster.App.Host;

/// <summary>
/// TEMPORARY ADAPTER until the engine's own <c>AudioEngine.GlobalBypass</c> and <c>AudioEngine.ResetLoudness()</c>
/// land (branch <c>engine</c>): remembers the bypass flag so the face and the LEDs work, but does not change the audio.
/// Instance members win over extension members, so once the engine has them this file is dead code: delete it.
/// </summary>
internal static class EngineBypassAdapter
{
    private static readonly ConditionalWeakTable<AudioEngine, StrongBox<bool>> Bypass = new();

    extension(AudioEngine engine)
    {
        /// <summary>Global bypass flag (temporary: not heard).</summary>
        public bool GlobalBypass
        {
            get => Bypass.GetOrCreateValue(engine).Value;
            set => Bypass.GetOrCreateValue(engine).Value = value;
        }

        /// <summary>Restarts the programme measurements (temporary: does nothing).</summary>
        public void ResetLoudness()
        {
        }
    }
}
