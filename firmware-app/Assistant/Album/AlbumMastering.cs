using HardwareMaster.App.Parameters;
using HardwareMaster.App.Rendering;
using HardwareMaster.Dsp;
using HardwareMaster.Dsp.Chain;
using HardwareMaster.Dsp.Metering;
using HardwareMaster.Dsp.Processors;
using HardwareMaster.Hal.Audio.Resampling;
using HardwareMaster.Hal.AudioFiles;

namespace HardwareMaster.App.Assistant.Album;

/// <summary>How the tracks of an album are levelled.</summary>
internal enum AlbumMode
{
    /// <summary>One loudness gain for the whole album (target − the album's loudness): the tracks keep their relative loudness.</summary>
    Album,

    /// <summary>Every track normalised to the target on its own.</summary>
    Track,
}

/// <summary>One input and the output it becomes.</summary>
/// <param name="InputPath">The user's input.</param>
/// <param name="OutputPath">The master to write.</param>
internal sealed record AlbumTrack(string InputPath, string OutputPath);

/// <summary>What became of one track.</summary>
/// <param name="Track">The track.</param>
/// <param name="Result">The render's report (null when it failed).</param>
/// <param name="TiltDbPerOctave">Spectral tilt of the master (<see cref="SpectralTilt"/>), NaN when unknown.</param>
/// <param name="Error">One line naming the user's file, or null.</param>
internal sealed record TrackOutcome(AlbumTrack Track, RenderResult? Result, double TiltDbPerOctave, string? Error);

/// <summary>What became of the album.</summary>
/// <param name="Mode">Album or track levelling.</param>
/// <param name="TargetLufs">The loudness target.</param>
/// <param name="Tracks">Per track, in input order.</param>
/// <param name="AlbumLoudnessLufs">Album mode: the loudness of all tracks together where the loudness gain applies (before it), NaN otherwise.</param>
/// <param name="ProgrammeLufs">Album mode: the programme loudness the glue compressor was set for on every track (NaN: compressor not running).</param>
/// <param name="LoudnessGainDb">Album mode: the one loudness gain of every track (NaN in track mode).</param>
/// <param name="MasterLufs">Integrated loudness of all written masters together.</param>
/// <param name="MasterRangeLu">Loudness range of all written masters together.</param>
/// <param name="Warnings">Album-wide warnings.</param>
internal sealed record AlbumOutcome(
    AlbumMode Mode,
    double TargetLufs,
    IReadOnlyList<TrackOutcome> Tracks,
    double AlbumLoudnessLufs,
    double ProgrammeLufs,
    double LoudnessGainDb,
    double MasterLufs,
    double MasterRangeLu,
    IReadOnlyList<string> Warnings);

