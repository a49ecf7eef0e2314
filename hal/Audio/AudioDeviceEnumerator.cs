using System.Runtime.InteropServices;
using HardwareMaster.Hal.Audio.Alsa;
using HardwareMaster.Hal.Audio.PortAudio;

namespace HardwareMaster.Hal.Audio;

/// <summary>
/// Lists ALSA PCMs and PortAudio devices with their channel counts and rates, for <c>hardwaremaster devices</c>.
/// </summary>
/// <remarks>
/// Probing opens every device non-blocking for a moment: a device in use is listed with a "busy" note instead of
/// blocking. Call from a normal (non-audio) thread; it may take a second with many devices.
/// </remarks>
public static unsafe class AudioDeviceEnumerator
{
    private static readonly int[] ProbeRatesHz = [44100, 48000, 88200, 96000, 176400, 192000];

    /// <summary>ALSA cards (their <c>hw:</c>/<c>plughw:</c> PCMs) and the PCMs the ALSA configuration describes with a hint.</summary>
    /// <returns>One record per PCM name, in ALSA's order.</returns>
    /// <exception cref="AudioDeviceException">libasound.so.2 is missing or the hint list cannot be read.</exception>
    public static IReadOnlyList<AudioDeviceInfo> ListAlsa()
    {
        var result = new List<AudioDeviceInfo>();
        nint hints;
        try
        {
            int rc = AlsaNative.DeviceNameHint(-1, "pcm", out hints);
            if (rc < 0)
            {
                throw new AudioDeviceException($"alsa: cannot list PCMs: {AlsaNative.StrError(rc)}", rc);
            }
        }
        catch (DllNotFoundException ex)
        {
            throw new AudioDeviceException("alsa: ALSA is not installed (libasound.so.2; Debian package libasound2)", ex);
        }

        try
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (nint* hint = (nint*)hints; *hint != 0; hint++)
            {
                string? name = AlsaNative.TakeString(AlsaNative.DeviceNameGetHint(*hint, "NAME"));
                string description = (AlsaNative.TakeString(AlsaNative.DeviceNameGetHint(*hint, "DESC")) ?? string.Empty).Replace('\n', ' ');
                string? ioid = AlsaNative.TakeString(AlsaNative.DeviceNameGetHint(*hint, "IOID"));
                if (name is null || name == "null" || !seen.Add(name))
                {
                    continue;
                }

                result.Add(ProbeAlsa(name, description, canCapture: ioid != "Output", canPlay: ioid != "Input"));
            }
        }
        finally
        {
            AlsaNative.DeviceNameFreeHint(hints);
        }

