namespace HardwareMaster.Hal.Audio.Alsa;

/// <summary>
/// An ALSA PCM (or a capture/playback pair) driven by its own real-time thread through libasound.so.2.
/// </summary>
/// <remarks>
/// <para>Names are ALSA names: <c>hw:CARD=Codec,DEV=0</c>, <c>plughw:1,0</c>, <c>default</c>, or any PCM defined in an
/// ALSA configuration file. Negotiation: interleaved read/write access; the first format the PCM accepts of S32_LE,
/// FLOAT_LE, S24_3LE, S16_LE (or <see cref="AudioDeviceOptions.SampleFormat"/>); two channels (nearest count otherwise);
/// exactly <see cref="AudioDeviceOptions.SampleRateHz"/>; period = <see cref="AudioDeviceOptions.BlockFrames"/>;
/// buffer = period × <see cref="AudioDeviceOptions.Periods"/>.</para>
/// <para>Duplex: capture and playback are linked with <c>snd_pcm_link</c> where the driver allows it (same card);
/// playback is primed with one buffer of silence either way, so an input frame comes out exactly one buffer later (the
/// primed frames are all that is in flight): <see cref="AudioDeviceBase.InputLatencyFrames"/> is one period (a frame waits
/// for its period to be captured) and <see cref="AudioDeviceBase.OutputLatencyFrames"/> the rest of the buffer (a written
/// period waits behind buffer − period queued frames), so <see cref="AudioDeviceBase.LatencyFrames"/> is the buffer, the
/// round trip measured in the tests. Xruns are recovered with
/// <c>snd_pcm_recover</c>, counted, and the pair is re-primed. Any other I/O error (the device vanished) stops the device
/// with a <see cref="AudioDeviceErrorKind.DeviceLost"/> event carrying ALSA's error text.</para>
/// </remarks>
public sealed unsafe class AlsaAudioDevice : ThreadedAudioDevice
{

    private const int WaitTimeoutMs = 100;

    private AlsaStream? _capture;
    private int _stalledMs;
    private AlsaStream? _playback;
    private bool _linked;

    /// <summary>Creates the device; nothing is opened until <see cref="IAudioDevice.Start"/>.</summary>
    /// <param name="options">Device names and stream parameters.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public AlsaAudioDevice(AudioDeviceOptions options)
        : base("alsa:" + DisplayName(options), options)
    {
    }

    /// <inheritdoc />
    public override bool IsPaced => true;

    /// <summary><c>true</c> when capture and playback were linked with <c>snd_pcm_link</c> (valid after start).</summary>
    public bool IsLinked => _linked;

    /// <summary>The negotiated capture parameters of the last start, or <c>null</c> without capture.</summary>
    public AlsaStreamInfo? CaptureInfo { get; private set; }

    /// <summary>The negotiated playback parameters of the last start, or <c>null</c> without playback.</summary>
    public AlsaStreamInfo? PlaybackInfo { get; private set; }

    /// <inheritdoc />
    public override AudioSampleFormat OutputFormat => PlaybackInfo?.Format ?? AudioSampleFormat.Float32LE;

    /// <inheritdoc />
    protected override void Open()
    {
        try
        {
            if (Options.Direction != AudioDirection.OutputOnly)
            {
                _capture = AlsaStream.Open(Options.EffectiveInputName, AlsaNative.StreamCapture, Options, Name);
            }

            if (Options.Direction != AudioDirection.InputOnly)
            {
                _playback = AlsaStream.Open(Options.EffectiveOutputName, AlsaNative.StreamPlayback, Options, Name);
            }

            _linked = _capture is not null && _playback is not null && AlsaNative.PcmLink(_capture.Handle, _playback.Handle) >= 0;
            CaptureInfo = _capture?.Info;
            PlaybackInfo = _playback?.Info;
            InputLatencyFrames = _capture?.Info.PeriodFrames ?? 0;
            OutputLatencyFrames = _playback is null ? 0 : _playback.Info.BufferFrames - _playback.Info.PeriodFrames;
            BindRecoveryCalls();
        }
        catch
        {
            Close();
            throw;
        }
    }

