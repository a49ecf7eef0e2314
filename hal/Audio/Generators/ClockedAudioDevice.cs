using System.Diagnostics;

namespace HardwareMaster.Hal.Audio.Generators;

/// <summary>Receives the output blocks of a generator or simulated device (tests, demo). Called on the audio thread.</summary>
/// <param name="left">Left channel of the block.</param>
/// <param name="right">Right channel of the block.</param>
/// <param name="startFrame">Absolute frame index of the block.</param>
public delegate void AudioOutputTap(ReadOnlySpan<float> left, ReadOnlySpan<float> right, long startFrame);

/// <summary>
/// A device without hardware: input from an <see cref="IAudioSignal"/>, output to an optional <see cref="AudioOutputTap"/>,
/// paced by the wall clock (absolute deadlines, no drift) or unpaced (as fast as possible).
/// </summary>
public abstract class ClockedAudioDevice : ThreadedAudioDevice
{
    private readonly IAudioSignal _signal;
    private long _startTimestamp;

    /// <summary>Initialises the device.</summary>
    /// <param name="name">Display name including the scheme.</param>
    /// <param name="options">Options; <see cref="AudioDeviceOptions.Paced"/> selects the clock.</param>
    /// <param name="signal">The input signal.</param>
    protected ClockedAudioDevice(string name, AudioDeviceOptions options, IAudioSignal signal)
        : base(name, options)
    {
        ArgumentNullException.ThrowIfNull(signal);
        _signal = signal;
    }

    /// <summary>Receives every output block (audio thread). Set before <see cref="IAudioDevice.Start"/>.</summary>
    public AudioOutputTap? OutputTap { get; set; }

    /// <summary>
    /// Receives every block of the monitor pair when the options map one (<see cref="AudioDeviceOptions.OutputMap"/>), just
    /// before <see cref="OutputTap"/> gets the master of the same block (audio thread). Set before <see cref="IAudioDevice.Start"/>.
    /// </summary>
    public AudioOutputTap? MonitorTap { get; set; }

    /// <inheritdoc />
    public override bool IsPaced => Options.Paced;

    /// <inheritdoc />
    protected override void Open()
    {
        InputLatencyFrames = 0;
        OutputLatencyFrames = 0;
    }

    /// <inheritdoc />
    protected override void Close()
    {
    }

    /// <inheritdoc />
    protected override BlockStatus BeginStream()
    {
        _startTimestamp = Stopwatch.GetTimestamp();
        return BlockStatus.Continue;
    }

    /// <inheritdoc />
    protected override BlockStatus ReadBlock(Span<float> left, Span<float> right, long startFrame)
    {
        _signal.Render(left, right, startFrame);
        return BlockStatus.Continue;
    }

    /// <inheritdoc />
    protected override BlockStatus WriteBlock(ReadOnlySpan<float> left, ReadOnlySpan<float> right, long startFrame)
    {
        DeliverMonitor(startFrame);
        OutputTap?.Invoke(left, right, startFrame);
        if (Options.Paced)
        {
            WaitUntilFrame(startFrame + left.Length);
        }

        return BlockStatus.Continue;
    }

    /// <summary>Hands the block's monitor pair to <see cref="MonitorTap"/> (when the options map one). Audio thread.</summary>
    /// <param name="startFrame">Frame index of the block.</param>
    protected void DeliverMonitor(long startFrame)
    {
        if (!MonitorOutputLeft.IsEmpty)
        {
            MonitorTap?.Invoke(MonitorOutputLeft, MonitorOutputRight, startFrame);
        }
    }

    /// <summary>Sleeps until <paramref name="frame"/> frames of wall time have passed since start (or a stop is requested).</summary>
    /// <param name="frame">Frames since start.</param>
    protected void WaitUntilFrame(long frame)
    {
        long due = _startTimestamp + (long)((double)frame * Stopwatch.Frequency / SampleRateHz);
        while (!StopRequested)
        {
            long remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            long remainingMs = remaining * 1000 / Stopwatch.Frequency;
            if (remainingMs >= 2)
            {
                Thread.Sleep((int)Math.Min(remainingMs - 1, 50));
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
