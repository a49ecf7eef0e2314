using System.Globalization;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Processors;
using Microsoft.Extensions.Logging;

namespace HardwareMaster.App.Host.Protection;

/// <summary>
/// The self-protecting engine and the latency modes. Polled about once a second (<see cref="Poll"/>, by
/// <see cref="ProtectionService"/>): it counts the device's xruns over the last minute and, on a burst (more than
/// <see cref="ProtectionOptions.XrunsPerMinute"/>), steps to a safer setting — the next bigger block, through the
/// supervisor reopening the device (<see cref="AudioSupervisor.RequestReopen"/>) — with a notice on the box and in the
/// journal; the box offers to step back (<see cref="StepBack"/>). At the biggest block (<see cref="ProtectionOptions.MaxBlockFrames"/>),
/// and in <see cref="LatencyMode.Live"/> as the first step (live keeps its short block), the step is the limiter's cheaper
/// true-peak detector (4× instead of 8×, <see cref="Dsp.Processors.TruePeakLimiter.DetectorOversampling"/>: no reopen, no gap). It reads the CPU temperature from the thermal sysfs and
/// warns at <see cref="ProtectionOptions.WarnTemperatureC"/>, before the Pi throttles. <see cref="SetLatencyMode"/>
/// switches between <see cref="LatencyMode.Standard"/>, <see cref="LatencyMode.Studio"/> and <see cref="LatencyMode.Live"/>
/// (look-ahead and block) with a short muted reopen.
/// </summary>
/// <remarks>
/// Called from the protection poll and the UI thread; a lock serialises them (neither is the audio thread, which this
/// never touches). <see cref="Status"/> allocates nothing; strings are made only when something happens.
/// </remarks>
public sealed class EngineProtection : Ui.IBoxProtection, IDisposable
{
    /// <summary>Fade out and in around a reopen, ms (the audible gap is about twice this plus the reopen).</summary>
    public const float SwitchFadeMs = 5;

    private readonly object _gate = new();
    private readonly AudioSupervisor _supervisor;
    private readonly EngineController _controller;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<long> _xruns;
    private readonly CpuThermometer _thermometer;
    private readonly XrunBurstDetector _bursts;
    private readonly List<string> _notices = [];
    private readonly int _configuredBlock;
    private readonly double _standardLookaheadMs;
    private LatencyMode _mode;
    private int _block;
    private ThermalState _thermal;
    private double _temperature = double.NaN;
    private double _maxTemperature = double.NaN;
    private string? _notice;
    private int _noticeSerial;
    private int _xrunBursts;
    private int _stepDowns;
    private int _stepBacks;
    private int _modeSwitches;
    private int _thermalWarnings;
    private bool _economyDetector;
    private int _detectorStepDowns;
    private int _detectorStepBacks;

