namespace HardwareMaster.App.Assistant.Check;

/// <summary>What the mix is stored as (a file's header, or the box's input format).</summary>
/// <param name="SampleRateHz">Frames per second.</param>
/// <param name="Channels">1 or 2.</param>
/// <param name="BitsPerSample">Bits per stored sample (16, 24, 32, 64).</param>
/// <param name="IsFloat">IEEE float samples.</param>
/// <param name="Description">One line for people, e.g. "WAV PCM 24-bit, 48000 Hz, stereo".</param>
internal sealed record MixFormat(int SampleRateHz, int Channels, int BitsPerSample, bool IsFloat, string Description);
