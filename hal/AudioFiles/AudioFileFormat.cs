namespace HardwareMaster.Hal.AudioFiles;

/// <summary>What an audio file holds.</summary>
/// <param name="Container">The container the file uses.</param>
/// <param name="Encoding">How each sample is stored.</param>
/// <param name="SampleRateHz">Frames per second.</param>
/// <param name="Channels">1 (mono) or 2 (stereo).</param>
/// <param name="LengthFrames">
/// Frames in the file. From a reader: the frames it will deliver, i.e. the declared length clamped to
/// what the file really holds when the stream is seekable (see <see cref="AudioFileReader.Truncated"/>);
/// on a non-seekable stream the declared length.
/// </param>
public sealed record AudioFileFormat(AudioContainer Container, SampleEncoding Encoding, int SampleRateHz, int Channels, long LengthFrames)
{
    /// <summary>Bits per stored sample (16, 24, 32 or 64).</summary>
    public int BitsPerSample => SampleEncodings.BitsPerSample(Encoding);

    /// <summary>Bytes per stored sample of one channel.</summary>
    public int BytesPerSample => SampleEncodings.BytesPerSample(Encoding);

    /// <summary>Bytes per frame (all channels).</summary>
    public int BlockAlignBytes => BytesPerSample * Channels;

    /// <summary>Whether the samples are IEEE float.</summary>
    public bool IsFloat => SampleEncodings.IsFloat(Encoding);

    /// <summary>Length in seconds (0 when the sample rate is not positive).</summary>
    public double DurationSeconds => SampleRateHz > 0 ? (double)LengthFrames / SampleRateHz : 0.0;

    /// <summary>One line for people, e.g. "WAV PCM 24-bit, 48000 Hz, stereo" or "AIFF-C float 32-bit, 96000 Hz, mono".</summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        string kind = IsFloat ? "float" : "PCM";
        string layout = Channels switch
        {
            1 => "mono",
            2 => "stereo",
            _ => $"{Channels} channels",
        };
        return $"{AudioContainers.DisplayName(Container)} {kind} {BitsPerSample}-bit, {SampleRateHz} Hz, {layout}";
    }
}
