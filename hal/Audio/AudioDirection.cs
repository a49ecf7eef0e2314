namespace HardwareMaster.Hal.Audio;

/// <summary>Which directions a device opens.</summary>
public enum AudioDirection
{
    /// <summary>Capture and playback (the box).</summary>
    Duplex,

    /// <summary>Playback only; the callback sees silent inputs (generator and file playback paths).</summary>
    OutputOnly,

    /// <summary>Capture only; the callback's outputs are discarded (live measurement).</summary>
    InputOnly,
}
