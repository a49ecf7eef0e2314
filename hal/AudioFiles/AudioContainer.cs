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
