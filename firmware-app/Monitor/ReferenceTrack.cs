using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.Audio.Resampling;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Monitor;

/// <summary>
/// One reference file ready to play: its integrated loudness and a lock-free single-producer / single-consumer ring of
/// stereo frames at the device rate. The player's worker thread decodes into it (<see cref="ReferenceDecoder"/>); the
/// audio thread only copies out of it (<see cref="Read"/>: no allocation, lock or wait).
/// </summary>
internal sealed class ReferenceTrack
{
    private readonly float[] _left;
    private readonly float[] _right;
    private readonly int _mask;
    private long _written; // producer only writes
    private long _read;    // consumer only writes

    /// <summary>Creates a track with a ring of <paramref name="capacityFrames"/> (a power of two).</summary>
    public ReferenceTrack(string name, string path, int rateHz, double loudnessLufs, int capacityFrames)
    {
        if (capacityFrames < 1024 || (capacityFrames & (capacityFrames - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacityFrames), capacityFrames, "a power of two of at least 1024");
        }

        Name = name;
        Path = path;
        RateHz = rateHz;
        LoudnessLufs = loudnessLufs;
        _left = new float[capacityFrames];
        _right = new float[capacityFrames];
        _mask = capacityFrames - 1;
    }

    /// <summary>The file's name (as listed).</summary>
    public string Name { get; }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The device rate the ring holds.</summary>
    public int RateHz { get; }

    /// <summary>The file's integrated loudness as played (stereo; a mono file on both sides), LUFS.</summary>
    public double LoudnessLufs { get; }

    /// <summary>Ring capacity, frames.</summary>
    public int Capacity => _left.Length;

    /// <summary>Frames buffered (any thread; exact on either owning thread).</summary>
    public int Buffered => (int)(Volatile.Read(ref _written) - Volatile.Read(ref _read));

    /// <summary>Room for frames. Producer.</summary>
    public int Free => _left.Length - Buffered;

    /// <summary>Appends interleaved stereo frames (at most <see cref="Free"/>). Producer (the worker thread).</summary>
    /// <param name="stereo">Interleaved L/R.</param>
    /// <returns>Frames written.</returns>
    public int Write(ReadOnlySpan<float> stereo)
    {
        int frames = Math.Min(stereo.Length / 2, Free);
        long w = _written;
        for (int i = 0; i < frames; i++)
        {
            int k = (int)((w + i) & _mask);
            _left[k] = stereo[2 * i];
            _right[k] = stereo[(2 * i) + 1];
        }

        Volatile.Write(ref _written, w + frames); // publish after the samples are stored
        return frames;
    }

    /// <summary>Copies up to <c>left.Length</c> frames out. Consumer (the audio thread): no allocation, lock or wait.</summary>
    /// <returns>Frames copied (fewer when the ring ran dry).</returns>
    public int Read(Span<float> left, Span<float> right)
    {
        long r = _read;
        int frames = (int)Math.Min(left.Length, Volatile.Read(ref _written) - r);
        int start = (int)(r & _mask);
        int first = Math.Min(frames, _left.Length - start);
        _left.AsSpan(start, first).CopyTo(left);
        _right.AsSpan(start, first).CopyTo(right);
        if (frames > first)
        {
            _left.AsSpan(0, frames - first).CopyTo(left[first..]);
            _right.AsSpan(0, frames - first).CopyTo(right[first..]);
        }

        Volatile.Write(ref _read, r + frames);
        return frames;
    }
}

/// <summary>
/// Decodes a reference file into a <see cref="ReferenceTrack"/> at the device rate on the player's worker thread:
/// WAV/RF64/AIFF through <see cref="AudioFileReader"/>, sample-rate conversion through libsoxr's very-high-quality
/// recipe (<see cref="SoxrResampler"/>) when the file's rate differs. Mono plays on both sides; of more channels the
/// first two play. At the end the file starts again (a reference loops until stopped).
/// </summary>
internal sealed class ReferenceDecoder : IDisposable
{
    private const int ChunkFrames = 4096;

    private readonly string _path;
    private readonly int _outputRate;
    private readonly float[] _input;
    private readonly float[] _stereo;
    private readonly float[] _converted;
    private readonly SoxrResampler? _resampler;
    private AudioFileReader _reader;
    private int _pending; // stereo frames in _stereo not yet given to the resampler (or the ring)
    private int _pendingOffset;
    private int _convertedFrames;
    private int _convertedOffset;

    private ReferenceDecoder(string path, AudioFileReader reader, int outputRate)
    {
        _path = path;
        _reader = reader;
        _outputRate = outputRate;
        int channels = reader.Format.Channels;
        FileRateHz = reader.Format.SampleRateHz;
        _input = new float[ChunkFrames * channels];
        _stereo = new float[ChunkFrames * 2];
        if (FileRateHz != outputRate)
        {
            _resampler = new SoxrResampler(FileRateHz, outputRate, 2);
            int capacity = (int)Math.Ceiling((double)ChunkFrames * outputRate / FileRateHz) + 1024;
            _converted = new float[capacity * 2];
        }
        else
        {
            _converted = [];
        }
    }

    /// <summary>The file's own rate.</summary>
    public int FileRateHz { get; }

    /// <summary>Whether libsoxr converts the rate.</summary>
    public bool Converts => _resampler is not null;

