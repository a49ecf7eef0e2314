using HardwareMaster.App.Engine;
using HardwareMaster.App.Host;

namespace HardwareMaster.App.Monitor;

/// <summary>Attaches the reference player of a run (`run --reference-dir`, config <c>referenceDir</c>, the box's USB stick by default).</summary>
internal static class ReferenceHosting
{
    /// <summary>
    /// Creates the player when the run asks for one, attaches it to the engine's monitor path (creating a path on the
    /// device output when the run has none; on a <c>file:</c> device one that plays nowhere) and starts its worker. Control thread, before the audio starts.
    /// </summary>
    /// <param name="request">The run.</param>
    /// <param name="engine">The engine.</param>
    /// <returns>The player (dispose it after the audio stopped), or null.</returns>
    public static ReferencePlayer? Attach(RunRequest request, AudioEngine engine)
    {
        if (request.ReferenceDir is not { } spec)
        {
            return null;
        }

        var player = new ReferencePlayer(spec);
        MonitorPath? path = engine.Monitor;
        if (path is null)
        {
            path = new MonitorPath(MonitorHosting.DefaultRoute(request)); // a file: device's --output never plays the reference
            path.AttachReference(player);
            engine.AttachMonitor(path);
        }
        else
        {
            path.AttachReference(player);
        }

        player.Start();
        return player;
    }
}
