using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Chain;

namespace HardwareMaster.App.Engine;

/// <summary>
/// The control-thread side of the engine: holds the current <see cref="ParameterSet"/> and applies every change to the
/// chain through its setters (<see cref="ChainBinder.ApplyParameter"/>: only the stage the parameter feeds — one EQ
/// band, the compressor, a bypass flag, the trim — is rebuilt, validated and published). The setters publish
/// atomically (a volatile value or an immutable snapshot the audio thread swaps in at block start and smooths), so a
/// change is never dropped and <see cref="Values"/> always says what the chain does. The engine's ring carries only
/// engine commands (<see cref="FadeOut"/>, <see cref="FadeIn"/>).
/// </summary>
/// <remarks>
/// Any number of control threads may call in: a lock here serialises them (and keeps the ring's single producer).
/// The audio thread never takes that lock.
/// </remarks>
public sealed class EngineController
{
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

    /// <summary>The registry the values belong to.</summary>
    public ParameterRegistry Registry => _values.Registry;

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

    /// <summary>The current value of registry entry <paramref name="index"/> (no copy, no allocation). Any thread.</summary>
    /// <param name="index">Registry index.</param>
    /// <returns>The value.</returns>
    public double Get(int index)
    {
        lock (_gate)
        {
            return _values.Get(index);
        }
    }

    /// <summary>
    /// Sets one parameter (clamped to its range) and applies it to the chain. The change is all or nothing: when the
    /// chain rejects the value, the previous value stays in force in <see cref="Values"/> and in the chain, this call
    /// throws, and later calls work as before.
    /// </summary>
    /// <param name="id">Registry id, e.g. <see cref="ParameterIds.CompThreshold"/>.</param>
    /// <param name="value">New value.</param>
    /// <returns><c>true</c> when the value changed, <c>false</c> when the parameter already had it (after clamping).</returns>
    /// <exception cref="KeyNotFoundException">Unknown id.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The chain does not accept the value (the message names the id, the value and why); nothing changed.</exception>
    public bool Set(string id, double value) => Set(_values.Registry.IndexOf(id), value);

    /// <summary>
    /// Sets registry entry <paramref name="index"/> (clamped to its range) and applies only the stage it feeds; all or
    /// nothing as <see cref="Set(string, double)"/>.
    /// </summary>
    /// <param name="index">Registry index.</param>
    /// <param name="value">New value.</param>
    /// <returns><c>true</c> when the value changed, <c>false</c> when the parameter already had it (after clamping).</returns>
    /// <exception cref="ArgumentOutOfRangeException">Index out of range, or the chain does not accept the value; nothing changed.</exception>
    public bool Set(int index, double value)
    {
        lock (_gate)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _values.Registry.Count);
            ParameterDefinition definition = _values.Registry.All[index];
            double clamped = definition.Clamp(value);
            double previous = _values.Get(index);
            if (clamped == previous)
            {
                return false;
            }

            _values.Set(index, clamped);
            try
            {
                ChainBinder.ApplyParameter(_values, definition.Id, _engine.Chain, _ditherBits);
            }
            catch (ArgumentException e)
            {
                _values.Set(index, previous);
                Restore(definition.Id);
                throw Rejected(definition.Id, clamped, e);
            }

            return true;
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
                try
                {
                    ChainBinder.ApplyParameter(_values, ParameterIds.DitherEnabled, _engine.Chain, bits);
                }
                catch (ArgumentException e)
                {
                    Restore(ParameterIds.DitherEnabled);
                    throw Rejected("dither word", bits, e);
                }

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

    private static string Invariant(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ArgumentOutOfRangeException Rejected(string what, double value, ArgumentException e) =>
        new(nameof(value), value, Invariant($"{what} = {value} is not accepted by the chain: {Reason(e)}; nothing changed"));

    // Re-applies the last good values of the stage id feeds. The binder validates a stage before it sets it, so the
    // stage was not touched; should a setter still have failed half-way, this puts the last good settings back. Caller
    // holds _gate.
    private void Restore(string id)
    {
        try
        {
            ChainBinder.ApplyParameter(_values, id, _engine.Chain, _ditherBits);
        }
        catch (ArgumentException)
        {
            // The last good values were applied before, so this does not happen; the original error is the one to report.
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
