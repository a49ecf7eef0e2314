using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Concurrency;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Monitor;

/// <summary>
/// `run --monitor-output file:PATH`: the monitor path written to a stereo 32-bit float audio file, off the audio thread.
/// <see cref="Write"/> (audio thread) copies each block, interleaved, into a preallocated lock-free single-producer /
/// single-consumer ring and pushes a header (<see cref="SpscRing{T}"/>); a writer thread drains it into the file.
/// </summary>
/// <remarks>
/// <para>Audio thread: no allocation, lock, wait or I/O. When the ring is full the block is dropped and counted
/// (<see cref="DroppedFrames"/>); the writer puts the same number of frames of silence in its place, so the file keeps
/// the timeline.</para>
/// <para>Nothing lost (<see cref="OutputFile"/>): the file is written to a hidden temporary file beside it, flushed
/// (fsync) and renamed over it by <see cref="Finish"/> when the run ended cleanly; otherwise (or on a write error) the
/// temporary file is deleted and an old file of that name stays as it was.</para>
/// <para>Alignment with a file run's <c>--output</c>: the first <c>skipFrames()</c> frames (the engine's latency, read
/// when the first block arrives) are dropped and at most <c>maxFrames</c> are written, as the file device does.</para>
/// </remarks>
public sealed class MonitorFileSink : IMonitorSink, IDisposable
{
    private const int ChunkFrames = 4096;
    private readonly float[] _samples;
    private readonly long _mask;
    private readonly SpscRing<Chunk> _blocks;
    private readonly string _path;
    private readonly FileStream _stream;
    private readonly string _temporary;
    private readonly AudioFileWriter _writer;
    private readonly Func<int>? _skipFrames;
    private readonly long _maxFrames;
    private readonly float[] _scratch = new float[ChunkFrames * 2];
    private readonly Thread _thread;
    private long _tail; // samples written; producer only
    private long _head; // samples read; consumer writes
    private long _pendingSilence; // producer only
    private long _droppedFrames; // producer writes
    private long _framesWritten; // consumer writes
    private long _skipLeft = -1; // consumer only
    private volatile bool _stop;
    private bool _finished;
    private string? _error; // consumer writes, read after join

    private MonitorFileSink(string path, FileStream stream, string temporary, AudioFileWriter writer, long capacitySamples, Func<int>? skipFrames, long? maxFrames)
    {
        _path = path;
        _stream = stream;
        _temporary = temporary;
        _writer = writer;
        _samples = new float[capacitySamples];
        _mask = capacitySamples - 1;
        _blocks = new SpscRing<Chunk>(checked((int)Math.Min(1 << 20, Math.Max(64, capacitySamples / 32))));
        _skipFrames = skipFrames;
        _maxFrames = maxFrames ?? long.MaxValue;
        _thread = new Thread(WriterLoop) { IsBackground = true, Name = "hm-monitor-file" };
        _thread.Start();
    }

    /// <summary>The file the user asked for.</summary>
    public string Path => _path;

    /// <summary>Blocks' frames lost because the ring was full (replaced by silence in the file). Any thread.</summary>
    public long DroppedFrames => Volatile.Read(ref _droppedFrames);

    /// <summary>Frames in the file so far. Any thread.</summary>
    public long FramesWritten => Volatile.Read(ref _framesWritten);

    /// <summary>Ring capacity, frames.</summary>
    public long CapacityFrames => _samples.Length / 2;

    /// <summary>Opens the temporary file and starts the writer thread. Control thread.</summary>
    /// <param name="path">The monitor file (already checked with <see cref="AudioContainers.CheckOutput"/>).</param>
    /// <param name="sampleRateHz">The stream rate (the file's).</param>
    /// <param name="ringSeconds">Audio the ring holds at that rate.</param>
    /// <param name="skipFrames">Frames to drop at the start (read at the first block), or null.</param>
    /// <param name="maxFrames">Most frames to write, or null.</param>
    /// <returns>The sink.</returns>
    /// <exception cref="AudioFileException">The file cannot be created (the message names <paramref name="path"/>).</exception>
    public static MonitorFileSink Create(string path, int sampleRateHz, double ringSeconds, Func<int>? skipFrames = null, long? maxFrames = null)
    {
        if (AudioContainers.CheckOutput(path, out OutputMode mode) is string problem)
        {
            throw new AudioFileException(path, problem);
        }

        AudioContainer container = AudioContainers.ForOutput(path, mode);
        if (container == AudioContainer.Aiff)
        {
            container = AudioContainer.Aifc; // plain AIFF has no float encoding
        }

        long wanted = Math.Max((long)(sampleRateHz * ringSeconds) * 2, 1L << 16);
        long capacity = 1;
        while (capacity < wanted)
        {
            capacity <<= 1;
        }

        string temporary = string.Empty;
        FileStream? stream = null;
        try
        {
            stream = OutputFile.Open(path, mode, out temporary);
            OutputFile.Untrack(temporary); // the host stops gracefully on SIGTERM/SIGINT, and a clean stop commits
            AudioFileWriter writer = AudioFileWriter.Create(stream, path, container, SampleEncoding.Float32, sampleRateHz, 2, leaveOpen: true);
            return new MonitorFileSink(path, stream, temporary, writer, capacity, skipFrames, maxFrames);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AudioFileException)
        {
            stream?.Dispose();
            OutputFile.Discard(temporary, path);
            throw ex as AudioFileException ?? new AudioFileException(path, "cannot create: " + OutputFile.Describe(ex, temporary, path), ex);
        }
    }

