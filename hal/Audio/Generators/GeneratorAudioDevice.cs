namespace HardwareMaster.Hal.Audio.Generators;

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
