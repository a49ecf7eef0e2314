namespace HardwareMaster.App.Simulator;

/// <summary>Thrown for a script line that cannot be read; the message is <c>FILE:LINE: why</c>.</summary>
public sealed class BoxScriptException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the file and line.</param>
    public BoxScriptException(string message)
        : base(message)
    {
    }
}
