using System.Globalization;
using HardwareMaster.App.Ui;
using HardwareMaster.Dsp.Monitor;

namespace HardwareMaster.App.Monitor;

/// <summary>
/// The box's view of the run's <see cref="MonitorPath"/>: the function the MONITOR page chooses, the route the indicator
/// reports, and the correction EQ from <c>STATE/monitor-eq.json</c> (<see cref="MonitorEqStore"/>), loaded when created
/// (the box's start) and again by <see cref="ReloadCalibration"/> (MONITOR &gt; Reload EQ).
/// </summary>
public sealed class BoxMonitor : IBoxMonitor
{
    private readonly MonitorPath _path;
    private readonly string _stateDirectory;

    /// <summary>Wraps <paramref name="path"/> and loads the stored correction EQ into it. Control thread, before the audio starts.</summary>
    /// <param name="path">The run's monitor path.</param>
    /// <param name="stateDirectory">The box's state directory.</param>
    public BoxMonitor(MonitorPath path, string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(stateDirectory);
        _path = path;
        _stateDirectory = stateDirectory;
        ReloadCalibration();
    }

    /// <summary>The path.</summary>
    public MonitorPath Path => _path;

    /// <inheritdoc />
    public MonitorFunction Function
    {
        get => _path.Function;
        set => _path.Function = value;
    }

    /// <inheritdoc />
    public bool ReplacesOutput => _path.ReplacesOutput;

    /// <inheritdoc />
    public bool HasSeparateOutput => _path.Route == MonitorRoute.Sink;

    /// <inheritdoc />
    public bool HasOutput => _path.HasOutput;

    /// <inheritdoc />
    public double MatchGainDb => _path.MatchGainDb;

    /// <summary>The loaded correction EQ, or null.</summary>
    public MonitorCalibration? Calibration { get; private set; }

    /// <inheritdoc />
    public int CalibrationFilters => Calibration?.Filters.Count ?? 0;

    /// <inheritdoc />
    public string? CalibrationDate { get; private set; }

    /// <inheritdoc />
    public DateTimeOffset? CalibrationImportedUtc => Calibration?.ImportedUtc;

    /// <inheritdoc />
    public string? CalibrationProblem { get; private set; }

    /// <inheritdoc />
    public bool ReloadCalibration()
    {
        MonitorCalibration? loaded = MonitorEqStore.Load(_stateDirectory, out string? problem);
        CalibrationProblem = problem;
        if (problem is not null)
        {
            return false; // the previous correction (if any) stays: a corrupt file never removes or halves it
        }

        Calibration = loaded;
        CalibrationDate = loaded?.ImportedUtc.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _path.SetCalibration(loaded?.Filters ?? []);
        return true;
    }
}
