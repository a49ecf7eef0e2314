using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HardwareMaster.Hal.Audio;

/// <summary>
/// Where the master and the monitor pair go on an interface with more than two outputs (issue 14): the device is
/// opened with <see cref="Channels"/> playback channels, the master (<see cref="AudioBuffers.OutputLeft"/>/
/// <see cref="AudioBuffers.OutputRight"/>) plays on its pair and the monitor (<see cref="AudioBuffers.MonitorLeft"/>/
/// <see cref="AudioBuffers.MonitorRight"/>) on the other; every other channel plays silence. Indices are 0-based here,
/// 1-based in the text form (<c>master=1,2 monitor=3,4</c>, what an interface's panel labels them).
/// </summary>
/// <param name="Channels">Playback channels to open (at least the highest index + 1).</param>
/// <param name="MasterLeft">The master's left channel, 0-based.</param>
/// <param name="MasterRight">The master's right channel, 0-based.</param>
/// <param name="MonitorLeft">The monitor pair's left channel, 0-based, or −1 without a monitor pair.</param>
/// <param name="MonitorRight">The monitor pair's right channel, 0-based, or −1 without a monitor pair.</param>
public sealed record OutputChannelMap(int Channels, int MasterLeft, int MasterRight, int MonitorLeft = -1, int MonitorRight = -1)
{
    /// <summary>The most channels a map may open.</summary>
    public const int MaxChannels = 64;

    /// <summary>Two outputs, master on 1/2, no monitor pair (the default).</summary>
    public static OutputChannelMap Stereo { get; } = new(2, 0, 1);

    /// <summary>True when the map has a separate monitor pair.</summary>
    public bool HasMonitorPair => MonitorLeft >= 0;

    /// <summary>The text form, e.g. <c>master=1,2 monitor=3,4</c> (plus <c>channels=N</c> when more are opened).</summary>
    public override string ToString()
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"master={MasterLeft + 1},{MasterRight + 1}");
        if (HasMonitorPair)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" monitor={MonitorLeft + 1},{MonitorRight + 1}");
        }

        int needed = Math.Max(Math.Max(MasterLeft, MasterRight), Math.Max(MonitorLeft, MonitorRight)) + 1;
        return Channels > needed ? text + string.Create(CultureInfo.InvariantCulture, $" channels={Channels}") : text;
    }

    /// <summary>Checks the indices; called by <see cref="AudioDeviceOptions.Validate"/>.</summary>
    /// <exception cref="ArgumentException">The map is inconsistent.</exception>
    public void Validate()
    {
        if (Problem() is { } problem)
        {
            throw new ArgumentException($"channel map '{this}': {problem}");
        }
    }

    /// <summary>
    /// Parses <c>master=L,R [monitor=L,R] [channels=N]</c> (1-based channel numbers, space- or semicolon-separated,
    /// any order). Without <c>channels=</c> the device is opened with the highest channel named.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="map">The map.</param>
    /// <param name="problem">One line naming the value and what is wrong.</param>
    /// <returns>False on bad input.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out OutputChannelMap? map, [NotNullWhen(false)] out string? problem)
    {
        map = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "channel map is empty (e.g. master=1,2 monitor=3,4)";
            return false;
        }

        int[]? master = null, monitor = null;
        int? channels = null;
        foreach (string part in text.Split([' ', ';', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string key = equals > 0 ? part[..equals].Trim().ToLowerInvariant() : part;
            string value = equals > 0 ? part[(equals + 1)..].Trim() : string.Empty;
            switch (key)
            {
                case "master" when master is null:
                case "monitor" when monitor is null:
                    if (!TryParsePair(value, out int[]? pair))
                    {
                        problem = $"channel map '{text}': '{part}' is not {key}=L,R with two channel numbers 1..{MaxChannels}";
                        return false;
                    }

                    if (key == "master")
                    {
                        master = pair;
                    }
                    else
                    {
                        monitor = pair;
                    }

                    break;
                case "channels" when channels is null:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 2 || n > MaxChannels)
                    {
                        problem = $"channel map '{text}': '{part}' is not channels=N with N 2..{MaxChannels}";
                        return false;
                    }

                    channels = n;
                    break;
                case "master" or "monitor" or "channels":
                    problem = $"channel map '{text}': '{key}' is given twice";
                    return false;
                default:
                    problem = $"channel map '{text}': unknown part '{part}' (use master=L,R monitor=L,R channels=N)";
                    return false;
            }
        }

        if (master is null)
        {
            problem = $"channel map '{text}': no master pair (e.g. master=1,2)";
            return false;
        }

        int highest = Math.Max(Math.Max(master[0], master[1]), monitor is null ? 0 : Math.Max(monitor[0], monitor[1])) + 1;
        var candidate = new OutputChannelMap(channels ?? Math.Max(2, highest), master[0], master[1], monitor?[0] ?? -1, monitor?[1] ?? -1);
        if (candidate.Problem() is { } wrong)
        {
            problem = $"channel map '{text}': {wrong}";
            return false;
        }

        map = candidate;
        return true;
    }

    private static bool TryParsePair(string value, [NotNullWhen(true)] out int[]? pair)
    {
        pair = null;
        string[] parts = value.Split(',');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int left)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int right)
            || left < 1 || right < 1 || left > MaxChannels || right > MaxChannels)
        {
            return false;
        }

        pair = [left - 1, right - 1];
        return true;
    }

    private string? Problem()
    {
        if (Channels < 2 || Channels > MaxChannels)
        {
            return $"{Channels} channels (2..{MaxChannels})";
        }

        if (MasterLeft < 0 || MasterRight < 0 || MasterLeft >= Channels || MasterRight >= Channels)
        {
            return $"the master pair is outside the {Channels} channels";
        }

        if (MasterLeft == MasterRight)
        {
            return "the master's left and right are the same channel";
        }

        if ((MonitorLeft < 0) != (MonitorRight < 0))
        {
            return "the monitor pair needs both channels";
        }

        if (HasMonitorPair)
        {
            if (MonitorLeft >= Channels || MonitorRight >= Channels)
            {
                return $"the monitor pair is outside the {Channels} channels";
            }

            if (MonitorLeft == MonitorRight)
            {
                return "the monitor's left and right are the same channel";
            }

            if (MonitorLeft == MasterLeft || MonitorLeft == MasterRight || MonitorRight == MasterLeft || MonitorRight == MasterRight)
            {
                return "the monitor pair shares a channel with the master (the master must stay untouched)";
            }
        }

        return null;
    }
}
