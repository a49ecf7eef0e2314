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
/// on one band costs one band's design, and setting a band to what it already is costs nothing) and publishes the
/// coefficient set through <see cref="FilterStage"/>'s triple buffer, which the audio thread swaps in at the next block
/// start; a detent allocates nothing. Each band owns fixed state slots, so switching
/// one band on or off leaves the others' filter memory untouched. Bells and shelves at 0 dB and disabled bands
/// are left out of the cascade (they cost nothing).
/// </remarks>
public sealed class ParametricEq : FilterStage
{
    /// <summary>Number of bands.</summary>
    public const int BandCount = 7;

    private static readonly EqBandSettings[] Defaults =
    [
        new EqBandSettings { Type = EqBandType.HighPass, FrequencyHz = 30, SlopeDbPerOctave = 12, Enabled = false },
        new EqBandSettings { Type = EqBandType.LowShelf, FrequencyHz = 100 },
        new EqBandSettings { Type = EqBandType.Bell, FrequencyHz = 300, Q = 1 },
        new EqBandSettings { Type = EqBandType.Bell, FrequencyHz = 1000, Q = 1 },
        new EqBandSettings { Type = EqBandType.Bell, FrequencyHz = 4000, Q = 1 },
        new EqBandSettings { Type = EqBandType.HighShelf, FrequencyHz = 10000 },
        new EqBandSettings { Type = EqBandType.LowPass, FrequencyHz = 20000, SlopeDbPerOctave = 12, Enabled = false },
    ];

    // Settings per band; read and written under the design lock (a value type wider than a word).
    private readonly EqBandSettings[] _bands = (EqBandSettings[])Defaults.Clone();

    // Per-band design cache for the prepared rate, used only under the design lock (BuildDesign): band b's sections are
    // _bandSections[b * MaxSections ..][.._bandSectionCount[b]], designed from _designedFrom[b] at _cachedRateHz while
    // _designValid[b]; different settings mean redesign.
    private readonly BiquadCoefficients[] _bandSections = new BiquadCoefficients[BandCount * ButterworthDesign.MaxSections];
    private readonly int[] _bandSectionCount = new int[BandCount];
    private readonly EqBandSettings[] _designedFrom = new EqBandSettings[BandCount];
    private readonly bool[] _designValid = new bool[BandCount];
    private int _cachedRateHz;
    private long _bandDesigns;

    /// <summary>Creates the EQ with the default layout, all bands flat (HP and LP disabled).</summary>
    public ParametricEq()
        : base(BandCount * ButterworthDesign.MaxSections)
    {
    }

    /// <summary>Default settings of band <paramref name="bandIndex"/> (0–6).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Band index out of range.</exception>
    public static EqBandSettings DefaultBand(int bandIndex)
    {
        CheckBand(bandIndex);
        return Defaults[bandIndex];
    }

    /// <summary>Current settings of band <paramref name="bandIndex"/> (0–6). Any control thread.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Band index out of range.</exception>
    public EqBandSettings GetBand(int bandIndex)
    {
        CheckBand(bandIndex);
        lock (DesignLock)
        {
            return _bands[bandIndex];
        }
    }

    /// <summary>Replaces band <paramref name="bandIndex"/> (0–6) and publishes the new design. Control thread; allocation-free.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Band index or a field out of range.</exception>
    public void SetBand(int bandIndex, in EqBandSettings settings)
    {
        CheckBand(bandIndex);
        settings.Validate();
        lock (DesignLock)
        {
            if (settings == _bands[bandIndex])
            {
                return; // the same values: the published design already is this one
            }

            _bands[bandIndex] = settings;
            Redesign();
        }
    }

    /// <summary>How many single-band designs this EQ has computed (tests: a detent on one band designs one band).</summary>
    internal long BandDesignCount => Interlocked.Read(ref _bandDesigns);

