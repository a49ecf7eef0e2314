using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HardwareMaster.Hal.Audio.RealTime;

namespace HardwareMaster.Hal.Audio.PortAudio;

/// <summary>
/// A PortAudio stream in callback mode (libportaudio.so.2), for desktops and USB interfaces.
/// </summary>
/// <remarks>
/// <para>Device names are PortAudio device names as <see cref="AudioDeviceEnumerator.ListPortAudio"/> lists them (exact
/// match first, then a unique case-insensitive substring), <c>default</c>, or <c>#N</c> for a device index.</para>
/// <para>The stream is non-interleaved with <see cref="AudioDeviceOptions.BlockFrames"/> frames per buffer; the edge format
/// is float32 unless <see cref="AudioDeviceOptions.SampleFormat"/> asks for an integer one (converted here, in place).
/// PortAudio calls back through an <c>UnmanagedCallersOnly</c> function pointer on its own thread, which is promoted to
/// SCHED_FIFO on the first block. Under/overflow flags are counted as xruns. When the stream stops by itself (device
/// gone, callback failure, <see cref="AudioDeviceOptions.MaxFrames"/> reached) the finished-callback reports it.</para>
/// </remarks>
public sealed unsafe class PortAudioAudioDevice : AudioDeviceBase
{
    private const int StateIdle = 0;
    private const int StateRunning = 1;
    private const int StateStopping = 2;

    private SafePortAudioStreamHandle? _stream;
    private GCHandle _self;
    private bool _libraryAcquired;
    private IAudioCallback? _callback;
    private float[] _inputLeft = [];
    private float[] _inputRight = [];
    private float[] _outputLeft = [];
    private float[] _outputRight = [];
    private AudioSampleFormat _format = AudioSampleFormat.Float32LE;
    private int _inputChannels;
    private int _outputChannels;
    private float[] _monitorLeft = [];
    private float[] _monitorRight = [];
    private long _blockIndex;
    private long _maxFrames;
    private bool _promoted;
    private int _state;
    private int _endReason; // 0 none, 1 completed, 2 callback failed
    private Exception? _callbackException;

    /// <summary>Creates the device; nothing is opened until <see cref="IAudioDevice.Start"/>.</summary>
    /// <param name="options">Device names and stream parameters.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public PortAudioAudioDevice(AudioDeviceOptions options)
        : base("pa:" + (options ?? throw new ArgumentNullException(nameof(options))).Name, options)
    {
    }

    /// <inheritdoc />
    public override bool IsPaced => true;

    /// <inheritdoc />
    public override AudioSampleFormat OutputFormat => _format;

