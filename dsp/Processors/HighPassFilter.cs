using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// DC blocker / high-pass: a Butterworth cascade of selectable slope (6–48 dB/octave) with double state,
/// designed on the control thread with matched sections. Latency 0.
/// </summary>
/// <remarks>Threading: <see cref="Settings"/> may be set from the control thread at any time, also before Prepare.</remarks>
public sealed class HighPassFilter : FilterStage
{
    private HighPassSettings _settings = new();

    /// <summary>Creates the stage with default settings (20 Hz, 12 dB/octave).</summary>
    public HighPassFilter()
        : base(ButterworthDesign.MaxSections)
    {
    }

    /// <summary>Current settings. Setting validates, redesigns and publishes (control thread).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public HighPassSettings Settings
    {
        get => Volatile.Read(ref _settings);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            if (value == Volatile.Read(ref _settings))
            {
                return; // the same values: the published design already is this one (a knob detent elsewhere costs nothing here)
            }

            Volatile.Write(ref _settings, value);
            Redesign();
        }
    }

    private protected override CascadeDesign BuildDesign(int sampleRateHz)
    {
        var s = Settings;
        return s.Enabled
            ? CascadeDesign.Sequential(ButterworthDesign.HighPass(s.FrequencyHz, s.SlopeDbPerOctave, sampleRateHz))
            : CascadeDesign.Empty;
    }
}
