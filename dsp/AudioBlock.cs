namespace HardwareMaster.Dsp;

/// <summary>
/// A planar block of audio: one contiguous span per channel, all of the same length.
/// Mono or stereo; the box and the chain are stereo, files may be mono.
/// </summary>
public readonly ref struct AudioBlock
{
    /// <summary>The most channels a block carries.</summary>
    public const int MaxChannels = 2;

    private readonly Span<float> _left;
    private readonly Span<float> _right;

    /// <summary>A mono block.</summary>
    public AudioBlock(Span<float> mono)
    {
        _left = mono;
        _right = default;
        Channels = 1;
    }

    /// <summary>A stereo block; both spans must have the same length.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public AudioBlock(Span<float> left, Span<float> right)
    {
        if (left.Length != right.Length)
        {
            throw new ArgumentException($"Left has {left.Length} frames but right has {right.Length}.", nameof(right));
        }

        _left = left;
        _right = right;
        Channels = 2;
    }

    /// <summary>Number of channels (1 or 2).</summary>
    public int Channels { get; }

    /// <summary>Number of frames (samples per channel).</summary>
    public int Frames => _left.Length;

    /// <summary>The samples of channel <paramref name="index"/> (0 = left/mono, 1 = right).</summary>
    public Span<float> Channel(int index) => index == 0 ? _left : _right;

    /// <summary>A view of frames <paramref name="start"/> .. <paramref name="start"/>+<paramref name="frames"/>.</summary>
    public AudioBlock Slice(int start, int frames) =>
        Channels == 1 ? new AudioBlock(_left.Slice(start, frames)) : new AudioBlock(_left.Slice(start, frames), _right.Slice(start, frames));
}
