using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.Hal.Audio.FileDevice;

/// <summary>
/// A device that reads a WAV/RF64/AIFF file as its input and writes its output to another audio file, as fast as the
/// engine can go (<c>file:PATH</c>; the output path comes from <see cref="AudioDeviceOptions.OutputName"/>).
/// </summary>
/// <remarks>
/// <para>
/// The file's sample rate must equal <see cref="AudioDeviceOptions.SampleRateHz"/> (use <see cref="ProbeSampleRateHz"/>
/// to pick it); mono files feed both channels. The run ends by itself when the input is exhausted: the device raises
/// <see cref="IAudioDevice.Completed"/> after completing the output file. The output is stereo; its word is chosen by
/// <see cref="AudioDeviceOptions.SampleFormat"/> (S16 → 16-bit, S24/S32 → 24/32-bit PCM, float or <c>null</c> → 32-bit float; an <c>.aif</c> name then gets AIFF-C, as plain AIFF has no float).
/// </para>
/// <para>
/// <see cref="LatencyCompensationFrames"/> lets the engine's latency be removed: that many frames of silence are fed
/// after the input and the first that many output frames are dropped, so the output file lines up with the input and
/// has exactly its length (as <c>hardwaremaster render</c> does). Without an output name the output is discarded.
/// </para>
/// <para>
/// File errors on the audio thread (disk full, unreadable data) are reported as <see cref="AudioDeviceErrorKind.DeviceLost"/>
/// naming the file; they never throw there. After the first block the loop allocates nothing.
/// </para>
/// <para>
/// Nothing lost (see <see cref="OutputFile"/>): the output is never the input (same device and inode), a regular file is
/// written to a hidden temporary file beside it and only flushed (fsync) and renamed over it when the run ends cleanly
/// (end of input, <see cref="AudioDeviceOptions.MaxFrames"/>, or a stop without error), so a killed run leaves the old file
/// as it was; a character device is written directly; a folder, FIFO or anything else is refused at open. A write error
/// (disk full) discards the temporary file and reports <see cref="AudioDeviceErrorKind.DeviceLost"/> naming the output; the
/// device is not paced, so the supervisor ends the run non-zero instead of reopening it (a full disk does not heal by retrying).
/// </para>
/// </remarks>
public sealed class FileAudioDevice : ThreadedAudioDevice
{
    private static readonly AsyncLocal<Func<FileStream, Stream>?> s_outputStreamWrapper = new();
    private readonly string _inputPath;
    private readonly string? _outputPath;
    private AudioFileReader? _reader;
    private AudioFileWriter? _writer;
    private FileStream? _outputStream;
    private string _temporaryPath = string.Empty;
    private bool _failed;
    private int _inputChannels;
    private long _inputFrames;
    private long _framesRead;
    private long _framesWritten;
    private int _latencyCompensationFrames;
    private long _framesToSkip;
    private long _totalFrames;
    private int _pendingValidFrames;

