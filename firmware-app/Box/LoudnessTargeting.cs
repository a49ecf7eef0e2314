using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.App.Box;

/// <summary>
/// Live loudness targeting over <see cref="IBoxBackend"/>: the target (<c>target.lufs</c>: −14, −16, −23, −24 or custom),
/// <em>learn</em> (measure a pass, then set <c>loudness.gain</c> so the next pass lands on target) and <em>ride</em>
/// (a slow, gated, bounded loudness controller for live rigs that holds during silence).
/// </summary>
/// <remarks>
/// <para>
/// <b>Learn.</b> <see cref="StartLearn"/> restarts the engine's programme measurement
/// (<see cref="IBoxBackend.ResetLoudness"/>) and remembers the loudness gain; every <see cref="Update"/> takes the
/// output's integrated loudness (BS.1770 gated, measured after the limiter); <see cref="FinishLearn"/> sets
/// <c>loudness.gain = gain at start + (target − measured)</c>, bounded to the parameter's range. The measurement is of
/// the output <em>with</em> the gain in place, so learning again on the next pass refines the gain instead of adding
/// the whole difference twice (iterate-safe); when the limiter works hard, a second learn closes what it took away.
/// A successful learn also gives the chain the programme loudness at the compressor's input (input integrated
/// loudness + trim, <see cref="IBoxBackend.SetProgrammeLoudness"/>) so the glue does not depend on the input level.
/// The engine applies the reset on the audio thread, so the first snapshots after <see cref="StartLearn"/> may still
/// show the previous programme: they are ignored until the reset shows, i.e. until the reported
/// <see cref="MeterSnapshot.LoudnessSeconds"/> drops below what it was at <see cref="StartLearn"/>, or is no longer than
/// the time since <see cref="StartLearn"/> plus <see cref="ResetSlackSeconds"/> (audio running faster than the clock,
/// as in a simulation, is caught by the first rule). Moving the loudness gain by hand while learning restarts the measurement.
/// </para>
/// <para>
/// <b>Ride.</b> Each frame, when the gate is open, the gain moves towards <c>target − short-term</c> as an integrator
/// with time constant <see cref="RideTimeConstantSeconds"/>, at most <see cref="RideMaxRateDbPerSecond"/>, not at all
/// inside ±<see cref="RideDeadBandLu"/>, and never further than ±<see cref="RideRangeDb"/> from the gain it started at.
/// The gate closes (the gain holds exactly) when the momentary or short-term loudness is below
/// <see cref="GateAbsoluteLufs"/> or more than <see cref="GateRelativeLu"/> under the target, or while the global
/// bypass is in. The gate learns of a stop only when the momentary window has emptied, so each move is held back
/// <see cref="HoldBackSeconds"/> to <c>2 × HoldBackSeconds</c> and discarded if the gate closes first (the moves made on
/// the dying tail of a song never land); after the gate opens again the controller waits
/// <see cref="ShortTermWindowSeconds"/> (the short-term window refills) before it moves. So the end and the start of a
/// song leave the gain exactly where it was. The gain is written only when
/// it has moved by <see cref="RideWriteStepDb"/> or more. Turning the loudness gain by hand while riding re-centres the range there.
/// </para>
/// <para>UI/control thread only. <see cref="Update"/> allocates nothing; time comes from the injected <see cref="TimeProvider"/>.</para>
/// </remarks>
public sealed class LoudnessTargeting : ILoudnessTargeting
{
    /// <summary>The registry id of the gain that drives the limiter.</summary>
    public const string GainId = "loudness.gain";

    /// <summary>The registry id of the target.</summary>
    public const string TargetId = "target.lufs";

    /// <summary>Length of the short-term loudness window (EBU Tech 3341), s.</summary>
    public const double ShortTermWindowSeconds = 3.0;

    /// <summary>Integrated loudness below this is "nothing measurable" (the BS.1770 absolute gate), LUFS.</summary>
    public const double AbsoluteGateLufs = -70.0;

    // The longest frame interval counted: a stalled UI loop does not turn into one big step.
    private const double MaxFrameSeconds = 0.5;

    private static readonly double[] s_targets = [-14.0, -16.0, -23.0, -24.0];