/// <summary>
/// Batch mastering through the box's chain (<see cref="OfflineRenderer"/>), in parallel across tracks.
/// </summary>
/// <remarks>
/// <para>
/// Stages, each run over every still-healthy track with at most <c>jobs</c> tracks at a time: (1) with a delivery rate,
/// conversion through libsoxr (<see cref="ConvertedSource"/>); album mode then (2) measures, per track, the loudness
/// blocks that reach the glue compressor, merged into the album's programme loudness (BS.1770-4 gating over the blocks of
/// all tracks: <see cref="ProgramMeter.MeasureTogether"/>), (3) the blocks that reach the loudness-gain stage with the
/// compressor set for that programme loudness, merged into the album loudness, and renders every track with
/// <c>loudness.gain</c> = target − album loudness, no per-track target and that programme loudness (the compressor treats
/// the album as one programme). Track mode renders each track to the target. A track that fails (unreadable, corrupt) is
/// reported with one line and left out of the later stages; the others finish.
/// </para>
/// <para>
/// Deterministic whatever the number of jobs: each track's work is independent and the merged measurements are
/// combined in input order.
/// </para>
/// </remarks>
internal static class AlbumMastering
{
    /// <summary>Masters <paramref name="tracks"/>.</summary>
    /// <param name="tracks">Inputs and outputs.</param>
    /// <param name="template">The render every track gets (values, encoding, target); paths are replaced.</param>
    /// <param name="mode">Album or track levelling.</param>
    /// <param name="rateHz">Delivery rate (null = keep each input's rate).</param>
    /// <param name="jobs">Tracks at a time.</param>
    /// <param name="report">Receives one line per finished step (any thread; calls are serialised).</param>
    /// <returns>The outcome.</returns>
    public static AlbumOutcome Run(IReadOnlyList<AlbumTrack> tracks, RenderRequest template, AlbumMode mode, int? rateHz, int jobs, Action<string> report)
    {
        var gate = new object();
        void Say(string line)
        {
            lock (gate)
            {
                report(line);
            }
        }

        double target = template.TargetLufs ?? template.Values[ParameterIds.TargetLufs];
        var states = tracks.Select((t, i) => new TrackState(t, i + 1)).ToArray();
        var warnings = new List<string>();
        string count = states.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            if (rateHz is int rate)
            {
                RunStage(states, jobs, Say, count, s =>
                {
                    s.Source = ConvertedSource.Create(s.Track.InputPath, s.Track.OutputPath, rate);
                    return s.Source.Converted ? $"converted {s.Source.SourceRateHz} -> {rate} Hz (libsoxr)" : null;
                });
            }

            double album = double.NaN, programme = double.NaN, gain = double.NaN;
            if (mode == AlbumMode.Album)
            {
                ParameterSet values = template.Values;
                bool compressing = !values.IsOn(ParameterIds.CompBypass) && values[ParameterIds.CompRatio] > 1;
                if (compressing)
                {
                    RunStage(states, jobs, Say, count, s =>
                    {
                        s.Meter = MeasureUntil(s.SourcePath, values, ChainStage.Compressor, double.NaN, template.BlockFrames);
                        return null;
                    });
                    ProgramMeter.MeasureTogether(Healthy(states).Select(s => s.Meter!), out programme, out _);
                    if (!double.IsNaN(programme))
                    {
                        programme = Math.Clamp(programme, GlueCompressor.MinProgrammeLoudnessLufs, GlueCompressor.MaxProgrammeLoudnessLufs);
                    }
                }

                double setProgramme = programme;
                RunStage(states, jobs, Say, count, s =>
                {
                    s.Meter = MeasureUntil(s.SourcePath, values, ChainStage.LoudnessGain, setProgramme, template.BlockFrames);
                    return FormattableString.Invariant($"analysed ({s.Meter.GetReport().IntegratedLufs:0.0} LUFS before the loudness gain)");
                });
                ProgramMeter.MeasureTogether(Healthy(states).Select(s => s.Meter!), out album, out _);
                ParameterDefinition range = values.Registry[ParameterIds.LoudnessGain];
                if (double.IsNaN(album))
                {
                    gain = 0;
                    if (Healthy(states).Any())
                    {
                        warnings.Add("the album has no gated loudness (silent?); loudness gain 0 dB");
                    }
                }
                else
                {
                    gain = range.Clamp(target - album);
                    if (gain != target - album)
                    {
                        warnings.Add(FormattableString.Invariant($"reaching {target:0.0} LUFS needs {target - album:+0.0;-0.0} dB of loudness gain; limited to {gain:+0.0;-0.0} dB"));
                    }
                }
            }

            double albumGain = gain, albumProgramme = programme;
            RunStage(states, jobs, Say, count, s =>
            {
                s.Trace = new OutputTrace();
                RenderRequest request;
                if (mode == AlbumMode.Album)
                {
                    ParameterSet values = template.Values.Clone();
                    values[ParameterIds.LoudnessGain] = albumGain;
                    request = template with
                    {
                        InputPath = s.SourcePath,
                        OutputPath = s.Track.OutputPath,
                        Values = values,
                        TargetLufs = null,
                        ProgrammeLufs = double.IsNaN(albumProgramme) ? null : albumProgramme,
                        Trace = s.Trace,
                    };
                }
                else
                {
                    request = template with { InputPath = s.SourcePath, OutputPath = s.Track.OutputPath, TargetLufs = target, Trace = s.Trace };
                }

                s.Result = OfflineRenderer.Render(request);
                s.Source?.Dispose();
                LoudnessReport o = s.Result.Output;
                return FormattableString.Invariant($"written {s.Track.OutputPath} ({o.IntegratedLufs:0.0} LUFS, LRA {o.LoudnessRangeLu:0.0} LU, {o.TruePeakDbtp:0.0} dBTP)");
            });

            ProgramMeter.MeasureTogether(Healthy(states).Where(s => s.Trace?.Meter is not null).Select(s => s.Trace!.Meter!), out double masterLufs, out double masterRange);
            if (mode == AlbumMode.Album && SpreadWarning(Healthy(states).Select(s => s.Result)) is string spread)
            {
                warnings.Add(spread);
            }

            var outcomes = states.Select(s => new TrackOutcome(
                s.Track,
                s.Error is null ? s.Result : null,
                s.Error is null && s.Trace?.Spectrum is { } spectrum ? SpectralTilt.DbPerOctave(spectrum) : double.NaN,
                s.Error)).ToArray();
            return new AlbumOutcome(mode, target, outcomes, album, programme, gain, masterLufs, masterRange, warnings);
        }
        finally
        {
            foreach (TrackState s in states)
            {
                s.Source?.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs the chain over a file up to (not including) <paramref name="stopBefore"/> with the loudness gain at 0 dB and
    /// meters what reaches it, as the renderer's analysis does.
    /// </summary>
    /// <param name="path">The source.</param>
    /// <param name="values">Chain parameters.</param>
    /// <param name="stopBefore">First stage not run.</param>
    /// <param name="programmeLufs">Programme loudness for the compressor (NaN = its reference).</param>
    /// <param name="block">Chain block size.</param>
    /// <returns>The meter, holding the loudness blocks.</returns>
    /// <exception cref="AudioFileException">The file cannot be read.</exception>
    internal static ProgramMeter MeasureUntil(string path, ParameterSet values, ChainStage stopBefore, double programmeLufs, int block)
    {
        using AudioFileReader reader = AudioFileReader.Open(path);
        AudioFileFormat format = reader.Format;
        int channels = format.Channels;
        var chain = new MasteringChain { IdleBypassedStages = true };
        ChainBinder.ApplyAll(values, chain, 0);
        chain.SetLoudnessGainDb(0);
        chain.SetProgrammeLoudness(programmeLufs);
        chain.Prepare(new ProcessSpec(format.SampleRateHz, block, channels));
        var meter = new ProgramMeter(format.SampleRateHz, channels);
        var left = new float[block];
        var right = new float[channels == 2 ? block : 0];
        while (true)
        {
            int n = reader.ReadPlanar(left, right);
            if (n == 0)
            {
                break;
            }

            Span<float> l = left.AsSpan(0, n);
            Span<float> r = channels == 2 ? right.AsSpan(0, n) : Span<float>.Empty;
            chain.ProcessUntil(stopBefore, channels == 2 ? new AudioBlock(l, r) : new AudioBlock(l));
            meter.Process(l, r);
        }

        if (reader.Truncated)
        {
            throw new AudioFileException(path, "the file is truncated (fewer samples than its header declares)");
        }

        return meter;
    }

    private static IEnumerable<TrackState> Healthy(TrackState[] states) => states.Where(s => s.Error is null);

    // One stage over every healthy track, `jobs` at a time. A failure marks the track and prints its one line.
    private static void RunStage(TrackState[] states, int jobs, Action<string> say, string count, Func<TrackState, string?> step)
    {
        Parallel.ForEach(Healthy(states).ToArray(), new ParallelOptions { MaxDegreeOfParallelism = jobs }, s =>
        {
            try
            {
                string? done = step(s);
                if (done is not null)
                {
                    say($"album: [{s.Number}/{count}] {Path.GetFileName(s.Track.InputPath)}: {done}");
                }
            }
            catch (Exception ex) when (ex is AudioFileException or ResamplerException or IOException or UnauthorizedAccessException)
            {
                string message = ex is AudioFileException
                    ? s.Source?.Rename(ex.Message, s.Track.InputPath) ?? ex.Message
                    : $"{s.Track.InputPath}: {ex.Message}";
                s.Error = message;
                s.Source?.Dispose();
                say($"{Cli.ProgramName}: {message}");
            }
        });
    }

    /// <summary>Change of a track's loudness beyond which album mode warns that the chain moved the tracks' relative levels, LU.</summary>
    internal const double SpreadToleranceLu = 0.5;

    // Album mode gives every track the same gain, so each master should be louder than its source by that gain; the glue
    // and the limiter work harder on louder tracks and can narrow the differences. Warns with the change in spread.
    private static string? SpreadWarning(IEnumerable<RenderResult?> results)
    {
        double[] changes = results
            .Where(r => r?.Input.IntegratedLufs is not null && r.Output.IntegratedLufs is not null)
            .Select(r => r!.Output.IntegratedLufs!.Value - r.Input.IntegratedLufs!.Value)
            .ToArray();
        if (changes.Length < 2 || changes.Max() - changes.Min() <= SpreadToleranceLu)
        {
            return null;
        }

        return FormattableString.Invariant($"the chain changed the loudness differences between tracks by up to {changes.Max() - changes.Min():0.0} LU (the glue and the limiter work harder on the louder tracks; warned above {SpreadToleranceLu:0.0} LU); for exact relative levels use a gentler preset or a lower target");
    }

    private sealed class TrackState(AlbumTrack track, int number)
    {
        public AlbumTrack Track { get; } = track;

        public int Number { get; } = number;

        public ConvertedSource? Source { get; set; }

        public string SourcePath => Source?.Path ?? Track.InputPath;

        public ProgramMeter? Meter { get; set; }

        public OutputTrace? Trace { get; set; }

        public RenderResult? Result { get; set; }

        public string? Error { get; set; }
    }
}
