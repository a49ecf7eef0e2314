using System.Globalization;
using HardwareMaster.Hal.Audio.Resampling;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Files;

namespace HardwareMaster.App.Assistant.Album;

/// <summary>
/// A source converted to the delivery rate before mastering (<c>render --rate</c>, <c>album --cd</c>): a hidden 32-bit
/// float WAV <c>.NAME.srcPID.wav</c> beside the output (in the system temporary folder when the output is a device),
/// written through libsoxr (<see cref="SampleRateConverter"/>). The chain then runs at the delivery rate, so the true-peak
/// limiter and the dither act on the samples that are delivered. The temporary is tracked (deleted on SIGINT/SIGTERM/SIGHUP)
/// and deleted by <see cref="Dispose"/>, also after an error.
/// </summary>
internal sealed class ConvertedSource : IDisposable
{
    private readonly string? _temporary;

    private ConvertedSource(string path, string? temporary, int sourceRateHz)
    {
        Path = path;
        _temporary = temporary;
        SourceRateHz = sourceRateHz;
    }

    /// <summary>The file to master: the temporary, or the input itself when it is already at the rate.</summary>
    public string Path { get; }

    /// <summary>Whether a conversion ran.</summary>
    public bool Converted => _temporary is not null;

    /// <summary>The input's own rate.</summary>
    public int SourceRateHz { get; }

    /// <summary>Lowest and highest rate accepted (the meters' range).</summary>
    public const int MinRateHz = 8000, MaxRateHz = 384000;

    /// <summary>The hidden temporary for <paramref name="outputPath"/>: <c>.NAME.srcPID.wav</c> beside it (or in the temp folder for a device).</summary>
    /// <param name="outputPath">The final output.</param>
    /// <returns>The temporary path.</returns>
    public static string TemporaryPathFor(string outputPath)
    {
        string full = System.IO.Path.GetFullPath(outputPath);
        string folder = FileIdentity.Of(full).Kind is FileKind.Regular or FileKind.Missing
            ? System.IO.Path.GetDirectoryName(full)!
            : System.IO.Path.GetTempPath();
        return System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileNameWithoutExtension(full)}.src{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.wav");
    }

    /// <summary>Converts <paramref name="inputPath"/> to <paramref name="rateHz"/> beside <paramref name="outputPath"/> (nothing when it is at that rate).</summary>
    /// <param name="inputPath">The user's input.</param>
    /// <param name="outputPath">The user's output (the temporary goes beside it).</param>
    /// <param name="rateHz">Delivery rate.</param>
    /// <param name="progress">Progress 0…1 (null = none).</param>
    /// <returns>The source to master; dispose it to delete the temporary.</returns>
    /// <exception cref="AudioFileException">The input cannot be read or the temporary cannot be written (the message names the user's paths).</exception>
    /// <exception cref="ResamplerException">libsoxr is missing or refused the rates.</exception>
    public static ConvertedSource Create(string inputPath, string outputPath, int rateHz, Action<double>? progress = null)
    {
        int sourceRate;
        using (AudioFileReader probe = AudioFileReader.Open(inputPath))
        {
            sourceRate = probe.Format.SampleRateHz;
        }

        if (sourceRate == rateHz)
        {
            return new ConvertedSource(inputPath, null, sourceRate);
        }

        string temporary = TemporaryPathFor(outputPath);
        Delete(temporary); // a stale copy of an earlier run with this process id (killed before it could clean up)

        OutputFile.Track(temporary);
        try
        {
            SampleRateConverter.ConvertFile(inputPath, temporary, rateHz, progress);
            return new ConvertedSource(temporary, temporary, sourceRate);
        }
        catch (AudioFileException ex) when (ex.Message.Contains(temporary, StringComparison.Ordinal))
        {
            Delete(temporary);
            throw new AudioFileException(outputPath, "cannot write the rate-converted copy beside it: " + ex.Problem.Replace(temporary, outputPath, StringComparison.Ordinal), ex);
        }
        catch
        {
            Delete(temporary);
            throw;
        }
    }

    /// <summary>An error message of the mastering with the temporary's path replaced by the user's input.</summary>
    /// <param name="message">The message.</param>
    /// <param name="inputPath">The user's input.</param>
    /// <returns>The message naming the user's file.</returns>
    public string Rename(string message, string inputPath) =>
        _temporary is null ? message : message.Replace(_temporary, inputPath, StringComparison.Ordinal);

    /// <summary>Deletes the temporary (if any).</summary>
    public void Dispose()
    {
        if (_temporary is not null)
        {
            Delete(_temporary);
        }
    }

    // Removes the temporary when it is a regular file (the converter never writes anything else: a FIFO or a device
    // that stands at that name is refused by it and left alone here).
    private static void Delete(string temporary)
    {
        try
        {
            if (FileIdentity.Of(temporary).Kind == FileKind.Regular)
            {
                File.Delete(temporary);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A hidden leftover beside the output; nothing else depends on it.
        }

        OutputFile.Untrack(temporary);
    }
}