    // The first call of a P/Invoke resolves its native symbol, which allocates; snd_pcm_recover, snd_pcm_drop and
    // snd_pcm_prepare are otherwise first called on the audio thread by the first xrun recovery (168 bytes measured in
    // the paced JACK soak before this, 0 after). Call each once here, on the opening thread, where they change nothing:
    // snd_pcm_recover with -EINTR returns 0 without touching the stream (alsa-lib pcm.c), and drop + prepare take a
    // stream whose hw_params were just installed from PREPARED back to PREPARED before anything was started.
    private void BindRecoveryCalls()
    {
        foreach (AlsaStream? stream in (ReadOnlySpan<AlsaStream?>)[_capture, _playback])
        {
            if (stream is null)
            {
                continue;
            }

            AlsaNative.PcmRecover(stream.Handle, -AlsaNative.EIntr, 1);
            AlsaNative.PcmDrop(stream.Handle);
            AlsaNative.PcmPrepare(stream.Handle);
        }
    }

    /// <inheritdoc />
    protected override void Close()
    {
        if (_linked && _capture is not null)
        {
            AlsaNative.PcmUnlink(_capture.Handle);
        }

        _linked = false;
        _capture?.Dispose();
        _playback?.Dispose();
        _capture = null;
        _playback = null;
    }

    /// <inheritdoc />
    protected override BlockStatus BeginStream()
    {
        _stalledMs = 0;
        if (_capture is not null && _playback is not null)
        {
            return PrimePlayback() ? BlockStatus.Continue : BlockStatus.Failed;
        }

        return BlockStatus.Continue;
    }

    /// <inheritdoc />
    protected override BlockStatus ReadBlock(Span<float> left, Span<float> right, long startFrame)
    {
        AlsaStream? capture = _capture;
        if (capture is null)
        {
            left.Clear();
            right.Clear();
            return BlockStatus.Continue;
        }

        int frames = left.Length;
        int frameBytes = capture.Info.FrameBytes;
        byte[] bytes = capture.Bytes;
        int done = 0;
        fixed (byte* pointer = bytes)
        {
            while (done < frames)
            {
                nint result = AlsaNative.PcmReadInterleaved(capture.Handle, pointer + (done * frameBytes), (nuint)(frames - done));
                if (result == -AlsaNative.EAgain)
                {
                    if (!WaitReady(capture))
                    {
                        return BlockStatus.Failed;
                    }

                    continue;
                }

                if (result < 0)
                {
                    if (!Recover(capture, (int)result))
                    {
                        return BlockStatus.Failed;
                    }

                    continue;
                }

                _stalledMs = 0;
                done += (int)result;
            }
        }

        SampleFormatConverter.Deinterleave(bytes, capture.Info.Format, capture.Info.Channels, left, right);
        return BlockStatus.Continue;
    }

    /// <inheritdoc />
    protected override BlockStatus WriteBlock(ReadOnlySpan<float> left, ReadOnlySpan<float> right, long startFrame)
    {
        AlsaStream? playback = _playback;
        if (playback is null)
        {
            return BlockStatus.Continue;
        }

        if (Options.OutputMap is { } map)
        {
            SampleFormatConverter.InterleaveMapped(left, right, MonitorOutputLeft, MonitorOutputRight, map, playback.Info.Format, playback.Info.Channels, playback.Bytes);
        }
        else
        {
            SampleFormatConverter.Interleave(left, right, playback.Info.Format, playback.Info.Channels, playback.Bytes);
        }

        return WriteFrames(playback, left.Length) ? BlockStatus.Continue : BlockStatus.Failed;
    }

    /// <inheritdoc />
    protected override void EndStream()
    {
        if (_playback is not null)
        {
            // Non-blocking drain returns -EAGAIN at once; poll the state for at most the buffer time plus a second.
            if (AlsaNative.PcmDrain(_playback.Handle) == -AlsaNative.EAgain)
            {
                long deadline = Environment.TickCount64 + 1000 + (1000L * _playback.Info.BufferFrames / SampleRateHz);
                while (AlsaNative.PcmState(_playback.Handle) == AlsaNative.StateDraining && Environment.TickCount64 < deadline && !StopRequested)
                {
                    Thread.Sleep(2);
                }
            }
        }

        if (_capture is not null)
        {
            AlsaNative.PcmDrop(_capture.Handle);
        }
    }

    /// <inheritdoc />
    protected override void AbortBlockingIo()
    {
        if (_capture is not null)
        {
            AlsaNative.PcmDrop(_capture.Handle);
        }

        if (_playback is not null)
        {
            AlsaNative.PcmDrop(_playback.Handle);
        }
    }