    /// <summary>Opens <paramref name="path"/> for playback at <paramref name="outputRate"/>.</summary>
    /// <exception cref="AudioFileException">The file cannot be read or is not a supported WAV/AIFF.</exception>
    /// <exception cref="ResamplerException">libsoxr is missing or refused the rates.</exception>
    public static ReferenceDecoder Open(string path, int outputRate)
    {
        AudioFileReader reader = AudioFileReader.Open(path);
        try
        {
            Check(reader, path);
            return new ReferenceDecoder(path, reader, outputRate);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Measures the integrated loudness (ITU-R BS.1770-4, gated) of the file as it plays: stereo, a mono file on both
    /// sides. Reads the whole file once, at its own rate.
    /// </summary>
    /// <returns>LUFS; NaN when no 400 ms block passes the gates (silence, or shorter than 0.4 s).</returns>
    /// <exception cref="AudioFileException">The file cannot be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired.</exception>
    public static double MeasureLoudness(string path, CancellationToken cancel)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        Check(reader, path);
        int channels = reader.Format.Channels;
        var meter = new ProgramMeter(reader.Format.SampleRateHz, 2, measureTruePeak: false);
        var input = new float[ChunkFrames * channels];
        var left = new float[ChunkFrames];
        var right = new float[ChunkFrames];
        int frames;
        while ((frames = reader.Read(input)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            for (int i = 0; i < frames; i++)
            {
                left[i] = input[i * channels];
                right[i] = input[(i * channels) + (channels > 1 ? 1 : 0)];
            }

            meter.Process(left.AsSpan(0, frames), right.AsSpan(0, frames));
        }

        if (reader.Truncated)
        {
            throw new AudioFileException(path, "the data ends before its header says (a truncated copy?)");
        }

        return meter.TryReadGatedLoudness(out double integrated, out _) ? integrated : double.NaN;
    }

    /// <summary>Decodes and converts into <paramref name="track"/> while it has room, up to about <paramref name="maxFrames"/>.</summary>
    /// <returns>Frames written (0 when the ring is full).</returns>
    /// <exception cref="AudioFileException">The file failed (the stick was pulled).</exception>
    /// <exception cref="ResamplerException">libsoxr failed.</exception>
    public int Pump(ReferenceTrack track, int maxFrames)
    {
        int written = 0;
        while (written < maxFrames)
        {
            // What a previous call could not hand over first.
            if (_convertedOffset < _convertedFrames)
            {
                int n = track.Write(_converted.AsSpan(_convertedOffset * 2, (_convertedFrames - _convertedOffset) * 2));
                _convertedOffset += n;
                written += n;
                if (_convertedOffset < _convertedFrames)
                {
                    return written; // the ring is full
                }
            }

            if (_pendingOffset >= _pending)
            {
                if (!Decode())
                {
                    return written;
                }
            }

            if (_resampler is null)
            {
                int n = track.Write(_stereo.AsSpan(_pendingOffset * 2, (_pending - _pendingOffset) * 2));
                _pendingOffset += n;
                written += n;
                if (_pendingOffset < _pending)
                {
                    return written;
                }

                continue;
            }

            int produced = _resampler.Process(_stereo.AsSpan(_pendingOffset * 2, (_pending - _pendingOffset) * 2), _converted, out int used);
            _pendingOffset += used;
            _convertedFrames = produced;
            _convertedOffset = 0;
            if (produced == 0 && used == 0)
            {
                throw new ResamplerException($"{SoxrResampler.LibraryName} stalled converting {_path}");
            }
        }

        return written;
    }

    /// <summary>Closes the file and the converter.</summary>
    public void Dispose()
    {
        _reader.Dispose();
        _resampler?.Dispose();
    }

    private static void Check(AudioFileReader reader, string path)
    {
        AudioFileFormat format = reader.Format;
        if (format.Channels < 1)
        {
            throw new AudioFileException(path, "has no channels");
        }

        if (format.SampleRateHz is < 8000 or > 384000)
        {
            throw new AudioFileException(path, $"sample rate {format.SampleRateHz} Hz is outside 8 000 – 384 000 Hz");
        }

        if (format.LengthFrames == 0)
        {
            throw new AudioFileException(path, "holds no audio");
        }
    }

    // Reads the next chunk into _stereo; at the end opens the file again (loop). False when a loop gave nothing.
    private bool Decode()
    {
        int channels = _reader.Format.Channels;
        int frames = _reader.Read(_input);
        if (frames == 0)
        {
            if (_reader.Truncated)
            {
                throw new AudioFileException(_path, "the data ends before its header says (a truncated copy, or the stick was pulled)");
            }

            _reader.Dispose();
            _reader = AudioFileReader.Open(_path); // a stick pulled now fails here
            if (_reader.Format.Channels != channels)
            {
                throw new AudioFileException(_path, "changed while playing");
            }

            frames = _reader.Read(_input);
            if (frames == 0)
            {
                return false;
            }
        }

        for (int i = 0; i < frames; i++)
        {
            _stereo[2 * i] = _input[i * channels];
            _stereo[(2 * i) + 1] = _input[(i * channels) + (channels > 1 ? 1 : 0)];
        }

        _pending = frames;
        _pendingOffset = 0;
        return true;
    }
}
