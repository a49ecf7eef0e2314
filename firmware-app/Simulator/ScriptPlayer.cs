using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Simulator;

/// <summary>
/// Plays a <see cref="BoxScript"/> on the audio timeline: each UI frame, every gesture whose time has been reached by
/// the audio processed so far goes to the face (or, with simulated controls, to their pins: <see cref="IBoxGestureSink"/>),
/// and the <see cref="ScriptGate"/> learns the next one. UI thread only; allocates nothing per frame.
/// </summary>
/// <remarks>
/// With a sink the gate is not moved on while the sink is still playing gestures on the pins, so an unpaced device
/// waits for the box's controls as it waits for the face.
/// </remarks>
public sealed class ScriptPlayer
{
    private readonly BoxScript _script;
    private readonly ScriptGate? _gate;
    private readonly IBoxGestureSink? _sink;
    private long[] _dueFrames = [];
    private int _next;
    private int _rateHz;

    /// <summary>Creates the player.</summary>
    /// <param name="script">The script.</param>
    /// <param name="gate">The gate of an unpaced device, or null.</param>
    /// <param name="sink">Plays the gestures on simulated controls instead of handing them to the face, or null.</param>
    public ScriptPlayer(BoxScript script, ScriptGate? gate, IBoxGestureSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        _script = script;
        _gate = gate;
        _sink = sink;
    }

    /// <summary>The script.</summary>
    public BoxScript Script => _script;

    /// <summary>Gestures handed to the face so far.</summary>
    public int Played => _next;

    /// <summary>True once every gesture was played.</summary>
    public bool IsFinished => _next >= _script.Steps.Count;

    /// <summary>
    /// Hands every due gesture to <paramref name="face"/>. Call only while the device runs (the warm-up before it also
    /// counts frames).
    /// </summary>
    /// <param name="face">The face.</param>
    /// <param name="sampleRateHz">The engine's rate.</param>
    /// <param name="framesProcessed">Frames of audio processed so far.</param>
    /// <returns>Gestures handed to the face now (those given to the sink reach the face through the box's controls).</returns>
    public int Play(IBoxFace face, int sampleRateHz, long framesProcessed)
    {
        ArgumentNullException.ThrowIfNull(face);
        if (sampleRateHz <= 0)
        {
            return 0;
        }

        if (sampleRateHz != _rateHz)
        {
            _rateHz = sampleRateHz;
            _dueFrames = new long[_script.Steps.Count];
            for (int i = 0; i < _dueFrames.Length; i++)
            {
                _dueFrames[i] = FrameOf(_script.Steps[i].Seconds, sampleRateHz);
            }
        }

        if (_sink is { IsIdle: false })
        {
            return 0; // the pins are still moving: the gate stays at the gesture being played
        }

        int played = 0;
        while (_next < _dueFrames.Length && _dueFrames[_next] <= framesProcessed)
        {
            BoxInput input = _script.Steps[_next].Input;
            _next++;
            if (_sink is null)
            {
                played++;
                face.Handle(input);
            }
            else
            {
                _sink.TryEnqueue(input); // a gesture no control of the profile makes is dropped (and counted by the sink)
            }
        }

        if (_sink is { IsIdle: false })
        {
            return played;
        }

        if (_gate is not null)
        {
            if (_next < _dueFrames.Length)
            {
                _gate.SetNextDue(_dueFrames[_next]);
            }
            else
            {
                _gate.Release();
            }
        }

        return played;
    }

    /// <summary>The frame a time falls on.</summary>
    /// <param name="seconds">Seconds.</param>
    /// <param name="sampleRateHz">Rate.</param>
    /// <returns>The frame.</returns>
    public static long FrameOf(double seconds, int sampleRateHz) => (long)Math.Round(seconds * sampleRateHz);
}