        return result;
    }

    /// <summary>Probes one ALSA PCM by name (also usable for PCMs without a hint, e.g. <c>hw:0,0</c>).</summary>
    /// <param name="name">The PCM name.</param>
    /// <returns>Its capabilities; a note says why a direction could not be probed.</returns>
    public static AudioDeviceInfo ProbeAlsa(string name) => ProbeAlsa(name, string.Empty, canCapture: true, canPlay: true);

    /// <summary>PortAudio's devices over all host APIs (ALSA, JACK, ...).</summary>
    /// <returns>One record per device, named as <see cref="PortAudioAudioDevice"/> accepts it.</returns>
    /// <exception cref="AudioDeviceException">PortAudio is missing or fails to initialise.</exception>
    public static IReadOnlyList<AudioDeviceInfo> ListPortAudio()
    {
        PortAudioLibrary.Acquire("pa");
        try
        {
            int count = PortAudioNative.GetDeviceCount();
            if (count < 0)
            {
                throw new AudioDeviceException($"pa: cannot list devices: {PortAudioNative.ErrorText(count)}", count);
            }

            var result = new List<AudioDeviceInfo>(count);
            for (int i = 0; i < count; i++)
            {
                PortAudioNative.DeviceInfo* info = PortAudioNative.GetDeviceInfo(i);
                if (info is null)
                {
                    continue;
                }

                PortAudioNative.HostApiInfo* host = PortAudioNative.GetHostApiInfo(info->HostApi);
                string hostName = host is null ? "?" : Marshal.PtrToStringUTF8(host->Name) ?? "?";
                int minRate = 0, maxRate = 0;
                foreach (int rate in ProbeRatesHz)
                {
                    if (PortAudioSupports(i, info, rate))
                    {
                        minRate = minRate == 0 ? rate : minRate;
                        maxRate = rate;
                    }
                }

                result.Add(new AudioDeviceInfo(
                    "pa",
                    Marshal.PtrToStringUTF8(info->Name) ?? $"#{i}",
                    hostName,
                    info->MaxInputChannels,
                    info->MaxOutputChannels,
                    minRate,
                    maxRate,
                    info->DefaultSampleRate,
                    minRate == 0 ? "no standard rate could be confirmed" : null));
            }

            return result;
        }
        finally
        {
            PortAudioLibrary.Release();
        }
    }

    private static bool PortAudioSupports(int device, PortAudioNative.DeviceInfo* info, int rate)
    {
        var input = new PortAudioNative.StreamParameters { Device = device, ChannelCount = Math.Min(2, info->MaxInputChannels), SampleFormat = PortAudioNative.SampleFormatFloat32, SuggestedLatency = info->DefaultLowInputLatency };
        var output = new PortAudioNative.StreamParameters { Device = device, ChannelCount = Math.Min(2, info->MaxOutputChannels), SampleFormat = PortAudioNative.SampleFormatFloat32, SuggestedLatency = info->DefaultLowOutputLatency };
        return PortAudioNative.IsFormatSupported(input.ChannelCount > 0 ? &input : null, output.ChannelCount > 0 ? &output : null, rate) == 0;
    }

    private static AudioDeviceInfo ProbeAlsa(string name, string description, bool canCapture, bool canPlay)
    {
        int inputChannels = 0, outputChannels = 0, minRate = int.MaxValue, maxRate = 0;
        string? note = null;
        if (canCapture)
        {
            note = ProbeAlsaDirection(name, AlsaNative.StreamCapture, ref inputChannels, ref minRate, ref maxRate);
        }

        if (canPlay)
        {
            note = ProbeAlsaDirection(name, AlsaNative.StreamPlayback, ref outputChannels, ref minRate, ref maxRate) ?? note;
        }

        if (inputChannels > 0 || outputChannels > 0)
        {
            note = null;
        }

        return new AudioDeviceInfo("alsa", name, description, inputChannels, outputChannels, maxRate == 0 ? 0 : minRate, maxRate, 0, note);
    }

    private static string? ProbeAlsaDirection(string name, int stream, ref int channels, ref int minRate, ref int maxRate)
    {
        int rc = AlsaNative.PcmOpen(out nint raw, name, stream, AlsaNative.ModeNonBlock);
        if (rc < 0)
        {
            return AlsaNative.StrError(rc);
        }

        using var handle = new SafeAlsaPcmHandleOwner(raw);
        if (AlsaNative.HwParamsMalloc(out nint hw) < 0)
        {
            return "out of memory";
        }

        try
        {
            rc = AlsaNative.HwParamsAny(handle.Handle, hw);
            if (rc < 0)
            {
                return AlsaNative.StrError(rc);
            }

            AlsaNative.HwParamsGetChannelsMax(hw, out uint maxChannels);
            AlsaNative.HwParamsGetRateMin(hw, out uint low, out _);
            AlsaNative.HwParamsGetRateMax(hw, out uint high, out _);
            channels = (int)Math.Min(maxChannels, 1024);
            minRate = (int)Math.Min((uint)minRate, low);
            maxRate = (int)Math.Max((uint)maxRate, Math.Min(high, int.MaxValue));
            return null;
        }
        finally
        {
            AlsaNative.HwParamsFree(hw);
        }
    }

    private readonly struct SafeAlsaPcmHandleOwner : IDisposable
    {
        public SafeAlsaPcmHandleOwner(nint raw)
        {
            Handle = SafeAlsaPcmHandle.FromRaw(raw);
        }

        public SafeAlsaPcmHandle Handle { get; }

        public void Dispose() => Handle.Dispose();
    }
}