    private readonly IBoxBackend _backend;
    private readonly TimeProvider _time;
    private readonly int _gainIndex;
    private readonly int _targetIndex;
    private readonly int _trimIndex;
    private readonly ParameterDefinition _gain;
    private long _lastTimestamp;

    // Learn state.
    private long _learnStartTimestamp;
    private double _learnStartGainDb;
    private double _learnMeasuredLufs = double.NaN;
    private double _learnMeasuredSeconds;
    private double _learnInputLufs = double.NaN;
    private double _loudnessSecondsAtStart = double.NaN;
    private double _lastLoudnessSeconds = double.NaN;
    private bool _resetSeen;

    // Ride state.
    private double _rideCenterDb;
    private double _rideGainDb;
    private double _lastWrittenDb;
    private double _gateOpenSeconds;
    private double _pendingDb;
    private double _pendingSeconds;
    private double _heldBackDb;

    /// <summary>Creates the assist over <paramref name="backend"/>; <paramref name="time"/> defaults to the system clock.</summary>
    /// <exception cref="KeyNotFoundException">The registry has no <see cref="GainId"/> or <see cref="TargetId"/>.</exception>
    public LoudnessTargeting(IBoxBackend backend, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
        _time = time ?? TimeProvider.System;
        _gainIndex = backend.Registry.IndexOf(GainId);
        _targetIndex = backend.Registry.IndexOf(TargetId);
        _trimIndex = backend.Registry.TryGetIndex(ParameterIds.TrimGain, out int trim) ? trim : -1;
        _gain = backend.Registry.All[_gainIndex];
        _lastTimestamp = _time.GetTimestamp();
    }

    /// <summary>The target choices before "custom", LUFS: −14 (streaming), −16 (podcasts, Apple), −23 (EBU R128), −24 (ATSC A/85).</summary>
    public static IReadOnlyList<double> TargetChoicesLufs { get; } = Array.AsReadOnly(s_targets);

    /// <inheritdoc />
    /// <remarks>Reads and writes <c>target.lufs</c> (clamped to its range by the backend).</remarks>
    public double TargetLufs
    {
        get => _backend.Get(_targetIndex);
        set => _backend.TrySet(_targetIndex, value);
    }

    /// <summary>True when <see cref="TargetLufs"/> is not one of <see cref="TargetChoicesLufs"/>.</summary>
    public bool IsCustomTarget => Array.IndexOf(s_targets, TargetLufs) < 0;

    /// <inheritdoc />
    public LoudnessAssistMode Mode { get; private set; }

    /// <summary>While learning (and after): the output's integrated loudness measured so far, LUFS (NaN until defined).</summary>
    public double LearnMeasuredLufs => _learnMeasuredLufs;

    /// <summary>Seconds of audio in <see cref="LearnMeasuredLufs"/> ("since learn" on the screen).</summary>
    public double LearnMeasuredSeconds => _learnMeasuredSeconds;

    /// <summary>
    /// The programme loudness the last successful <see cref="FinishLearn"/> gave the compressor (input integrated loudness
    /// plus trim), LUFS; NaN until one has. The first learn on a new programme changes the glue's drive, so a second learn
    /// refines the gain (as after heavy limiting).
    /// </summary>
    public double LearnProgrammeLufs { get; private set; } = double.NaN;

    /// <summary>What the last successful <see cref="FinishLearn"/> changed the loudness gain by, dB.</summary>
    public double LastLearnChangeDb { get; private set; }

    /// <summary>True while riding with the gate closed (the gain holds).</summary>
    public bool IsHolding { get; private set; }

    /// <summary>The lowest gain ride may set, dB (valid while riding).</summary>
    public double RideMinimumDb => Math.Max(_gain.Minimum, _rideCenterDb - RideRangeDb);

    /// <summary>The highest gain ride may set, dB (valid while riding).</summary>
    public double RideMaximumDb => Math.Min(_gain.Maximum, _rideCenterDb + RideRangeDb);

    /// <summary>How far ride may move the gain from where it started, dB (default 6).</summary>
    public double RideRangeDb { get; init; } = 6.0;

    /// <summary>The fastest ride moves the gain, dB/s (default 0.25: 1 dB in 4 s).</summary>
    public double RideMaxRateDbPerSecond { get; init; } = 0.25;

