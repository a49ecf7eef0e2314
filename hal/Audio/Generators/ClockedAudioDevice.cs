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
        OutputTap?.Invoke(left, right, startFrame);
        if (Options.Paced)
        {
            WaitUntilFrame(startFrame + left.Length);
        }

        return BlockStatus.Continue;
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

/// <summary>
/// Test tones, pink noise and the demo mix as an input device (<c>gen:tone:1000:-12</c>, <c>gen:pink:-18</c>,
/// <c>gen:demo</c>, <c>gen:silence</c>). Output goes to <see cref="ClockedAudioDevice.OutputTap"/> when set, otherwise nowhere.
/// </summary>
/// <remarks>Paced by the wall clock or unpaced; finite when <see cref="AudioDeviceOptions.MaxFrames"/> is set.</remarks>
public sealed class GeneratorAudioDevice : ClockedAudioDevice
{
    /// <summary>Creates a generator from an explicit signal.</summary>
    /// <param name="signal">The input signal.</param>
    /// <param name="options">Options (the name is only used for display).</param>
    public GeneratorAudioDevice(IAudioSignal signal, AudioDeviceOptions options)
        : base("gen:" + (options ?? throw new ArgumentNullException(nameof(options))).Name, options, signal)
    {
    }

    /// <summary>Creates a generator from a spec: <c>tone[:HZ[:DBFS]]</c>, <c>pink[:DBFS[:SEED]]</c>, <c>demo</c> or <c>silence</c>.</summary>
    /// <param name="spec">The part after <c>gen:</c>.</param>
    /// <param name="options">Options; the rate is used by the signal.</param>
    /// <returns>The device.</returns>
    /// <exception cref="ArgumentException">The spec is not understood.</exception>
    public static GeneratorAudioDevice FromSpec(string spec, AudioDeviceOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        return new GeneratorAudioDevice(ParseSignal(spec, options.SampleRateHz), options with { Name = spec });
    }

    /// <summary>Parses a generator spec into a signal (shared with the simulated device).</summary>
    /// <param name="spec"><c>tone[:HZ[:DBFS]]</c>, <c>pink[:DBFS[:SEED]]</c>, <c>demo</c> or <c>silence</c>.</param>
    /// <param name="sampleRateHz">Sample rate.</param>
    /// <returns>The signal.</returns>
    /// <exception cref="ArgumentException">The spec is not understood; the message is one line naming the spec.</exception>
    public static IAudioSignal ParseSignal(string spec, int sampleRateHz)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string[] parts = spec.Split(':');
        try
        {
            return parts[0] switch
            {
                "tone" or "sine" => new ToneSignal(
                    parts.Length > 1 ? double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 1000,
                    parts.Length > 2 ? double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : -18,
                    sampleRateHz),
                "pink" => new PinkNoiseSignal(
                    parts.Length > 1 ? double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : -18,
                    parts.Length > 2 ? uint.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : 1),
                "demo" or "" => new DemoMixSignal(sampleRateHz),
                "silence" => new SilenceSignal(),
                _ => throw new ArgumentException($"Unknown generator '{spec}': use tone[:HZ[:DBFS]], pink[:DBFS[:SEED]], demo or silence."),
            };
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"Generator '{spec}' has a value that is not a number: {ex.Message}", ex);
        }
        catch (OverflowException ex)
        {
            throw new ArgumentException($"Generator '{spec}' has a value out of range: {ex.Message}", ex);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // The signal's own message, without .NET's "(Parameter 'x')" and "Actual value was" lines.
            string reason = ex.Message;
            int cut = reason.IndexOf(" (Parameter '", StringComparison.Ordinal);
            reason = (cut >= 0 ? reason[..cut] : reason).ReplaceLineEndings(" ");
            throw new ArgumentException($"Generator '{spec}' has a value out of range: {reason}", ex);
        }
    }
}
