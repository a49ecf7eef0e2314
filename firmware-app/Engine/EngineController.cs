using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;

namespace HardwareMaster.App.Engine;

/// <summary>
/// The control-thread side of the engine: holds the current <see cref="ParameterSet"/> and routes every change to the
/// right path — values that can be applied allocation-free on the audio thread (stage bypasses, loudness gain, input
/// trim, fades) become <see cref="EngineMessage"/>s in the engine's single-producer ring; structural settings (EQ,
/// filters, compressor, limiter, width, dither) go through <see cref="ChainBinder"/>, whose chain setters design on
/// this thread and publish snapshots lock-free.
/// </summary>
/// <remarks>
/// Any number of control threads may call in: a lock here serialises them so the ring keeps its single producer.
/// The audio thread never takes that lock.
/// </remarks>
public sealed class EngineController
{
    private static readonly Dictionary<string, ChainStage> BypassIds = new(StringComparer.Ordinal)
    {
        ["hpf.bypass"] = ChainStage.HighPass,
        ["eq.bypass"] = ChainStage.Eq,
        ["comp.bypass"] = ChainStage.Compressor,
        ["width.bypass"] = ChainStage.Width,
        ["limiter.bypass"] = ChainStage.Limiter,
    };

    private readonly Lock _gate = new();
    private readonly AudioEngine _engine;
    private readonly ParameterSet _values;
    private int _ditherBits;

