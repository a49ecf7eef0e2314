namespace HardwareMaster.Hal.Audio.Alsa;

/// <summary>What an ALSA PCM agreed to.</summary>
/// <param name="Format">The sample format at the edge.</param>
/// <param name="Channels">Interleaved channels.</param>
/// <param name="SampleRateHz">The rate.</param>
/// <param name="PeriodFrames">The period size the driver chose.</param>
/// <param name="BufferFrames">The ring-buffer size the driver chose.</param>
public sealed record AlsaStreamInfo(AudioSampleFormat Format, int Channels, int SampleRateHz, int PeriodFrames, int BufferFrames)
{
    /// <summary>Bytes per interleaved frame.</summary>
    public int FrameBytes => Channels * SampleFormatConverter.BytesPerSample(Format);
}

/// <summary>One opened, configured PCM direction plus its preallocated interleaved block buffer.</summary>
internal sealed class AlsaStream : IDisposable
{
    private AlsaStream(SafeAlsaPcmHandle handle, string pcmName, string direction, AlsaStreamInfo info, int blockFrames)
    {
        Handle = handle;
        PcmName = pcmName;
        Direction = direction;
        Info = info;
        Bytes = new byte[Math.Max(blockFrames, info.PeriodFrames) * info.FrameBytes];
    }

    public SafeAlsaPcmHandle Handle { get; }

    public string PcmName { get; }

    public string Direction { get; }

    public AlsaStreamInfo Info { get; }

    public byte[] Bytes { get; }

    public static AlsaStream Open(string pcmName, int stream, AudioDeviceOptions options, string deviceLabel)
    {
        string direction = stream == AlsaNative.StreamCapture ? "capture" : "playback";
        SafeAlsaPcmHandle handle = SafeAlsaPcmHandle.Open(pcmName, stream, deviceLabel);
        try
        {
            AlsaStreamInfo info = Configure(handle, pcmName, direction, options, deviceLabel);
            return new AlsaStream(handle, pcmName, direction, info, options.BlockFrames);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Dispose() => Handle.Dispose();

    private static AlsaStreamInfo Configure(SafeAlsaPcmHandle handle, string pcmName, string direction, AudioDeviceOptions options, string deviceLabel)
    {
        void Check(int rc, string what)
        {
            if (rc < 0)
            {
                // -EINVAL: the PCM cannot do what is asked (access, format, rate, period); -ENODEV, -EBUSY, -EIO: it went away.
                throw new AudioDeviceException($"{deviceLabel}: ALSA {direction} device '{pcmName}': {what}: {AlsaNative.StrError(rc)}", rc) { CanRecover = rc != -AlsaNative.EInval };
            }
        }

        Check(AlsaNative.HwParamsMalloc(out nint hw), "allocating hw_params");
        try
        {
            Check(AlsaNative.HwParamsAny(handle, hw), "reading its hardware parameters");
            Check(AlsaNative.HwParamsSetAccess(handle, hw, AlsaNative.AccessRwInterleaved), "interleaved read/write access is not supported");

            AudioSampleFormat? chosen = null;
            if (options.SampleFormat is { } forced)
            {
                Check(AlsaNative.HwParamsTestFormat(handle, hw, AlsaNative.ToAlsa(forced)), $"format {AlsaNative.AlsaName(forced)} is not supported");
                chosen = forced;
            }
            else
            {
                foreach (AudioSampleFormat candidate in FormatPreference)
                {
                    if (AlsaNative.HwParamsTestFormat(handle, hw, AlsaNative.ToAlsa(candidate)) == 0)
                    {
                        chosen = candidate;
                        break;
                    }
                }

                if (chosen is null)
                {
                    throw new AudioDeviceException($"{deviceLabel}: ALSA {direction} device '{pcmName}' supports none of S32_LE, FLOAT_LE, S24_3LE, S16_LE (try plughw:)") { CanRecover = false };
                }
            }

            AudioSampleFormat format = chosen.Value;
            Check(AlsaNative.HwParamsSetFormat(handle, hw, AlsaNative.ToAlsa(format)), $"setting format {AlsaNative.AlsaName(format)}");

            bool mapped = direction == "playback" && options.OutputMap is not null;
            uint channels = mapped ? (uint)options.OutputChannels : 2;
            Check(AlsaNative.HwParamsSetChannelsNear(handle, hw, ref channels), $"setting {(mapped ? options.OutputChannels : 2)} channels");
            if (mapped && channels < (uint)options.OutputChannels)
            {
                throw new AudioDeviceException($"{deviceLabel}: ALSA playback device '{pcmName}' has {channels} channels, the channel map '{options.OutputMap}' needs {options.OutputChannels}") { CanRecover = false };
            }

            uint rate = (uint)options.SampleRateHz;
            int rateDirection = 0;
            Check(AlsaNative.HwParamsSetRateNear(handle, hw, ref rate, ref rateDirection), $"setting {options.SampleRateHz} Hz");
            if (rate != (uint)options.SampleRateHz)
            {
                throw new AudioDeviceException($"{deviceLabel}: ALSA {direction} device '{pcmName}' runs at {rate} Hz, not {options.SampleRateHz} Hz (use plughw: to convert, or change the rate)") { CanRecover = false };
            }

            nuint period = (nuint)options.BlockFrames;
            int periodDirection = 0;
            Check(AlsaNative.HwParamsSetPeriodSizeNear(handle, hw, ref period, ref periodDirection), $"setting a period of {options.BlockFrames} frames");
            nuint buffer = (nuint)(options.BlockFrames * options.Periods);
            Check(AlsaNative.HwParamsSetBufferSizeNear(handle, hw, ref buffer), $"setting a buffer of {options.BlockFrames * options.Periods} frames");
            Check(AlsaNative.HwParamsInstall(handle, hw), "installing the hardware parameters");
            Check(AlsaNative.HwParamsGetPeriodSize(hw, out period, out _), "reading the period size");
            Check(AlsaNative.HwParamsGetBufferSize(hw, out buffer), "reading the buffer size");

            var info = new AlsaStreamInfo(format, (int)channels, (int)rate, (int)period, (int)buffer);
            ConfigureSoftware(handle, info, direction == "capture", Check);
            return info;
        }
        finally
        {
            AlsaNative.HwParamsFree(hw);
        }
    }

    private static void ConfigureSoftware(SafeAlsaPcmHandle handle, AlsaStreamInfo info, bool capture, Action<int, string> check)
    {
        check(AlsaNative.SwParamsMalloc(out nint sw), "allocating sw_params");
        try
        {
            check(AlsaNative.SwParamsCurrent(handle, sw), "reading the software parameters");

            // Capture starts on the first read; playback starts once a whole buffer is queued (primed).
            check(AlsaNative.SwParamsSetStartThreshold(handle, sw, capture ? 1 : (nuint)info.BufferFrames), "setting the start threshold");
            check(AlsaNative.SwParamsSetAvailMin(handle, sw, (nuint)info.PeriodFrames), "setting avail_min");
            check(AlsaNative.SwParamsInstall(handle, sw), "installing the software parameters");
        }
        finally
        {
            AlsaNative.SwParamsFree(sw);
        }
    }

    private static readonly AudioSampleFormat[] FormatPreference =
    [
        AudioSampleFormat.S32LE, AudioSampleFormat.Float32LE, AudioSampleFormat.S24Packed3LE, AudioSampleFormat.S16LE,
    ];
}
