namespace HardwareMaster.Hal.AudioFiles;

/// <summary>
/// A file could not be read or written. <see cref="Exception.Message"/> is exactly one line,
/// "&lt;path&gt;: &lt;problem&gt;", e.g. "mix.wav: fmt chunk says 0 channels", fit to show a user as is.
/// </summary>
public sealed class AudioFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The file (or display name of the stream) the problem is in.</param>
    /// <param name="problem">What is wrong, in a few words, without the path.</param>
    public AudioFileException(string filePath, string problem)
        : this(filePath, problem, null)
    {
    }

    /// <summary>Creates the exception with the exception that caused it.</summary>
    /// <param name="filePath">The file (or display name of the stream) the problem is in.</param>
    /// <param name="problem">What is wrong, in a few words, without the path.</param>
    /// <param name="innerException">The underlying I/O error, if any.</param>
    public AudioFileException(string filePath, string problem, Exception? innerException)
        : base(OneLine(filePath) + ": " + OneLine(problem), innerException)
    {
        FilePath = filePath;
        Problem = OneLine(problem);
    }

    /// <summary>The file (or display name of the stream) the problem is in.</summary>
    public string FilePath { get; }

    /// <summary>The problem without the path.</summary>
    public string Problem { get; }

    private static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "(unnamed)";
        }

        return text.ReplaceLineEndings(" ").Trim();
    }
}
