using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Host;

/// <summary>
/// Signals that end <c>hardwaremaster run</c> the way SIGTERM and Ctrl-C do (the host's lifetime handles those): a
/// clean stop with a fade-out, the statistics written, exit 0. Today that is SIGHUP, which otherwise kills the process
/// on the spot (a closed terminal or ssh session, <c>kill -HUP</c>) and loses the statistics.
/// </summary>
/// <remarks>
/// SIGHUP does not reload the configuration: the unit has no <c>ExecReload=</c>, so systemd never sends it by itself,
/// and applying a new configuration means reopening the device anyway (<c>systemctl restart hardwaremaster</c>).
/// Note that under <c>Restart=on-failure</c> a clean stop on SIGHUP is not restarted.
/// </remarks>
public static class StopSignals
{
    /// <summary>The signals handled here (besides the host's SIGTERM, SIGINT and SIGQUIT).</summary>
    public static IReadOnlyList<PosixSignal> Handled { get; } = [PosixSignal.SIGHUP];

    /// <summary>Routes each of <see cref="Handled"/> to <see cref="IHostApplicationLifetime.StopApplication"/> until disposed.</summary>
    /// <param name="lifetime">The host's lifetime.</param>
    /// <param name="logger">Where to say which signal stopped the run.</param>
    /// <returns>The registrations; dispose to restore the default actions.</returns>
    public static IDisposable Register(IHostApplicationLifetime lifetime, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(logger);
        var registrations = new List<PosixSignalRegistration>();
        foreach (PosixSignal signal in Handled)
        {
            registrations.Add(PosixSignalRegistration.Create(signal, context => OnSignal(context, lifetime, logger)));
        }

        return new Registrations(registrations);
    }

    /// <summary>What a handled signal does: cancel the default action (termination) and stop the host cleanly.</summary>
    /// <param name="context">The signal's context; <see cref="PosixSignalContext.Cancel"/> is set.</param>
    /// <param name="lifetime">The host's lifetime.</param>
    /// <param name="logger">Where to report.</param>
    public static void OnSignal(PosixSignalContext context, IHostApplicationLifetime lifetime, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(lifetime);
        context.Cancel = true;
        try
        {
            logger?.LogInformation("{Signal}: stopping cleanly (no reload; restart to apply a new configuration)", context.Signal);
        }
        catch (Exception)
        {
            // A failing logger must not keep the service from stopping.
        }

        lifetime.StopApplication();
    }

    private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (PosixSignalRegistration registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