    /// <summary>Creates the protection over a supervisor that has not necessarily started yet.</summary>
    /// <param name="supervisor">The audio loop (reopens the device).</param>
    /// <param name="controller">The engine's controller (the limiter's look-ahead).</param>
    /// <param name="options">Limits and the thermal folder.</param>
    /// <param name="logger">The journal.</param>
    /// <param name="initialMode">The mode the supervisor was configured for (its block is already the mode's).</param>
    /// <param name="configuredBlockFrames">The configured block (standard and studio), before the mode.</param>
    /// <param name="standardLookaheadMs">The preset's look-ahead (standard), ms.</param>
    /// <param name="time">Clock (tests pass a fake one).</param>
    /// <param name="xrunSource">The running xrun total (default: the supervisor's device xruns).</param>
    public EngineProtection(
        AudioSupervisor supervisor,
        EngineController controller,
        ProtectionOptions options,
        ILogger logger,
        LatencyMode initialMode,
        int configuredBlockFrames,
        double standardLookaheadMs,
        TimeProvider? time = null,
        Func<long>? xrunSource = null)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _supervisor = supervisor;
        _controller = controller;
        Options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _xruns = xrunSource ?? (() => supervisor.XrunCount);
        _thermometer = new CpuThermometer(options.ThermalRoot, _time);
        _bursts = new XrunBurstDetector(options.XrunsPerMinute, ticksPerSecond: _time.TimestampFrequency);
        _mode = initialMode;
        _configuredBlock = configuredBlockFrames;
        _standardLookaheadMs = standardLookaheadMs;
        _block = LatencyModes.BlockFrames(initialMode, configuredBlockFrames);
    }

    /// <summary>The limits.</summary>
    public ProtectionOptions Options { get; }

    /// <summary>The latency mode.</summary>
    public LatencyMode Mode
    {
        get
        {
            lock (_gate)
            {
                return _mode;
            }
        }
    }

    /// <summary>The state for the box's SYSTEM page and notice.</summary>
    public ProtectionStatus Status
    {
        get
        {
            lock (_gate)
            {
                return new ProtectionStatus(_mode, _block, LatencyModes.BlockFrames(_mode, _configuredBlock), _bursts.InWindow, _thermal, _temperature, _notice, _noticeSerial, _economyDetector);
            }
        }
    }

    /// <summary>One look at xruns and temperature (about once a second).</summary>
    public void Poll()
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            if (_bursts.Update(_xruns(), now))
            {
                _xrunBursts++;
                long count = _bursts.InWindow;
                _bursts.Clear();
                int bigger = Math.Min(_block * 2, Options.MaxBlockFrames);
                if (!_economyDetector && (_mode == LatencyMode.Live || bigger <= _block))
                {
                    // Live keeps its short block as long as it can: the cheaper detector is its first step; the other
                    // modes take it once the block is the biggest allowed.
                    SetEconomyDetector(true);
                    _detectorStepDowns++;
                    Notify(LogLevel.Warning, string.Create(CultureInfo.InvariantCulture, $"{count} xruns in a minute: limiter true-peak detector 4x instead of 8x (ceiling within {EconomyDetectorMarginDb:0.0} dB; step back on SYSTEM)"), "xruns: limiter TP 4x");
                }
                else if (bigger > _block)
                {
                    _stepDowns++;
                    _block = bigger;
                    Notify(LogLevel.Warning, string.Create(CultureInfo.InvariantCulture, $"{count} xruns in a minute: safer block {bigger} frames (step back on SYSTEM)"), $"xruns: block {bigger}");
                    _supervisor.RequestReopen(bigger, SwitchFadeMs);
                }
                else
                {
                    Notify(LogLevel.Warning, string.Create(CultureInfo.InvariantCulture, $"{count} xruns in a minute at the biggest block ({_block} frames): check the CPU load and the interface"), "xruns at max block");
                }
            }

            ReadTemperature();
        }
    }

    /// <summary>
    /// Undoes the latest step: the cheaper limiter detector (back to 8×; in live mode only once the block is back to the
    /// mode's, as it was the first step there) or the next smaller block (not below the mode's).
    /// </summary>
    /// <returns>False when there is nothing to step back to.</returns>
    public bool StepBack()
    {
        lock (_gate)
        {
            int floor = LatencyModes.BlockFrames(_mode, _configuredBlock);
            if (_economyDetector && (_mode != LatencyMode.Live || _block <= floor))
            {
                SetEconomyDetector(false);
                _detectorStepBacks++;
                _bursts.Clear();
                Notify(LogLevel.Information, "stepped back to the 8x limiter true-peak detector", "back to TP 8x");
                return true;
            }

            if (_block <= floor)
            {
                return false;
            }

            _block = Math.Max(floor, _block / 2);
            _stepBacks++;
            _bursts.Clear();
            Notify(LogLevel.Information, string.Create(CultureInfo.InvariantCulture, $"stepped back to {_block}-frame blocks"), $"back to block {_block}");
            _supervisor.RequestReopen(_block, SwitchFadeMs);
            return true;
        }
    }

    /// <summary>Switches the latency mode: sets the limiter's look-ahead and the block, and reopens with a short fade.</summary>
    /// <param name="mode">The new mode.</param>
    /// <returns>False when it is the mode already.</returns>
    public bool SetLatencyMode(LatencyMode mode)
    {
        lock (_gate)
        {
            if (mode == _mode)
            {
                return false;
            }

            _mode = mode;
            _modeSwitches++;
            _block = LatencyModes.BlockFrames(mode, _configuredBlock);
            _bursts.Clear();
            if (_economyDetector)
            {
                SetEconomyDetector(false); // a new mode starts from its own full-quality setting
            }

            double lookahead = LatencyModes.LookaheadMs(mode, _standardLookaheadMs);
            _controller.Set(ParameterIds.LimiterLookahead, lookahead);
            Notify(LogLevel.Information, string.Create(CultureInfo.InvariantCulture, $"latency mode {LatencyModes.Names[(int)mode]}: look-ahead {lookahead:0.0} ms, {_block}-frame blocks"), LatencyModes.Names[(int)mode]);
            _supervisor.RequestReopen(_block, SwitchFadeMs);
            return true;
        }
    }

    /// <summary>The statistics for `--stats-json`.</summary>
    public ProtectionStatistics Collect()
    {
        lock (_gate)
        {
            return new ProtectionStatistics(
                LatencyModes.Names[(int)_mode],
                _controller.Values[ParameterIds.LimiterLookahead],
                _block,
                _configuredBlock,
                Options.XrunsPerMinute,
                _xrunBursts,
                _stepDowns,
                _stepBacks,
                _modeSwitches,
                _supervisor.Reopens,
                _thermalWarnings,
                double.IsFinite(_maxTemperature) ? _maxTemperature : null,
                [.. _notices])
            {
                LimiterDetectorOversampling = _economyDetector ? TruePeakLimiter.EconomyDetectorOversampling : TruePeakLimiter.FullDetectorOversampling,
                DetectorStepDowns = _detectorStepDowns,
                DetectorStepBacks = _detectorStepBacks,
            };
        }
    }

    /// <inheritdoc />
    public void Dispose() => _thermometer.Dispose();

    /// <summary>
    /// How far over the ceiling an independent 8× measurement read the limiter's output with the 4× detector on the
    /// torture signals, asserted bound (measured +0.12 dB; LimiterEconomyDetectionTests), dB.
    /// </summary>
    public const double EconomyDetectorMarginDb = 0.2;

    private void SetEconomyDetector(bool economy)
    {
        _economyDetector = economy;
        _controller.Engine.Chain.LimiterDetectorOversampling = economy ? TruePeakLimiter.EconomyDetectorOversampling : TruePeakLimiter.FullDetectorOversampling;
    }

    private void ReadTemperature()
    {
        double celsius = _thermometer.ReadCelsius();
        _temperature = celsius;
        if (!double.IsFinite(celsius))
        {
            return;
        }

        _maxTemperature = double.IsFinite(_maxTemperature) ? Math.Max(_maxTemperature, celsius) : celsius;
        ThermalState next = celsius >= Options.ThrottleTemperatureC ? ThermalState.Throttling
            : celsius >= Options.WarnTemperatureC ? ThermalState.Warm
            : celsius < Options.WarnTemperatureC - ProtectionOptions.HysteresisC ? ThermalState.Normal
            : _thermal == ThermalState.Normal ? ThermalState.Normal : ThermalState.Warm;
        if (next == _thermal)
        {
            return;
        }

        ThermalState previous = _thermal;
        _thermal = next;
        if (next == ThermalState.Normal)
        {
            Notify(LogLevel.Information, string.Create(CultureInfo.InvariantCulture, $"CPU {celsius:0} °C: cool again"), null);
        }
        else if (previous == ThermalState.Normal || next == ThermalState.Throttling)
        {
            _thermalWarnings++;
            Notify(
                LogLevel.Warning,
                next == ThermalState.Throttling
                    ? string.Create(CultureInfo.InvariantCulture, $"CPU {celsius:0} °C: the Pi throttles at {Options.ThrottleTemperatureC:0} °C; cool the box (xruns likely)")
                    : string.Create(CultureInfo.InvariantCulture, $"CPU {celsius:0} °C: throttling starts at {Options.ThrottleTemperatureC:0} °C; give the box air"),
                next == ThermalState.Throttling ? "CPU throttling" : string.Create(CultureInfo.InvariantCulture, $"CPU hot {celsius:0} C"));
        }
    }

    // Journal line always; screen notice (short, fits the 21-column print) when given.
    private void Notify(LogLevel level, string journal, string? screen)
    {
        _notices.Add(journal);
        if (screen is not null)
        {
            _notice = screen;
            _noticeSerial++;
        }

        try
        {
            _logger.Log(level, "protection: {Notice}", journal);
        }
        catch (Exception)
        {
            // A failing logger never stops the protection (or audio).
        }
    }
}
