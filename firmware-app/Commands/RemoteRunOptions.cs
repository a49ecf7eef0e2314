using System.Net;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Host;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Remote;
using HardwareMaster.App.Remote.Web;
using HardwareMaster.App.Simulator;

namespace HardwareMaster.App.Commands;

/// <summary><c>run</c>'s remote-control options: <c>--remote ADDR:PORT</c> (config key <c>remote</c>) and the state directory (<c>--state-dir</c>, key <c>stateDir</c>).</summary>
internal static class RemoteRunOptions
{
    /// <summary>Adds the remote hub and web endpoint to <paramref name="request"/>; a problem is one line in <paramref name="lines"/> (then null).</summary>
    /// <param name="request">The request built so far.</param>
    /// <param name="remote"><c>--remote</c>, or null.</param>
    /// <param name="stateDirectory"><c>--state-dir</c>, or null.</param>
    /// <param name="config">The configuration (keys <c>remote</c>, <c>stateDir</c>).</param>
    /// <param name="lines">Problems.</param>
    /// <returns>The request, or null on a problem.</returns>
    public static RunRequest? Apply(RunRequest request, string? remote, string? stateDirectory, RunConfiguration config, List<string> lines)
    {
        string? endpointText = remote ?? config.Remote;
        string? state = stateDirectory ?? config.StateDirectory;
        if (stateDirectory is null && state is not null && SnapshotView.Check(state) is { } stateProblem)
        {
            lines.Add($"stateDir {state}: {stateProblem}");
        }

        IPEndPoint? endpoint = null;
        if (endpointText is not null && !RemoteEndpoint.TryParse(endpointText, out endpoint, out string? problem))
        {
            lines.Add($"--remote: {problem}");
        }
        else if (endpoint is not null && !RemoteWebFeature.IsSupported)
        {
            lines.Add("--remote: this build has no web page (published with -p:HardwareMasterRemoteWeb=false)");
        }

        if (lines.Count > 0)
        {
            return null;
        }

        if (request.Box is { StateDirectory: null } box && state is not null)
        {
            request = request with { Box = box with { StateDirectory = state } };
        }

        return endpoint is null ? request : request with { Remote = new RemoteHub(ParameterRegistry.Chain, StateDirectoryResolver.Resolve(stateDirectory, config)), RemoteWeb = endpoint };
    }
}
