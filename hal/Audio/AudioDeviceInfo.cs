namespace HardwareMaster.Hal.Audio;

/// <summary>One playable or recordable device as listed by <see cref="AudioDeviceEnumerator"/>.</summary>
/// <param name="Backend"><c>alsa</c> or <c>pa</c>.</param>
/// <param name="Name">The name to pass in <see cref="AudioDeviceOptions.Name"/> (e.g. <c>hw:CARD=Codec,DEV=0</c>).</param>
/// <param name="Description">The backend's description (card long name, host API).</param>
/// <param name="MaxInputChannels">Capture channels (0 when it cannot capture or could not be probed).</param>
/// <param name="MaxOutputChannels">Playback channels (0 when it cannot play or could not be probed).</param>
/// <param name="MinRateHz">Lowest supported rate (0 when unknown).</param>
/// <param name="MaxRateHz">Highest supported rate (0 when unknown).</param>
/// <param name="DefaultRateHz">The backend's default rate (0 when it has none).</param>
/// <param name="Note">Why probing failed (e.g. "busy"), or <c>null</c>.</param>
public sealed record AudioDeviceInfo(
    string Backend,
    string Name,
    string Description,
    int MaxInputChannels,
    int MaxOutputChannels,
    int MinRateHz,
    int MaxRateHz,
    double DefaultRateHz,
    string? Note);
