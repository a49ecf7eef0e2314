using HardwareMaster.App.Ui;

namespace HardwareMaster.App.Simulator;

/// <summary>
/// Plays a <see cref="BoxScript"/> on the audio timeline: each UI frame, every gesture whose time has been reached by
/// the audio processed so far goes to the face, and the <see cref="ScriptGate"/> learns the next one. UI thread only;
/// allocates nothing per frame.
/// </summary>
public sealed class ScriptPlayer
{
    private readonly BoxScript _script;
    private readonly ScriptGate? _gate;
    private long[] _dueFrames = [];
    private int _next;
    private int _rateHz;

    /// <summary>Creates the player.</summary>
    /// <param name="script">The script.</param>
    /// <param name="gate">The gate of an unpaced device, or null.</param>
    public ScriptPlayer(BoxScript script, ScriptGate? gate)
    {
        ArgumentNullException.ThrowIfNull(script);
        _script = script;
        _gate = gate;
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
    /// <returns>Gestures played now.</returns>
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

        int played = 0;
        while (_next < _dueFrames.Length && _dueFrames[_next] <= framesProcessed)
        {
            BoxInput input = _script.Steps[_next].Input;
            _next++;
            played++;
            face.Handle(input);
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
