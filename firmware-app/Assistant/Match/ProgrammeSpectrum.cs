using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Assistant.Match;

/// <summary>
/// What <c>match</c> needs of one programme: its integrated loudness (BS.1770-4, <see cref="ProgramMeter"/>) and its
/// long-term mid and side spectra (<see cref="LongTermSpectrum"/>), both from one read of the file.
/// </summary>
/// <param name="Format">The file's format.</param>
/// <param name="IntegratedLufs">Integrated loudness, or null when the programme is silent (everything gated away).</param>
/// <param name="Spectrum">The long-term spectrum (mid and side).</param>
public sealed record ProgrammeSpectrum(AudioFileFormat Format, double? IntegratedLufs, LongTermSpectrum Spectrum)
{
    private const int BlockFrames = 8192;

    /// <summary>FFT length for a sample rate: the power of two that gives bins of about 3 Hz (16384 at 44.1 and 48 kHz).</summary>
    /// <param name="sampleRateHz">The programme's rate.</param>
    /// <returns>The segment length.</returns>
    public static int FftSizeFor(int sampleRateHz) => (int)Math.Clamp(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, sampleRateHz / 3)), 4096u, 65536u);

    /// <summary>Reads <paramref name="path"/> once and measures it; when <paramref name="chain"/> is given, the audio is run through it first (in blocks of its prepared size).</summary>
    /// <param name="path">The audio file.</param>
    /// <param name="chain">A chain to run the audio through, already configured (it is prepared here for the file's rate), or null.</param>
    /// <returns>The measurement.</returns>
    /// <exception cref="AudioFileException">The file cannot be opened or decoded, or it is too short for one spectrum segment.</exception>
    public static ProgrammeSpectrum Measure(string path, MasteringChain? chain = null)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        AudioFileFormat format = reader.Format;
        bool stereo = format.Channels == 2;
        var meter = new ProgramMeter(format.SampleRateHz, format.Channels);
        var spectrum = new LongTermSpectrum(format.SampleRateHz, FftSizeFor(format.SampleRateHz));
        chain?.Prepare(new Dsp.ProcessSpec(format.SampleRateHz, BlockFrames, format.Channels));
        reader.ReadBlocks(BlockFrames, (l, r) =>
        {
            chain?.Process(stereo ? new Dsp.AudioBlock(l, r) : new Dsp.AudioBlock(l));
            meter.Process(l, r);
            spectrum.Process(l, r);
        });

        if (spectrum.Segments == 0)
        {
            throw new AudioFileException(path, $"too short to compare: needs at least {spectrum.FftSize / (double)format.SampleRateHz:0.0} s of audio");
        }

        return new ProgrammeSpectrum(format, meter.GetReport().IntegratedLufs, spectrum);
    }

    /// <summary>
    /// Mean power per bin of the mid (or side) signal over [hz·2^(−fraction/2), hz·2^(fraction/2)] clipped to
    /// [<paramref name="lowestHz"/>, <paramref name="highestHz"/>] (so nothing outside the compared range leaks in), at
    /// least <paramref name="minimumBins"/> bins around the nearest one; dB, <see cref="double.NegativeInfinity"/> when silent.
    /// </summary>
    /// <param name="hz">Centre, Hz.</param>
    /// <param name="octaveFraction">Window width in octaves.</param>
    /// <param name="lowestHz">Lowest frequency that may enter the window.</param>
    /// <param name="highestHz">Highest frequency that may enter the window.</param>
    /// <param name="side">Side instead of mid.</param>
    /// <param name="minimumBins">Fewest bins averaged (odd; low frequencies, where a fractional-octave window holds one bin).</param>
    /// <returns>The level, dB.</returns>
    public double SmoothedLevelDb(double hz, double octaveFraction, double lowestHz, double highestHz, bool side = false, int minimumBins = 5)
    {
        LongTermSpectrum s = Spectrum;
        double half = Math.Pow(2, octaveFraction / 2);
        double loHz = Math.Max(lowestHz, hz / half), hiHz = Math.Min(highestHz, hz * half);
        int lo = Math.Max(1, (int)Math.Ceiling(loHz / s.BinHz));
        int hi = Math.Min(s.BinCount - 1, (int)Math.Floor(hiHz / s.BinHz));
        int centre = Math.Clamp((int)Math.Round(hz / s.BinHz), 1, s.BinCount - 1);
        int halfBins = minimumBins / 2;
        int minLo = Math.Max(1, (int)Math.Ceiling(lowestHz / s.BinHz));
        int maxHi = Math.Min(s.BinCount - 1, (int)Math.Floor(highestHz / s.BinHz));
        lo = Math.Max(minLo, Math.Min(lo, centre - halfBins));
        hi = Math.Min(maxHi, Math.Max(hi, centre + halfBins));
        if (hi < lo)
        {
            lo = hi = centre;
        }

        double sum = 0;
        for (int k = lo; k <= hi; k++)
        {
            sum += side ? s.SidePower(k) : s.MidPower(k);
        }

        double mean = sum / (hi - lo + 1);
        return mean > 0 ? 10 * Math.Log10(mean) : double.NegativeInfinity;
    }
}