    /// <summary>Ride's integrator time constant, s (default 10; well above the 3 s short-term window, so the loop cannot ring).</summary>
    public double RideTimeConstantSeconds { get; init; } = 10.0;

    /// <summary>Ride does not move while the short-term loudness is within this of the target, LU (default 0.5).</summary>
    public double RideDeadBandLu { get; init; } = 0.5;

    /// <summary>Ride's moves take effect this much later, or never if the gate closes first, s (default 0.5: longer than the 400 ms momentary window).</summary>
    public double HoldBackSeconds { get; init; } = 0.5;

    /// <summary>Ride writes the gain only when it moved by at least this, dB (default 0.05).</summary>
    public double RideWriteStepDb { get; init; } = 0.05;

    /// <summary>Ride holds when the momentary or short-term loudness is below this, LUFS (default −40).</summary>
    public double GateAbsoluteLufs { get; init; } = -40.0;

    /// <summary>Ride holds when the momentary or short-term loudness is more than this under the target, LU (default 20).</summary>
    public double GateRelativeLu { get; init; } = 20.0;

    /// <summary>A reported measurement this much longer than the time since <see cref="StartLearn"/> predates the reset, s (default 1).</summary>
    public double ResetSlackSeconds { get; init; } = 1.0;

    /// <inheritdoc />
    public void StartLearn()
    {
        _backend.ResetLoudness();
        Mode = LoudnessAssistMode.Learning;
        IsHolding = false;
        RestartLearn();
        _loudnessSecondsAtStart = _lastLoudnessSeconds;
    }

    /// <inheritdoc />
    public bool FinishLearn()
    {
        if (Mode != LoudnessAssistMode.Learning)
        {
            return false;
        }

        double measured = _learnMeasuredLufs;
        if (!double.IsFinite(measured) || measured <= AbsoluteGateLufs)
        {
            Mode = LoudnessAssistMode.Manual;
            return false;
        }

        double gain = _gain.Clamp(_learnStartGainDb + (TargetLufs - measured));
        if (!_backend.TrySet(_gainIndex, gain))
        {
            Mode = LoudnessAssistMode.Manual;
            return false;
        }

        LastLearnChangeDb = _backend.Get(_gainIndex) - _learnStartGainDb;
        Mode = LoudnessAssistMode.Learned;
        SetProgrammeLoudness();
        return true;
    }

    /// <inheritdoc />
    public void SetRide(bool on)
    {
        if (!on)
        {
            if (Mode == LoudnessAssistMode.Riding)
            {
                Mode = LoudnessAssistMode.Manual;
            }

            IsHolding = false;
            return;
        }

        if (Mode == LoudnessAssistMode.Riding)
        {
            return;
        }

        double gain = _backend.Get(_gainIndex);
        _rideCenterDb = gain;
        _rideGainDb = gain;
        _lastWrittenDb = gain;
        _gateOpenSeconds = 0;
        _pendingDb = 0;
        _heldBackDb = 0;
        _pendingSeconds = 0;
        _lastTimestamp = _time.GetTimestamp();
        IsHolding = true;
        Mode = LoudnessAssistMode.Riding;
    }

    /// <inheritdoc />
    public void Cancel()
    {
        Mode = LoudnessAssistMode.Manual;
        IsHolding = false;
    }

    /// <inheritdoc />
    public void Update(in MeterSnapshot meters)
    {
        long now = _time.GetTimestamp();
        double seconds = Math.Clamp(_time.GetElapsedTime(_lastTimestamp, now).TotalSeconds, 0, MaxFrameSeconds);
        _lastTimestamp = now;
        switch (Mode)
        {
            case LoudnessAssistMode.Learning:
                UpdateLearn(meters, now);
                break;
            case LoudnessAssistMode.Riding:
                UpdateRide(meters, seconds);
                break;
        }

        _lastLoudnessSeconds = meters.LoudnessSeconds;
    }

    // Level-independent glue: the input's integrated loudness over the learn, plus the trim, is the loudness that reaches
    // the compressor (the EQ's few dB are not counted); unknown (silence) leaves the chain's value as it was.
    private void SetProgrammeLoudness()
    {
        if (!double.IsFinite(_learnInputLufs) || _learnInputLufs <= AbsoluteGateLufs)
        {
            return;
        }

        double trim = _trimIndex >= 0 ? _backend.Get(_trimIndex) : 0;
        LearnProgrammeLufs = Math.Clamp(_learnInputLufs + trim, GlueCompressor.MinProgrammeLoudnessLufs, GlueCompressor.MaxProgrammeLoudnessLufs);
        _backend.SetProgrammeLoudness(LearnProgrammeLufs);
    }

