using System.Diagnostics.CodeAnalysis;

namespace HardwareMaster.App.Remote.Web;

/// <summary>
/// The build switch of the remote web page. <c>dotnet publish -p:HardwareMasterRemoteWeb=false</c> sets the runtime
/// feature switch <see cref="SwitchName"/> to false with <c>Trim="true"</c>, so the trimmer and Native AOT treat
/// <see cref="IsSupported"/> as the constant false and drop Kestrel and the page from the binary (measured in
/// firmware-app/README.md); <c>run --remote</c> then says so in one line. Default builds have the page.
/// </summary>
internal static class RemoteWebFeature
{
    /// <summary>The AppContext switch name.</summary>
    public const string SwitchName = "HardwareMaster.RemoteWeb.IsSupported";

    /// <summary>Whether this build serves the web page (true unless published without it).</summary>
    [FeatureSwitchDefinition(SwitchName)]
    public static bool IsSupported => !AppContext.TryGetSwitch(SwitchName, out bool on) || on;
}
