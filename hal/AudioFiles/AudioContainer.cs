using HardwareMaster.Hal.Files;

namespace HardwareMaster.Hal.AudioFiles;

/// <summary>The file container (the chunk structure around the samples).</summary>
public enum AudioContainer
{
    /// <summary>RIFF/WAVE (Microsoft). Little-endian samples; a writer upgrades it to RF64 in place past 4 GiB.</summary>
    Wav,

    /// <summary>RF64/WAVE (EBU Tech 3306): WAV with 64-bit sizes in a 'ds64' chunk, for files larger than 4 GiB.</summary>
    Rf64,

    /// <summary>AIFF (Apple, 1989): big-endian integer PCM only.</summary>
    Aiff,

    /// <summary>AIFF-C (Apple, 1991): AIFF plus a compression type ('NONE', 'sowt', 'fl32', 'fl64', ...).</summary>
    Aifc,
}

/// <summary>Helpers for choosing a container.</summary>
public static class AudioContainers
{
    /// <summary>
    /// Picks the container from a file name's extension (case-insensitive):
    /// <c>.wav</c>/<c>.wave</c> → <see cref="AudioContainer.Wav"/>, <c>.rf64</c> → <see cref="AudioContainer.Rf64"/>,
    /// <c>.aif</c>/<c>.aiff</c> → <see cref="AudioContainer.Aiff"/>, <c>.aifc</c> → <see cref="AudioContainer.Aifc"/>.
    /// </summary>
    /// <param name="path">A file name or path.</param>
    /// <returns>The container the extension stands for.</returns>
    /// <exception cref="AudioFileException">The extension is missing or not one of the above.</exception>
    public static AudioContainer FromExtension(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".wav" or ".wave" => AudioContainer.Wav,
            ".rf64" => AudioContainer.Rf64,
            ".aif" or ".aiff" => AudioContainer.Aiff,
            ".aifc" => AudioContainer.Aifc,
            "" => throw new AudioFileException(path, "no file extension: use .wav, .wave, .rf64, .aif, .aiff or .aifc"),
            _ => throw new AudioFileException(path, $"unknown audio file extension '{extension}': use .wav, .wave, .rf64, .aif, .aiff or .aifc"),
        };
    }

    /// <summary>
    /// The rule for an audio file output, shared by <c>render</c>, <c>run</c>'s file device and <c>demo</c>:
    /// <see cref="OutputFile.Check"/> (never one of <paramref name="inputs"/>, never replace what is not a regular file),
    /// and no FIFO (the header is completed at the end, so an audio file must be seekable).
    /// </summary>
    /// <param name="path">The output path.</param>
    /// <param name="mode">How it is to be written (atomic or direct).</param>
    /// <param name="inputs">Files the output must not be.</param>
    /// <returns>The problem, without the path; <c>null</c> when it can be written.</returns>
    public static string? CheckOutput(string path, out OutputMode mode, params string?[] inputs)
    {
        if (OutputFile.Check(path, out mode, inputs) is string problem)
        {
            return problem;
        }

        return FileIdentity.Of(path).Kind == FileKind.Fifo
            ? "is a pipe/FIFO; an audio file needs a seekable file (its header is completed at the end)"
            : null;
    }

    /// <summary>The container an output is written in: from its extension; WAV for a device written directly without one (<c>/dev/null</c>).</summary>
    /// <param name="path">The output path.</param>
    /// <param name="mode">From <see cref="CheckOutput"/>.</param>
    /// <returns>The container.</returns>
    /// <exception cref="AudioFileException">The extension is missing (on a regular file) or unknown.</exception>
    public static AudioContainer ForOutput(string path, OutputMode mode) =>
        mode == OutputMode.Direct && Path.GetExtension(path).Length == 0 ? AudioContainer.Wav : FromExtension(path);

    /// <summary>The short display name of a container ("WAV", "RF64", "AIFF", "AIFF-C").</summary>
    /// <param name="container">The container.</param>
    /// <returns>Its name as used in messages.</returns>
    public static string DisplayName(AudioContainer container) => container switch
    {
        AudioContainer.Wav => "WAV",
        AudioContainer.Rf64 => "RF64",
        AudioContainer.Aiff => "AIFF",
        AudioContainer.Aifc => "AIFF-C",
        _ => container.ToString(),
    };
}
