using HardwareMaster.Dsp.Filters;

namespace HardwareMaster.Dsp.Processors;

/// <summary>
/// Seven-band parametric EQ: by default high-pass, low shelf, three bells, high shelf, low-pass (each band's
/// type can be changed). Matched, near-Nyquist-accurate sections (<see cref="MatchedBiquadDesign"/>), TDF-II
/// with double state throughout. Latency 0.
/// </summary>
/// <remarks>
/// Threading: <see cref="SetBand"/> may be called from the control thread at any time, also before Prepare.
/// It designs the changed band in double on the calling thread (the other bands' sections are reused: a knob detent
/// on one band costs one band's design, and setting a band to what it already is costs nothing) and publishes an
/// immutable coefficient set that the audio thread swaps in by reference at the next block start. Each band owns fixed state slots, so switching
/// one band on or off leaves the others' filter memory untouched. Bells and shelves at 0 dB and disabled bands
/// are left out of the cascade (they cost nothing).
/// </remarks>
public sealed class ParametricEq : FilterStage
{
    /// <summary>Number of bands.</summary>
    public const int BandCount = 7;

    private readonly EqBandSettings[] _bands;

    // Per-band design cache for the prepared rate, used only under the design lock (BuildDesign): the sections of band
    // b were designed from the settings object _designedFrom[b] at _cachedRateHz; a different object means redesign.
    private readonly BiquadCoefficients[][] _bandSections = new BiquadCoefficients[BandCount][];
    private readonly EqBandSettings?[] _designedFrom = new EqBandSettings?[BandCount];
    private int _cachedRateHz;
    private long _bandDesigns;

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
        if (settings == Volatile.Read(ref _bands[bandIndex]))
        {
            return; // the same values (record equality): the published design already is this one
        }

        Volatile.Write(ref _bands[bandIndex], settings);
        Redesign();
    }

    /// <summary>How many single-band designs this EQ has computed (tests: a detent on one band designs one band).</summary>
    internal long BandDesignCount => Interlocked.Read(ref _bandDesigns);

    /// <summary>
    /// Designed magnitude of the whole EQ at <paramref name="frequencyHz"/>, dB (for UI curves and tests). Control thread.
    /// At the prepared rate it reads the published design (an on-screen curve calls this per point); at another rate, or
    /// before Prepare, it designs the bands for that rate without touching the published design.
    /// </summary>
    public double MagnitudeDb(double frequencyHz, int sampleRateHz)
    {
        double db = 0;
        if (sampleRateHz == SampleRateHz)
        {
            foreach (var section in PublishedDesign.Sections)
            {
                db += section.MagnitudeDb(frequencyHz, sampleRateHz);
            }

            return db;
        }

        for (int band = 0; band < BandCount; band++)
        {
            foreach (var section in DesignBand(Volatile.Read(ref _bands[band]), sampleRateHz))
            {
                db += section.MagnitudeDb(frequencyHz, sampleRateHz);
            }
        }

        return db;
    }

    private protected override CascadeDesign BuildDesign(int sampleRateHz)
    {
        if (sampleRateHz != _cachedRateHz)
        {
            Array.Clear(_designedFrom);
            _cachedRateHz = sampleRateHz;
        }

        var sections = new List<BiquadCoefficients>();
        var slots = new List<int>();
        for (int band = 0; band < BandCount; band++)
        {
            var s = Volatile.Read(ref _bands[band]);
            if (!ReferenceEquals(s, _designedFrom[band]))
            {
                _bandSections[band] = DesignBand(s, sampleRateHz);
                _designedFrom[band] = s;
                Interlocked.Increment(ref _bandDesigns);
            }

            BiquadCoefficients[] designed = _bandSections[band];
            for (int k = 0; k < designed.Length; k++)
            {
                sections.Add(designed[k]);
                slots.Add(band * ButterworthDesign.MaxSections + k);
            }
        }

        return new CascadeDesign([.. sections], [.. slots]);
    }

    // The sections of one band at one rate: none for a disabled band or a bell/shelf at 0 dB.
    private static BiquadCoefficients[] DesignBand(EqBandSettings s, int sampleRateHz)
    {
        if (!s.Enabled)
        {
            return [];
        }

        return s.Type switch
        {
            EqBandType.HighPass => ButterworthDesign.Design(s.FrequencyHz, s.SlopeDbPerOctave, sampleRateHz, highPass: true, resonanceQ: s.Q),
            EqBandType.LowPass => ButterworthDesign.Design(s.FrequencyHz, s.SlopeDbPerOctave, sampleRateHz, highPass: false, resonanceQ: s.Q),
            _ when s.GainDb == 0 => [],
            EqBandType.LowShelf => [MatchedBiquadDesign.LowShelf(s.FrequencyHz, s.GainDb, s.Q, sampleRateHz)],
            EqBandType.HighShelf => [MatchedBiquadDesign.HighShelf(s.FrequencyHz, s.GainDb, s.Q, sampleRateHz)],
            _ => [MatchedBiquadDesign.Bell(s.FrequencyHz, s.GainDb, s.Q, sampleRateHz)],
        };
    }
}