    /// <inheritdoc />
    protected override void OnStart(IAudioCallback callback)
    {
        PortAudioLibrary.Acquire(Name);
        _libraryAcquired = true;
        AudioSampleFormat format = Options.SampleFormat ?? AudioSampleFormat.Float32LE;
        nuint paFormat = PortAudioNative.ToPortAudio(format) | PortAudioNative.SampleFormatNonInterleaved;
        double latencySeconds = (double)Options.BlockFrames * Options.Periods / Options.SampleRateHz;

        PortAudioNative.StreamParameters input = default;
        PortAudioNative.StreamParameters output = default;
        bool hasInput = Options.Direction != AudioDirection.OutputOnly;
        bool hasOutput = Options.Direction != AudioDirection.InputOnly;
        if (hasInput)
        {
            int device = Resolve(Options.EffectiveInputName, input: true);
            input = new PortAudioNative.StreamParameters
            {
                Device = device,
                ChannelCount = Math.Min(2, PortAudioNative.GetDeviceInfo(device)->MaxInputChannels),
                SampleFormat = paFormat,
                SuggestedLatency = latencySeconds,
            };
        }

        if (hasOutput)
        {
            int device = Resolve(Options.EffectiveOutputName, input: false);
            int available = PortAudioNative.GetDeviceInfo(device)->MaxOutputChannels;
            if (Options.OutputMap is { } map && available < map.Channels)
            {
                throw new AudioDeviceException($"{Name}: PortAudio output device has {available} channels, the channel map '{map}' needs {map.Channels}") { CanRecover = false };
            }

            output = new PortAudioNative.StreamParameters
            {
                Device = device,
                ChannelCount = Options.OutputMap is { } mapped ? mapped.Channels : Math.Min(2, available),
                SampleFormat = paFormat,
                SuggestedLatency = latencySeconds,
            };
        }

        int frames = BlockFrames;
        _inputLeft = new float[frames];
        _inputRight = new float[frames];
        _outputLeft = new float[frames];
        _outputRight = new float[frames];
        int monitorFrames = Options.OutputMap is { HasMonitorPair: true } ? frames : 0;
        _monitorLeft = new float[monitorFrames];
        _monitorRight = new float[monitorFrames];
        _format = format;
        _inputChannels = input.ChannelCount;
        _outputChannels = output.ChannelCount;
        _callback = callback;
        _blockIndex = 0;
        _maxFrames = Options.MaxFrames ?? long.MaxValue;
        _promoted = false;
        _endReason = 0;
        _callbackException = null;
        _self = GCHandle.Alloc(this);

        int rc = PortAudioNative.OpenStream(
            out nint stream,
            hasInput ? &input : null,
            hasOutput ? &output : null,
            Options.SampleRateHz,
            (nuint)frames,
            PortAudioNative.StreamFlagDitherOff,
            &OnAudio,
            (void*)GCHandle.ToIntPtr(_self));
        if (rc < 0)
        {
            throw new AudioDeviceException($"{Name}: cannot open the PortAudio stream at {Options.SampleRateHz} Hz, {frames} frames ({_format}): {PortAudioNative.ErrorText(rc)}", rc) { CanRecover = PortAudioNative.CanRecover(rc) };
        }

        _stream = new SafePortAudioStreamHandle(stream);
        Check(PortAudioNative.SetStreamFinishedCallback(_stream, &OnFinished), "setting the finished callback");
        PortAudioNative.StreamInfo* info = PortAudioNative.GetStreamInfo(_stream);
        if (info is not null)
        {
            InputLatencyFrames = hasInput ? (int)Math.Round(info->InputLatency * Options.SampleRateHz) : 0;
            OutputLatencyFrames = hasOutput ? (int)Math.Round(info->OutputLatency * Options.SampleRateHz) : 0;
        }

        Volatile.Write(ref _state, StateRunning);
        Check(PortAudioNative.StartStream(_stream), "starting the stream");
    }