    private void RestartLearn()
    {
        _learnStartTimestamp = _time.GetTimestamp();
        _learnStartGainDb = _backend.Get(_gainIndex);
        _learnMeasuredLufs = double.NaN;
        _learnMeasuredSeconds = 0;
        _learnInputLufs = double.NaN;
        _resetSeen = false;
    }

    private void UpdateLearn(in MeterSnapshot meters, long now)
    {
        if (!_backend.Get(_gainIndex).Equals(_learnStartGainDb))
        {
            // The gain was moved by hand: what was measured no longer says anything about the next pass.
            _backend.ResetLoudness();
            RestartLearn();
            _loudnessSecondsAtStart = meters.LoudnessSeconds;
            return;
        }

        if (!_resetSeen)
        {
            double sinceStart = _time.GetElapsedTime(_learnStartTimestamp, now).TotalSeconds;
            _resetSeen = meters.LoudnessSeconds < _loudnessSecondsAtStart || meters.LoudnessSeconds <= sinceStart + ResetSlackSeconds;
            if (!_resetSeen)
            {
                return; // the engine has not applied the reset yet: this is the previous programme
            }
        }

        _learnMeasuredLufs = meters.IntegratedLufs;
        _learnMeasuredSeconds = meters.LoudnessSeconds;
        _learnInputLufs = meters.InputIntegratedLufs;
    }

    private void UpdateRide(in MeterSnapshot meters, double seconds)
    {
        double current = _backend.Get(_gainIndex);
        if (!current.Equals(_lastWrittenDb))
        {
            // Turned by hand: the knob wins, and the range follows it.
            _rideCenterDb = current;
            _rideGainDb = current;
            _lastWrittenDb = current;
            _pendingDb = 0;
            _heldBackDb = 0;
        }

        double target = TargetLufs;
        double gate = Math.Max(GateAbsoluteLufs, target - GateRelativeLu);
        double shortTerm = meters.ShortTermLufs;
        double momentary = meters.MomentaryLufs;
        bool open = !meters.GlobalBypass
            && double.IsFinite(shortTerm) && shortTerm >= gate
            && double.IsFinite(momentary) && momentary >= gate;
        if (!open)
        {
            _gateOpenSeconds = 0;
            _pendingDb = 0;
            _heldBackDb = 0;
            _pendingSeconds = 0;
            IsHolding = true;
            return;
        }

        _gateOpenSeconds += seconds;
        if (_gateOpenSeconds < ShortTermWindowSeconds)
        {
            IsHolding = true; // the short-term window still holds the silence before: wait until it is all programme
            return;
        }

        IsHolding = false;
        double error = target - shortTerm;
        if (Math.Abs(error) > RideDeadBandLu)
        {
            double limit = RideMaxRateDbPerSecond * seconds;
            _pendingDb += Math.Clamp(error * seconds / RideTimeConstantSeconds, -limit, limit);
        }

        _pendingSeconds += seconds;
        if (_pendingSeconds < HoldBackSeconds)
        {
            return;
        }

        // Commit the chunk before this one: what was decided in the last HoldBackSeconds or more stays pending, so a
        // stop (seen only when the momentary window has emptied) discards the moves made on the dying tail.
        double chunk = _heldBackDb;
        _heldBackDb = _pendingDb;
        _pendingDb = 0;
        _pendingSeconds = 0;
        if (chunk == 0)
        {
            return;
        }

        _rideGainDb = Math.Clamp(_rideGainDb + chunk, RideMinimumDb, RideMaximumDb);
        if (Math.Abs(_rideGainDb - _lastWrittenDb) >= RideWriteStepDb
            || (_rideGainDb != _lastWrittenDb && (_rideGainDb == RideMinimumDb || _rideGainDb == RideMaximumDb)))
        {
            if (_backend.TrySet(_gainIndex, _rideGainDb))
            {
                _lastWrittenDb = _backend.Get(_gainIndex);
            }
        }
    }
}
