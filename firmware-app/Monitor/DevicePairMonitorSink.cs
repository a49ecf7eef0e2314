namespace HardwareMaster.App.Monitor;

/// <summary>
/// The monitor sink of a 4+-output interface (issue 14, `run --channel-map master=1,2 monitor=3,4`): keeps the block's
/// monitor signal for <see cref="Engine.AudioEngine"/> to copy into the device's monitor pair
/// (<see cref="Hal.Audio.AudioBuffers.MonitorLeft"/>) after <see cref="MonitorPath"/> rendered it. The device output
/// (the master pair) is then never touched by the monitor path. Audio thread, allocation-free.
/// </summary>
public sealed class DevicePairMonitorSink : IMonitorSink
{
    // The largest block any device opens (AudioDeviceOptions.Validate), so a reopen with a bigger block needs nothing new.
    private const int MaxBlockFrames = 8192;

    private readonly float[] _left = new float[MaxBlockFrames];
    private readonly float[] _right = new float[MaxBlockFrames];
    private int _frames;

    /// <inheritdoc />
    public void Write(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        int n = Math.Min(left.Length, MaxBlockFrames);
        left[..n].CopyTo(_left);
        right[..n].CopyTo(_right);
        _frames = n;
    }

    /// <summary>Copies the block written since the last call into the device's monitor pair (else leaves it silent).</summary>
    /// <param name="left">The monitor pair, left (cleared by the device).</param>
    /// <param name="right">The monitor pair, right.</param>
    /// <returns>False when nothing of this block's length was written (warm-up, no path): the pair stays as it was.</returns>
    internal bool CopyTo(Span<float> left, Span<float> right)
    {
        int frames = _frames;
        _frames = 0;
        if (frames != left.Length || frames != right.Length)
        {
            return false;
        }

        _left.AsSpan(0, frames).CopyTo(left);
        _right.AsSpan(0, frames).CopyTo(right);
        return true;
    }
}