    /// <summary>
    /// Designed magnitude of the whole EQ at <paramref name="frequencyHz"/>, dB (for UI curves and tests). Control thread.
    /// At the prepared rate it reads the published design (an on-screen curve calls this per point); at another rate, or
    /// before Prepare, it designs the bands for that rate without touching the published design. Allocation-free.
    /// </summary>
    public double MagnitudeDb(double frequencyHz, int sampleRateHz)
    {
        double db = 0;
        lock (DesignLock)
        {
            if (sampleRateHz == SampleRateHz)
            {
                foreach (var section in PublishedDesign.Sections)
                {
                    db += section.MagnitudeDb(frequencyHz, sampleRateHz);
                }

                return db;
            }

            Span<BiquadCoefficients> sections = stackalloc BiquadCoefficients[ButterworthDesign.MaxSections];
            for (int band = 0; band < BandCount; band++)
            {
                int count = DesignBand(_bands[band], sampleRateHz, sections);
                for (int k = 0; k < count; k++)
                {
                    db += sections[k].MagnitudeDb(frequencyHz, sampleRateHz);
                }
            }
        }

        return db;
    }

    private protected override void BuildDesign(int sampleRateHz, CascadeDesign destination)
    {
        if (sampleRateHz != _cachedRateHz)
        {
            Array.Clear(_designValid);
            _cachedRateHz = sampleRateHz;
        }

        for (int band = 0; band < BandCount; band++)
        {
            Span<BiquadCoefficients> designed = _bandSections.AsSpan(band * ButterworthDesign.MaxSections, ButterworthDesign.MaxSections);
            EqBandSettings s = _bands[band];
            if (!_designValid[band] || s != _designedFrom[band])
            {
                _bandSectionCount[band] = DesignBand(s, sampleRateHz, designed);
                _designedFrom[band] = s;
                _designValid[band] = true;
                Interlocked.Increment(ref _bandDesigns);
            }

            for (int k = 0; k < _bandSectionCount[band]; k++)
            {
                destination.Add(designed[k], (band * ButterworthDesign.MaxSections) + k);
            }
        }
    }

    private static void CheckBand(int bandIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bandIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bandIndex, BandCount);
    }

    /// <summary>
    /// Designs one band at one rate exactly as the EQ runs it (for models of the response, e.g. <c>match</c>'s fit):
    /// writes its sections into <paramref name="destination"/>; none for a disabled band or a bell/shelf at 0 dB.
    /// </summary>
    /// <param name="s">The band.</param>
    /// <param name="sampleRateHz">Sample rate.</param>
    /// <param name="destination">Room for the band's sections (a high/low-pass of 48 dB/octave has four).</param>
    /// <returns>Sections written.</returns>
    public static int DesignBand(in EqBandSettings s, int sampleRateHz, Span<BiquadCoefficients> destination)
    {
        if (!s.Enabled)
        {
            return 0;
        }

        switch (s.Type)
        {
            case EqBandType.HighPass:
                return ButterworthDesign.Design(s.FrequencyHz, s.SlopeDbPerOctave, sampleRateHz, highPass: true, resonanceQ: s.Q, destination);
            case EqBandType.LowPass:
                return ButterworthDesign.Design(s.FrequencyHz, s.SlopeDbPerOctave, sampleRateHz, highPass: false, resonanceQ: s.Q, destination);
        }

        if (s.GainDb == 0)
        {
            return 0;
        }

        destination[0] = s.Type switch
        {
            EqBandType.LowShelf => MatchedBiquadDesign.LowShelf(s.FrequencyHz, s.GainDb, s.Q, sampleRateHz),
            EqBandType.HighShelf => MatchedBiquadDesign.HighShelf(s.FrequencyHz, s.GainDb, s.Q, sampleRateHz),
            _ => MatchedBiquadDesign.Bell(s.FrequencyHz, s.GainDb, s.Q, sampleRateHz),
        };
        return 1;
    }
}