    private static string DisplayName(AudioDeviceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Direction switch
        {
            AudioDirection.OutputOnly => options.EffectiveOutputName,
            AudioDirection.InputOnly => options.EffectiveInputName,
            _ => options.EffectiveInputName == options.EffectiveOutputName
                ? options.EffectiveInputName
                : options.EffectiveInputName + "→" + options.EffectiveOutputName,
        };
    }

    private bool WriteFrames(AlsaStream playback, int frames)
    {
        int frameBytes = playback.Info.FrameBytes;
        int done = 0;
        fixed (byte* pointer = playback.Bytes)
        {
            while (done < frames)
            {
                nint result = AlsaNative.PcmWriteInterleaved(playback.Handle, pointer + (done * frameBytes), (nuint)(frames - done));
                if (result == -AlsaNative.EAgain)
                {
                    if (!WaitReady(playback))
                    {
                        return false;
                    }

                    continue;
                }

                if (result < 0)
                {
                    if (!Recover(playback, (int)result))
                    {
                        return false;
                    }

                    // Recovery re-primed the buffer; the rest of this block is dropped to keep the latency constant.
                    return true;
                }

                _stalledMs = 0;
                done += (int)result;
            }
        }

        return true;
    }

    /// <summary>Fills the playback buffer with silence so duplex capture and playback start a buffer apart.</summary>
    private bool PrimePlayback()
    {
        AlsaStream playback = _playback!;
        Array.Clear(playback.Bytes);
        int remaining = playback.Info.BufferFrames;
        int chunk = BlockFrames;
        fixed (byte* pointer = playback.Bytes)
        {
            while (remaining > 0)
            {
                int frames = Math.Min(chunk, remaining);
                nint result = AlsaNative.PcmWriteInterleaved(playback.Handle, pointer, (nuint)frames);
                if (result == -AlsaNative.EAgain)
                {
                    if (!WaitReady(playback))
                    {
                        return false;
                    }

                    continue;
                }

                if (result < 0)
                {
                    if (StopRequested)
                    {
                        return false;
                    }

                    ReportError(AudioDeviceErrorKind.DeviceLost, $"{Name}: priming ALSA playback '{playback.PcmName}' failed: {AlsaNative.StrError((int)result)}");
                    return false;
                }

                remaining -= (int)result;
            }
        }

        return true;
    }

    /// <summary>
    /// Waits up to <see cref="WaitTimeoutMs"/> for the PCM to become ready. A device that stays silent for
    /// <see cref="AudioDeviceOptions.StallTimeoutMs"/> (a dead JACK server, a wedged USB link) is reported as lost.
    /// </summary>
    private bool WaitReady(AlsaStream stream)
    {
        int rc = AlsaNative.PcmWait(stream.Handle, WaitTimeoutMs);
        if (StopRequested)
        {
            return false;
        }

        if (rc > 0)
        {
            return true;
        }

        if (rc < 0)
        {
            return Recover(stream, rc);
        }

        _stalledMs += WaitTimeoutMs;
        if (_stalledMs >= Options.StallTimeoutMs)
        {
            ReportError(AudioDeviceErrorKind.DeviceLost, $"{Name}: ALSA {stream.Direction} on '{stream.PcmName}' delivered no audio for {_stalledMs} ms (device stalled or disconnected)");
            return false;
        }

        return true;
    }

    /// <summary>snd_pcm_recover for xruns and suspends; anything it cannot recover is reported as device loss.</summary>
    private bool Recover(AlsaStream stream, int error)
    {
        if (StopRequested)
        {
            return false;
        }

        int rc = AlsaNative.PcmRecover(stream.Handle, error, 1);
        if (rc < 0)
        {
            ReportError(AudioDeviceErrorKind.DeviceLost, $"{Name}: ALSA {stream.Direction} on '{stream.PcmName}' failed: {AlsaNative.StrError(error)}");
            return false;
        }

        CountXrun();
        if (_capture is null || _playback is null)
        {
            return true;
        }

        // Duplex: restart both from a known state, a buffer of silence apart, as at start.
        AlsaNative.PcmDrop(_playback.Handle);
        AlsaNative.PcmDrop(_capture.Handle);
        int prepared = AlsaNative.PcmPrepare(_capture.Handle);
        if (prepared >= 0 && !_linked)
        {
            prepared = AlsaNative.PcmPrepare(_playback.Handle);
        }

        if (prepared < 0)
        {
            ReportError(AudioDeviceErrorKind.DeviceLost, $"{Name}: restarting ALSA after an xrun failed: {AlsaNative.StrError(prepared)}");
            return false;
        }

        return PrimePlayback();
    }
}