    /// <summary>Creates the controller and applies <paramref name="values"/> to the engine's chain.</summary>
    /// <param name="engine">The engine.</param>
    /// <param name="values">Initial values (copied).</param>
    /// <param name="ditherBits">Output word for dither (16, 24, or 0 for float output).</param>
    public EngineController(AudioEngine engine, ParameterSet values, int ditherBits)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(values);
        _engine = engine;
        _values = values.Clone();
        _ditherBits = ditherBits;
        ChainBinder.ApplyAll(_values, engine.Chain, ditherBits);
    }

    /// <summary>The engine.</summary>
    public AudioEngine Engine => _engine;

    /// <summary>A copy of the current values.</summary>
    public ParameterSet Values
    {
        get
        {
            lock (_gate)
            {
                return _values.Clone();
            }
        }
    }

    /// <summary>
    /// Sets one parameter (clamped to its range) and forwards it to the audio thread. The change is all or nothing: when
    /// the chain rejects the value, the previous value stays in force in <see cref="Values"/> and in the chain, this
    /// call throws, and later calls work as before.
    /// </summary>
    /// <param name="id">Registry id, e.g. <c>comp.threshold</c>.</param>
    /// <param name="value">New value.</param>
    /// <returns><c>true</c> when it went through the ring (fast path), <c>false</c> for a structural setting.</returns>
    /// <exception cref="KeyNotFoundException">Unknown id.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The chain does not accept the value (the message names the id, the value and why); nothing changed.</exception>
    public bool Set(string id, double value)
    {
        lock (_gate)
        {
            ParameterDefinition definition = _values.Registry[id];
            double clamped = definition.Clamp(value);
            if (BypassIds.TryGetValue(id, out ChainStage stage))
            {
                _values.Set(id, clamped);
                return _engine.TryPost(new EngineMessage(EngineMessageKind.SetBypass, (int)stage, clamped >= 0.5 ? 1 : 0));
            }

            if (id == "loudness.gain")
            {
                CheckFastPathRange(id, clamped, MasteringChain.MinLoudnessGainDb, MasteringChain.MaxLoudnessGainDb);
                _values.Set(id, clamped);
                return _engine.TryPost(new EngineMessage(EngineMessageKind.SetLoudnessGainDb, 0, (float)clamped));
            }

            if (id == "trim.gain")
            {
                CheckFastPathRange(id, clamped, TrimSettings.MinGainDb, TrimSettings.MaxGainDb);
                _values.Set(id, clamped);
                return _engine.TryPostTrimGainDb(clamped);
            }

            ParameterSet candidate = _values.Clone();
            candidate.Set(id, clamped);
            Apply(candidate, _ditherBits, id, clamped);
            _values.Set(id, clamped);
            return false;
        }
    }

    /// <summary>The output word dither is applied for (16 or 24; 0 for float output).</summary>
    public int DitherBits
    {
        get
        {
            lock (_gate)
            {
                return _ditherBits;
            }
        }
    }

    /// <summary>
    /// Sets the output word the dither stage dithers to, e.g. when the device turned out to take 16-bit samples, and
    /// re-applies the settings (dither on or off stays as the parameters say). Control thread.
    /// </summary>
    /// <param name="bits">16 or 24, or 0 for float output (no dither).</param>
    /// <exception cref="ArgumentOutOfRangeException">Not 0, 16 or 24.</exception>
    public void SetDitherBits(int bits)
    {
        if (bits is not (0 or 16 or 24))
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "The dither word is 16 or 24 bits, or 0 for float output.");
        }

        lock (_gate)
        {
            if (bits != _ditherBits)
            {
                Apply(_values, bits, "dither word", bits);
                _ditherBits = bits;
            }
        }
    }

    /// <summary>
    /// The dither word for a device's output format: 16 for 16-bit, 24 for 24- and 32-bit integer (a 32-bit container
    /// holds at most a 24-bit converter), <paramref name="floatBits"/> for float output, whose final word is unknown here.
    /// </summary>
    /// <param name="format">The device's output format.</param>
    /// <param name="floatBits">What to use for float output (the configured word).</param>
    /// <returns>The dither word.</returns>
    public static int DitherBitsFor(Hal.Audio.AudioSampleFormat format, int floatBits) => format switch
    {
        Hal.Audio.AudioSampleFormat.S16LE => 16,
        Hal.Audio.AudioSampleFormat.S24Packed3LE or Hal.Audio.AudioSampleFormat.S32LE => 24,
        _ => floatBits,
    };

    private static void CheckFastPathRange(string id, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, Invariant($"{id} = {value} is not accepted by the chain: it must be {min}..{max}; nothing changed"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Applies candidate to the chain, or, when a stage rejects it, leaves the chain as it was (the binder validates
    // every stage before it sets any; should a setter still fail half-way, the last good values are re-applied) and
    // throws naming what was being set. Caller holds _gate.
    private void Apply(ParameterSet candidate, int ditherBits, string what, double value)
    {
        try
        {
            ChainBinder.ApplyAll(candidate, _engine.Chain, ditherBits);
        }
        catch (ArgumentException e)
        {
            try
            {
                ChainBinder.ApplyAll(_values, _engine.Chain, _ditherBits);
            }
            catch (ArgumentException)
            {
                // The last good values were applied before, so this does not happen; the original error is the one to report.
            }

            throw new ArgumentOutOfRangeException(nameof(value), value, Invariant($"{what} = {value} is not accepted by the chain: {Reason(e)}; nothing changed"));
        }
    }

    // The DSP's own sentence, without the " (Parameter 'X')" and "Actual value was" lines .NET appends.
    private static string Reason(ArgumentException e)
    {
        string message = e.Message;
        int newline = message.IndexOf('\n');
        message = newline >= 0 ? message[..newline] : message;
        int parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return (parameter >= 0 ? message[..parameter] : message).Trim().TrimEnd('.');
    }

    /// <summary>Asks the audio thread to fade to silence over <paramref name="fadeMs"/> (see <see cref="AudioEngine.IsFadedOut"/>).</summary>
    /// <param name="fadeMs">Fade length, ms.</param>
    /// <returns><c>false</c> when the ring was full.</returns>
    public bool FadeOut(float fadeMs = AudioEngine.DefaultFadeMs)
    {
        lock (_gate)
        {
            return _engine.TryPost(new EngineMessage(EngineMessageKind.FadeOut, 0, fadeMs));
        }
    }

    /// <summary>Asks the audio thread to fade back to unity over <paramref name="fadeMs"/>.</summary>
    /// <param name="fadeMs">Fade length, ms.</param>
    /// <returns><c>false</c> when the ring was full.</returns>
    public bool FadeIn(float fadeMs = AudioEngine.DefaultFadeMs)
    {
        lock (_gate)
        {
            return _engine.TryPost(new EngineMessage(EngineMessageKind.FadeIn, 0, fadeMs));
        }
    }
}
