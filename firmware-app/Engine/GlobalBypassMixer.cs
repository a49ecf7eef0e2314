using System.Numerics.Tensors;
using HardwareMaster.Dsp;

namespace HardwareMaster.App.Engine;

/// <summary>
/// The loudness-matched global bypass: the chain's input (before trim and loudness gain), delayed by the chain's
/// latency so it stays aligned, multiplied by a match gain and crossfaded with the processed output over
/// <see cref="CrossfadeMs"/>, so an A/B compares sound, not level.
/// </summary>
/// <remarks>
/// <para>
/// Match gain: output short-term loudness − input short-term loudness, measured only while the chain is heard (the
/// output meter then measures the processed signal), smoothed by a one-pole of <see cref="MatchTimeConstantMs"/>,
/// bounded to ±<see cref="MaxMatchDb"/> and held while either side is below <see cref="SilenceLufs"/> and while the
/// bypass is in (it then measures the dry signal and would chase itself).
/// </para>
/// <para>
/// Threading: <see cref="Requested"/> from any thread (atomic); <see cref="Capture"/> (the chain's input tap),
/// <see cref="Mix"/> and <see cref="UpdateMatch"/> on the audio thread; <see cref="Prepare"/> and <see cref="Reset"/> on
/// the control thread while no device runs. Allocation-free after <see cref="Prepare"/>.
/// </para>
/// </remarks>
internal sealed class GlobalBypassMixer
{
    /// <summary>Crossfade between processed and dry, ms.</summary>
    public const double CrossfadeMs = 15;

    /// <summary>Largest match gain either way, dB.</summary>
    public const double MaxMatchDb = 24;

    /// <summary>Time constant of the match-gain smoothing, ms.</summary>
    public const double MatchTimeConstantMs = 1000;

    /// <summary>Below this short-term loudness (either side) the match gain is held, LUFS.</summary>
    public const double SilenceLufs = -70;

    private readonly float[][] _delay = [[], []];
    private int _latency;
    private int _fill; // frames held per channel: the latency's history plus what Capture appended this block
    private int _requested;
    private double _fade; // 0 = processed, 1 = dry
    private double _fadeStep = 1;
    private double _matchDb;
    private double _timeConstantFrames = 48000;
    private int _coefficientFrames = -1;
    private double _coefficient;

    /// <summary>Global bypass asked for. Any thread (atomic).</summary>
    public bool Requested
    {
        get => Volatile.Read(ref _requested) != 0;
        set => Volatile.Write(ref _requested, value ? 1 : 0);
    }

    /// <summary>Whether any dry signal is in the output (bypass in, or crossfading). Audio thread.</summary>
    public bool Audible => _fade > 0 || Requested;

    /// <summary>The match gain now, dB. Audio thread.</summary>
    public double MatchDb => _matchDb;

    /// <summary>Allocates the delay line. Control thread, not while running.</summary>
    /// <param name="sampleRateHz">Rate.</param>
    /// <param name="maxBlockFrames">Largest block.</param>
    /// <param name="latencyFrames">The chain's latency.</param>
    public void Prepare(int sampleRateHz, int maxBlockFrames, int latencyFrames)
    {
        _latency = latencyFrames;
        for (int c = 0; c < 2; c++)
        {
            _delay[c] = new float[latencyFrames + maxBlockFrames];
        }

        _fadeStep = 1000.0 / (CrossfadeMs * sampleRateHz);
        _timeConstantFrames = MatchTimeConstantMs * sampleRateHz / 1000.0;
        _coefficientFrames = -1;
        _matchDb = 0;
        Reset();
    }

    /// <summary>Clears the delay line (the match gain is kept). Control thread, not while running.</summary>
    public void Reset()
    {
        Array.Clear(_delay[0]);
        Array.Clear(_delay[1]);
        _fill = _latency;
        _fade = Requested ? 1 : 0;
    }

    /// <summary>Appends the chain's (sanitised) input block to the delay line. Audio thread (the chain's input tap).</summary>
    public void Capture(AudioBlock block)
    {
        int frames = Math.Min(block.Frames, _delay[0].Length - _fill);
        if (frames <= 0)
        {
            return;
        }

        block.Channel(0)[..frames].CopyTo(_delay[0].AsSpan(_fill));
        (block.Channels > 1 ? block.Channel(1) : block.Channel(0))[..frames].CopyTo(_delay[1].AsSpan(_fill));
        _fill += frames;
    }

    /// <summary>Crossfades the processed block with the delayed, gain-matched input as the bypass asks, and advances the delay line. Audio thread.</summary>
    public void Mix(Span<float> left, Span<float> right)
    {
        int frames = left.Length;
        if (_fill - _latency < frames)
        {
            return; // the chain did not feed this block (not prepared): nothing aligned to mix
        }

        double target = Requested ? 1 : 0;
        if (_fade != 0 || target != 0)
        {
            float gain = (float)Math.Pow(10, _matchDb / 20);
            Span<float> dryLeft = _delay[0].AsSpan(0, frames);
            Span<float> dryRight = _delay[1].AsSpan(0, frames);
            if (_fade == 1 && target == 1)
            {
                TensorPrimitives.Multiply(dryLeft, gain, left);
                TensorPrimitives.Multiply(dryRight, gain, right);
            }
            else
            {
                double fade = _fade;
                for (int i = 0; i < frames; i++)
                {
                    fade = fade < target ? Math.Min(target, fade + _fadeStep) : Math.Max(target, fade - _fadeStep);
                    float f = (float)fade;
                    left[i] += f * ((gain * dryLeft[i]) - left[i]);
                    right[i] += f * ((gain * dryRight[i]) - right[i]);
                }

                _fade = fade;
            }
        }

        int rest = _fill - frames;
        _delay[0].AsSpan(frames, rest).CopyTo(_delay[0]);
        _delay[1].AsSpan(frames, rest).CopyTo(_delay[1]);
        _fill = rest;
    }

    /// <summary>Moves the match gain towards output − input short-term loudness while only the processed signal is heard. Audio thread.</summary>
    /// <param name="inputShortTermLufs">Input short-term loudness.</param>
    /// <param name="outputShortTermLufs">Output short-term loudness.</param>
    /// <param name="frames">Frames in the block just measured.</param>
    public void UpdateMatch(double inputShortTermLufs, double outputShortTermLufs, int frames)
    {
        if (Audible || !(inputShortTermLufs > SilenceLufs && outputShortTermLufs > SilenceLufs) || frames <= 0)
        {
            return; // hold: dry in the output, silence, or no measurement
        }

        if (frames != _coefficientFrames)
        {
            _coefficientFrames = frames;
            _coefficient = 1 - Math.Exp(-frames / _timeConstantFrames);
        }

        double target = Math.Clamp(outputShortTermLufs - inputShortTermLufs, -MaxMatchDb, MaxMatchDb);
        _matchDb += (target - _matchDb) * _coefficient;
    }
}
