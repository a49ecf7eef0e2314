namespace HardwareMaster.Hal.Audio.Resampling;

/// <summary>The sample-rate converter cannot run: libsoxr is missing, or it refused the conversion.</summary>
public sealed class ResamplerException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line saying what went wrong.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ResamplerException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