    /// <inheritdoc />
    public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        int frames = Math.Min(left.Length, right.Length);
        long need = (long)frames * 2;
        long tail = _tail;
        if (_stop || need > _samples.Length - (tail - Volatile.Read(ref _head)) || _blocks.Count >= _blocks.Capacity)
        {
            _pendingSilence += frames;
            Volatile.Write(ref _droppedFrames, _droppedFrames + frames);
            return;
        }

        float[] samples = _samples;
        long mask = _mask;
        for (int i = 0; i < frames; i++)
        {
            samples[(tail + (2 * i)) & mask] = left[i];
            samples[(tail + (2 * i) + 1) & mask] = right[i];
        }

        _tail = tail + need;
        _blocks.TryWrite(new Chunk(frames, _pendingSilence)); // publishes the samples (release)
        _pendingSilence = 0;
    }

    /// <summary>
    /// Stops the writer after it has written every queued block, then commits the file (<paramref name="commit"/>: the
    /// run ended cleanly) or discards it. Control thread, after the audio stopped. Once.
    /// </summary>
    /// <param name="commit">Rename the file over <see cref="Path"/>.</param>
    /// <returns>The problem in one line naming the file, or null.</returns>
    public string? Finish(bool commit)
    {
        if (_finished)
        {
            return null;
        }

        _finished = true;
        _stop = true;
        _thread.Join();
        if (_error is null && commit)
        {
            try
            {
                WriteSilence(_pendingSilence); // blocks dropped at the very end
                _writer.Complete();
                OutputFile.FlushToDisk(_stream);
                _stream.Dispose();
                OutputFile.Commit(_temporary, _path);
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AudioFileException)
            {
                _error = ex is AudioFileException
                    ? "--monitor-output " + OutputFile.Describe(ex, _temporary, _path)
                    : $"--monitor-output {_path}: write error: {OutputFile.Describe(ex, _temporary, _path)}";
            }
        }

        try
        {
            _writer.Dispose();
        }
        catch (AudioFileException)
        {
            // Reported (or the run did not end cleanly).
        }

        _stream.Dispose();
        OutputFile.Discard(_temporary, _path);
        return _error;
    }

    /// <inheritdoc />
    public void Dispose() => Finish(commit: false);

    private void WriterLoop()
    {
        while (true)
        {
            bool stopping = _stop; // read before the ring: after the stop, everything queued is drained
            if (_blocks.TryRead(out Chunk chunk))
            {
                Consume(chunk);
                continue;
            }

            if (stopping)
            {
                return;
            }

            Thread.Sleep(2);
        }
    }

    private void Consume(Chunk chunk)
    {
        long head = _head;
        try
        {
            if (_error is null)
            {
                WriteSilence(chunk.SilenceBefore);
            }

            int left = chunk.Frames;
            while (left > 0)
            {
                int n = Math.Min(left, ChunkFrames);
                for (int i = 0; i < n * 2; i++)
                {
                    _scratch[i] = _samples[(head + i) & _mask];
                }

                head += n * 2;
                left -= n;
                if (_error is null)
                {
                    Append(_scratch.AsSpan(0, n * 2));
                }
            }
        }
        catch (AudioFileException ex)
        {
            _error = "--monitor-output " + OutputFile.Describe(ex, _temporary, _path);
        }
        finally
        {
            Volatile.Write(ref _head, _head + ((long)chunk.Frames * 2)); // release the slots
        }
    }

    private void WriteSilence(long frames)
    {
        if (frames <= 0)
        {
            return;
        }

        Array.Clear(_scratch);
        while (frames > 0)
        {
            int n = (int)Math.Min(frames, ChunkFrames);
            Append(_scratch.AsSpan(0, n * 2));
            frames -= n;
        }
    }

    private void Append(ReadOnlySpan<float> interleaved)
    {
        if (_skipLeft < 0)
        {
            _skipLeft = Math.Max(0, _skipFrames?.Invoke() ?? 0);
        }

        int frames = interleaved.Length / 2;
        int skip = (int)Math.Min(_skipLeft, frames);
        _skipLeft -= skip;
        long room = _maxFrames - _framesWritten;
        int n = (int)Math.Min(frames - skip, room);
        if (n > 0)
        {
            _writer.Write(interleaved.Slice(skip * 2, n * 2));
            Volatile.Write(ref _framesWritten, _framesWritten + n);
        }
    }

    private readonly record struct Chunk(int Frames, long SilenceBefore);
}