    /// <summary>Creates the device (opens nothing).</summary>
    /// <param name="inputPath">The file to read.</param>
    /// <param name="options">Options; <see cref="AudioDeviceOptions.OutputName"/> is the file to write (or <c>null</c>).</param>
    /// <exception cref="ArgumentException">The input path is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public FileAudioDevice(string inputPath, AudioDeviceOptions options)
        : base("file:" + inputPath, options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputPath);
        _inputPath = inputPath;
        _outputPath = string.IsNullOrWhiteSpace(options.OutputName) ? null : options.OutputName;
    }

    /// <inheritdoc />
    public override bool IsPaced => false;

    /// <summary>Test seam: wraps the output file stream (e.g. to fail like a full disk); read by <see cref="Open"/> on the caller's flow only.</summary>
    internal static Func<FileStream, Stream>? OutputStreamWrapper
    {
        get => s_outputStreamWrapper.Value;
        set => s_outputStreamWrapper.Value = value;
    }

    /// <summary>The file read as input.</summary>
    public string InputPath => _inputPath;

    /// <summary>The file written, or <c>null</c> when the output is discarded.</summary>
    public string? OutputPath => _outputPath;

    /// <inheritdoc />
    public override AudioSampleFormat OutputFormat => Options.SampleFormat ?? AudioSampleFormat.Float32LE;

    /// <summary>The output word (from <see cref="AudioDeviceOptions.SampleFormat"/>).</summary>
    public SampleEncoding OutputEncoding => Options.SampleFormat switch
    {
        AudioSampleFormat.S16LE => SampleEncoding.Pcm16,
        AudioSampleFormat.S24Packed3LE => SampleEncoding.Pcm24,
        AudioSampleFormat.S32LE => SampleEncoding.Pcm32,
        _ => SampleEncoding.Float32,
    };

    /// <summary>Frames of engine latency to remove (see the class remarks). Set before <see cref="IAudioDevice.Start"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int LatencyCompensationFrames
    {
        get => _latencyCompensationFrames;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _latencyCompensationFrames = value;
        }
    }

    /// <summary>Frames in the input file (valid after <see cref="IAudioDevice.Start"/>).</summary>
    public long InputFrames => _inputFrames;

    /// <summary>Frames written to the output file so far.</summary>
    public long FramesWritten => Volatile.Read(ref _framesWritten);

    /// <summary>Reads the sample rate from a file's header.</summary>
    /// <param name="path">The audio file.</param>
    /// <returns>Its sample rate in Hz.</returns>
    /// <exception cref="AudioFileException">The file cannot be read or is not a supported audio file.</exception>
    public static int ProbeSampleRateHz(string path)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        return reader.Format.SampleRateHz;
    }

    /// <inheritdoc />
    protected override void Open()
    {
        if (Options.OutputMap is { } map && (map.HasMonitorPair || map.Channels != 2 || map.MasterLeft != 0))
        {
            throw new AudioDeviceException($"{Name}: a file output is stereo; the channel map '{map}' needs an interface (write the monitor with --monitor-output file:PATH)") { CanRecover = false };
        }

        AudioFileReader reader;
        try
        {
            reader = AudioFileReader.Open(_inputPath);
        }
        catch (AudioFileException ex)
        {
            throw new AudioDeviceException($"{Name}: cannot open the input: {ex.Message}", ex) { CanRecover = false };
        }

        if (reader.Format.SampleRateHz != SampleRateHz)
        {
            int fileRate = reader.Format.SampleRateHz;
            reader.Dispose();
            throw new AudioDeviceException($"{Name}: the file is {fileRate} Hz but the engine runs at {SampleRateHz} Hz (use --rate {fileRate}).") { CanRecover = false };
        }

        AudioFileWriter? writer = null;
        FileStream? stream = null;
        string temporary = string.Empty;
        if (_outputPath is not null)
        {
            try
            {
                if (AudioContainers.CheckOutput(_outputPath, out OutputMode mode, _inputPath) is string problem)
                {
                    throw new AudioFileException(_outputPath, problem);
                }

                AudioContainer container = AudioContainers.ForOutput(_outputPath, mode);
                if (container == AudioContainer.Aiff && SampleEncodings.IsFloat(OutputEncoding))
                {
                    container = AudioContainer.Aifc; // plain AIFF has no float encoding
                }

                try
                {
                    stream = OutputFile.Open(_outputPath, mode, out temporary);

                    // Not deleted by the signal cleanup: `run`'s host stops gracefully on SIGTERM/SIGINT, and a clean stop commits.
                    OutputFile.Untrack(temporary);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new AudioFileException(_outputPath, "cannot create: " + OutputFile.Describe(ex, temporary, _outputPath), ex);
                }

                writer = AudioFileWriter.Create(OutputStreamWrapper?.Invoke(stream) ?? stream, _outputPath, container, OutputEncoding, SampleRateHz, 2, leaveOpen: true);
            }
            catch (AudioFileException ex)
            {
                reader.Dispose();
                stream?.Dispose();
                OutputFile.Discard(temporary, _outputPath);
                string message = $"{Name}: cannot create the output: {OutputFile.Describe(ex, temporary, _outputPath)}";
                throw new AudioDeviceException(message, ex) { CanRecover = false };
            }
        }

        _reader = reader;
        _writer = writer;
        _outputStream = stream;
        _temporaryPath = temporary;
        _failed = false;
        _inputChannels = reader.Format.Channels;
        _inputFrames = reader.Format.LengthFrames;
        _framesRead = 0;
        _framesToSkip = LatencyCompensationFrames;
        _totalFrames = _inputFrames + LatencyCompensationFrames;
        _framesWritten = 0;
        _pendingValidFrames = 0;
        InputLatencyFrames = 0;
        OutputLatencyFrames = 0;
    }

    /// <inheritdoc />
    protected override void Close()
    {
        _reader?.Dispose();
        _reader = null;
        if (_writer is null)
        {
            return;
        }

        if (_failed)
        {
            DiscardOutput();
        }
        else if (!TryFinishOutput())
        {
            // Reported by TryFinishOutput (the device is already stopped, so the supervisor only sees the log line).
        }
    }

    /// <inheritdoc />
    protected override BlockStatus ReadBlock(Span<float> left, Span<float> right, long startFrame)
    {
        if (startFrame >= _totalFrames)
        {
            return BlockStatus.EndOfStream;
        }

        int got = 0;
        try
        {
            if (_framesRead < _inputFrames)
            {
                got = _inputChannels == 1 ? _reader!.Read(left) : _reader!.ReadPlanar(left, right);
                if (_inputChannels == 1)
                {
                    left[..got].CopyTo(right);
                }

                _framesRead += got;
                if (got == 0)
                {
                    // A truncated file ends early: pretend it had this length.
                    _inputFrames = _framesRead;
                    _totalFrames = _inputFrames + LatencyCompensationFrames;
                }
            }
        }
        catch (AudioFileException ex)
        {
            _failed = true; // the output is not committed: the run did not end cleanly
            ReportError(AudioDeviceErrorKind.DeviceLost, $"{Name}: {ex.Message}");
            return BlockStatus.Failed;
        }

        left[got..].Clear();
        right[got..].Clear();
        _pendingValidFrames = (int)Math.Min(left.Length, _totalFrames - startFrame);
        return startFrame >= _totalFrames ? BlockStatus.EndOfStream : BlockStatus.Continue;
    }

    /// <inheritdoc />
    protected override BlockStatus WriteBlock(ReadOnlySpan<float> left, ReadOnlySpan<float> right, long startFrame)
    {
        int valid = _pendingValidFrames;
        int skip = (int)Math.Min(_framesToSkip, valid);
        _framesToSkip -= skip;
        AudioFileWriter? writer = _writer;
        if (writer is not null && valid > skip)
        {
            try
            {
                writer.WritePlanar(left[skip..valid], right[skip..valid]);
                Volatile.Write(ref _framesWritten, _framesWritten + valid - skip);
            }
            catch (AudioFileException ex)
            {
                FailOutput(ex);
                return BlockStatus.Failed;
            }
        }

        long end = startFrame + left.Length;
        if (end >= _totalFrames || end >= (Options.MaxFrames ?? long.MaxValue))
        {
            // The last block: complete, flush and rename here, so that a failure is reported instead of Completed.
            return TryFinishOutput() ? BlockStatus.EndOfStream : BlockStatus.Failed;
        }

        return BlockStatus.Continue;
    }

    // Completes the header, flushes the file to the disk and renames the temporary file over the output. Once per Open.
    private bool TryFinishOutput()
    {
        AudioFileWriter? writer = _writer;
        FileStream? stream = _outputStream;
        if (writer is null || stream is null || _outputPath is null)
        {
            return true;
        }

        _writer = null;
        _outputStream = null;
        try
        {
            try
            {
                writer.Complete();
                OutputFile.FlushToDisk(stream);
                stream.Dispose();
                OutputFile.Commit(_temporaryPath, _outputPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new AudioFileException(_outputPath, "write error: " + OutputFile.Describe(ex, _temporaryPath, _outputPath), ex);
            }

            return true;
        }
        catch (AudioFileException ex)
        {
            _writer = writer;
            _outputStream = stream;
            FailOutput(ex);
            DiscardOutput();
            return false;
        }
    }

    // A write error: report it once, naming the output (not the temporary file). The device is not paced, so the
    // supervisor does not reopen it (SupervisorState.Failed): a full disk does not heal by retrying.
    private void FailOutput(AudioFileException ex)
    {
        _failed = true;
        string message = $"{Name}: {OutputFile.Describe(ex, _temporaryPath, _outputPath!)}";
        ReportError(AudioDeviceErrorKind.DeviceLost, message);
    }

    // Closes the output without committing it: the temporary file is deleted, the old output stays as it was.
    private void DiscardOutput()
    {
        AudioFileWriter? writer = _writer;
        FileStream? stream = _outputStream;
        _writer = null;
        _outputStream = null;
        try
        {
            writer?.Dispose();
        }
        catch (AudioFileException)
        {
            // Already reported.
        }

        try
        {
            stream?.Dispose();
        }
        catch (IOException)
        {
            // Already reported.
        }

        if (_outputPath is not null)
        {
            OutputFile.Discard(_temporaryPath, _outputPath);
        }
    }
}
