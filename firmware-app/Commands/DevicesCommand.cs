using System.CommandLine;
using System.Globalization;
using HardwareMaster.Hal.Audio;

namespace HardwareMaster.App.Commands;

/// <summary><c>hardwaremaster devices</c>: ALSA cards/PCMs and PortAudio devices with channels and rates.</summary>
internal static class DevicesCommand
{
    /// <summary>Builds the <c>devices</c> verb.</summary>
    public static Command Create()
    {
        var alsaOnly = new Option<bool>("--alsa") { Description = "Only ALSA." };
        var paOnly = new Option<bool>("--portaudio") { Description = "Only PortAudio." };
        var command = new Command("devices", "List audio devices (ALSA cards and PCMs, PortAudio devices) with their channel counts and sample rates.") { alsaOnly, paOnly };
        command.SetAction(result =>
        {
            bool alsa = !result.GetValue(paOnly) || result.GetValue(alsaOnly);
            bool portAudio = !result.GetValue(alsaOnly) || result.GetValue(paOnly);
            int failures = 0;
            if (alsa)
            {
                failures += Print("ALSA (use --device alsa:NAME)", static () => AudioDeviceEnumerator.ListAlsa(), "alsa");
            }

            if (portAudio)
            {
                failures += Print("PortAudio (use --device pa:NAME)", static () => AudioDeviceEnumerator.ListPortAudio(), "pa");
            }

            Console.WriteLine("Also: gen:tone[:HZ[:DBFS]], gen:pink[:DBFS], gen:demo, gen:silence (generators), file:PATH (WAV/AIFF in, --output file out).");
            return failures == (alsa ? 1 : 0) + (portAudio ? 1 : 0) ? 1 : 0;
        });
        return command;
    }

    /// <summary>Formats one device line.</summary>
    internal static string Format(AudioDeviceInfo device)
    {
        string rates = device.MinRateHz > 0
            ? device.MinRateHz == device.MaxRateHz ? $"{device.MinRateHz} Hz" : $"{device.MinRateHz}-{device.MaxRateHz} Hz"
            : device.DefaultRateHz > 0 ? $"{device.DefaultRateHz.ToString("0", CultureInfo.InvariantCulture)} Hz (default)" : "rate unknown";
        string note = device.Note is null ? string.Empty : $"  [{device.Note}]";
        return $"  {device.Backend}:{device.Name,-36} in {device.MaxInputChannels,3}  out {device.MaxOutputChannels,3}  {rates,-22} {device.Description}{note}";
    }

    private static int Print(string title, Func<IReadOnlyList<AudioDeviceInfo>> list, string backend)
    {
        Console.WriteLine(title);
        IReadOnlyList<AudioDeviceInfo> devices;
        try
        {
            devices = list();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or AudioDeviceException)
        {
            Console.WriteLine($"  ({backend} unavailable: {ex.Message.Split('\n')[0]})");
            return 1;
        }

        if (devices.Count == 0)
        {
            Console.WriteLine("  (none)");
        }

        foreach (AudioDeviceInfo device in devices)
        {
            Console.WriteLine(Format(device));
        }

        return 0;
    }
}
