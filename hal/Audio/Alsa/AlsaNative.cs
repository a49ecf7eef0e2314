using System.Runtime.InteropServices;

namespace HardwareMaster.Hal.Audio.Alsa;

/// <summary>
/// Hand-written P/Invoke declarations for the parts of libasound.so.2 (Debian libasound2) we use.
/// <c>snd_pcm_uframes_t</c>/<c>snd_pcm_sframes_t</c> are <c>unsigned long</c>/<c>long</c>: <see cref="nuint"/>/<see cref="nint"/> on LP64.
/// </summary>
internal static unsafe partial class AlsaNative
{
    public const string Library = "libasound.so.2";

    public const int StreamPlayback = 0;
    public const int StreamCapture = 1;
    public const int ModeNonBlock = 1;
    public const int AccessRwInterleaved = 3;

    public const int FormatS16LE = 2;
    public const int FormatS24LE = 6;
    public const int FormatS32LE = 10;
    public const int FormatFloatLE = 14;
    public const int FormatS24Packed3LE = 32;

    public const int ENoEnt = 2;
    public const int EInval = 22;
    public const int EPipe = 32;      // xrun
    public const int EStrPipe = 86;   // suspended
    public const int EAgain = 11;
    public const int EIntr = 4;       // interrupted: snd_pcm_recover's no-op
    public const int StateDraining = 5;

