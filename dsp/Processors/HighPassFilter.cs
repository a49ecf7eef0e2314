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

    /// <summary>Current settings. Setting validates, redesigns and publishes (control thread; allocation-free).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public HighPassSettings Settings
    {
        get
        {
            lock (DesignLock)
            {
                return _settings;
            }
        }

        set
        {
            value.Validate();
            lock (DesignLock)
            {
                if (value == _settings)
                {
                    return; // the same values: the published design already is this one (a knob detent elsewhere costs nothing here)
                }

                _settings = value;
                Redesign();
            }
        }
    }

    private protected override void BuildDesign(int sampleRateHz, CascadeDesign destination)
    {
        var s = _settings;
        if (s.Enabled)
        {
            Span<BiquadCoefficients> sections = stackalloc BiquadCoefficients[ButterworthDesign.MaxSections];
            int count = ButterworthDesign.Design(s.FrequencyHz, s.SlopeDbPerOctave, sampleRateHz, highPass: true, resonanceQ: 0, sections);
            destination.AddSequential(sections[..count], 0);
        }
    }
}
