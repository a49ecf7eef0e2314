using System.Net;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Remote.Midi;
using HardwareMaster.App.Remote.Osc;
using HardwareMaster.Hal.Midi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Remote;

/// <summary>The MIDI and OSC settings of <c>run</c> (command line or config keys <c>midi</c>, <c>midiMap</c>, <c>osc</c>, <c>oscAllow</c>); null = off.</summary>
/// <param name="Midi"><c>--midi DEVICE|file:PATH</c>.</param>
/// <param name="MidiMap"><c>--midi-map FILE</c>.</param>
/// <param name="Osc"><c>--osc ADDR:PORT</c>.</param>
/// <param name="OscAllow"><c>--osc-allow ADDR[,ADDR…]</c>: the only source addresses OSC accepts.</param>
public sealed record RemoteInputOptions(string? Midi, string? MidiMap, string? Osc, string? OscAllow)
{
    /// <summary>Whether any input is on.</summary>
    public bool Any => Midi is not null || Osc is not null;
}

/// <summary>The checked MIDI/OSC inputs of a run; <see cref="AddServices"/> registers them with the host.</summary>
public sealed class RemoteInputs
{
    private RemoteInputs(string? midi, MidiMap? map, IPEndPoint? osc, IReadOnlyList<IPAddress> allowed)
    {
        MidiSpec = midi;
        Map = map;
        OscEndpoint = osc;
        OscAllowed = allowed;
    }

    /// <summary>The MIDI input, or null.</summary>
    public string? MidiSpec { get; }

    /// <summary>The MIDI mapping (with <see cref="MidiSpec"/>).</summary>
    public MidiMap? Map { get; }

    /// <summary>Where OSC listens, or null.</summary>
    public IPEndPoint? OscEndpoint { get; }

    /// <summary>The only OSC source addresses accepted (empty = any).</summary>
    public IReadOnlyList<IPAddress> OscAllowed { get; }

    /// <summary>The MIDI service, once the host built it.</summary>
    public MidiRemoteService? Midi { get; private set; }

    /// <summary>The OSC server, once the host built it.</summary>
    public OscServer? Osc { get; private set; }

    /// <summary>Checks the options; every problem is one line naming the option.</summary>
    /// <param name="options">The options.</param>
    /// <param name="stateDirectory">Where a learned MIDI map lives.</param>
    /// <param name="registry">The registry.</param>
    /// <param name="problems">Where problems go.</param>
    /// <returns>The inputs, or null when off or on a problem.</returns>
    public static RemoteInputs? Check(RemoteInputOptions options, string stateDirectory, ParameterRegistry registry, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        int before = problems.Count;
        MidiMap? map = null;
        if (options.Midi is { } midi)
        {
            if (MidiInput.CheckSpec(midi) is { } problem)
            {
                problems.Add(problem);
            }

            try
            {
                map = MidiRemoteService.LoadMap(options.MidiMap, stateDirectory, registry);
            }
            catch (MidiMapException ex)
            {
                problems.AddRange(ex.Problems.Select(p => "--midi-map: " + p));
            }
        }
        else if (options.MidiMap is not null)
        {
            problems.Add("--midi-map needs --midi DEVICE|file:PATH");
        }

        IPEndPoint? endpoint = null;
        var allowed = new List<IPAddress>();
        if (options.Osc is { } osc)
        {
            if (!IPEndPoint.TryParse(osc, out endpoint) || endpoint.Port == 0 || !osc.Contains(':', StringComparison.Ordinal) || osc.EndsWith(']'))
            {
                problems.Add($"--osc '{osc}': must be ADDR:PORT with a numeric address and a port from 1 to 65535 (e.g. 127.0.0.1:9000, 0.0.0.0:9000, [::1]:9000)");
                endpoint = null;
            }
        }

        if (options.OscAllow is { } allow)
        {
            if (options.Osc is null)
            {
                problems.Add("--osc-allow needs --osc ADDR:PORT");
            }

            foreach (string part in allow.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (IPAddress.TryParse(part, out IPAddress? address))
                {
                    allowed.Add(address);
                }
                else
                {
                    problems.Add($"--osc-allow '{part}': not an IP address (give numeric addresses, comma-separated: 192.168.1.20,::1)");
                }
            }

            if (allowed.Count == 0 && problems.Count == before)
            {
                problems.Add("--osc-allow: give at least one IP address");
            }
        }

        if (problems.Count > before || (options.Midi is null && endpoint is null))
        {
            return null;
        }

        return new RemoteInputs(options.Midi, map, endpoint, allowed);
    }

    /// <summary>Registers the MIDI reader and the OSC server as hosted services (they never stop the run: a missing device or a taken port is logged and audio runs on).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="hub">The hub they feed.</param>
    public void AddServices(IServiceCollection services, RemoteHub hub)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (MidiSpec is { } spec)
        {
            services.AddSingleton<IHostedService>(provider => Midi = new MidiRemoteService(spec, Map!, hub, provider.GetRequiredService<ILoggerFactory>().CreateLogger("hardwaremaster.midi")));
        }

        if (OscEndpoint is { } endpoint)
        {
            services.AddSingleton<IHostedService>(provider =>
            {
                ILogger logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("hardwaremaster.osc");
                if (OscAllowed.Count == 0 && !IPAddress.IsLoopback(endpoint.Address))
                {
                    logger.LogWarning("osc: {Address} accepts packets from any address on the network; restrict it with --osc-allow ADDR", endpoint);
                }

                return Osc = new OscServer(endpoint, OscAllowed, hub, logger);
            });
        }
    }
}