    [LibraryImport(Library, EntryPoint = "snd_pcm_open", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int PcmOpen(out nint pcm, string name, int stream, int mode);

    [LibraryImport(Library, EntryPoint = "snd_pcm_close")]
    public static partial int PcmClose(nint pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_malloc")]
    public static partial int HwParamsMalloc(out nint parameters);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_free")]
    public static partial void HwParamsFree(nint parameters);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_any")]
    public static partial int HwParamsAny(SafeAlsaPcmHandle pcm, nint parameters);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_set_access")]
    public static partial int HwParamsSetAccess(SafeAlsaPcmHandle pcm, nint parameters, int access);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_test_format")]
    public static partial int HwParamsTestFormat(SafeAlsaPcmHandle pcm, nint parameters, int format);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_set_format")]
    public static partial int HwParamsSetFormat(SafeAlsaPcmHandle pcm, nint parameters, int format);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_set_channels_near")]
    public static partial int HwParamsSetChannelsNear(SafeAlsaPcmHandle pcm, nint parameters, ref uint channels);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_set_rate_near")]
    public static partial int HwParamsSetRateNear(SafeAlsaPcmHandle pcm, nint parameters, ref uint rate, ref int direction);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_set_period_size_near")]
    public static partial int HwParamsSetPeriodSizeNear(SafeAlsaPcmHandle pcm, nint parameters, ref nuint frames, ref int direction);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_set_buffer_size_near")]
    public static partial int HwParamsSetBufferSizeNear(SafeAlsaPcmHandle pcm, nint parameters, ref nuint frames);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params")]
    public static partial int HwParamsInstall(SafeAlsaPcmHandle pcm, nint parameters);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_get_period_size")]
    public static partial int HwParamsGetPeriodSize(nint parameters, out nuint frames, out int direction);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_get_buffer_size")]
    public static partial int HwParamsGetBufferSize(nint parameters, out nuint frames);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_get_channels_min")]
    public static partial int HwParamsGetChannelsMin(nint parameters, out uint channels);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_get_channels_max")]
    public static partial int HwParamsGetChannelsMax(nint parameters, out uint channels);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_get_rate_min")]
    public static partial int HwParamsGetRateMin(nint parameters, out uint rate, out int direction);

    [LibraryImport(Library, EntryPoint = "snd_pcm_hw_params_get_rate_max")]
    public static partial int HwParamsGetRateMax(nint parameters, out uint rate, out int direction);

    [LibraryImport(Library, EntryPoint = "snd_pcm_sw_params_malloc")]
    public static partial int SwParamsMalloc(out nint parameters);

    [LibraryImport(Library, EntryPoint = "snd_pcm_sw_params_free")]
    public static partial void SwParamsFree(nint parameters);

    [LibraryImport(Library, EntryPoint = "snd_pcm_sw_params_current")]
    public static partial int SwParamsCurrent(SafeAlsaPcmHandle pcm, nint parameters);

    [LibraryImport(Library, EntryPoint = "snd_pcm_sw_params_set_start_threshold")]
    public static partial int SwParamsSetStartThreshold(SafeAlsaPcmHandle pcm, nint parameters, nuint frames);

    [LibraryImport(Library, EntryPoint = "snd_pcm_sw_params_set_avail_min")]
    public static partial int SwParamsSetAvailMin(SafeAlsaPcmHandle pcm, nint parameters, nuint frames);

    [LibraryImport(Library, EntryPoint = "snd_pcm_sw_params")]
    public static partial int SwParamsInstall(SafeAlsaPcmHandle pcm, nint parameters);

    [LibraryImport(Library, EntryPoint = "snd_pcm_prepare")]
    public static partial int PcmPrepare(SafeAlsaPcmHandle pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_drop")]
    public static partial int PcmDrop(SafeAlsaPcmHandle pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_drain")]
    public static partial int PcmDrain(SafeAlsaPcmHandle pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_link")]
    public static partial int PcmLink(SafeAlsaPcmHandle first, SafeAlsaPcmHandle second);

    [LibraryImport(Library, EntryPoint = "snd_pcm_unlink")]
    public static partial int PcmUnlink(SafeAlsaPcmHandle pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_readi")]
    public static partial nint PcmReadInterleaved(SafeAlsaPcmHandle pcm, void* buffer, nuint frames);

    [LibraryImport(Library, EntryPoint = "snd_pcm_writei")]
    public static partial nint PcmWriteInterleaved(SafeAlsaPcmHandle pcm, void* buffer, nuint frames);

    [LibraryImport(Library, EntryPoint = "snd_pcm_wait")]
    public static partial int PcmWait(SafeAlsaPcmHandle pcm, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "snd_pcm_state")]
    public static partial int PcmState(SafeAlsaPcmHandle pcm);

    [LibraryImport(Library, EntryPoint = "snd_pcm_recover")]
    public static partial int PcmRecover(SafeAlsaPcmHandle pcm, int error, int silent);

    [LibraryImport(Library, EntryPoint = "snd_strerror")]
    private static partial nint StrErrorNative(int error);

    [LibraryImport(Library, EntryPoint = "snd_device_name_hint", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DeviceNameHint(int card, string iface, out nint hints);

    [LibraryImport(Library, EntryPoint = "snd_device_name_get_hint", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint DeviceNameGetHint(nint hint, string id);

    [LibraryImport(Library, EntryPoint = "snd_device_name_free_hint")]
    public static partial int DeviceNameFreeHint(nint hints);

    [LibraryImport(Library, EntryPoint = "snd_card_next")]
    public static partial int CardNext(ref int card);

    [LibraryImport(Library, EntryPoint = "snd_card_get_name")]
    public static partial int CardGetName(int card, out nint name);

    [LibraryImport(Library, EntryPoint = "snd_card_get_longname")]
    public static partial int CardGetLongName(int card, out nint name);

    [LibraryImport(Library, EntryPoint = "snd_config_update")]
    private static partial int ConfigUpdate();

    [LibraryImport(Library, EntryPoint = "snd_config_update_ref")]
    private static partial int ConfigUpdateRef(out nint top);

    [LibraryImport(Library, EntryPoint = "snd_config_unref")]
    private static partial void ConfigUnref(nint top);

    [LibraryImport(Library, EntryPoint = "snd_config_search", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ConfigSearch(nint config, string key, out nint result);

    [LibraryImport("libc", EntryPoint = "free")]
    public static partial void Free(nint pointer);

    /// <summary>The PCM type part of an ALSA name: <c>hw</c> for <c>hw:CARD=Codec,DEV=0</c>, <c>default</c> for <c>default</c>.</summary>
    public static string PcmBaseName(string pcmName) => pcmName.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? pcmName[..colon] : pcmName;

    /// <summary>
    /// Whether the PCM base name of <paramref name="pcmName"/> is defined in the ALSA configuration (<c>pcm.NAME</c>, as
    /// snd_pcm_open looks it up: alsa.conf, its alsa.conf.d, /etc/asound.conf, ~/.asoundrc or <c>ALSA_CONFIG_PATH</c>).
    /// </summary>
    /// <returns><c>null</c> when libasound cannot be loaded or its configuration cannot be read.</returns>
    public static bool? IsPcmDefined(string pcmName)
    {
        string baseName = PcmBaseName(pcmName);
        if (baseName.Length == 0)
        {
            return false;
        }

        nint top;
        try
        {
            if (ConfigUpdateRef(out top) < 0)
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        try
        {
            return ConfigSearch(top, "pcm." + baseName, out _) >= 0;
        }
        finally
        {
            ConfigUnref(top);
        }
    }

    /// <summary>
    /// Re-reads the ALSA configuration into libasound's global tree if its files changed (or were never read). PortAudio's
    /// ALSA host lists plugin PCMs from that tree but refreshes it only while it is still empty, so a tree read earlier
    /// (by any snd_pcm_open or by <see cref="IsPcmDefined"/>) would hide PCMs configured since. Does nothing without libasound.
    /// </summary>
    public static void RefreshConfiguration()
    {
        try
        {
            ConfigUpdate();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // No ALSA: PortAudio uses another host API, or fails to initialise and says so.
        }
    }

    /// <summary>
    /// Whether a failed <c>snd_pcm_open</c> of <paramref name="pcmName"/> can heal by itself. A name whose PCM is not
    /// defined in the ALSA configuration ("unknown PCM", a typo) cannot, nor can <c>hw:</c>/<c>plughw:</c> with
    /// arguments ALSA rejects (<c>-EINVAL</c>: <c>hw:0,abc</c>, a card index above 31). Everything else names a defined
    /// PCM whose hardware is missing or busy (<c>-ENODEV</c>/<c>-ENOENT</c> for a card that is not plugged in,
    /// <c>-EBUSY</c>, a JACK server that is not up yet, <c>front:CARD=X</c> before card X appears): it can come back.
    /// </summary>
    public static bool CanRecoverFromOpen(string pcmName, int error, out bool unknownPcm)
    {
        unknownPcm = IsPcmDefined(pcmName) == false;
        if (unknownPcm)
        {
            return false;
        }

        return !(error == -EInval && PcmBaseName(pcmName) is "hw" or "plughw");
    }

    /// <summary>ALSA's text for a (negative) error code.</summary>
    public static string StrError(int error) => Marshal.PtrToStringUTF8(StrErrorNative(error)) ?? $"error {error}";

    /// <summary>Takes a malloc'd C string, returns it and frees it.</summary>
    public static string? TakeString(nint pointer)
    {
        if (pointer == 0)
        {
            return null;
        }

        string? text = Marshal.PtrToStringUTF8(pointer);
        Free(pointer);
        return text;
    }

    public static int ToAlsa(AudioSampleFormat format) => format switch
    {
        AudioSampleFormat.S16LE => FormatS16LE,
        AudioSampleFormat.S24Packed3LE => FormatS24Packed3LE,
        AudioSampleFormat.S32LE => FormatS32LE,
        _ => FormatFloatLE,
    };

    public static string AlsaName(AudioSampleFormat format) => format switch
    {
        AudioSampleFormat.S16LE => "S16_LE",
        AudioSampleFormat.S24Packed3LE => "S24_3LE",
        AudioSampleFormat.S32LE => "S32_LE",
        _ => "FLOAT_LE",
    };
}

/// <summary>Owns an <c>snd_pcm_t*</c>; <see cref="ReleaseHandle"/> calls <c>snd_pcm_close</c>.</summary>
internal sealed class SafeAlsaPcmHandle : SafeHandle
{
    public SafeAlsaPcmHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// Opens <paramref name="name"/> non-blocking: a busy device fails instead of waiting, and I/O never blocks, so the
    /// audio thread waits with <c>snd_pcm_wait</c> and a timeout, notices stop requests and detects a stalled device.
    /// </summary>
    public static SafeAlsaPcmHandle Open(string name, int stream, string deviceLabel)
    {
        string direction = stream == AlsaNative.StreamCapture ? "capture" : "playback";
        int rc = AlsaNative.PcmOpen(out nint raw, name, stream, AlsaNative.ModeNonBlock);
        if (rc < 0)
        {
            bool canRecover = AlsaNative.CanRecoverFromOpen(name, rc, out bool unknownPcm);
            string cause = unknownPcm
                ? $"unknown PCM '{AlsaNative.PcmBaseName(name)}' (not defined in the ALSA configuration; see `hardwaremaster devices`)"
                : AlsaNative.StrError(rc);
            throw new AudioDeviceException($"{deviceLabel}: cannot open ALSA {direction} device '{name}': {cause}", rc) { CanRecover = canRecover };
        }

        var handle = new SafeAlsaPcmHandle();
        handle.SetHandle(raw);
        return handle;
    }

    /// <summary>Takes ownership of an already opened <c>snd_pcm_t*</c>.</summary>
    public static SafeAlsaPcmHandle FromRaw(nint raw)
    {
        var handle = new SafeAlsaPcmHandle();
        handle.SetHandle(raw);
        return handle;
    }

    protected override bool ReleaseHandle() => AlsaNative.PcmClose(handle) >= 0;
}
