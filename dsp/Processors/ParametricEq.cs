using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// Seven-band parametric EQ: by default high-pass, low shelf, three bells, high shelf, low-pass (each band's
/// type can be changed). Matched, near-Nyquist-accurate sections (<see cref="MatchedBiquadDesign"/>), TDF-II
/// with double state throughout. Latency 0.
/// </summary>
/// <remarks>
/// Threading: <see cref="SetBand"/> may be called from the control thread at any time, also before Prepare.
/// It designs all bands in double on the calling thread and publishes an immutable coefficient set that the
/// audio thread swaps in by reference at the next block start. Each band owns fixed state slots, so switching
/// one band on or off leaves the others' filter memory untouched. Bells and shelves at 0 dB and disabled bands
/// are left out of the cascade (they cost nothing).
/// </remarks>
public sealed class ParametricEq : FilterStage
{
    /// <summary>Number of bands.</summary>
    public const int BandCount = 7;

    private readonly EqBandSettings[] _bands;

    /// <summary>Creates the EQ with the default layout, all bands flat (HP and LP disabled).</summary>
    public ParametricEq()
        : base(BandCount * ButterworthDesign.MaxSections)
    {
        _bands =
        [
            new EqBandSettings { Type = EqBandType.HighPass, FrequencyHz = 30, SlopeDbPerOctave = 12, Enabled = false },
            new EqBandSettings { Type = EqBandType.LowShelf, FrequencyHz = 100 },
            new EqBandSettings { Type = EqBandType.Bell, FrequencyHz = 300, Q = 1 },
            new EqBandSettings { Type = EqBandType.Bell, FrequencyHz = 1000, Q = 1 },
            new EqBandSettings { Type = EqBandType.Bell, FrequencyHz = 4000, Q = 1 },
            new EqBandSettings { Type = EqBandType.HighShelf, FrequencyHz = 10000 },
            new EqBandSettings { Type = EqBandType.LowPass, FrequencyHz = 20000, SlopeDbPerOctave = 12, Enabled = false },
        ];
    }

    /// <summary>Default settings of band <paramref name="bandIndex"/> (0–6).</summary>
    public static EqBandSettings DefaultBand(int bandIndex) => new ParametricEq().GetBand(bandIndex);

    /// <summary>Current settings of band <paramref name="bandIndex"/> (0–6).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Band index out of range.</exception>
    public EqBandSettings GetBand(int bandIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bandIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bandIndex, BandCount);
        return Volatile.Read(ref _bands[bandIndex]);
    }

    /// <summary>Replaces band <paramref name="bandIndex"/> (0–6) and publishes the new design. Control thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Band index or a field out of range.</exception>
    public void SetBand(int bandIndex, EqBandSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bandIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bandIndex, BandCount);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Volatile.Write(ref _bands[bandIndex], settings);
        Redesign();
    }

    /// <summary>Designed magnitude of the whole EQ at <paramref name="frequencyHz"/>, dB (for UI curves and tests). Control thread.</summary>
    public double MagnitudeDb(double frequencyHz, int sampleRateHz)
    {
        var design = BuildDesign(sampleRateHz);
        double db = 0;
        foreach (var section in design.Sections)
        {
            db += section.MagnitudeDb(frequencyHz, sampleRateHz);
        }

        return db;
    }

    private protected override CascadeDesign BuildDesign(int sampleRateHz)
    {
        var sections = new List<BiquadCoefficients>();
        var slots = new List<int>();
        for (int band = 0; band < BandCount; band++)
        {
            var s = Volatile.Read(ref _bands[band]);
            if (!s.Enabled)
            {
                continue;
            }

            BiquadCoefficients[] designed = s.Type switch
            {
                EqBandType.HighPass => ButterworthDesign.Design(s.FrequencyHz, s.SlopeDbPerOctave, sampleRateHz, highPass: true, resonanceQ: s.Q),
                EqBandType.LowPass => ButterworthDesign.Design(s.FrequencyHz, s.SlopeDbPerOctave, sampleRateHz, highPass: false, resonanceQ: s.Q),
                _ when s.GainDb == 0 => [],
                EqBandType.LowShelf => [MatchedBiquadDesign.LowShelf(s.FrequencyHz, s.GainDb, s.Q, sampleRateHz)],
                EqBandType.HighShelf => [MatchedBiquadDesign.HighShelf(s.FrequencyHz, s.GainDb, s.Q, sampleRateHz)],
                _ => [MatchedBiquadDesign.Bell(s.FrequencyHz, s.GainDb, s.Q, sampleRateHz)],
            };

            for (int k = 0; k < designed.Length; k++)
            {
                sections.Add(designed[k]);
                slots.Add(band * ButterworthDesign.MaxSections + k);
            }
        }

        return new CascadeDesign([.. sections], [.. slots]);
    }
}
