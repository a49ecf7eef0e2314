namespace HardwareMaster.Hal.Audio.Resampling;

/// <summary>
/// Sample-rate conversion through libsoxr (Debian <c>libsoxr0</c>, <see cref="LibraryName"/>): very high quality
/// recipe (SOXR_VHQ: 28-bit precision, linear phase, passband to 0.913 × the lower Nyquist frequency with at most
/// 0.01 dB of roll-off, stopband from that Nyquist frequency), interleaved 32-bit float in and out. libsoxr removes
/// its own filter delay, so after <see cref="Flush"/> the output is aligned with the input and about
/// <c>frames × out / in</c> long. Not thread-safe; one instance per stream.
/// </summary>
public sealed unsafe class SoxrResampler : IDisposable
{
    /// <summary>The shared library loaded (its soname).</summary>
    public const string LibraryName = SoxrNative.Library;

    private nint _handle;
    private bool _flushed;

    /// <summary>Creates a converter.</summary>
    /// <param name="inputRateHz">Input sample rate.</param>
    /// <param name="outputRateHz">Output sample rate.</param>
    /// <param name="channels">Channels (interleaved).</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate is not positive or the channel count is not 1..32.</exception>
    /// <exception cref="ResamplerException">libsoxr is not installed, or it refused the conversion.</exception>
    public SoxrResampler(double inputRateHz, double outputRateHz, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRateHz);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRateHz);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 32);
        InputRateHz = inputRateHz;
        OutputRateHz = outputRateHz;
        Channels = channels;
        nint error;
        try
        {
            SoxrNative.IoSpec io = SoxrNative.MakeIoSpec(SoxrNative.Float32Interleaved, SoxrNative.Float32Interleaved);
            io.Flags |= SoxrNative.NoDither;
            SoxrNative.QualitySpec quality = SoxrNative.MakeQualitySpec(SoxrNative.RecipeVeryHigh, SoxrNative.LinearPhase);
            _handle = SoxrNative.Create(inputRateHz, outputRateHz, (uint)channels, out error, &io, &quality, 0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new ResamplerException($"sample-rate conversion needs {LibraryName} (Debian package libsoxr0: apt-get install libsoxr0), which cannot be loaded: {ex.Message}", ex);
        }

        if (_handle == 0 || error != 0)
        {
            string why = SoxrNative.ErrorText(error) ?? "no resampler";
            if (_handle != 0)
            {
                SoxrNative.Delete(_handle);
                _handle = 0;
            }

            throw new ResamplerException($"{LibraryName} cannot convert {inputRateHz} Hz to {outputRateHz} Hz ({channels} channels): {why}");
        }
    }

    /// <summary>Whether libsoxr can be loaded here (it is then used for every conversion).</summary>
    public static bool IsAvailable
    {
        get
        {
            try
            {
                return SoxrNative.Version() != 0;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }
    }

    /// <summary>Input sample rate, Hz.</summary>
    public double InputRateHz { get; }

    /// <summary>Output sample rate, Hz.</summary>
    public double OutputRateHz { get; }

    /// <summary>Channels.</summary>
    public int Channels { get; }

    /// <summary>Frames of output still held inside the converter (libsoxr's <c>soxr_delay</c>).</summary>
    public double DelayFrames
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == 0, this);
            return SoxrNative.Delay(_handle);
        }
    }

    /// <summary>
    /// Converts interleaved input. libsoxr may keep some input for later (it returns fewer consumed frames than given) and
    /// may return fewer output frames than room: call again with the rest.
    /// </summary>
    /// <param name="input">Interleaved input frames.</param>
    /// <param name="output">Room for interleaved output frames.</param>
    /// <param name="inputFramesUsed">Input frames consumed.</param>
    /// <returns>Output frames written.</returns>
    /// <exception cref="InvalidOperationException">Called after <see cref="Flush"/> began.</exception>
    /// <exception cref="ResamplerException">libsoxr reported an error.</exception>
    public int Process(ReadOnlySpan<float> input, Span<float> output, out int inputFramesUsed)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        if (_flushed)
        {
            throw new InvalidOperationException("the converter was flushed");
        }

        int inFrames = input.Length / Channels;
        int outFrames = output.Length / Channels;
        nint error;
        nuint used, done;
        fixed (float* i = input)
        fixed (float* o = output)
        {
            // libsoxr treats a null input as the end of the stream: pass a real pointer even for zero frames.
            float dummy = 0;
            error = SoxrNative.Process(_handle, inFrames == 0 ? &dummy : i, (nuint)inFrames, out used, o, (nuint)outFrames, out done);
        }

        ThrowOnError(error);
        inputFramesUsed = (int)used;
        return (int)done;
    }

    /// <summary>Signals the end of the input and drains what the converter still holds; call until it returns 0.</summary>
    /// <param name="output">Room for interleaved output frames.</param>
    /// <returns>Output frames written (0 once drained).</returns>
    /// <exception cref="ResamplerException">libsoxr reported an error.</exception>
    public int Flush(Span<float> output)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        _flushed = true;
        nint error;
        nuint done;
        fixed (float* o = output)
        {
            error = SoxrNative.Process(_handle, null, 0, out _, o, (nuint)(output.Length / Channels), out done);
        }

        ThrowOnError(error);
        return (int)done;
    }

    /// <summary>Frees the libsoxr resampler.</summary>
    public void Dispose()
    {
        if (_handle != 0)
        {
            SoxrNative.Delete(_handle);
            _handle = 0;
        }
    }

    private static void ThrowOnError(nint error)
    {
        if (error != 0)
        {
            throw new ResamplerException($"{LibraryName}: {SoxrNative.ErrorText(error)}");
        }
    }
}
