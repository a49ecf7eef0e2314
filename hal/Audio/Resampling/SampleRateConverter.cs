using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.Hal.Audio.Resampling;

/// <summary>
/// File-to-file sample-rate conversion through <see cref="SoxrResampler"/>: reads any supported audio file and writes a
/// 32-bit float WAV (RF64 when it would not fit) at the new rate, exactly <see cref="ExpectedFrames"/> frames long and
/// aligned with the input. No gain, no dither, no clipping: float keeps inter-sample overs for the limiter that follows.
/// </summary>
public static class SampleRateConverter
{
    private const int ChunkFrames = 16384;

    /// <summary>Frames a conversion of <paramref name="inputFrames"/> writes: round(frames × out / in).</summary>
    /// <param name="inputFrames">Input length.</param>
    /// <param name="inputRateHz">Input rate.</param>
    /// <param name="outputRateHz">Output rate.</param>
    /// <returns>The output length in frames.</returns>
    public static long ExpectedFrames(long inputFrames, int inputRateHz, int outputRateHz) =>
        (long)Math.Round((double)inputFrames * outputRateHz / inputRateHz, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Converts <paramref name="inputPath"/> to <paramref name="outputRateHz"/> into <paramref name="outputPath"/>, a new
    /// file (an existing one — or a link, FIFO or device at that name — is refused, never replaced), written directly:
    /// callers that need an atomic result write to a temporary path.
    /// </summary>
    /// <param name="inputPath">Source file.</param>
    /// <param name="outputPath">File to write (32-bit float WAV).</param>
    /// <param name="outputRateHz">New sample rate.</param>
    /// <param name="progress">Progress 0…1 (null = none).</param>
    /// <param name="cancellation">Stops the conversion between chunks.</param>
    /// <returns>The format written.</returns>
    /// <exception cref="AudioFileException">The input cannot be read or the output cannot be written.</exception>
    /// <exception cref="ResamplerException">libsoxr is missing or refused the rates.</exception>
    public static AudioFileFormat ConvertFile(string inputPath, string outputPath, int outputRateHz, Action<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputPath);
        ArgumentNullException.ThrowIfNull(outputPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputRateHz, 1000);
        using AudioFileReader reader = AudioFileReader.Open(inputPath);
        AudioFileFormat format = reader.Format;
        int channels = format.Channels;
        long expected = ExpectedFrames(format.LengthFrames, format.SampleRateHz, outputRateHz);
        using var resampler = new SoxrResampler(format.SampleRateHz, outputRateHz, channels);
        AudioContainer container = (expected * channels * 4) + 4096 > uint.MaxValue ? AudioContainer.Rf64 : AudioContainer.Wav;

        FileStream stream;
        try
        {
            stream = new FileStream(outputPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AudioFileException(outputPath, "cannot create: " + ex.Message, ex);
        }

        using (stream)
        {
            using AudioFileWriter writer = AudioFileWriter.Create(stream, outputPath, container, SampleEncoding.Float32, outputRateHz, channels, leaveOpen: true);
            var input = new float[ChunkFrames * channels];
            int outCapacity = (int)Math.Ceiling((double)ChunkFrames * outputRateHz / format.SampleRateHz) + 1024;
            var output = new float[outCapacity * channels];
            long written = 0;
            long read = 0;
            void Emit(int frames)
            {
                int keep = (int)Math.Min(frames, expected - written);
                if (keep > 0)
                {
                    writer.Write(output.AsSpan(0, keep * channels));
                    written += keep;
                }
            }

            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                int frames = reader.Read(input);
                if (frames == 0)
                {
                    break;
                }

                read += frames;
                int offset = 0;
                while (offset < frames)
                {
                    int produced = resampler.Process(input.AsSpan(offset * channels, (frames - offset) * channels), output, out int used);
                    Emit(produced);
                    offset += used;
                    if (used == 0 && produced == 0)
                    {
                        throw new ResamplerException($"{SoxrResampler.LibraryName} stalled converting {inputPath}");
                    }
                }

                progress?.Invoke(format.LengthFrames > 0 ? Math.Min(1.0, (double)read / format.LengthFrames) : 0);
            }

            int drained;
            while ((drained = resampler.Flush(output)) > 0)
            {
                Emit(drained);
            }

            // libsoxr's total is round(frames × ratio) within a frame: pad the last frame with silence if it was short.
            if (written < expected)
            {
                output.AsSpan().Clear();
                while (written < expected)
                {
                    Emit((int)Math.Min(outCapacity, expected - written));
                }
            }

            writer.Complete();
            stream.Flush();
            progress?.Invoke(1.0);
            return writer.Format;
        }
    }
}