    /// <inheritdoc />
    protected override void OnStop()
    {
        Volatile.Write(ref _state, StateStopping);
        if (_stream is not null)
        {
            PortAudioNative.AbortStream(_stream); // returns an error when already stopped; nothing to do then
            _stream.Dispose();
            _stream = null;
        }

        if (_self.IsAllocated)
        {
            _self.Free();
        }

        if (_libraryAcquired)
        {
            _libraryAcquired = false;
            PortAudioLibrary.Release();
        }

        _callback = null;
        Volatile.Write(ref _state, StateIdle);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnAudio(void* input, void* output, nuint frames, void* timeInfo, nuint statusFlags, void* userData)
    {
        try
        {
            var device = (PortAudioAudioDevice)GCHandle.FromIntPtr((nint)userData).Target!;
            return device.Process(input, output, (int)frames, statusFlags);
        }
        catch (Exception ex)
        {
            // Never let an exception reach native code; record it for the finished-callback to report.
            if (GCHandle.FromIntPtr((nint)userData).Target is PortAudioAudioDevice device)
            {
                device._callbackException = ex;
                device._endReason = 2;
            }

            return PortAudioNative.Abort;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnFinished(void* userData)
    {
        try
        {
            if (GCHandle.FromIntPtr((nint)userData).Target is PortAudioAudioDevice device)
            {
                device.Finished();
            }
        }
        catch (Exception)
        {
            // Nothing can be reported from here without risking native code; the device simply stops.
        }
    }

    private int Process(void* input, void* output, int frames, nuint statusFlags)
    {
        if (Volatile.Read(ref _state) != StateRunning)
        {
            return PortAudioNative.Abort;
        }

        if (!_promoted)
        {
            _promoted = true;
            PromoteCallbackThread();
        }

        if ((statusFlags & (PortAudioNative.StatusInputOverflow | PortAudioNative.StatusInputUnderflow | PortAudioNative.StatusOutputOverflow | PortAudioNative.StatusOutputUnderflow)) != 0)
        {
            CountXrun();
        }

        float[] inputLeft = _inputLeft, inputRight = _inputRight, outputLeft = _outputLeft, outputRight = _outputRight;
        if (frames != inputLeft.Length)
        {
            // PortAudio promises fixed buffers when framesPerBuffer is given; anything else is played as silence.
            CountXrun();
            ClearOutput(output, frames);
            return PortAudioNative.Continue;
        }

        int bytesPerSample = SampleFormatConverter.BytesPerSample(_format);
        int channelBytes = frames * bytesPerSample;
        if (input is not null && _inputChannels > 0)
        {
            void** channels = (void**)input;
            SampleFormatConverter.DecodeChannel(new ReadOnlySpan<byte>(channels[0], channelBytes), _format, 1, 0, inputLeft);
            SampleFormatConverter.DecodeChannel(new ReadOnlySpan<byte>(channels[_inputChannels > 1 ? 1 : 0], channelBytes), _format, 1, 0, inputRight);
        }
        else
        {
            Array.Clear(inputLeft);
            Array.Clear(inputRight);
        }

        Array.Clear(outputLeft);
        Array.Clear(outputRight);
        Array.Clear(_monitorLeft);
        Array.Clear(_monitorRight);
        _callback!.ProcessBlock(new AudioBuffers(inputLeft, inputRight, outputLeft, outputRight, _monitorLeft, _monitorRight, _blockIndex));
        _blockIndex++;

        if (output is not null && Options.OutputMap is { } map)
        {
            // Non-interleaved: one buffer per channel; unmapped channels were cleared by ClearOutput or stay silent here.
            void** channels = (void**)output;
            for (int channel = 0; channel < _outputChannels; channel++)
            {
                new Span<byte>(channels[channel], channelBytes).Clear();
            }

            SampleFormatConverter.EncodeChannel(outputLeft, _format, 1, 0, new Span<byte>(channels[map.MasterLeft], channelBytes));
            SampleFormatConverter.EncodeChannel(outputRight, _format, 1, 0, new Span<byte>(channels[map.MasterRight], channelBytes));
            if (map.HasMonitorPair)
            {
                SampleFormatConverter.EncodeChannel(_monitorLeft, _format, 1, 0, new Span<byte>(channels[map.MonitorLeft], channelBytes));
                SampleFormatConverter.EncodeChannel(_monitorRight, _format, 1, 0, new Span<byte>(channels[map.MonitorRight], channelBytes));
            }
        }
        else if (output is not null && _outputChannels > 0)
        {
            void** channels = (void**)output;
            if (_outputChannels == 1)
            {
                for (int i = 0; i < frames; i++)
                {
                    outputLeft[i] = 0.5f * (outputLeft[i] + outputRight[i]);
                }
            }

            SampleFormatConverter.EncodeChannel(outputLeft, _format, 1, 0, new Span<byte>(channels[0], channelBytes));
            if (_outputChannels > 1)
            {
                SampleFormatConverter.EncodeChannel(outputRight, _format, 1, 0, new Span<byte>(channels[1], channelBytes));
            }
        }

        if (_blockIndex * frames >= _maxFrames)
        {
            _endReason = 1;
            return PortAudioNative.Complete;
        }

        return PortAudioNative.Continue;
    }

    private void ClearOutput(void* output, int frames)
    {
        if (output is null)
        {
            return;
        }

        void** channels = (void**)output;
        int bytes = frames * SampleFormatConverter.BytesPerSample(_format);
        for (int channel = 0; channel < _outputChannels; channel++)
        {
            new Span<byte>(channels[channel], bytes).Clear();
        }
    }

    private void PromoteCallbackThread()
    {
        int priority = Options.RealtimePriority;
        if (priority <= 0)
        {
            return;
        }

        RealtimeResult result = RealtimeThread.TryPromoteCurrentThread(priority);
        RealtimeStatus = result;
        if (!result.Succeeded)
        {
            ReportError(AudioDeviceErrorKind.RealtimeWarning, $"{Name}: {result.Warning}");
        }
    }

    private void Finished()
    {
        if (Volatile.Read(ref _state) != StateRunning)
        {
            return; // stopped on request
        }

        switch (_endReason)
        {
            case 1:
                ReportCompleted();
                break;
            case 2:
                Exception? ex = _callbackException;
                ReportError(AudioDeviceErrorKind.CallbackFailed, $"{Name}: the audio callback threw {ex?.GetType().Name}: {ex?.Message}");
                break;
            default:
                ReportError(AudioDeviceErrorKind.DeviceLost, $"{Name}: the PortAudio stream stopped unexpectedly (device disconnected or failed)");
                break;
        }
    }

    private int Resolve(string name, bool input)
    {
        int count = PortAudioNative.GetDeviceCount();
        if (count < 0)
        {
            throw new AudioDeviceException($"{Name}: cannot list PortAudio devices: {PortAudioNative.ErrorText(count)}", count);
        }

        string direction = input ? "input" : "output";
        int found = PortAudioNative.NoDevice;
        if (name == "default")
        {
            found = input ? PortAudioNative.GetDefaultInputDevice() : PortAudioNative.GetDefaultOutputDevice();
        }
        else if (name.StartsWith('#') && int.TryParse(name.AsSpan(1), out int index) && index >= 0 && index < count)
        {
            found = index;
        }
        else
        {
            int partial = PortAudioNative.NoDevice;
            int partialMatches = 0;
            for (int i = 0; i < count; i++)
            {
                PortAudioNative.DeviceInfo* info = PortAudioNative.GetDeviceInfo(i);
                int channels = input ? info->MaxInputChannels : info->MaxOutputChannels;
                string deviceName = Marshal.PtrToStringUTF8(info->Name) ?? string.Empty;
                if (channels <= 0)
                {
                    continue;
                }

                if (deviceName == name)
                {
                    found = i;
                    break;
                }

                if (deviceName.Contains(name, StringComparison.OrdinalIgnoreCase))
                {
                    partial = i;
                    partialMatches++;
                }
            }

            if (found == PortAudioNative.NoDevice && partialMatches == 1)
            {
                found = partial;
            }
        }

        if (found == PortAudioNative.NoDevice && name == "default")
        {
            // No sound card at all yet (a USB interface not plugged in at boot): wait for one.
            throw new AudioDeviceException($"{Name}: there is no default PortAudio {direction} device (no sound card yet?)");
        }

        if (found == PortAudioNative.NoDevice)
        {
            // PortAudio lists only what is present, so an unplugged interface and a typo look the same: fail at once.
            // (The supervisor keeps waiting for a name that already ran in this service's life.)
            throw new AudioDeviceException($"{Name}: no PortAudio {direction} device named '{name}' (see `hardwaremaster devices`)") { CanRecover = false };
        }

        PortAudioNative.DeviceInfo* chosen = PortAudioNative.GetDeviceInfo(found);
        if ((input ? chosen->MaxInputChannels : chosen->MaxOutputChannels) <= 0)
        {
            throw new AudioDeviceException($"{Name}: PortAudio device '{Marshal.PtrToStringUTF8(chosen->Name)}' has no {direction} channels") { CanRecover = false };
        }

        return found;
    }

    private void Check(int rc, string what)
    {
        if (rc < 0)
        {
            throw new AudioDeviceException($"{Name}: PortAudio {what} failed: {PortAudioNative.ErrorText(rc)}", rc);
        }
    }
}
