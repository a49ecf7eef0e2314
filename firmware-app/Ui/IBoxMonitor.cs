using HardwareMaster.Dsp.Monitor;

namespace HardwareMaster.App.Ui;

/// <summary>The monitor path as the face drives it (MONITOR page, the indicator on every page, SYSTEM's MON EQ line).</summary>
/// <remarks>UI thread. Every read allocates nothing (strings are cached); <see cref="ReloadCalibration"/> allocates (a user action).</remarks>
public interface IBoxMonitor
{
    /// <summary>The monitor function (off, mono, side, phone, earbuds, car, delta); a change crossfades on the audio thread.</summary>
    MonitorFunction Function { get; set; }

    /// <summary>True when the device output is the monitor right now (a 2-output interface with a function or the correction EQ on).</summary>
    bool ReplacesOutput { get; }

    /// <summary>True when the monitor has its own output (a separate pair or file): the device output stays the master.</summary>
    bool HasSeparateOutput { get; }

    /// <summary>False when the monitor is heard nowhere (a <c>file:</c> device without <c>--monitor-output</c>: its output is the master).</summary>
    bool HasOutput { get; }

    /// <summary>The loudness-match gain in use, dB.</summary>
    double MatchGainDb { get; }

    /// <summary>Filters of the loaded correction EQ (0 when none).</summary>
    int CalibrationFilters { get; }

    /// <summary>The loaded correction EQ's import date, <c>yyyy-MM-dd</c> (a cached string), or null when none is loaded.</summary>
    string? CalibrationDate { get; }

    /// <summary>When the loaded correction EQ was imported (UTC), or null.</summary>
    DateTimeOffset? CalibrationImportedUtc { get; }

    /// <summary>Why the stored correction EQ could not be loaded (one line), or null.</summary>
    string? CalibrationProblem { get; }

    /// <summary>Reads the stored correction EQ again and applies it (or none); false when the file exists but is unusable (the previous one stays).</summary>
    bool ReloadCalibration();
}
